import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../../shared/auth/current-principal.decorator';
import type { Principal } from '../../shared/auth/principal';
import { PageArgs } from '../../shared/graphql/pagination';
import { DeclarationsService } from '../declarations.service';
import type { DeclarationKind } from '../domain/reporting-periods';
import { FilingsService } from '../filings.service';
import {
  DeclarationKindEnum,
  DeclarationObject,
  FilingObligationsObject,
  OverdueFilingConnection,
  SubmitDeclarationInput,
} from './declaration.objects';

@Resolver(() => DeclarationObject)
export class DeclarationResolver {
  constructor(
    private readonly declarations: DeclarationsService,
    private readonly filings: FilingsService,
  ) {}

  @Query(() => DeclarationObject, {
    description:
      '申报 — a site’s declaration for a period (or its annual operation report, 持证单位年报: kind OPERATION_REPORT), generated from the ledger now, with its submissions and the differences since the latest one.',
  })
  async declaration(
    @Args('siteId', { type: () => ID }) siteId: string,
    @Args('kind', { type: () => DeclarationKindEnum }) kind: DeclarationKind,
    @Args('period', { description: '2026, 2026-03 or 2026-Q1' }) period: string,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    return this.declarations.view(await who, siteId, kind, period);
  }

  @Mutation(() => DeclarationObject, {
    description:
      '申报提交 — freeze the figures you reviewed (their `figuresHash`; CONFLICT when the ledger changed since). A later submission is a correction citing the previous one, with a reason. The unit, or its agent with scope DECLARATIONS.',
  })
  async submitDeclaration(
    @Args('input') input: SubmitDeclarationInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    const r = await this.declarations.submit(p, input);
    return this.declarations.view(p, r.siteId, r.kind, r.period);
  }

  @Query(() => FilingObligationsObject, {
    description:
      'The plan, declarations and (for a site a licence names) the annual operation report a site owes for a year, with deadlines and status (逾期 included).',
  })
  async filingObligations(
    @Args('siteId', { type: () => ID }) siteId: string,
    @Args('year', { type: () => Int }) year: number,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    return this.filings.obligations(await who, siteId, year);
  }

  @Query(() => OverdueFilingConnection, {
    description:
      'Overdue plans and declarations alerted (PLAN_OVERDUE, DECLARATION_OVERDUE): your party’s, or your jurisdiction’s.',
  })
  async overdueFilings(
    @Args() page: PageArgs,
    @Args('outstandingOnly', {
      type: () => Boolean,
      nullable: true,
      description: 'Only those still not filed.',
    })
    outstandingOnly: boolean | null,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    return this.filings.overdue(await who, { ...page, outstandingOnly: outstandingOnly ?? false });
  }
}
