import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decideOn } from '../ledger/decide';
import { LedgerService } from '../ledger/ledger.service';
import { notFound, ownParty } from '../shared/auth/access-policy';
import type { Principal } from '../shared/auth/principal';
import { Clock } from '../shared/clock';
import { DomainError } from '../shared/domain/domain-error';
import { uuidv7 } from '../shared/ids';
import { shanghaiDate } from '../shared/domain/time';
import { collectionRoundDecider, type ActiveManifest, type PlanCollectionRound } from './domain';
import type { PlanCollectionRoundInput } from './graphql/manifest.inputs';
import type {
  AssignedManifestObject,
  CollectionRoundObject,
  DriverAssignmentsObject,
  TransferPointObject,
} from './graphql/manifest.objects';
import { HandoverCodeService } from './handover-code.service';
import { ManifestFactsService } from './manifest-facts.service';
import { envelope, withInputFieldsAsync } from './manifest-input';
import { ManifestReadService } from './manifest-read.service';
import { MANIFEST_DELEGATION_SCOPE, ROUND_STREAM, roundStream } from './manifest-streams';

interface RoundRow {
  round_id: string;
  collector_party_id: string;
  carrier_party_id: string;
  vehicle_id: string;
  driver_id: string;
  escort_id: string;
  receiver_party_id: string;
  receiver_site_id: string;
  planned_date: string;
}

/** What a driver's device checks offline, and what only the server checks at sync. */
const OFFLINE_CHECKS = [
  'LABELS_EQUAL_EXPECTED',
  'HANDOVER_CODE_FORMAT_8_DIGITS',
  'HANDOVER_CODE_NOT_EXPIRED',
  'VEHICLE_OF_THE_LEG',
];
const CHECKED_AT_SYNC = [
  'HANDOVER_CODE',
  'MANIFEST_STATE',
  'CARRIER_PERMIT_VEHICLE_CERTIFICATES',
  'LOTS_ON_MANIFEST',
];

/**
 * 集中收集 — collection rounds (SPEC section 8): a collector, as agent of its small producers,
 * plans one vehicle trip visiting them in order; each producer's manifest names the round. The
 * driver's device pulls its assignments before leaving: rounds, stops in order, each manifest's
 * expected labels and the checks it can make offline.
 */
@Injectable()
export class CollectionRoundsService {
  constructor(
    private readonly db: DataSource,
    private readonly ledger: LedgerService,
    private readonly facts: ManifestFactsService,
    private readonly read: ManifestReadService,
    private readonly codes: HandoverCodeService,
    private readonly clock: Clock,
  ) {}

  async plan(who: Principal, input: PlanCollectionRoundInput): Promise<string> {
    if (who.kind === 'ANONYMOUS') throw new DomainError('UNAUTHENTICATED', 'sign in first');
    const actor = who.actor;
    const collector = ownParty(who);
    const carrierPartyId = input.carrierPartyId ?? collector;
    await this.facts.leg(
      { carrierPartyId, vehicleId: input.vehicleId, driverId: input.driverId, escortId: input.escortId },
      'input',
    );
    const destination = await this.facts.siteFor(collector, input.receiverSiteId, 'input.receiverSiteId');
    const stops: { consignorPartyId: string; siteId: string }[] = [];
    for (const [i, st] of input.stops.entries()) {
      const field = `input.stops.${i}`;
      if (!(await this.facts.party(st.consignorPartyId)))
        throw DomainError.badInput(`${field}.consignorPartyId`, `${field}: no such party`);
      if (
        !(await this.facts.delegationHolds(
          st.consignorPartyId,
          collector,
          new Date(`${input.plannedDate}T04:00:00Z`),
        ))
      ) {
        throw new DomainError(
          'FORBIDDEN',
          `${field}: that producer has not delegated ${MANIFEST_DELEGATION_SCOPE} to your party`,
          {
            field: `${field}.consignorPartyId`,
          },
        );
      }
      const site = await this.facts.siteFor(st.consignorPartyId, st.siteId, `${field}.siteId`);
      stops.push({ consignorPartyId: st.consignorPartyId, siteId: site.siteId });
    }
    const roundId = uuidv7();
    const r = await this.ledger.execute(envelope('planCollectionRound', actor, input), async (tx) => {
      await withInputFieldsAsync(() =>
        decideOn(tx, roundStream(roundId), ROUND_STREAM, collectionRoundDecider, (): PlanCollectionRound => ({
          type: 'PlanCollectionRound',
          data: {
            roundId,
            collectorPartyId: collector,
            carrierPartyId,
            vehicleId: input.vehicleId,
            driverId: input.driverId,
            escortId: input.escortId,
            receiverPartyId: collector,
            receiverSiteId: destination.siteId,
            plannedDate: input.plannedDate,
            stops,
          },
          meta: tx.meta(),
        })),
      );
      return { roundId };
    });
    return r.roundId;
  }

  async round(who: Principal, roundId: string): Promise<CollectionRoundObject> {
    const [row] = await this.rounds(`round_id = $1`, [roundId]);
    const own = ownParty(who);
    if (!row || (row.collector_party_id !== own && row.carrier_party_id !== own))
      throw notFound('collection round');
    return (await this.toRounds([row], own)).rounds[0];
  }

  /** 派车单 — the rounds and open manifests of the caller's party as a carrier, from a day on (default today). */
  async assignments(who: Principal, from?: string): Promise<DriverAssignmentsObject> {
    const carrier = ownParty(who);
    const day = from ?? shanghaiDate(this.clock.now());
    const rows = await this.rounds(`carrier_party_id = $1 AND planned_date >= $2::date`, [carrier, day]);
    const open = await this.db.query<{ manifest_id: string }[]>(
      `SELECT m.manifest_id FROM manifest m
        WHERE m.status IN ('SUBMITTED', 'IN_TRANSIT') AND m.round_id IS NULL
          AND EXISTS (SELECT 1 FROM manifest_party p WHERE p.manifest_id = m.manifest_id AND p.party_id = $1 AND p.role = 'CARRIER')
        ORDER BY m.planned_date, m.manifest_id LIMIT 200`,
      [carrier],
    );
    const states = await this.read.states(open.map((o) => o.manifest_id));
    const { rounds, manifests } = await this.toRounds(rows, carrier);
    for (const o of open) {
      const s = states.get(o.manifest_id);
      if (s) manifests.push(await this.assigned(s, carrier, await this.names([s]), null));
    }
    return { carrierPartyId: carrier, rounds, manifests };
  }

  private rounds(condition: string, params: unknown[]): Promise<RoundRow[]> {
    return this.db.query<RoundRow[]>(
      `SELECT round_id, collector_party_id, carrier_party_id, vehicle_id, driver_id, escort_id, receiver_party_id,
              receiver_site_id, to_char(planned_date, 'YYYY-MM-DD') AS planned_date
         FROM collection_round WHERE ${condition} ORDER BY planned_date, round_id LIMIT 100`,
      params,
    );
  }

  /** Rounds with their stops in order, and the assignments of their manifests. */
  private async toRounds(
    rows: readonly RoundRow[],
    carrier: string,
  ): Promise<{ rounds: CollectionRoundObject[]; manifests: AssignedManifestObject[] }> {
    const out: CollectionRoundObject[] = [];
    const assignments: AssignedManifestObject[] = [];
    for (const r of rows) {
      const stops = await this.db.query<{ stop_no: number; consignor_party_id: string; site_id: string }[]>(
        `SELECT stop_no, consignor_party_id, site_id FROM collection_round_stop WHERE round_id = $1 ORDER BY stop_no`,
        [r.round_id],
      );
      const ids = await this.db.query<{ manifest_id: string; consignor_party_id: string }[]>(
        `SELECT manifest_id, consignor_party_id FROM manifest WHERE round_id = $1 AND status <> 'CANCELLED' ORDER BY manifest_id`,
        [r.round_id],
      );
      const states = await this.read.states(ids.map((i) => i.manifest_id));
      const all = [...states.values()];
      const names = await this.names(all, [
        r.collector_party_id,
        r.carrier_party_id,
        ...stops.map((s) => s.consignor_party_id),
      ]);
      const destination = await this.point(r.receiver_site_id);
      const roundStops = [];
      for (const st of stops) {
        const mine = all.filter(
          (s) =>
            s.content.consignorId === st.consignor_party_id && s.content.startPoint.siteId === st.site_id,
        );
        for (const s of mine)
          assignments.push(
            await this.assigned(s, carrier, names, { roundId: r.round_id, stopNo: st.stop_no }),
          );
        roundStops.push({
          stopNo: st.stop_no,
          consignor: { id: st.consignor_party_id, name: names.get(st.consignor_party_id) ?? null },
          site: await this.point(st.site_id),
          manifestIds: mine.map((s) => s.manifestId),
        });
      }
      out.push({
        id: r.round_id,
        collector: { id: r.collector_party_id, name: names.get(r.collector_party_id) ?? null },
        carrier: { id: r.carrier_party_id, name: names.get(r.carrier_party_id) ?? null },
        vehicleId: r.vehicle_id,
        driverId: r.driver_id,
        escortId: r.escort_id,
        plannedDate: r.planned_date,
        destination,
        stops: roundStops,
      });
    }
    return { rounds: out, manifests: assignments };
  }

  private names(
    states: readonly ActiveManifest[],
    more: readonly string[] = [],
  ): Promise<Map<string, string>> {
    return this.facts.partyNames([
      ...states.flatMap((s) => [s.content.consignorId, s.content.receiverId]),
      ...more,
    ]);
  }

  private async point(siteId: string): Promise<TransferPointObject> {
    const [s] = await this.db.query<{ division_code: string; address: string }[]>(
      `SELECT division_code, address FROM party_site WHERE site_id = $1`,
      [siteId],
    );
    return { siteId, divisionCode: s?.division_code ?? '', address: s?.address ?? '' };
  }

  /** One manifest as a driver's device needs it: what to do next, what to scan, what it can check offline. */
  private async assigned(
    s: ActiveManifest,
    carrier: string,
    names: Map<string, string>,
    stop: { roundId: string; stopNo: number } | null,
  ): Promise<AssignedManifestObject> {
    const c = s.content;
    const legs = c.legs;
    const nextAct =
      s.status === 'SUBMITTED' && legs[0].carrierId === carrier
        ? 'TAKE_CUSTODY'
        : s.status === 'IN_TRANSIT' && s.currentLeg < legs.length && legs[s.currentLeg].carrierId === carrier
          ? 'RELAY'
          : s.status === 'IN_TRANSIT' &&
              s.currentLeg === legs.length &&
              legs[legs.length - 1].carrierId === carrier
            ? 'DELIVER'
            : 'NONE';
    const onVehicle =
      s.status === 'IN_TRANSIT' ? c.lots.filter((l) => s.carriedLotIds.includes(l.lotId)) : c.lots;
    const code = s.status === 'SUBMITTED' ? await this.codes.liveCode(s.manifestId) : null;
    return {
      manifestId: s.manifestId,
      number: c.hazledgerNumber,
      status: s.status,
      roundId: stop?.roundId ?? null,
      stopNo: stop?.stopNo ?? null,
      nextAct,
      consignor: { id: c.consignorId, name: names.get(c.consignorId) ?? null },
      startPoint: c.startPoint,
      receiver: { id: c.receiverId, name: names.get(c.receiverId) ?? null },
      endPoint: c.endPoint,
      lots: onVehicle.map((l) => ({
        lotId: l.lotId,
        labelCode: l.labelCode,
        wasteCode: l.wasteCode,
        wasteName: l.wasteName,
        declaredMass: l.declaredGrams,
      })),
      expectedLabels: onVehicle.map((l) => l.labelCode),
      handoverCodeExpiresAt: code?.expiresAt ?? null,
      handoverCodeLocked: code?.locked ?? false,
      offlineChecks: OFFLINE_CHECKS,
      checkedAtSync: CHECKED_AT_SYNC,
    };
  }
}
