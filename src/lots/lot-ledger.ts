import { Injectable } from '@nestjs/common';
import type { AlertInput } from '../ledger/alerts/alert';
import { adjustCounter, readCounters } from '../ledger/counters';
import type { LedgerTransaction } from '../ledger/ledger-transaction';
import type { StoredEvent } from '../ledger/ledger.types';
import { storageSpotOverCap } from '../oversight/domain/clock-rules';
import { DomainError } from '../shared/domain/domain-error';
import { formatKg } from '../shared/domain/mass';
import { evolve, initialLotState, type LotDecision, type LotEvent, type LotState } from './domain';
import { stockDeltas } from './lot-stock';
import { facilityStockCounter, LOT_STREAM, lotStream } from './lot-streams';

/** A lot's stream as read (and locked) in a ledger transaction. */
export interface LoadedLot {
  readonly lotId: string;
  readonly state: LotState;
  /** 0 when the stream does not exist yet. */
  readonly version: number;
}

/** What one lot stream went through in a commit. */
export interface LotChange {
  readonly lotId: string;
  readonly before: LotState;
  readonly after: LotState;
  readonly events: readonly StoredEvent[];
}

interface CappedFacility {
  facility_id: string;
  type: string;
  party_id: string;
  max_stock_grams: string;
  division_code: string;
}

/**
 * The one way to write lot streams (for this capability and any other that moves lots, such as
 * manifests): load the streams locked, append a decision's events with compare-and-set (new lots at
 * version 0, so that a service-made id is new), then keep the cross-stream facts that follow from
 * any lot change in the same transaction:
 * - the stock of every facility with a maximum stock (贮存点: 3 t) as a ledger counter, so that
 *   two concurrent store-ins see each other; a store-in that takes it over the maximum is recorded
 *   and raises `STORAGE_SPOT_OVER_3T` (a fact, never a refusal: SPEC sections 0 and 8);
 * - a `LOT_LOSS` alert for every loss recorded (损失: spill, evaporation, theft).
 */
@Injectable()
export class LotLedger {
  /** Reads and locks lot streams (in id order); with `mustExist`, an unknown lot is NOT_FOUND. */
  async load(
    tx: LedgerTransaction,
    lotIds: readonly string[],
    opts: { mustExist?: boolean } = {},
  ): Promise<Map<string, LoadedLot>> {
    const streams = await tx.readStreams(lotIds.map(lotStream));
    const out = new Map<string, LoadedLot>();
    for (const lotId of lotIds) {
      const s = streams.get(lotStream(lotId))!;
      if (s.version > 0 && s.streamType !== LOT_STREAM) throw new DomainError('NOT_FOUND', 'lot not found');
      if (opts.mustExist && s.version === 0) throw new DomainError('NOT_FOUND', `lot ${lotId} not found`);
      const state = s.events.reduce(
        (st, e) => evolve(st, { type: e.type, data: e.data } as unknown as LotEvent),
        initialLotState(),
      );
      out.set(lotId, { lotId, state, version: s.version });
    }
    return out;
  }

  /** Appends a decision (existing streams at the version read, new ones at 0) and its consequences. */
  async commit(
    tx: LedgerTransaction,
    loaded: ReadonlyMap<string, LoadedLot>,
    decision: LotDecision,
  ): Promise<LotChange[]> {
    const changes: LotChange[] = [];
    for (const s of decision.sourceEvents) {
      if (s.events.length === 0) continue;
      const l = loaded.get(s.lotId);
      if (!l) throw new Error(`lot ${s.lotId} was not loaded before its events were decided`);
      const events = await tx.append(lotStream(s.lotId), LOT_STREAM, l.version, s.events);
      changes.push({ lotId: s.lotId, before: l.state, after: s.events.reduce(evolve, l.state), events });
    }
    for (const n of decision.newLotEvents) {
      const before = initialLotState();
      const events = await tx.append(lotStream(n.lotId), LOT_STREAM, 0, n.events);
      changes.push({ lotId: n.lotId, before, after: n.events.reduce(evolve, before), events });
    }
    await this.keepStock(tx, changes);
    await this.alertLosses(tx, changes);
    return changes;
  }

  private async keepStock(tx: LedgerTransaction, changes: readonly LotChange[]): Promise<void> {
    const deltas = stockDeltas(changes);
    if (deltas.size === 0) return;
    const capped = await tx.sql.rows<CappedFacility>(
      `SELECT f.facility_id, f.type, f.party_id, f.max_stock_grams, s.division_code
         FROM facility f JOIN party_site s ON s.site_id = f.site_id
        WHERE f.facility_id = ANY($1) AND f.max_stock_grams IS NOT NULL ORDER BY f.facility_id`,
      [[...deltas.keys()]],
    );
    if (capped.length === 0) return;
    const counters = await readCounters(
      tx,
      capped.map((f) => facilityStockCounter(f.facility_id)),
    );
    const reason = [...new Set(changes.flatMap((c) => c.events.map((e) => e.type)))].join(',');
    const ref = changes.map((c) => c.lotId).join(',');
    for (const f of capped) {
      const delta = deltas.get(f.facility_id)!;
      const counter = counters.get(facilityStockCounter(f.facility_id))!;
      const after = await adjustCounter(tx, counter, delta, reason, ref);
      const max = Number(f.max_stock_grams);
      if (delta > 0 && after.value > max) await tx.raiseAlert(this.overStock(tx, f, after.value, max));
    }
  }

  private overStock(tx: LedgerTransaction, f: CappedFacility, stock: number, max: number): AlertInput {
    const common = { region: f.division_code, partyIds: [f.party_id] };
    if (f.type === 'STORAGE_SPOT') {
      const a = storageSpotOverCap(
        { facilityId: f.facility_id, stockGrams: stock, at: tx.occurredAt },
        { storageSpotCapGrams: max },
      )!;
      const { rule, subjectType, subjectId, period, severity, evidence } = a;
      return { rule, subjectType, subjectId, period, severity, evidence: { ...evidence }, ...common };
    }
    return {
      rule: 'FACILITY_STOCK_OVER_MAX',
      subjectType: 'FACILITY',
      subjectId: f.facility_id,
      period: tx.occurredAt.toISOString().slice(0, 10),
      severity: 'WARNING',
      evidence: { stockKg: formatKg(stock), maxStockKg: formatKg(max), facilityType: f.type },
      ...common,
    };
  }

  private async alertLosses(tx: LedgerTransaction, changes: readonly LotChange[]): Promise<void> {
    for (const c of changes) {
      for (const e of c.events) {
        if (e.type !== 'LotLossRecorded') continue;
        const d = e.data as Extract<LotEvent, { type: 'LotLossRecorded' }>['data'];
        const siteId = 'siteId' in c.before ? c.before.siteId : null;
        const site = siteId
          ? await tx.sql.one<{ division_code: string }>(
              `SELECT division_code FROM party_site WHERE site_id = $1`,
              [siteId],
            )
          : undefined;
        const parties =
          'custodianPartyId' in c.before ? [c.before.custodianPartyId, c.before.producerPartyId] : [];
        await tx.raiseAlert({
          rule: 'LOT_LOSS',
          subjectType: 'LOT',
          subjectId: d.lotId,
          period: `v${e.version}`,
          severity: d.total ? 'CRITICAL' : 'WARNING',
          region: site?.division_code ?? null,
          evidence: {
            kind: d.kind,
            lostKg: formatKg(d.massGrams),
            remainingKg: formatKg(d.remainingMassGrams),
            total: d.total,
            reason: d.reason,
            manifestId: d.manifestId,
            at: d.at,
          },
          partyIds: [...new Set(parties.filter((p): p is string => typeof p === 'string'))],
        });
      }
    }
  }
}
