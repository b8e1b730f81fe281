import {
  Args,
  Field,
  ID,
  Mutation,
  ObjectType,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { LedgerEventObject } from '../../ledger/graphql/ledger.objects';
import { CurrentPrincipal } from '../../shared/auth/current-principal.decorator';
import type { Principal } from '../../shared/auth/principal';
import { notFound } from '../../shared/auth/access-policy';
import { PageArgs } from '../../shared/graphql/pagination';
import { LabelService } from '../labels/label.service';
import { LotFactsService } from '../lot-facts.service';
import { LotFateService } from '../lot-fate.service';
import { LotLineageService } from '../lot-lineage.service';
import { LotReadService } from '../lot-read.service';
import { LotsService } from '../lots.service';
import {
  ConsolidateLotsInput,
  GenerateLotsInput,
  HandOverExemptInput,
  LotFilter,
  RecordLossInput,
  SplitLotInput,
  StoreLotInput,
  TreatLotsInput,
} from './lot.inputs';
import { ExemptionEntryObject, LotConnection, LotFateObject, LotLabelObject, LotObject } from './lot.objects';

@ObjectType('LotTreatment', { description: '利用 / 处置 — the treated lots and the residue lots it made.' })
export class LotTreatmentObject {
  @Field(() => [LotObject]) lots!: LotObject[];
  @Field(() => [LotObject]) residues!: LotObject[];
}

@Resolver(() => LotObject)
export class LotResolver {
  constructor(
    private readonly acts: LotsService,
    private readonly lineage: LotLineageService,
    private readonly read: LotReadService,
    private readonly fates: LotFateService,
    private readonly labels: LabelService,
    private readonly facts: LotFactsService,
  ) {}

  @Mutation(() => [LotObject], {
    description:
      '产生 — record containers generated at a facility of your party (or of the producer you are agent for); each becomes a lot with a label code, all sharing a batch code.',
  })
  async generateLots(@Args('input') input: GenerateLotsInput, @CurrentPrincipal() who: Promise<Principal>) {
    return this.read.written(await this.acts.generateLots(await who, input));
  }

  @Mutation(() => LotObject, {
    description:
      '贮存 — store a lot in a facility of its site, or move it within the site (the storage clock keeps running).',
  })
  async storeLot(@Args('input') input: StoreLotInput, @CurrentPrincipal() who: Promise<Principal>) {
    return (await this.read.written([await this.acts.storeLot(await who, input)]))[0];
  }

  @Mutation(() => [LotObject], {
    description:
      '豁免交接 — exemption #2: a clinic with ≤ 19 beds hands its medical waste to its township health centre without a manifest (not during a declared major epidemic).',
  })
  async handOverExempt(
    @Args('input') input: HandOverExemptInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    return this.read.written(await this.acts.handOverExempt(await who, input));
  }

  @Mutation(() => LotObject, {
    description:
      '合并、重新包装 — merge STORED lots into a new lot; its mass must match the sum within LOT_CONSOLIDATION_TOLERANCE_PERCENT (MASS_MISMATCH), the difference is booked.',
  })
  async consolidateLots(
    @Args('input') input: ConsolidateLotsInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    return (await this.read.written([await this.lineage.consolidateLots(await who, input)]))[0];
  }

  @Mutation(() => [LotObject], {
    description: '分装 — split a STORED lot into new lots; they inherit its clock.',
  })
  async splitLot(@Args('input') input: SplitLotInput, @CurrentPrincipal() who: Promise<Principal>) {
    return this.read.written(await this.lineage.splitLot(await who, input));
  }

  @Mutation(() => LotTreatmentObject, {
    description:
      '利用 / 处置 — treat lots by a Basel method (D1–D15, R1–R13) under a licence item with that mode (LICENCE_MODE_MISSING otherwise) or at your own treatment facility; residues become lots.',
  })
  async treatLots(@Args('input') input: TreatLotsInput, @CurrentPrincipal() who: Promise<Principal>) {
    const r = await this.lineage.treatLots(await who, input);
    return { lots: await this.read.written(r.lotIds), residues: await this.read.written(r.residueLotIds) };
  }

  @Mutation(() => LotObject, {
    description:
      '损失 — record a spill, evaporation or theft (part of the mass, or all of it); always alerted (LOT_LOSS).',
  })
  async recordLoss(@Args('input') input: RecordLossInput, @CurrentPrincipal() who: Promise<Principal>) {
    return (await this.read.written([await this.acts.recordLoss(await who, input)]))[0];
  }

  @Query(() => LotObject, {
    description: 'A lot you may see (held, produced, or named in its history; regulators: by site).',
  })
  async lot(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() who: Promise<Principal>) {
    return this.read.lot(await who, id);
  }

  @Query(() => LotObject, {
    description:
      'A scanned or typed label code (case, spaces, O/0 and I/L/1 forgiven; check character verified).',
  })
  async lotByLabel(@Args('code') code: string, @CurrentPrincipal() who: Promise<Principal>) {
    return this.read.byLabel(await who, code);
  }

  @Query(() => LotConnection, { description: 'Lots you may see, oldest first, with cursor pagination.' })
  async lots(
    @CurrentPrincipal() who: Promise<Principal>,
    @Args() page: PageArgs,
    @Args('filter', { type: () => LotFilter, nullable: true }) filter?: LotFilter,
  ) {
    return this.read.list(await who, filter ?? {}, page.first, page.after);
  }

  @Query(() => [LedgerEventObject], { description: 'The events of a lot (its ledger stream), oldest first.' })
  async lotHistory(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() who: Promise<Principal>) {
    return this.read.history(await who, id);
  }

  @Query(() => LotFateObject, {
    description: '最终去向 — where every gram of a lot ended, through consolidations and splits.',
  })
  async lotFate(
    @Args('lotId', { type: () => ID }) lotId: string,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    return this.fates.fate(await who, lotId);
  }

  @Query(() => [ExemptionEntryObject], {
    description: '危险废物豁免管理清单 — the exemption entries the product applies.',
  })
  async exemptionEntries(): Promise<ExemptionEntryObject[]> {
    return (await this.facts.allExemptions()).map((e) => ({
      entryNo: e.entryNo,
      stage: e.stage,
      wasteScope: [...e.wasteScope],
      maxBeds: e.condition.maxBeds ?? null,
      partyTypes: [...(e.condition.partyTypes ?? [])],
      suspendedDuringEpidemic: e.suspendedDuringEpidemic,
      contentZh: e.contentZh,
      source: e.source,
    }));
  }

  @ResolveField(() => LotLabelObject, {
    description: '标签 — the label data, its QR payload and the path of its SVG.',
  })
  async label(@Parent() lot: LotObject): Promise<LotLabelObject> {
    const row = await this.read.row(lot.id);
    if (!row) throw notFound('lot');
    return this.labels.label(row);
  }
}
