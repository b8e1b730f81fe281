import { Args, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../../shared/auth/current-principal.decorator';
import type { Principal } from '../../shared/auth/principal';
import { Clock } from '../../shared/clock';
import { LocalDateScalar } from '../../shared/graphql/scalars';
import { FlowsAccess } from '../flows-access.service';
import { LedgerBookService } from '../ledger-book.service';
import { LedgerBookEntriesArgs, LedgerBookEntryConnection, LedgerBookObject } from './ledger-book.objects';

@Resolver(() => LedgerBookObject)
export class LedgerBookResolver {
  constructor(
    private readonly books: LedgerBookService,
    private readonly access: FlowsAccess,
    private readonly clock: Clock,
  ) {}

  @Query(() => LedgerBookObject, {
    description:
      '管理台账 — a site’s ledger book from `from` to `to` (business dates; default this year to today): balances per code, and `entries` with cursor pagination. Also as CSV at `csvPath`.',
  })
  async ledgerBook(
    @Args('siteId', { type: () => ID }) siteId: string,
    @Args('from', { type: () => LocalDateScalar, nullable: true }) from: string | null,
    @Args('to', { type: () => LocalDateScalar, nullable: true }) to: string | null,
    @CurrentPrincipal() who: Promise<Principal>,
  ): Promise<LedgerBookObject & { who: Principal }> {
    const p = await who;
    await this.access.readable(p, siteId, this.clock.now());
    const range = this.books.range(from, to);
    return {
      siteId,
      from: range.from,
      to: range.to,
      balances: await this.books.balances(siteId, range.start, range.end),
      csvPath: `/ledger-books/${encodeURIComponent(siteId)}.csv?from=${range.from}&to=${range.to}`,
      who: p,
    };
  }

  @ResolveField(() => LedgerBookEntryConnection, { description: 'The entries in business-time order.' })
  async entries(@Parent() book: LedgerBookObject & { who: Principal }, @Args() args: LedgerBookEntriesArgs) {
    return this.books.entries(book.who, book.siteId, this.books.range(book.from, book.to), args);
  }
}
