import type { Sql } from '../../database/sql';
import type { StoredEvent } from '../../ledger/ledger.types';
import type { Projection } from '../../ledger/projections/projection';
import type { LotEvent } from '../domain';
import { LOT_EVENT_TYPES } from '../lot-streams';

type Data<T extends LotEvent['type']> = Extract<LotEvent, { type: T }>['data'];

/** The statuses in which a lot lies at a facility and counts in its stock. */
const AT_FACILITY = `status IN ('GENERATED', 'STORED', 'REJECTED')`;

const OPEN_COLUMNS = `lot_id, label_code, batch_code, waste_code, category, medical_class, form, packaging, main_components,
  hazards, mass_basis, status, origin_kind, origin_party_id, producer_party_id, custodian_party_id, site_id, facility_id,
  origin_site_id, initial_grams, mass_grams, adjustment_grams, clock_starts_at, entered_facility_at, exempt_source,
  emergency, generated_at, last_event_at, version`;

interface Opening {
  d: Data<
    | 'LotGenerated'
    | 'LotCreatedAsResidue'
    | 'LotCreatedByConsolidation'
    | 'LotCreatedBySplit'
    | 'LotRejectedPartCreated'
  >;
  status: string;
  originKind: string;
  originPartyId: string;
  producerPartyId: string | null;
  custodianPartyId: string;
  initialGrams: number;
  adjustmentGrams: number;
  clockStartsAt: string;
  exemptSource: boolean;
}

/** Opens a lot's row, counts it in its facility's stock, names its parties and site. */
async function open(sql: Sql, e: StoredEvent, o: Opening): Promise<void> {
  const d = o.d;
  await sql.exec(
    `INSERT INTO lot (${OPEN_COLUMNS}) VALUES
       ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $17, $19, $20, $21, $22, $23, $24,
        $25, $23, $23, $26)`,
    [
      d.lotId,
      d.labelCode,
      d.batchCode,
      d.wasteCode,
      d.category,
      d.medicalClass,
      d.form,
      d.packaging,
      d.mainComponents,
      d.hazards,
      d.massBasis,
      o.status,
      o.originKind,
      o.originPartyId,
      o.producerPartyId,
      o.custodianPartyId,
      d.siteId,
      d.facilityId,
      o.initialGrams,
      d.massGrams,
      o.adjustmentGrams,
      o.clockStartsAt,
      d.at,
      o.exemptSource,
      d.emergency,
      e.version,
    ],
  );
  await stock(sql, d.facilityId, d.massGrams, 1);
  await name(sql, d.lotId, [o.originPartyId, o.producerPartyId, o.custodianPartyId], [d.siteId]);
}

async function stock(sql: Sql, facilityId: string | null, grams: number, lots: number): Promise<void> {
  if (!facilityId || (grams === 0 && lots === 0)) return;
  await sql.exec(
    `INSERT INTO facility_stock (facility_id, stock_grams, lot_count) VALUES ($1, $2, $3)
     ON CONFLICT (facility_id) DO UPDATE SET stock_grams = facility_stock.stock_grams + excluded.stock_grams,
                                             lot_count = facility_stock.lot_count + excluded.lot_count`,
    [facilityId, grams, lots],
  );
}

/** Takes a lot out of the stock of the facility it lies at (if it lies at one). */
async function leaveFacility(sql: Sql, lotId: string): Promise<void> {
  const row = await sql.one<{ facility_id: string; mass_grams: string }>(
    `SELECT facility_id, mass_grams FROM lot WHERE lot_id = $1 AND ${AT_FACILITY}`,
    [lotId],
  );
  if (row) await stock(sql, row.facility_id, -Number(row.mass_grams), -1);
}

/** Records the parties and sites a lot's history names (who may see it: SPEC section 10), in one statement. */
async function name(
  sql: Sql,
  lotId: string,
  parties: readonly (string | null)[],
  sites: readonly (string | null)[],
): Promise<void> {
  const ps = [...new Set(parties)].filter((p): p is string => !!p);
  const ss = [...new Set(sites)].filter((x): x is string => !!x);
  if (ps.length === 0 && ss.length === 0) return;
  await sql.exec(
    `WITH named_parties AS (
       INSERT INTO lot_party (lot_id, party_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING
     )
     INSERT INTO lot_site (lot_id, site_id) SELECT $1, unnest($3::text[]) ON CONFLICT DO NOTHING`,
    [lotId, ps, ss],
  );
}

async function edge(
  sql: Sql,
  parent: string,
  child: string,
  kind: string,
  grams: number,
  at: string,
): Promise<void> {
  await sql.exec(
    `INSERT INTO lot_lineage (parent_lot_id, child_lot_id, kind, grams, at) VALUES ($1, $2, $3, $4, $5)`,
    [parent, child, kind, grams, at],
  );
}

/** Sets columns of a lot's row, with its version and latest business time. */
async function update(
  sql: Sql,
  e: StoredEvent,
  lotId: string,
  set: string,
  params: unknown[] = [],
): Promise<void> {
  const n = params.length;
  await sql.exec(
    `UPDATE lot SET ${set}${set ? ', ' : ''}version = $${n + 2}, last_event_at = $${n + 3} WHERE lot_id = $${n + 1}`,
    [...params, lotId, e.version, e.occurredAt],
  );
}

/**
 * 批次读模型 — `lot` (one row per lot: state, place, custodian, masses, storage clock), `lot_party`
 * and `lot_site` (every party and site its history names, for scoping), `lot_lineage` (the
 * custody graph: parent → child with grams, for chains and final fate) and `facility_stock`
 * (grams and lots held at each facility). Deterministic from the events alone.
 */
export const lotProjection: Projection = {
  name: 'lots',
  tables: ['lot', 'lot_party', 'lot_site', 'lot_lineage', 'facility_stock'],
  eventTypes: LOT_EVENT_TYPES,
  async apply(sql: Sql, e: StoredEvent): Promise<void> {
    const ev = { type: e.type, data: e.data } as unknown as LotEvent;
    switch (ev.type) {
      case 'LotGenerated': {
        const d = ev.data;
        const parties = { originPartyId: d.producerPartyId, producerPartyId: d.producerPartyId };
        return open(sql, e, {
          d,
          status: 'GENERATED',
          originKind: 'GENERATED',
          ...parties,
          custodianPartyId: d.producerPartyId,
          initialGrams: d.massGrams,
          adjustmentGrams: 0,
          clockStartsAt: d.at,
          exemptSource: d.exemptSource,
        });
      }
      case 'LotCreatedAsResidue': {
        const d = ev.data;
        await open(sql, e, {
          d,
          status: 'GENERATED',
          originKind: 'RESIDUE',
          originPartyId: d.producerPartyId,
          producerPartyId: d.producerPartyId,
          custodianPartyId: d.producerPartyId,
          initialGrams: d.massGrams,
          adjustmentGrams: 0,
          clockStartsAt: d.at,
          exemptSource: false,
        });
        for (const s of d.sourceLotIds) await edge(sql, s, d.lotId, 'RESIDUE', 0, d.at);
        return;
      }
      case 'LotCreatedByConsolidation': {
        const d = ev.data;
        const sum = d.sources.reduce((a, s) => a + s.massGrams, 0);
        await open(sql, e, {
          d,
          status: 'STORED',
          originKind: 'CONSOLIDATION',
          originPartyId: d.originPartyId,
          producerPartyId: null,
          custodianPartyId: d.originPartyId,
          initialGrams: sum,
          adjustmentGrams: d.gainOrLossGrams,
          clockStartsAt: d.clockStartsAt,
          exemptSource: false,
        });
        for (const s of d.sources) await edge(sql, s.lotId, d.lotId, 'CONSOLIDATION', s.massGrams, d.at);
        return;
      }
      case 'LotCreatedBySplit': {
        const d = ev.data;
        await open(sql, e, {
          d,
          status: 'STORED',
          originKind: 'SPLIT',
          originPartyId: d.originPartyId,
          producerPartyId: d.producerPartyId,
          custodianPartyId: d.originPartyId,
          initialGrams: d.massGrams,
          adjustmentGrams: 0,
          clockStartsAt: d.clockStartsAt,
          exemptSource: d.exemptSource,
        });
        await edge(sql, d.sourceLotId, d.lotId, 'SPLIT', d.massGrams, d.at);
        return;
      }
      case 'LotRejectedPartCreated': {
        const d = ev.data;
        await open(sql, e, {
          d,
          status: 'REJECTED',
          originKind: 'REJECTED_PART',
          originPartyId: d.receiverPartyId,
          producerPartyId: d.producerPartyId,
          custodianPartyId: d.receiverPartyId,
          initialGrams: d.massGrams,
          adjustmentGrams: 0,
          clockStartsAt: d.at,
          exemptSource: d.exemptSource,
        });
        await update(sql, e, d.lotId, 'manifest_id = $1', [d.manifestId]);
        await edge(sql, d.sourceLotId, d.lotId, 'REJECTED_PART', d.massGrams, d.at);
        return;
      }
      case 'LotStored':
      case 'LotMoved': {
        const d = ev.data;
        const to = ev.type === 'LotStored' ? ev.data.facilityId : ev.data.toFacilityId;
        await leaveFacility(sql, d.lotId);
        await update(sql, e, d.lotId, `status = 'STORED', facility_id = $1, entered_facility_at = $2`, [
          to,
          d.at,
        ]);
        const row = await sql.one<{ mass_grams: string }>(`SELECT mass_grams FROM lot WHERE lot_id = $1`, [
          d.lotId,
        ]);
        await stock(sql, to, Number(row!.mass_grams), 1);
        return;
      }
      case 'LotReservedOnManifest':
        await update(sql, e, ev.data.lotId, 'open_manifest_id = $1', [ev.data.manifestId]);
        return;
      case 'LotReleasedFromManifest':
        await update(sql, e, ev.data.lotId, 'open_manifest_id = NULL');
        return;
      case 'LotRefusedAtLoading':
        await update(sql, e, ev.data.lotId, 'open_manifest_id = NULL');
        await name(sql, ev.data.lotId, [ev.data.carrierPartyId], []);
        return;
      case 'LotCustodyTaken': {
        const d = ev.data;
        await leaveFacility(sql, d.lotId);
        await update(
          sql,
          e,
          d.lotId,
          `status = 'IN_TRANSIT', custodian_party_id = $1, manifest_id = $2, open_manifest_id = NULL, site_id = NULL,
           facility_id = NULL, entered_facility_at = NULL, disputed = disputed OR $3`,
          [d.carrierPartyId, d.manifestId, d.disputed],
        );
        await name(sql, d.lotId, [d.carrierPartyId], []);
        return;
      }
      case 'LotRelayed': {
        const d = ev.data;
        await update(sql, e, d.lotId, 'custodian_party_id = $1, disputed = disputed OR $2', [
          d.toCarrierPartyId,
          d.disputed,
        ]);
        await name(sql, d.lotId, [d.toCarrierPartyId], []);
        return;
      }
      case 'LotDelivered': {
        const d = ev.data;
        await update(sql, e, d.lotId, `status = 'DELIVERED', custodian_party_id = $1, site_id = $2`, [
          d.receiverPartyId,
          d.siteId,
        ]);
        await name(sql, d.lotId, [d.receiverPartyId], [d.siteId]);
        return;
      }
      case 'LotReceived': {
        const d = ev.data;
        const rejected = d.decision === 'REJECTED';
        const mass = rejected ? d.measuredMassGrams : d.acceptedMassGrams;
        await update(
          sql,
          e,
          d.lotId,
          `status = $1, custodian_party_id = $2, site_id = $3, facility_id = $4, mass_grams = $5,
           adjustment_grams = adjustment_grams + $6, clock_starts_at = $7, entered_facility_at = $7,
           manifest_id = CASE WHEN $1 = 'REJECTED' THEN manifest_id ELSE NULL END`,
          [
            rejected ? 'REJECTED' : 'STORED',
            d.receiverPartyId,
            d.siteId,
            d.facilityId,
            mass,
            d.massAdjustmentGrams,
            d.at,
          ],
        );
        await stock(sql, d.facilityId, mass, 1);
        return;
      }
      case 'LotHandedOverExempt': {
        const d = ev.data;
        await leaveFacility(sql, d.lotId);
        await update(
          sql,
          e,
          d.lotId,
          `status = 'STORED', custodian_party_id = $1, site_id = $2, facility_id = $3, clock_starts_at = $4,
           entered_facility_at = $4`,
          [d.toPartyId, d.toSiteId, d.toFacilityId, d.at],
        );
        const row = await sql.one<{ mass_grams: string }>(`SELECT mass_grams FROM lot WHERE lot_id = $1`, [
          d.lotId,
        ]);
        await stock(sql, d.toFacilityId, Number(row!.mass_grams), 1);
        await name(sql, d.lotId, [d.toPartyId], [d.toSiteId]);
        return;
      }
      case 'LotConsolidatedInto':
        await leaveFacility(sql, ev.data.lotId);
        await update(sql, e, ev.data.lotId, `status = 'CONSOLIDATED', ended_at = $1`, [ev.data.at]);
        return;
      case 'LotSplit':
        await leaveFacility(sql, ev.data.lotId);
        await update(
          sql,
          e,
          ev.data.lotId,
          `status = 'SPLIT', ended_at = $1, adjustment_grams = adjustment_grams + $2`,
          [ev.data.at, ev.data.gainOrLossGrams],
        );
        return;
      case 'LotTreated': {
        const d = ev.data;
        await leaveFacility(sql, d.lotId);
        await update(
          sql,
          e,
          d.lotId,
          `status = $1, ended_at = $2, method = $3, treated_grams = $4, emergency = emergency OR $5, facility_id = $6`,
          [
            d.mode === 'UTILISE' ? 'UTILISED' : 'DISPOSED',
            d.at,
            d.method,
            d.treatedMassGrams,
            d.emergency,
            d.facilityId,
          ],
        );
        return;
      }
      case 'LotLossRecorded': {
        const d = ev.data;
        const row = await sql.one<{ facility_id: string }>(
          `SELECT facility_id FROM lot WHERE lot_id = $1 AND ${AT_FACILITY}`,
          [d.lotId],
        );
        if (row) await stock(sql, row.facility_id, -d.massGrams, d.total ? -1 : 0);
        await update(
          sql,
          e,
          d.lotId,
          `mass_grams = $1, lost_grams = lost_grams + $2,
           status = CASE WHEN $3 THEN 'LOST' ELSE status END, ended_at = CASE WHEN $3 THEN $4::timestamptz ELSE ended_at END`,
          [d.remainingMassGrams, d.massGrams, d.total, d.at],
        );
        return;
      }
    }
  },
};
