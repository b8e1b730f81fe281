import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { LedgerEventObject } from '../../ledger/graphql/ledger.objects';
import { CurrentPrincipal } from '../../shared/auth/current-principal.decorator';
import type { Principal } from '../../shared/auth/principal';
import { PageArgs } from '../../shared/graphql/pagination';
import { LocalDateScalar } from '../../shared/graphql/scalars';
import { CollectionRoundsService } from '../collection-rounds.service';
import { ManifestCustodyService } from '../manifest-custody.service';
import { ManifestDraftingService, type SubmitOutcome } from '../manifest-drafting.service';
import { ManifestReadService } from '../manifest-read.service';
import { ManifestReceiptService } from '../manifest-receipt.service';
import { ManifestRecordsService } from '../manifest-records.service';
import { ManifestTurnService } from '../manifest-turn.service';
import { OfflineScanService } from '../offline-scans.service';
import {
  AmendManifestDraftInput,
  AnswerCorrectionInput,
  CancelManifestInput,
  DeliverManifestInput,
  DraftManifestInput,
  EnterPaperManifestInput,
  ManifestFilter,
  ManifestRefInput,
  PlanCollectionRoundInput,
  RecordReceiptInput,
  RefuseContainerInput,
  RelayCustodyInput,
  ReportNationalNumberInput,
  RequestCorrectionInput,
  SubmitManifestInput,
  SubmitScansInput,
  TakeCustodyInput,
} from './manifest.inputs';
import {
  CollectionRoundObject,
  CustodyAttemptObject,
  DriverAssignmentsObject,
  ManifestAllowedActionsObject,
  ManifestConnection,
  ManifestObject,
  ScanOutcomeObject,
  SubmitManifestPayload,
} from './manifest.objects';

/** 电子转移联单 — thin resolvers: map arguments, name the caller, call the services. */
@Resolver()
export class ManifestResolver {
  constructor(
    private readonly drafting: ManifestDraftingService,
    private readonly custody: ManifestCustodyService,
    private readonly receipts: ManifestReceiptService,
    private readonly records: ManifestRecordsService,
    private readonly scans: OfflineScanService,
    private readonly rounds: CollectionRoundsService,
    private readonly turns: ManifestTurnService,
    private readonly read: ManifestReadService,
  ) {}

  private async payload(who: Principal, r: SubmitOutcome): Promise<SubmitManifestPayload> {
    return { manifest: await this.read.manifest(who, r.manifestId), handoverCode: r.handoverCode };
  }

  @Mutation(() => ManifestObject, {
    description: '起草 — draft a manifest (移出人, or its agent); numbered HL-<year>-<city>-<serial>.',
  })
  async draftManifest(@Args('input') input: DraftManifestInput, @CurrentPrincipal() who: Promise<Principal>) {
    const p = await who;
    return this.read.manifest(p, await this.drafting.draft(p, input));
  }

  @Mutation(() => ManifestObject, { description: 'Change fields of a DRAFT.' })
  async amendManifestDraft(
    @Args('input') input: AmendManifestDraftInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    await this.drafting.amend(p, input);
    return this.read.manifest(p, input.manifestId);
  }

  @Mutation(() => SubmitManifestPayload, {
    description:
      '提交 — lots, receiver licence and capacity (reserved), carriers, plan and cross-province approval (reserved) checked; the lots are reserved and a one-time handover code (交接码) is issued, shown once.',
  })
  async submitManifest(
    @Args('input') input: SubmitManifestInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    return this.payload(p, await this.drafting.submit(p, input));
  }

  @Mutation(() => SubmitManifestPayload, {
    description: '交接码 — the consignor issues a new code; the previous one stops working.',
  })
  async reissueHandoverCode(
    @Args('input') input: ManifestRefInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    return this.payload(p, await this.drafting.reissueHandoverCode(p, input));
  }

  @Mutation(() => ManifestObject, {
    description: '作废 — cancel before custody is taken; lots and reservations are released.',
  })
  async cancelManifest(
    @Args('input') input: CancelManifestInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    await this.drafting.cancel(p, input);
    return this.read.manifest(p, input.manifestId);
  }

  @Mutation(() => ManifestObject, {
    description: 'The 14-digit number the national system gave the manifest.',
  })
  async reportNationalNumber(
    @Args('input') input: ReportNationalNumberInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    await this.drafting.reportNationalNumber(p, input);
    return this.read.manifest(p, input.manifestId);
  }

  @Mutation(() => ManifestObject, {
    description:
      '交接 — the first carrier (承运人) takes custody: loading check, every label, the handover code; permit, vehicle and certificates checked now. Refusals go to the attempt log.',
  })
  async takeCustody(@Args('input') input: TakeCustodyInput, @CurrentPrincipal() who: Promise<Principal>) {
    const p = await who;
    await this.custody.online(p, input, {
      act: 'takeCustody',
      manifestId: input.manifestId,
      scannedLabels: input.scannedLabels,
      pickupMasses: (input.pickupMasses ?? []).map((m) => ({ labelCode: m.labelCode, grams: m.mass })),
      handoverCode: input.handoverCode,
      shipperLoadingCheckPassed: input.shipperLoadingCheckPassed,
      place: input.place ?? null,
    });
    return this.read.manifest(p, input.manifestId);
  }

  @Mutation(() => ManifestObject, {
    description: 'The first carrier refuses a container before departure; it stays with the consignor.',
  })
  async refuseContainer(
    @Args('input') input: RefuseContainerInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    await this.custody.online(p, input, {
      act: 'refuseContainer',
      manifestId: input.manifestId,
      lotId: input.lotId,
      reason: input.reason,
    });
    return this.read.manifest(p, input.manifestId);
  }

  @Mutation(() => ManifestObject, {
    description: '联运 — the next leg’s carrier takes custody from the previous one.',
  })
  async relayCustody(@Args('input') input: RelayCustodyInput, @CurrentPrincipal() who: Promise<Principal>) {
    const p = await who;
    await this.custody.online(p, input, {
      act: 'relay',
      manifestId: input.manifestId,
      scannedLabels: input.scannedLabels,
      place: input.place,
    });
    return this.read.manifest(p, input.manifestId);
  }

  @Mutation(() => ManifestObject, {
    description: '送达 — the last carrier or the named receiver (接受人) records the handover.',
  })
  async deliverManifest(
    @Args('input') input: DeliverManifestInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    await this.custody.online(p, input, {
      act: 'deliver',
      manifestId: input.manifestId,
      receiverPartyId: input.receiverPartyId ?? null,
      place: input.place ?? null,
    });
    return this.read.manifest(p, input.manifestId);
  }

  @Mutation(() => ManifestObject, {
    description:
      '接收 — per lot: measured mass and ACCEPTED / PARTIALLY_ACCEPTED / REJECTED. Late confirmation and discrepancies are recorded and alerted.',
  })
  async recordReceipt(@Args('input') input: RecordReceiptInput, @CurrentPrincipal() who: Promise<Principal>) {
    const p = await who;
    await this.receipts.recordReceipt(p, input);
    return this.read.manifest(p, input.manifestId);
  }

  @Mutation(() => ManifestObject, { description: '办结 — close once every lot’s fate is settled.' })
  async closeManifest(@Args('input') input: ManifestRefInput, @CurrentPrincipal() who: Promise<Principal>) {
    const p = await who;
    await this.receipts.close(p, input);
    return this.read.manifest(p, input.manifestId);
  }

  @Mutation(() => ManifestObject, {
    description: '更正 — ask the other parties to approve a correction (at most one pending).',
  })
  async requestCorrection(
    @Args('input') input: RequestCorrectionInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    await this.records.requestCorrection(p, input);
    return this.read.manifest(p, input.manifestId);
  }

  @Mutation(() => ManifestObject, {
    description: 'Approve the pending correction; the last approval appends it.',
  })
  async approveCorrection(
    @Args('input') input: AnswerCorrectionInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    await this.records.answerCorrection(p, input, true);
    return this.read.manifest(p, input.manifestId);
  }

  @Mutation(() => ManifestObject, { description: 'Refuse the pending correction, with a reason.' })
  async refuseCorrection(
    @Args('input') input: AnswerCorrectionInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    await this.records.answerCorrection(p, input, false);
    return this.read.manifest(p, input.manifestId);
  }

  @Mutation(() => ManifestObject, {
    description:
      '纸质联单补录 — enter a trip run on paper during an outage; after 10 working days it is accepted and alerted.',
  })
  async enterPaperManifest(
    @Args('input') input: EnterPaperManifestInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    return this.read.manifest(p, await this.records.enterPaperManifest(p, input));
  }

  @Mutation(() => [ScanOutcomeObject], {
    description:
      '离线同步 — custody acts made offline; one result per act (APPLIED, DUPLICATE, DISPUTED, REFUSED).',
  })
  async submitScans(@Args('input') input: SubmitScansInput, @CurrentPrincipal() who: Promise<Principal>) {
    return this.scans.submit(await who, input);
  }

  @Mutation(() => CollectionRoundObject, {
    description: '集中收集 — plan a round of your producers’ manifests on one vehicle.',
  })
  async planCollectionRound(
    @Args('input') input: PlanCollectionRoundInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    return this.rounds.round(p, await this.rounds.plan(p, input));
  }

  @Query(() => ManifestObject, { description: 'A manifest you are named on (regulators: by its sites).' })
  async manifest(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() who: Promise<Principal>) {
    return this.read.manifest(await who, id);
  }

  @Query(() => ManifestObject, { description: 'By HazLedger number (HL-…) or the 14-digit national number.' })
  async manifestByNumber(@Args('number') number: string, @CurrentPrincipal() who: Promise<Principal>) {
    return this.read.byNumber(await who, number);
  }

  @Query(() => ManifestConnection, {
    description: 'Manifests you may see, oldest first, with cursor pagination.',
  })
  async manifests(
    @CurrentPrincipal() who: Promise<Principal>,
    @Args() page: PageArgs,
    @Args('filter', { type: () => ManifestFilter, nullable: true }) filter?: ManifestFilter,
  ) {
    return this.read.list(await who, filter ?? {}, page.first, page.after);
  }

  @Query(() => ManifestAllowedActionsObject, {
    description: 'Whose turn it is, and what you may do now (and why not).',
  })
  async allowedActions(
    @Args('manifestId', { type: () => ID }) manifestId: string,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    return this.turns.allowedActions(await who, manifestId);
  }

  @Query(() => [LedgerEventObject], {
    description: 'The manifest’s full history (its ledger stream), oldest first.',
  })
  async manifestHistory(
    @Args('manifestId', { type: () => ID }) manifestId: string,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    return this.read.history(await who, manifestId);
  }

  @Query(() => [CustodyAttemptObject], { description: '拒绝记录 — refused custody attempts on a manifest.' })
  async custodyAttempts(
    @Args('manifestId', { type: () => ID }) manifestId: string,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    return this.read.attempts(await who, manifestId);
  }

  @Query(() => DriverAssignmentsObject, {
    description: '派车 — rounds and open manifests of your party as a carrier, for the device.',
  })
  async driverAssignments(
    @CurrentPrincipal() who: Promise<Principal>,
    @Args('from', {
      type: () => LocalDateScalar,
      nullable: true,
      description: 'From this day on (default today).',
    })
    from?: string,
  ) {
    return this.rounds.assignments(await who, from);
  }

  @Query(() => CollectionRoundObject, { description: 'A collection round your party plans or drives.' })
  async collectionRound(
    @Args('id', { type: () => ID }) id: string,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    return this.rounds.round(await who, id);
  }
}
