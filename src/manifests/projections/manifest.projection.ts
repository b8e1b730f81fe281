import type { Sql } from '../../database/sql';
import type { StoredEvent } from '../../ledger/ledger.types';
import type { Projection } from '../../ledger/projections/projection';
import type { ManifestContent, ManifestEvent } from '../domain';
import { MANIFEST_EVENT_TYPES, manifestIdOfStream } from '../manifest-streams';

type Data<T extends ManifestEvent['type']> = Extract<ManifestEvent, { type: T }>['data'];

/**
 * Read models of the manifest streams, for lists, searches and scoping: `manifest` (one row per
 * manifest with the columns a filter needs), `manifest_party` (who is named, by role),
 * `manifest_lot` (each lot's way through the manifest), `manifest_correction` and
 * `manifest_dispute`. The detail view is the stream's own state (`evolveManifest`).
 */

async function insertParties(sql: Sql, manifestId: string, role: string, partyIds: readonly string[]) {
  for (const partyId of new Set(partyIds)) {
    await sql.exec(
      `INSERT INTO manifest_party (manifest_id, party_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [manifestId, partyId, role],
    );
  }
}

async function replaceParties(sql: Sql, manifestId: string, role: string, partyIds: readonly string[]) {
  await sql.exec(`DELETE FROM manifest_party WHERE manifest_id = $1 AND role = $2`, [manifestId, role]);
  await insertParties(sql, manifestId, role, partyIds);
}

async function replaceLots(sql: Sql, manifestId: string, lots: ManifestContent['lots']) {
  await sql.exec(`DELETE FROM manifest_lot WHERE manifest_id = $1`, [manifestId]);
  for (const [i, l] of lots.entries()) {
    await sql.exec(
      `INSERT INTO manifest_lot (manifest_id, lot_id, position, label_code, waste_code, declared_grams, intended_mode, method, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'LISTED')`,
      [manifestId, l.lotId, i + 1, l.labelCode, l.wasteCode, l.declaredGrams, l.intendedMode, l.method],
    );
  }
}

const declared = (c: Pick<ManifestContent, 'lots'>): number =>
  c.lots.reduce((s, l) => s + l.declaredGrams, 0);

/** Opens the row of a manifest (drafted, or entered from paper without a draft). */
async function open(
  sql: Sql,
  e: StoredEvent,
  manifestId: string,
  c: ManifestContent,
  agentId: string | null,
  at: string,
) {
  await sql.exec(
    `INSERT INTO manifest (manifest_id, hazledger_number, status, transfer_type, consignor_party_id, agent_party_id,
        shipper_party_id, receiver_party_id, first_carrier_party_id, start_site_id, start_division_code, end_site_id,
        end_division_code, planned_date, round_id, preceding_manifest_id, leg_count, lot_count, declared_grams, drafted_at,
        last_event_at, version)
     VALUES ($1, $2, 'DRAFT', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`,
    [
      manifestId,
      c.hazledgerNumber,
      c.transferType,
      c.consignorId,
      agentId,
      c.shipperId,
      c.receiverId,
      c.legs[0].carrierId,
      c.startPoint.siteId,
      c.startPoint.divisionCode,
      c.endPoint.siteId,
      c.endPoint.divisionCode,
      c.plannedDate,
      c.roundId,
      c.precedingManifest?.manifestId ?? null,
      c.legs.length,
      c.lots.length,
      declared(c),
      at,
      e.occurredAt,
      e.version,
    ],
  );
  await insertParties(sql, manifestId, 'CONSIGNOR', [c.consignorId]);
  if (agentId) await insertParties(sql, manifestId, 'AGENT', [agentId]);
  await insertParties(sql, manifestId, 'SHIPPER', [c.shipperId]);
  await insertParties(
    sql,
    manifestId,
    'CARRIER',
    c.legs.map((l) => l.carrierId),
  );
  await insertParties(sql, manifestId, 'RECEIVER', [c.receiverId]);
  await replaceLots(sql, manifestId, c.lots);
}

/** Column changes of a draft amendment (only the keys present change). */
async function amend(sql: Sql, manifestId: string, ch: Data<'ManifestDraftAmended'>['changes']) {
  const sets: string[] = [];
  const params: unknown[] = [manifestId];
  const set = (col: string, v: unknown) => sets.push(`${col} = $${params.push(v)}`);
  if (ch.transferType !== undefined) set('transfer_type', ch.transferType);
  if (ch.shipperId !== undefined) {
    set('shipper_party_id', ch.shipperId);
    await replaceParties(sql, manifestId, 'SHIPPER', [ch.shipperId]);
  }
  if (ch.receiverId !== undefined) {
    set('receiver_party_id', ch.receiverId);
    await replaceParties(sql, manifestId, 'RECEIVER', [ch.receiverId]);
  }
  if (ch.legs !== undefined) {
    set('first_carrier_party_id', ch.legs[0].carrierId);
    set('leg_count', ch.legs.length);
    await replaceParties(
      sql,
      manifestId,
      'CARRIER',
      ch.legs.map((l) => l.carrierId),
    );
  }
  if (ch.lots !== undefined) {
    set('lot_count', ch.lots.length);
    set('declared_grams', declared({ lots: ch.lots }));
    await replaceLots(sql, manifestId, ch.lots);
  }
  if (ch.startPoint !== undefined) {
    set('start_site_id', ch.startPoint.siteId);
    set('start_division_code', ch.startPoint.divisionCode);
  }
  if (ch.endPoint !== undefined) {
    set('end_site_id', ch.endPoint.siteId);
    set('end_division_code', ch.endPoint.divisionCode);
  }
  if (ch.plannedDate !== undefined) set('planned_date', ch.plannedDate);
  if (ch.precedingManifest !== undefined)
    set('preceding_manifest_id', ch.precedingManifest?.manifestId ?? null);
  if (ch.roundId !== undefined) set('round_id', ch.roundId);
  if (sets.length > 0)
    await sql.exec(`UPDATE manifest SET ${sets.join(', ')} WHERE manifest_id = $1`, params);
}

async function dispute(
  sql: Sql,
  e: StoredEvent,
  manifestId: string,
  act: string,
  actorPartyId: string | null,
  reasons: readonly unknown[],
  at: string,
) {
  await sql.exec(`UPDATE manifest SET disputed = true WHERE manifest_id = $1`, [manifestId]);
  await sql.exec(
    `INSERT INTO manifest_dispute (manifest_id, position, event_type, act, actor_party_id, reasons, at, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [manifestId, e.position, e.type, act, actorPartyId, JSON.stringify(reasons), at, e.recordedAt],
  );
}

async function carry(sql: Sql, manifestId: string, lotIds: readonly string[]) {
  await sql.exec(`UPDATE manifest_lot SET status = 'CARRIED' WHERE manifest_id = $1 AND lot_id = ANY($2)`, [
    manifestId,
    lotIds,
  ]);
}

async function apply(sql: Sql, e: StoredEvent): Promise<void> {
  const id = manifestIdOfStream(e.streamId);
  const ev = { type: e.type, data: e.data } as unknown as ManifestEvent;
  const status = (s: string, col: string, at: string) =>
    sql.exec(`UPDATE manifest SET status = $2, ${col} = $3 WHERE manifest_id = $1`, [id, s, at]);
  switch (ev.type) {
    case 'ManifestDrafted':
      await open(sql, e, id, ev.data.content, ev.data.agentId, ev.data.at);
      return;
    case 'ManifestDraftAmended':
      await amend(sql, id, ev.data.changes);
      break;
    case 'ManifestSubmitted':
      await status('SUBMITTED', 'submitted_at', ev.data.at);
      await sql.exec(`UPDATE manifest SET cross_province_approval_id = $2 WHERE manifest_id = $1`, [
        id,
        ev.data.crossProvince?.approvalId ?? null,
      ]);
      break;
    case 'HandoverCodeIssued':
      break;
    case 'ContainerRefused': {
      const d = ev.data;
      await sql.exec(`UPDATE manifest_lot SET status = 'REFUSED' WHERE manifest_id = $1 AND lot_id = $2`, [
        id,
        d.lotId,
      ]);
      await sql.exec(
        `UPDATE manifest SET lot_count = lot_count - 1, declared_grams = declared_grams - $2 WHERE manifest_id = $1`,
        [id, d.declaredGrams],
      );
      break;
    }
    case 'CustodyTaken': {
      const d = ev.data;
      await status('IN_TRANSIT', 'custody_taken_at', d.at);
      await sql.exec(`UPDATE manifest SET current_leg = 1 WHERE manifest_id = $1`, [id]);
      await carry(sql, id, d.carriedLotIds);
      for (const p of d.pickupMasses) {
        await sql.exec(`UPDATE manifest_lot SET pickup_grams = $3 WHERE manifest_id = $1 AND lot_id = $2`, [
          id,
          p.lotId,
          p.grams,
        ]);
      }
      if (d.disputed) await dispute(sql, e, id, 'takeCustody', d.carrierId, d.disputeReasons, d.at);
      break;
    }
    case 'CustodyRelayed': {
      const d = ev.data;
      await sql.exec(`UPDATE manifest SET current_leg = $2 WHERE manifest_id = $1`, [id, d.toLeg]);
      if (d.disputed) await dispute(sql, e, id, 'relay', d.toCarrierId, d.disputeReasons, d.at);
      break;
    }
    case 'ManifestDelivered':
      await status('DELIVERED', 'delivered_at', ev.data.at);
      break;
    case 'DisputedScanRecorded': {
      const d = ev.data;
      await dispute(sql, e, id, d.act, d.actorPartyId, d.reasons, d.at);
      break;
    }
    case 'LotReceiptRecorded': {
      const d = ev.data;
      await sql.exec(
        `UPDATE manifest_lot SET status = 'RECEIVED', measured_grams = $3, accepted_grams = $4, rejected_grams = $5,
                decision = $6, rejected_lot_id = $7, discrepancy = $8, late = $9
          WHERE manifest_id = $1 AND lot_id = $2`,
        [
          id,
          d.lotId,
          d.measuredGrams,
          d.acceptedGrams,
          d.rejectedGrams,
          d.decision,
          d.rejectedLotId,
          d.discrepancy,
          d.late,
        ],
      );
      await sql.exec(
        `UPDATE manifest SET discrepancy = discrepancy OR $2, late_receipt = late_receipt OR $3 WHERE manifest_id = $1`,
        [id, d.discrepancy, d.late],
      );
      break;
    }
    case 'ManifestReceived':
      await status('RECEIVED', 'received_at', ev.data.at);
      await sql.exec(`UPDATE manifest SET accepted_grams = $2, rejected_grams = $3 WHERE manifest_id = $1`, [
        id,
        ev.data.acceptedGrams,
        ev.data.rejectedGrams,
      ]);
      break;
    case 'ManifestClosed':
      await status('CLOSED', 'closed_at', ev.data.at);
      break;
    case 'ManifestCancelled':
      await status('CANCELLED', 'cancelled_at', ev.data.at);
      break;
    case 'CorrectionRequested': {
      const d = ev.data;
      await sql.exec(
        `INSERT INTO manifest_correction (correction_id, manifest_id, requested_by_party_id, changes, reason, respond_by,
            approver_party_ids, status, requested_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'PENDING', $8)`,
        [
          d.correctionId,
          id,
          d.requestedByPartyId,
          JSON.stringify(d.changes),
          d.reason,
          d.respondBy,
          d.approverPartyIds,
          d.at,
        ],
      );
      await sql.exec(`UPDATE manifest SET correction_pending = true WHERE manifest_id = $1`, [id]);
      break;
    }
    case 'CorrectionApproved':
      await sql.exec(
        `UPDATE manifest_correction SET approved_by = array_append(approved_by, $2) WHERE correction_id = $1`,
        [ev.data.correctionId, ev.data.byPartyId],
      );
      break;
    case 'CorrectionRefused':
      await sql.exec(
        `UPDATE manifest_correction SET status = 'REFUSED', refused_by_party_id = $2, refusal_reason = $3, resolved_at = $4
          WHERE correction_id = $1`,
        [ev.data.correctionId, ev.data.byPartyId, ev.data.reason, ev.data.at],
      );
      await sql.exec(`UPDATE manifest SET correction_pending = false WHERE manifest_id = $1`, [id]);
      break;
    case 'CorrectionLapsed':
      await sql.exec(
        `UPDATE manifest_correction SET status = 'LAPSED', resolved_at = $2 WHERE correction_id = $1`,
        [ev.data.correctionId, ev.data.at],
      );
      await sql.exec(`UPDATE manifest SET correction_pending = false WHERE manifest_id = $1`, [id]);
      break;
    case 'ManifestCorrected':
      await sql.exec(
        `UPDATE manifest_correction SET status = 'APPROVED', resolved_at = $2 WHERE correction_id = $1`,
        [ev.data.correctionId, ev.data.at],
      );
      await sql.exec(
        `UPDATE manifest SET correction_pending = false, correction_count = correction_count + 1 WHERE manifest_id = $1`,
        [id],
      );
      break;
    case 'NationalNumberReported':
      await sql.exec(`UPDATE manifest SET national_number = $2 WHERE manifest_id = $1`, [
        id,
        ev.data.nationalNumber,
      ]);
      break;
    case 'PaperManifestEntered': {
      const d = ev.data;
      if (d.content) await open(sql, e, id, d.content, d.agentId, d.at);
      await status('DELIVERED', 'delivered_at', d.tripEndedAt);
      await sql.exec(
        `UPDATE manifest SET paper_number = $2, paper_late = $3, current_leg = leg_count,
                custody_taken_at = coalesce(custody_taken_at, $4) WHERE manifest_id = $1`,
        [id, d.paperNumber, d.late, d.tripStartedAt],
      );
      await carry(sql, id, d.carriedLotIds);
      if (d.content) return;
      break;
    }
  }
  await sql.exec(
    `UPDATE manifest SET version = $2, last_event_at = GREATEST(last_event_at, $3) WHERE manifest_id = $1`,
    [id, e.version, e.occurredAt],
  );
}

export const manifestProjection: Projection = {
  name: 'manifests',
  tables: ['manifest', 'manifest_party', 'manifest_lot', 'manifest_correction', 'manifest_dispute'],
  eventTypes: MANIFEST_EVENT_TYPES,
  apply,
};
