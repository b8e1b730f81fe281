import { Injectable } from '@nestjs/common';
import { AttemptLogService } from '../ledger/attempt-log.service';
import type { LedgerTransaction } from '../ledger/ledger-transaction';
import { LedgerService } from '../ledger/ledger.service';
import type { Principal } from '../shared/auth/principal';
import { Clock } from '../shared/clock';
import { isDomainError, type ErrorCode } from '../shared/domain/domain-error';
import type { CarrierCheck, HandoverCodeFact, ManifestEvent } from './domain';
import { HandoverCodeService } from './handover-code.service';
import { ManifestAccess } from './manifest-access';
import { ManifestFactsService } from './manifest-facts.service';
import { envelope, withInputFieldsAsync } from './manifest-input';
import { type LoadedManifest, ManifestLedger } from './manifest-ledger';
import { ManifestReservations } from './manifest-reservations';

/** A custody act (承运人 and 接受人 handovers), as the online mutations and the offline batch give it. */
export type CustodyAct =
  | {
      readonly act: 'takeCustody';
      readonly manifestId: string;
      readonly scannedLabels: readonly string[];
      readonly pickupMasses?: readonly { readonly labelCode: string; readonly grams: number }[];
      readonly handoverCode: string | null;
      readonly shipperLoadingCheckPassed: boolean;
      readonly place?: string | null;
    }
  | {
      readonly act: 'refuseContainer';
      readonly manifestId: string;
      readonly lotId: string;
      readonly reason: string;
    }
  | {
      readonly act: 'relay';
      readonly manifestId: string;
      readonly scannedLabels: readonly string[];
      readonly place: string;
    }
  | {
      readonly act: 'deliver';
      readonly manifestId: string;
      readonly receiverPartyId?: string | null;
      readonly place?: string | null;
    };

/** What a custody act appended on the manifest stream. */
export interface CustodyOutcome {
  readonly manifestId: string;
  readonly eventTypes: string[];
  /** An offline act recorded as disputed (with a reconciliation alert). */
  readonly disputed: boolean;
}

/** Refusals that are not attempts at custody: malformed input, retries, outages, unknown records. */
const NOT_ATTEMPTS: readonly ErrorCode[] = [
  'BAD_USER_INPUT',
  'IDEMPOTENCY_KEY_REUSED',
  'CONFLICT',
  'SERVICE_UNAVAILABLE',
  'NOT_FOUND',
  'UNAUTHENTICATED',
];

const disputedIn = (events: readonly ManifestEvent[]): boolean =>
  events.some((e) => e.type === 'DisputedScanRecorded' || ('disputed' in e.data && e.data.disputed === true));

/**
 * 交接 — the custody acts of a transfer: the first carrier takes custody (loading check, every
 * label scanned, the one-time handover code; permit, vehicle and certificates checked again now),
 * refuses a container before departure, relays to the next leg's carrier (联运), delivers to the
 * named receiver. Each act moves the manifest and every lot on it in ONE ledger transaction.
 * Online, a refused attempt is written to the attempt log; offline (synced later) what happened is
 * recorded, disputed when a rule failed (see `OfflineScanService`).
 */
@Injectable()
export class ManifestCustodyService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly manifests: ManifestLedger,
    private readonly facts: ManifestFactsService,
    private readonly access: ManifestAccess,
    private readonly codes: HandoverCodeService,
    private readonly reservations: ManifestReservations,
    private readonly attempts: AttemptLogService,
    private readonly clock: Clock,
  ) {}

  /** An act made online now (or at `occurredAt`, on site): refused when a rule forbids it. */
  async online(
    who: Principal,
    input: { idempotencyKey: string; occurredAt?: Date },
    act: CustodyAct,
  ): Promise<CustodyOutcome> {
    const at = input.occurredAt ?? this.clock.now();
    const acting = await this.facts.acting(who, null, at);
    const scope = await this.access.assertParty(acting, act.manifestId);
    const code = await this.handoverFact(act, at, true);
    try {
      return await this.ledger.execute(envelope(act.act, acting.actor, input, input.occurredAt), (tx) =>
        this.apply(tx, act, code),
      );
    } catch (e) {
      if (isDomainError(e) && !NOT_ATTEMPTS.includes(e.code)) {
        await this.attempts.record({
          actor: acting.actor,
          act: act.act,
          targetType: 'manifest',
          targetId: act.manifestId,
          error: e,
          occurredAt: at,
          partyIds: [...new Set([...scope.partyIds, acting.ownPartyId])],
          region: scope.divisionCodes[0] ?? null,
        });
      }
      throw e;
    }
  }

  /**
   * The handover code's verdict, checked before the command in its own transaction (a wrong try
   * counts even though the command is refused; offline tries are judged, not counted).
   */
  async handoverFact(act: CustodyAct, at: Date, countTry: boolean): Promise<HandoverCodeFact | null> {
    if (act.act !== 'takeCustody') return null;
    return this.codes.verify(act.manifestId, act.handoverCode, at, countTry);
  }

  /** The ledger handler of an act (online or offline: `tx.meta().offline` tells). */
  async apply(
    tx: LedgerTransaction,
    act: CustodyAct,
    code: HandoverCodeFact | null,
  ): Promise<CustodyOutcome> {
    const m = await this.manifests.existing(tx, act.manifestId);
    let emitted: readonly ManifestEvent[];
    switch (act.act) {
      case 'takeCustody':
        emitted = await this.takeCustody(tx, m, act, code ?? { result: 'INVALID', triesLeft: 0 });
        break;
      case 'refuseContainer':
        emitted = await this.refuseContainer(tx, m, act);
        break;
      case 'relay':
        emitted = await this.relay(tx, m, act);
        break;
      case 'deliver':
        emitted = await this.deliver(tx, m, act);
        break;
    }
    return {
      manifestId: act.manifestId,
      eventTypes: emitted.map((e) => e.type),
      disputed: disputedIn(emitted),
    };
  }

  private async takeCustody(
    tx: LedgerTransaction,
    m: LoadedManifest,
    act: Extract<CustodyAct, { act: 'takeCustody' }>,
    code: HandoverCodeFact,
  ): Promise<readonly ManifestEvent[]> {
    const s = m.state;
    const leg = s.status === 'NONE' ? null : s.content.legs[0];
    const carrierCheck: CarrierCheck =
      leg && s.status === 'SUBMITTED'
        ? await this.facts.carrierCheck(
            leg,
            1,
            s.content.lots.map((l) => l.wasteCode),
            tx.occurredAt,
          )
        : { ok: true };
    const change = await withInputFieldsAsync(() =>
      this.manifests.decide(tx, m, {
        type: 'TakeCustody',
        data: {
          manifestId: act.manifestId,
          scannedLabels: act.scannedLabels,
          pickupMasses: act.pickupMasses,
          shipperLoadingCheckPassed: act.shipperLoadingCheckPassed,
          handoverCode: code,
          carrierCheck,
          place: act.place ?? null,
        },
        meta: tx.meta(),
      }),
    );
    for (const e of change.emitted) {
      if (e.type !== 'CustodyTaken' || !leg) continue;
      const d = e.data;
      const lots = await this.manifests.loadLots(tx, d.carriedLotIds);
      await this.manifests.onLots(tx, lots, (l, meta) => ({
        type: 'TakeLotCustody',
        data: {
          lotId: l.lotId,
          manifestId: act.manifestId,
          pickupMassGrams: d.pickupMasses.find((p) => p.lotId === l.lotId)?.grams ?? null,
          facts: { disputeReasons: d.disputeReasons.map((r) => r.code), namedCarrierPartyId: leg.carrierId },
        },
        meta,
      }));
      if (d.handoverCodeId) await this.codes.markUsed(tx, d.handoverCodeId);
    }
    return change.emitted;
  }

  private async refuseContainer(
    tx: LedgerTransaction,
    m: LoadedManifest,
    act: Extract<CustodyAct, { act: 'refuseContainer' }>,
  ): Promise<readonly ManifestEvent[]> {
    const change = await withInputFieldsAsync(() =>
      this.manifests.decide(tx, m, {
        type: 'RefuseContainer',
        data: { manifestId: act.manifestId, lotId: act.lotId, reason: act.reason },
        meta: tx.meta(),
      }),
    );
    const before = change.before;
    for (const e of change.emitted) {
      if (e.type !== 'ContainerRefused' || before.status === 'NONE') continue;
      const lots = await this.manifests.loadLots(tx, [e.data.lotId]);
      await this.manifests.onLots(tx, lots, (l, meta) => ({
        type: 'RefuseLotAtLoading',
        data: {
          lotId: l.lotId,
          manifestId: act.manifestId,
          reason: act.reason,
          facts: { namedCarrierPartyId: e.data.carrierId },
        },
        meta,
      }));
      await this.reservations.release(
        tx,
        before,
        before.content.lots.filter((l) => l.lotId === e.data.lotId),
      );
    }
    return change.emitted;
  }

  private async relay(
    tx: LedgerTransaction,
    m: LoadedManifest,
    act: Extract<CustodyAct, { act: 'relay' }>,
  ): Promise<readonly ManifestEvent[]> {
    const s = m.state;
    const next = s.status === 'IN_TRANSIT' ? s.content.legs[s.currentLeg] : undefined;
    const carrierCheck: CarrierCheck =
      next && s.status === 'IN_TRANSIT'
        ? await this.facts.carrierCheck(
            next,
            s.currentLeg + 1,
            s.content.lots.map((l) => l.wasteCode),
            tx.occurredAt,
          )
        : { ok: true };
    const change = await withInputFieldsAsync(() =>
      this.manifests.decide(tx, m, {
        type: 'RelayCustody',
        data: {
          manifestId: act.manifestId,
          scannedLabels: act.scannedLabels,
          place: act.place,
          carrierCheck,
        },
        meta: tx.meta(),
      }),
    );
    for (const e of change.emitted) {
      if (e.type !== 'CustodyRelayed') continue;
      const d = e.data;
      const lots = await this.manifests.loadLots(tx, d.carriedLotIds);
      await this.manifests.onLots(tx, lots, (l, meta) => ({
        type: 'RelayLot',
        data: {
          lotId: l.lotId,
          manifestId: act.manifestId,
          place: d.place,
          facts: { disputeReasons: d.disputeReasons.map((r) => r.code), nextCarrierPartyId: d.toCarrierId },
        },
        meta,
      }));
    }
    return change.emitted;
  }

  private async deliver(
    tx: LedgerTransaction,
    m: LoadedManifest,
    act: Extract<CustodyAct, { act: 'deliver' }>,
  ): Promise<readonly ManifestEvent[]> {
    const s = m.state;
    const named = s.status === 'NONE' ? null : s.content.receiverId;
    const change = await withInputFieldsAsync(() =>
      this.manifests.decide(tx, m, {
        type: 'DeliverManifest',
        data: {
          manifestId: act.manifestId,
          receiverId: act.receiverPartyId ?? named ?? '',
          place: act.place ?? null,
        },
        meta: tx.meta(),
      }),
    );
    for (const e of change.emitted) {
      if (e.type !== 'ManifestDelivered' || s.status === 'NONE') continue;
      const lots = await this.manifests.loadLots(tx, s.carriedLotIds);
      await this.manifests.onLots(tx, lots, (l, meta) => ({
        type: 'DeliverLot',
        data: {
          lotId: l.lotId,
          manifestId: act.manifestId,
          receiverPartyId: e.data.receiverId,
          facts: {
            namedReceiverPartyId: s.content.receiverId,
            namedReceiverSiteId: s.content.endPoint.siteId,
          },
        },
        meta,
      }));
    }
    return change.emitted;
  }
}
