import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { normaliseLabelCode } from '../lots/labels/label-code';
import { type FateLot, lotFate } from '../lots/lot-fate';
import { notFound } from '../shared/auth/access-policy';
import type { Principal } from '../shared/auth/principal';
import { DomainError } from '../shared/domain/domain-error';
import { type ChainDirection, chainLevels, fateOf, sourcesOf, walksOf } from './domain/custody-chain';
import type {
  CustodyChainObject,
  CustodyEdgeObject,
  CustodyEventObject,
  CustodyNodeObject,
} from './graphql/custody-chain.objects';
import { ScopeSql, viewerOf } from './jurisdiction';

/** Largest chain answered at once (a country-wide disposal lot would be far smaller). */
export const MAX_CHAIN_NODES = 100_000;

/** A lot of the walked graph, as the one chain query returns it (JSON). */
interface NodeRow {
  lotId: string;
  labelCode: string;
  wasteCode: string;
  category: string;
  status: string;
  originKind: string;
  initialGrams: number;
  massGrams: number;
  adjustmentGrams: number;
  lostGrams: number;
  treatedGrams: number | null;
  method: string | null;
  producerPartyId: string | null;
  producerName: string | null;
  originPartyId: string;
  originName: string | null;
  custodianPartyId: string;
  custodianName: string | null;
  siteId: string | null;
  region: string | null;
  manifestId: string | null;
  generatedAt: string;
  endedAt: string | null;
  emergency: boolean;
  disputed: boolean;
  visible: boolean;
}

interface EdgeRow {
  parentLotId: string;
  childLotId: string;
  kind: string;
  grams: number;
  at: string;
}

interface EventRow {
  lot_id: string;
  position: string;
  type: string;
  at: Date;
  recorded_at: Date;
  offline: boolean;
  party_id: string | null;
  party_name: string | null;
  from_party_id: string | null;
  from_party_name: string | null;
  site_id: string | null;
  site_name: string | null;
  division_code: string | null;
  facility_id: string | null;
  manifest_id: string | null;
  manifest_number: string | null;
  grams: string | null;
  discrepancy: boolean | null;
  difference_grams: string | null;
  decision: string | null;
  method: string | null;
  disputed: boolean;
  related_lot_id: string | null;
}

/**
 * The walk: ONE recursive query over `lot_lineage` (upward through the child index, downward
 * through the primary key; UNION keeps each lot once however many paths reach it), which also
 * returns the lots with their names and places, whether the caller may see each, and the edges
 * between them — whatever the depth or width of the graph.
 */
const chainSql = (visible: string) => `
  WITH RECURSIVE
    up(lot_id) AS (
      SELECT r FROM unnest($1::text[]) r
      UNION
      SELECT e.parent_lot_id FROM lot_lineage e JOIN up u ON e.child_lot_id = u.lot_id WHERE $2::boolean
    ),
    down(lot_id) AS (
      SELECT r FROM unnest($1::text[]) r
      UNION
      SELECT e.child_lot_id FROM lot_lineage e JOIN down d ON e.parent_lot_id = d.lot_id WHERE $3::boolean
    ),
    walk AS MATERIALIZED (SELECT lot_id FROM up UNION SELECT lot_id FROM down)
  SELECT
    (SELECT count(*) FROM walk)::int AS size,
    (SELECT json_agg(n) FROM (
       SELECT l.lot_id AS "lotId", l.label_code AS "labelCode", l.waste_code AS "wasteCode", l.category, l.status,
              l.origin_kind AS "originKind", l.initial_grams AS "initialGrams", l.mass_grams AS "massGrams",
              l.adjustment_grams AS "adjustmentGrams", l.lost_grams AS "lostGrams", l.treated_grams AS "treatedGrams",
              l.method, l.producer_party_id AS "producerPartyId", pp.name AS "producerName",
              l.origin_party_id AS "originPartyId", op.name AS "originName",
              l.custodian_party_id AS "custodianPartyId", cp.name AS "custodianName", l.site_id AS "siteId",
              coalesce(cs.division_code, os.division_code) AS region, l.manifest_id AS "manifestId",
              l.generated_at AS "generatedAt", l.ended_at AS "endedAt", l.emergency, l.disputed,
              ${visible} AS visible
         FROM walk w JOIN lot l ON l.lot_id = w.lot_id
         LEFT JOIN party pp ON pp.party_id = l.producer_party_id
         LEFT JOIN party op ON op.party_id = l.origin_party_id
         LEFT JOIN party cp ON cp.party_id = l.custodian_party_id
         LEFT JOIN party_site cs ON cs.site_id = l.site_id
         LEFT JOIN party_site os ON os.site_id = l.origin_site_id
        LIMIT $4
    ) n) AS nodes,
    (SELECT json_agg(x) FROM (
       SELECT e.parent_lot_id AS "parentLotId", e.child_lot_id AS "childLotId", e.kind, e.grams, e.at
         FROM walk p JOIN lot_lineage e ON e.parent_lot_id = p.lot_id JOIN walk c ON c.lot_id = e.child_lot_id
        ORDER BY e.at, e.parent_lot_id, e.child_lot_id
    ) x) AS edges`;

/**
 * Every act on the visible lots, in one query over their streams (`lot-<id>`, through the
 * stream/version key): the party that holds, takes, receives or treats the lot by each act (the
 * first of these payload fields present), the party it came from, site, manifest, mass and the
 * receipt's discrepancy.
 */
const EVENTS_SQL = `
  SELECT x.*, pa.name AS party_name, fp.name AS from_party_name, s.name AS site_name, s.division_code,
         m.hazledger_number AS manifest_number
    FROM (
      SELECT substr(e.stream_id, 5) AS lot_id, e.position, e.version, e.event_type AS type,
             coalesce((e.payload->>'at')::timestamptz, e.occurred_at) AS at, e.recorded_at, e.offline,
             coalesce(e.payload->>'toCarrierPartyId', e.payload->>'receiverPartyId', e.payload->>'toPartyId',
                      e.payload->>'carrierPartyId', e.payload->>'treaterPartyId', e.payload->>'recordedByPartyId',
                      e.payload->>'originPartyId', e.payload->>'producerPartyId', e.payload->>'consignorPartyId',
                      e.actor->>'partyId') AS party_id,
             coalesce(e.payload->>'fromCarrierPartyId', e.payload->>'fromPartyId') AS from_party_id,
             coalesce(e.payload->>'toSiteId', e.payload->>'siteId') AS site_id,
             coalesce(e.payload->>'toFacilityId', e.payload->>'facilityId') AS facility_id,
             e.payload->>'manifestId' AS manifest_id,
             coalesce(e.payload->>'measuredMassGrams', e.payload->>'treatedMassGrams', e.payload->>'pickupMassGrams',
                      e.payload->>'massGrams') AS grams,
             (e.payload->'discrepancy'->>'beyondTolerance')::boolean AS discrepancy,
             e.payload->'discrepancy'->>'differenceGrams' AS difference_grams,
             e.payload->>'decision' AS decision, e.payload->>'method' AS method,
             coalesce((e.payload->>'disputed')::boolean, false) AS disputed,
             coalesce(e.payload->>'targetLotId', e.payload->>'sourceLotId') AS related_lot_id
        FROM ledger_event e
       WHERE e.stream_id = ANY($1)
    ) x
    LEFT JOIN party pa ON pa.party_id = x.party_id
    LEFT JOIN party fp ON fp.party_id = x.from_party_id
    LEFT JOIN party_site s ON s.site_id = x.site_id
    LEFT JOIN manifest m ON m.manifest_id = x.manifest_id
   ORDER BY x.lot_id, x.version`;

const ref = (id: string | null, name: string | null) => (id ? { id, name } : null);
const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

/**
 * 溯源 — custody chains for regulators and parties (SPEC section 10): from any lot backward to
 * every source and forward to every outcome, through consolidations, splits, rejected parts and
 * residues, with each lot's custody events; and from a manifest or a label. The asked lot (or
 * manifest) must be one the caller may see, else NOT_FOUND; every other lot of the chain outside
 * the caller's scope (`jurisdiction.ts`) is shown redacted — waste code, mass, region — never
 * dropped, so that the chain stays whole. Three queries whatever the size of the graph.
 */
@Injectable()
export class CustodyChainService {
  constructor(private readonly db: DataSource) {}

  async byLot(who: Principal, lotId: string, direction: ChainDirection, withEvents = true) {
    await this.visibleRoots(who, [lotId]);
    return this.walk(who, [lotId], direction, withEvents);
  }

  /** A scanned or typed label code (normalised, check character verified). */
  async byLabel(who: Principal, labelCode: string, direction: ChainDirection, withEvents = true) {
    const code = normaliseLabelCode(labelCode);
    const [row] = code
      ? await this.db.query<{ lot_id: string }[]>(`SELECT lot_id FROM lot WHERE label_code = $1`, [code])
      : [];
    if (!row) throw notFound('label');
    return this.byLot(who, row.lot_id, direction, withEvents);
  }

  /** The chains of every lot listed on a manifest the caller may see. */
  async byManifest(who: Principal, manifestId: string, direction: ChainDirection, withEvents = true) {
    const params: unknown[] = [manifestId];
    const scope = new ScopeSql(viewerOf(who), params).manifest('m');
    const [m] = await this.db.query<{ lot_ids: string[] | null }[]>(
      `SELECT (SELECT array_agg(ml.lot_id ORDER BY ml.position) FROM manifest_lot ml WHERE ml.manifest_id = m.manifest_id) AS lot_ids
         FROM manifest m WHERE m.manifest_id = $1 AND ${scope}`,
      params,
    );
    if (!m) throw notFound('manifest');
    return this.walk(who, m.lot_ids ?? [], direction, withEvents);
  }

  private async visibleRoots(who: Principal, lotIds: string[]): Promise<void> {
    const params: unknown[] = [lotIds];
    const scope = new ScopeSql(viewerOf(who), params).lot('l');
    const rows = await this.db.query<{ lot_id: string }[]>(
      `SELECT l.lot_id FROM lot l WHERE l.lot_id = ANY($1) AND ${scope}`,
      params,
    );
    if (rows.length !== new Set(lotIds).size) throw notFound('lot');
  }

  private async walk(
    who: Principal,
    roots: string[],
    direction: ChainDirection,
    withEvents: boolean,
  ): Promise<CustodyChainObject> {
    const { up, down } = walksOf(direction);
    const params: unknown[] = [roots, up, down, MAX_CHAIN_NODES + 1];
    const visible = new ScopeSql(viewerOf(who), params).lot('l');
    const [r] = await this.db.query<{ size: number; nodes: NodeRow[] | null; edges: EdgeRow[] | null }[]>(
      chainSql(visible),
      params,
    );
    if (r.size > MAX_CHAIN_NODES) {
      throw new DomainError(
        'PAYLOAD_TOO_LARGE',
        `the chain holds ${r.size} lots, more than ${MAX_CHAIN_NODES}; walk one direction, or from a later lot`,
        { limit: MAX_CHAIN_NODES },
      );
    }
    // in lot id order (sorted here, not in SQL, where 10,000 wide rows spilled the sort to disk)
    const nodes = (r.nodes ?? []).sort((a, b) => (a.lotId < b.lotId ? -1 : a.lotId > b.lotId ? 1 : 0));
    const edges = r.edges ?? [];
    const levels = chainLevels(roots, edges, direction);
    const shown = nodes.filter((n) => n.visible);
    const events =
      withEvents && shown.length > 0
        ? await this.events(shown.map((n) => n.lotId))
        : new Map<string, CustodyEventObject[]>();
    const sources = sourcesOf(
      nodes.map((n) => n.lotId),
      edges,
    );
    const byId = new Map(nodes.map((n) => [n.lotId, n]));
    return {
      rootLotIds: roots,
      direction,
      nodeCount: nodes.length,
      edgeCount: edges.length,
      redactedCount: nodes.length - shown.length,
      sourceLotIds: sources,
      sourceMass: sources.reduce((a, id) => a + Number(byId.get(id)?.initialGrams ?? 0), 0),
      nodes: nodes
        .map((n) => toNode(n, levels.get(n.lotId) ?? 0, events.get(n.lotId) ?? []))
        .sort((a, b) => a.level - b.level || (a.lotId < b.lotId ? -1 : a.lotId > b.lotId ? 1 : 0)),
      edges: edges.map((e): CustodyEdgeObject => ({
        fromLotId: e.parentLotId,
        toLotId: e.childLotId,
        kind: e.kind,
        mass: Number(e.grams),
        at: new Date(e.at),
      })),
      outcomes: roots.length === 1 && down ? outcomesOf(roots[0], nodes, edges) : [],
    };
  }

  private async events(lotIds: string[]): Promise<Map<string, CustodyEventObject[]>> {
    const rows = await this.db.query<EventRow[]>(EVENTS_SQL, [lotIds.map((id) => `lot-${id}`)]);
    const out = new Map<string, CustodyEventObject[]>();
    for (const e of rows) {
      const list = out.get(e.lot_id) ?? [];
      list.push({
        position: Number(e.position),
        type: e.type,
        at: e.at,
        recordedAt: e.recorded_at,
        offline: e.offline,
        partyId: e.party_id,
        partyName: e.party_id ? e.party_name : null,
        fromPartyId: e.from_party_id,
        fromPartyName: e.from_party_id ? e.from_party_name : null,
        siteId: e.site_id,
        siteName: e.site_name,
        divisionCode: e.division_code,
        facilityId: e.facility_id,
        manifestId: e.manifest_id,
        manifestNumber: e.manifest_number,
        mass: num(e.grams),
        discrepancy: e.discrepancy === true,
        discrepancyMass: e.discrepancy === null ? null : num(e.difference_grams),
        decision: e.decision,
        method: e.method,
        disputed: e.disputed,
        relatedLotId: e.related_lot_id,
      });
      out.set(e.lot_id, list);
    }
    return out;
  }
}

function toNode(n: NodeRow, level: number, events: CustodyEventObject[]): CustodyNodeObject {
  const base = {
    lotId: n.lotId,
    level,
    wasteCode: n.wasteCode,
    category: n.category,
    mass: Number(n.massGrams),
    region: n.region,
  };
  if (!n.visible) {
    return {
      ...base,
      redacted: true,
      labelCode: null,
      status: null,
      fate: null,
      originKind: null,
      initialMass: null,
      lostMass: null,
      treatedMass: null,
      method: null,
      producer: null,
      origin: null,
      custodian: null,
      siteId: null,
      manifestId: null,
      generatedAt: null,
      endedAt: null,
      emergency: null,
      disputed: null,
      events: [],
    };
  }
  return {
    ...base,
    redacted: false,
    labelCode: n.labelCode,
    status: n.status,
    fate: fateOf(n.status),
    originKind: n.originKind,
    initialMass: Number(n.initialGrams),
    lostMass: Number(n.lostGrams),
    treatedMass: num(n.treatedGrams),
    method: n.method,
    producer: ref(n.producerPartyId, n.producerName),
    origin: ref(n.originPartyId, n.originName),
    custodian: ref(n.custodianPartyId, n.custodianName),
    siteId: n.siteId,
    manifestId: n.manifestId,
    generatedAt: new Date(n.generatedAt),
    endedAt: n.endedAt ? new Date(n.endedAt) : null,
    emergency: n.emergency,
    disputed: n.disputed,
    events,
  };
}

/** 最终去向 of one lot walked forward: the lots pure `lotFate` apportions, gram-exact. */
function outcomesOf(rootId: string, nodes: readonly NodeRow[], edges: readonly EdgeRow[]) {
  const lots = new Map<string, FateLot>(
    nodes.map((n) => [
      n.lotId,
      {
        lotId: n.lotId,
        status: n.status,
        initialGrams: Number(n.initialGrams),
        massGrams: Number(n.massGrams),
        adjustmentGrams: Number(n.adjustmentGrams),
        lostGrams: Number(n.lostGrams),
        treatedGrams: num(n.treatedGrams),
      },
    ]),
  );
  const fateEdges = edges.map((e) => ({ ...e, grams: Number(e.grams) }));
  return lotFate(rootId, lots, fateEdges).map((s) => ({ kind: s.kind, lotId: s.lotId, mass: s.grams }));
}
