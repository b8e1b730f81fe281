import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AlertInput } from '../../ledger/alerts/alert';
import { LedgerService } from '../../ledger/ledger.service';
import {
  type ClockAlert,
  lotNotShippedWithinLimit,
  medicalCollectionIntervalExceeded,
  storageTimeExceeded,
} from '../../oversight/domain/clock-rules';
import { CalendarService } from './calendar.service';
import { HELD_STATUSES, LotClockPolicy } from './lot-clock.policy';

interface HeldLot {
  lot_id: string;
  status: string;
  category: string;
  custodian_party_id: string;
  producer_party_id: string | null;
  origin_kind: string;
  clock_starts_at: Date;
  division_code: string;
}

/** What one evaluation found and raised. */
export interface ClockRun {
  readonly evaluatedLots: number;
  /** Alerts the rules returned (raised before or now). */
  readonly alertIds: readonly string[];
  /** Alerts raised by this run (the others were raised before). */
  readonly raised: number;
}

const SYSTEM_ACTOR = { kind: 'SYSTEM' as const, name: 'lot-clock' };

/**
 * 贮存时限预警 — evaluates the storage clocks of every lot held at a facility with the pure rules of
 * `oversight/domain/clock-rules.ts` and raises their alerts through the ledger (each alert has a
 * deterministic identity, so a rerun, or two processes, raise it once): storage time exceeded
 * (48 h medical, 90 working days collectors, 1 year others), a lot not moved out by its producer
 * within the limit, and a medical institution holding waste with no collection for 48 h.
 * `runOnce(now)` is the unit the oversight scheduler (`OversightScheduler`, every
 * OVERSIGHT_SCHEDULE_SECONDS) or a test calls.
 */
@Injectable()
export class LotClockService {
  constructor(
    private readonly db: DataSource,
    private readonly ledger: LedgerService,
    private readonly policy: LotClockPolicy,
    private readonly calendars: CalendarService,
  ) {}

  /** Evaluates every held lot's clock at `now` and raises the alerts due. */
  async runOnce(now: Date): Promise<ClockRun> {
    const lots = await this.db.query<HeldLot[]>(
      `SELECT l.lot_id, l.status, l.category, l.custodian_party_id, l.producer_party_id, l.origin_kind, l.clock_starts_at,
              s.division_code
         FROM lot l JOIN party_site s ON s.site_id = l.site_id
        WHERE l.status = ANY($1) AND l.clock_starts_at <= $2 ORDER BY l.lot_id`,
      [HELD_STATUSES, now],
    );
    const kinds = await this.policy.kinds(lots, now);
    const calendar = this.calendars.calendar();
    const alerts: AlertInput[] = [];
    for (const l of lots) {
      const custodianKind = kinds.get(l.lot_id)!;
      const input = {
        lotId: l.lot_id,
        custodianKind,
        custodianId: l.custodian_party_id,
        clockStartedAt: l.clock_starts_at,
        now,
      };
      const partyIds = [
        ...new Set([l.custodian_party_id, l.producer_party_id].filter((p): p is string => !!p)),
      ];
      const exceeded = storageTimeExceeded(input, calendar);
      if (exceeded) alerts.push(toAlert(exceeded, l.division_code, partyIds));
      if (l.origin_kind === 'GENERATED' && l.producer_party_id === l.custodian_party_id) {
        const notShipped = lotNotShippedWithinLimit(input, calendar);
        if (notShipped) alerts.push(toAlert(notShipped, l.division_code, partyIds));
      }
    }
    alerts.push(...(await this.collectionIntervals(lots, kinds, now)));
    if (alerts.length === 0) return { evaluatedLots: lots.length, alertIds: [], raised: 0 };
    return this.ledger.execute({ act: 'evaluateLotClocks', actor: SYSTEM_ACTOR }, async (tx) => {
      const ids: string[] = [];
      let raised = 0;
      for (const a of alerts) {
        const r = await tx.raiseAlert(a);
        ids.push(r.alertId);
        if (r.raised) raised += 1;
      }
      return { evaluatedLots: lots.length, alertIds: ids, raised };
    });
  }

  /** 医疗废物收集间隔 — institutions holding medical waste with no collection for 48 h. */
  private async collectionIntervals(
    lots: readonly HeldLot[],
    kinds: ReadonlyMap<string, string>,
    now: Date,
  ): Promise<AlertInput[]> {
    const byInstitution = new Map<string, HeldLot[]>();
    for (const l of lots) {
      if (kinds.get(l.lot_id) !== 'MEDICAL_PRODUCER') continue;
      byInstitution.set(l.custodian_party_id, [...(byInstitution.get(l.custodian_party_id) ?? []), l]);
    }
    const out: AlertInput[] = [];
    for (const [institutionId, held] of byInstitution) {
      const oldest = held.reduce((a, b) => (b.clock_starts_at < a.clock_starts_at ? b : a));
      const [last] = await this.db.query<{ at: Date | null }[]>(
        `SELECT max(occurred_at) AS at FROM ledger_event
          WHERE event_type IN ('LotCustodyTaken', 'LotHandedOverExempt') AND payload->>'fromPartyId' = $1
            AND occurred_at >= $2 AND occurred_at <= $3`,
        [institutionId, oldest.clock_starts_at, now],
      );
      const alert = medicalCollectionIntervalExceeded({
        institutionId,
        holdsUncollectedWaste: true,
        lastCollectionAt: last?.at ?? null,
        firstUncollectedGeneratedAt: oldest.clock_starts_at,
        now,
      });
      if (alert) out.push(toAlert(alert, oldest.division_code, [institutionId]));
    }
    return out;
  }
}

function toAlert(a: ClockAlert, region: string, partyIds: string[]): AlertInput {
  return {
    rule: a.rule,
    subjectType: a.subjectType,
    subjectId: a.subjectId,
    period: a.period,
    severity: a.severity,
    region,
    evidence: { ...a.evidence, dueAt: a.dueAt },
    partyIds,
  };
}
