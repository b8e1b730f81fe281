import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_COLUMNS, toStoredEvent } from '../ledger/ledger-transaction';
import type { StoredEvent } from '../ledger/ledger.types';
import { jurisdictionPatterns, notFound } from '../shared/auth/access-policy';
import { isRegulator, isSystemAdmin, partyOf, type Principal } from '../shared/auth/principal';
import { decodeCursor, DEFAULT_PAGE_SIZE, type Page, toPage } from '../shared/graphql/pagination';
import {
  evolveManifest,
  initialManifestState,
  partiesOf,
  type ActiveManifest,
  type ManifestEvent,
  type ManifestState,
} from './domain';
import type { ManifestFilter } from './graphql/manifest.inputs';
import type {
  CorrectionChangeObject,
  CustodyAttemptObject,
  ManifestCorrectionObject,
  ManifestLotObject,
  ManifestObject,
} from './graphql/manifest.objects';
import { ManifestAccess } from './manifest-access';
import { ManifestFactsService } from './manifest-facts.service';
import { RECEIPT_WORKING_DAYS } from './manifest-receipt.service';
import { manifestStream } from './manifest-streams';

interface LotRow {
  manifest_id: string;
  lot_id: string;
  label_code: string;
  waste_code: string;
  declared_grams: string;
  intended_mode: string;
  method: string;
  status: string;
}

interface CorrectionRow {
  correction_id: string;
  manifest_id: string;
  requested_by_party_id: string;
  changes: CorrectionChangeObject[];
  reason: string;
  respond_by: Date;
  approver_party_ids: string[];
  approved_by: string[];
  status: string;
  refusal_reason: string | null;
  requested_at: Date;
  resolved_at: Date | null;
}

const date = (iso: string | null | undefined): Date | null => (iso ? new Date(iso) : null);

/**
 * Reads of manifests, scoped (parties named on a manifest, regulators by its start or end site;
 * NOT_FOUND otherwise): the detail is the stream's own state, lists come from the read models.
 */
@Injectable()
export class ManifestReadService {
  constructor(
    private readonly db: DataSource,
    private readonly access: ManifestAccess,
    private readonly facts: ManifestFactsService,
  ) {}

  /** The states of manifests, folded from their streams (one query). */
  async states(manifestIds: readonly string[]): Promise<Map<string, ActiveManifest>> {
    const rows = await this.db.query<{ stream_id: string; event_type: string; payload: object }[]>(
      `SELECT stream_id, event_type, payload FROM ledger_event WHERE stream_id = ANY($1) ORDER BY stream_id, version`,
      [manifestIds.map(manifestStream)],
    );
    const out = new Map<string, ManifestState>();
    for (const r of rows) {
      const id = r.stream_id.replace(/^manifest-/, '');
      const e = { type: r.event_type, data: r.payload } as unknown as ManifestEvent;
      out.set(id, evolveManifest(out.get(id) ?? initialManifestState(), e));
    }
    const active = new Map<string, ActiveManifest>();
    for (const [id, s] of out) if (s.status !== 'NONE') active.set(id, s);
    return active;
  }

  async state(manifestId: string): Promise<ActiveManifest | null> {
    return (await this.states([manifestId])).get(manifestId) ?? null;
  }

  async visibleState(who: Principal, manifestId: string): Promise<ActiveManifest> {
    await this.access.assertVisible(who, manifestId);
    const s = await this.state(manifestId);
    if (!s) throw notFound('manifest');
    return s;
  }

  async manifest(who: Principal, manifestId: string): Promise<ManifestObject> {
    return (await this.toObjects([await this.visibleState(who, manifestId)]))[0];
  }

  /** By HazLedger number or by the 14-digit national number. */
  async byNumber(who: Principal, number: string): Promise<ManifestObject> {
    const [r] = await this.db.query<{ manifest_id: string }[]>(
      `SELECT manifest_id FROM manifest WHERE hazledger_number = $1 OR national_number = $1`,
      [number.trim()],
    );
    if (!r) throw notFound('manifest');
    return this.manifest(who, r.manifest_id);
  }

  async list(
    who: Principal,
    filter: ManifestFilter,
    first = DEFAULT_PAGE_SIZE,
    after?: string,
  ): Promise<Page<ManifestObject>> {
    const params: unknown[] = [];
    const where: string[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    const own = partyOf(who);
    const named = (party: string, role?: string) =>
      `EXISTS (SELECT 1 FROM manifest_party mp WHERE mp.manifest_id = m.manifest_id AND mp.party_id = ${p(party)}${
        role ? ` AND mp.role = ${p(role)}` : ''
      })`;
    if (!isSystemAdmin(who)) {
      const scope: string[] = [];
      if (own) scope.push(named(own));
      if (isRegulator(who)) {
        const patterns = p(jurisdictionPatterns(who.agency.jurisdiction));
        scope.push(
          `(m.start_division_code LIKE ANY(${patterns}) OR m.end_division_code LIKE ANY(${patterns}))`,
        );
      }
      if (scope.length === 0) return toPage([], first, 0, () => []);
      where.push(`(${scope.join(' OR ')})`);
    }
    if (filter.role && own) where.push(named(own, filter.role));
    if (filter.partyId) where.push(named(filter.partyId));
    if (filter.status?.length) where.push(`m.status = ANY(${p(filter.status)})`);
    if (filter.transferType) where.push(`m.transfer_type = ${p(filter.transferType)}`);
    if (filter.wasteCode) {
      where.push(
        `EXISTS (SELECT 1 FROM manifest_lot ml WHERE ml.manifest_id = m.manifest_id AND ml.waste_code = ${p(filter.wasteCode)})`,
      );
    }
    if (filter.divisionPrefix) {
      const prefix = p(`${filter.divisionPrefix}%`);
      where.push(`(m.start_division_code LIKE ${prefix} OR m.end_division_code LIKE ${prefix})`);
    }
    if (filter.plannedFrom) where.push(`m.planned_date >= ${p(filter.plannedFrom)}::date`);
    if (filter.plannedTo) where.push(`m.planned_date <= ${p(filter.plannedTo)}::date`);
    if (filter.roundId) where.push(`m.round_id = ${p(filter.roundId)}`);
    if (filter.discrepancy !== undefined) where.push(`m.discrepancy = ${p(filter.discrepancy)}`);
    if (filter.disputed !== undefined) where.push(`m.disputed = ${p(filter.disputed)}`);
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ n }] = await this.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM manifest m ${cond}`,
      params,
    );
    const page = after
      ? `${cond ? `${cond} AND` : 'WHERE'} m.manifest_id > ${p(String(decodeCursor(after, 1)[0]))}`
      : cond;
    const rows = await this.db.query<{ manifest_id: string }[]>(
      `SELECT m.manifest_id FROM manifest m ${page} ORDER BY m.manifest_id LIMIT ${first + 1}`,
      params,
    );
    const states = await this.states(rows.map((r) => r.manifest_id));
    const objects = await this.toObjects(
      rows.map((r) => states.get(r.manifest_id)).filter((s): s is ActiveManifest => !!s),
    );
    return toPage(objects, first, n, (o) => [o.id]);
  }

  /** The manifest stream's events, oldest first (its full history, corrections with both versions). */
  async history(who: Principal, manifestId: string): Promise<StoredEvent[]> {
    await this.access.assertVisible(who, manifestId);
    const rows = await this.db.query<Parameters<typeof toStoredEvent>[0][]>(
      `SELECT ${EVENT_COLUMNS} FROM ledger_event WHERE stream_id = $1 ORDER BY version`,
      [manifestStream(manifestId)],
    );
    return rows.map(toStoredEvent);
  }

  /** Refused custody attempts on a manifest (拒绝记录), for its parties and regulators in jurisdiction. */
  async attempts(who: Principal, manifestId: string): Promise<CustodyAttemptObject[]> {
    await this.access.assertVisible(who, manifestId);
    const rows = await this.db.query<
      {
        attempt_id: string;
        act: string;
        refusal_code: string;
        message: string;
        details: unknown;
        actor: unknown;
        occurred_at: Date;
        recorded_at: Date;
      }[]
    >(
      `SELECT attempt_id, act, refusal_code, message, details, actor, occurred_at, recorded_at FROM custody_attempt
        WHERE target_type = 'manifest' AND target_id = $1 ORDER BY recorded_at, attempt_id`,
      [manifestId],
    );
    return rows.map((r) => ({
      id: String(r.attempt_id),
      act: r.act,
      refusalCode: r.refusal_code,
      message: r.message,
      details: r.details,
      actor: r.actor,
      occurredAt: r.occurred_at,
      recordedAt: r.recorded_at,
    }));
  }

  async toObjects(states: readonly ActiveManifest[]): Promise<ManifestObject[]> {
    if (states.length === 0) return [];
    const ids = states.map((s) => s.manifestId);
    const lots = await this.db.query<LotRow[]>(
      `SELECT manifest_id, lot_id, label_code, waste_code, declared_grams, intended_mode, method, status
         FROM manifest_lot WHERE manifest_id = ANY($1) ORDER BY manifest_id, position`,
      [ids],
    );
    const corrections = await this.db.query<CorrectionRow[]>(
      `SELECT * FROM manifest_correction WHERE manifest_id = ANY($1) ORDER BY requested_at, correction_id`,
      [ids],
    );
    const versions = await this.db.query<{ manifest_id: string; version: number }[]>(
      `SELECT manifest_id, version FROM manifest WHERE manifest_id = ANY($1)`,
      [ids],
    );
    const names = await this.facts.partyNames(
      states.flatMap((s) => [...partiesOf(s.content), ...(s.agentId ? [s.agentId] : [])]),
    );
    const ref = (id: string) => ({ id, name: names.get(id) ?? null });
    return states.map((s) => {
      const c = s.content;
      const deadline = s.deliveredAt
        ? this.facts.deadline(new Date(s.deliveredAt), RECEIPT_WORKING_DAYS)
        : null;
      return {
        id: s.manifestId,
        number: c.hazledgerNumber,
        nationalNumber: s.nationalNumber,
        status: s.status,
        transferType: c.transferType,
        consignor: ref(c.consignorId),
        agent: s.agentId ? ref(s.agentId) : null,
        shipper: ref(c.shipperId),
        receiver: ref(c.receiverId),
        legs: c.legs.map((l, i) => ({
          leg: i + 1,
          carrier: ref(l.carrierId),
          vehicleId: l.vehicleId,
          operatingPermitNumber: l.operatingPermitNumber,
          driverId: l.driverId,
          escortId: l.escortId,
        })),
        lots: this.lots(
          s,
          lots.filter((l) => l.manifest_id === s.manifestId),
        ),
        emergencyMeasures: c.emergencyMeasures,
        startPoint: c.startPoint,
        endPoint: c.endPoint,
        plannedDate: c.plannedDate,
        precedingManifestId: c.precedingManifest?.manifestId ?? null,
        roundId: c.roundId,
        declaredMass: c.lots.reduce((sum, l) => sum + l.declaredGrams, 0),
        crossProvinceApprovalId: s.submission?.crossProvince?.approvalId ?? null,
        submittedAt: date(s.submission?.at),
        handoverCodeExpiresAt: date(s.handoverCode?.expiresAt),
        currentLeg: s.currentLeg,
        custodySteps: s.custodySteps.map((st) => ({
          ...st,
          carrier: ref(st.carrierId),
          at: new Date(st.at),
        })),
        deliveredAt: date(s.deliveredAt),
        receiptDeadline: deadline,
        receivedAt: date(s.receivedAt),
        closedAt: date(s.closedAt),
        cancelledAt: date(s.cancelledAt),
        acceptedMass: s.receivedAt ? s.receipts.reduce((sum, r) => sum + r.acceptedGrams, 0) : null,
        rejectedMass: s.receivedAt ? s.receipts.reduce((sum, r) => sum + r.rejectedGrams, 0) : null,
        discrepancy: s.receipts.some((r) => r.discrepancy),
        disputed: s.disputes.length > 0,
        disputes: s.disputes.map((d) => ({
          eventType: d.eventType,
          act: d.act,
          at: new Date(d.at),
          reasons: d.reasons,
        })),
        paper: s.paper
          ? {
              paperNumber: s.paper.paperNumber,
              enteredAt: new Date(s.paper.enteredAt),
              tripEndedAt: new Date(s.paper.tripEndedAt),
              late: s.paper.late,
            }
          : null,
        corrections: corrections.filter((x) => x.manifest_id === s.manifestId).map(toCorrection),
        version: versions.find((v) => v.manifest_id === s.manifestId)?.version ?? 0,
      };
    });
  }

  /** The lots as the manifest lists them (order of drafting); a lot refused at loading keeps its place, with its reason. */
  private lots(s: ActiveManifest, rows: readonly LotRow[]): ManifestLotObject[] {
    return rows.map((r) => {
      const l = s.content.lots.find((x) => x.lotId === r.lot_id);
      const receipt = s.receipts.find((x) => x.lotId === r.lot_id);
      const refused = s.refusedLots.find((x) => x.lotId === r.lot_id);
      return {
        lotId: r.lot_id,
        labelCode: r.label_code,
        wasteCode: r.waste_code,
        wasteName: l?.wasteName ?? r.waste_code,
        hazards: l ? [...l.hazards] : [],
        form: l?.form ?? null,
        packaging: l?.packaging ?? null,
        declaredMass: Number(r.declared_grams),
        intendedMode: r.intended_mode,
        method: receipt?.method ?? l?.method ?? r.method,
        status: r.status,
        pickupMass: s.pickupGrams[r.lot_id] ?? null,
        measuredMass: receipt?.measuredGrams ?? null,
        acceptedMass: receipt?.acceptedGrams ?? null,
        rejectedMass: receipt?.rejectedGrams ?? null,
        decision: receipt?.decision ?? null,
        rejectedLotId: receipt?.rejectedLotId ?? null,
        reason: receipt?.reason ?? null,
        discrepancy: receipt?.discrepancy ?? false,
        late: receipt?.late ?? false,
        refusedReason: refused?.reason ?? null,
      };
    });
  }
}

function toCorrection(r: CorrectionRow): ManifestCorrectionObject {
  return {
    id: r.correction_id,
    status: r.status,
    requestedByPartyId: r.requested_by_party_id,
    changes: r.changes,
    reason: r.reason,
    respondBy: r.respond_by,
    approverPartyIds: r.approver_party_ids,
    approvedBy: r.approved_by,
    refusalReason: r.refusal_reason,
    requestedAt: r.requested_at,
    resolvedAt: r.resolved_at,
  };
}
