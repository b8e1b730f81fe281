import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../shared/auth/principal';
import { Clock } from '../shared/clock';
import {
  AGE_BUCKETS,
  checkPeriod,
  checkPrefix,
  type QuantityDimension,
  QUANTITY_STAGES,
  type QuantityStage,
  REGION_DIGITS,
  type RegionLevel,
} from './domain/statistics';
import type {
  CarrierDiscrepancyRowObject,
  OpenManifestAgeRowObject,
  QuantityRowObject,
} from './graphql/statistics.types';
import { overseerOf, ScopeSql } from './jurisdiction';
import { prefixPattern } from './search/keyset';

export interface QuantityFilter {
  from: string;
  to: string;
  regionPrefix?: string;
  wasteCode?: string;
  category?: string;
  stages?: QuantityStage[];
  regionLevel?: RegionLevel;
}

/**
 * Where each stage's quantity comes from: one branch per stage over the read models, each with a
 * (stage, region, waste code, instant, grams) row per lot, within the period (indexed dates).
 * - GENERATED: lots generated (and residues), initial mass, at the producing site.
 * - TRANSFERRED: lots that left on a manifest, declared mass (the consignor's "transferred out",
 *   SPEC section 9), at the start site, when custody was taken.
 * - RECEIVED: accepted mass, at the end site, when the receipt was recorded.
 * - UTILISED / DISPOSED: treated mass at the treating site, when treated.
 */
const BRANCHES: Record<QuantityStage, string> = {
  GENERATED: `SELECT 'GENERATED' AS stage, s.division_code AS region, l.waste_code, l.generated_at AS at, l.initial_grams AS grams
      FROM lot l JOIN party_site s ON s.site_id = l.origin_site_id
     WHERE l.origin_kind IN ('GENERATED', 'RESIDUE') AND l.generated_at >= $1 AND l.generated_at < $2`,
  TRANSFERRED: `SELECT 'TRANSFERRED', m.start_division_code, ml.waste_code, m.custody_taken_at, ml.declared_grams
      FROM manifest m JOIN manifest_lot ml ON ml.manifest_id = m.manifest_id
     WHERE m.custody_taken_at >= $1 AND m.custody_taken_at < $2 AND ml.status IN ('CARRIED', 'RECEIVED')`,
  RECEIVED: `SELECT 'RECEIVED', m.end_division_code, ml.waste_code, m.received_at, ml.accepted_grams
      FROM manifest m JOIN manifest_lot ml ON ml.manifest_id = m.manifest_id
     WHERE m.received_at >= $1 AND m.received_at < $2 AND ml.accepted_grams IS NOT NULL`,
  UTILISED: `SELECT 'UTILISED', s.division_code, l.waste_code, l.ended_at, l.treated_grams
      FROM lot l JOIN party_site s ON s.site_id = l.site_id
     WHERE l.status = 'UTILISED' AND l.ended_at >= $1 AND l.ended_at < $2`,
  DISPOSED: `SELECT 'DISPOSED', s.division_code, l.waste_code, l.ended_at, l.treated_grams
      FROM lot l JOIN party_site s ON s.site_id = l.site_id
     WHERE l.status = 'DISPOSED' AND l.ended_at >= $1 AND l.ended_at < $2`,
};

const DAY_MS = 86_400_000;
const dayStart = (d: string) => new Date(`${d}T00:00:00.000+08:00`);

/**
 * 统计 — figures for regulators (SPEC section 10), all within the caller's jurisdiction
 * (`jurisdiction.ts`, on the region where each quantity arises or the manifest's sites):
 * quantities by stage and any of region, code, category and month; open manifests by age; the
 * discrepancy rate of each carrier. Computed from the read models in one query each.
 */
@Injectable()
export class StatisticsService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async quantities(
    who: Principal,
    f: QuantityFilter,
    groupBy: readonly QuantityDimension[],
  ): Promise<QuantityRowObject[]> {
    const { from, to } = checkPeriod(f.from, f.to);
    const params: unknown[] = [dayStart(from), new Date(dayStart(to).getTime() + DAY_MS)];
    const scope = new ScopeSql(overseerOf(who), params);
    const stages = f.stages?.length ? QUANTITY_STAGES.filter((s) => f.stages!.includes(s)) : QUANTITY_STAGES;
    const where = [scope.region('x.region')];
    if (f.regionPrefix) where.push(`x.region LIKE $${params.push(prefixPattern(f.regionPrefix))}`);
    if (f.wasteCode) where.push(`x.waste_code = $${params.push(f.wasteCode)}`);
    if (f.category) where.push(`('HW' || right(x.waste_code, 2)) = $${params.push(f.category)}`);
    const digits = REGION_DIGITS[f.regionLevel ?? 'COUNTY'];
    const dims: Record<QuantityDimension, string> = {
      REGION: `left(x.region, ${digits})`,
      WASTE_CODE: 'x.waste_code',
      CATEGORY: `'HW' || right(x.waste_code, 2)`,
      MONTH: `to_char(x.at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`,
    };
    const chosen = [...new Set(groupBy)];
    const col = (d: QuantityDimension, alias: string) =>
      chosen.includes(d) ? `${dims[d]} AS ${alias}` : `NULL AS ${alias}`;
    const rows = await this.db.query<
      {
        stage: QuantityStage;
        region: string | null;
        waste_code: string | null;
        category: string | null;
        month: string | null;
        grams: string;
        n: number;
      }[]
    >(
      `SELECT x.stage, ${col('REGION', 'region')}, ${col('WASTE_CODE', 'waste_code')}, ${col('CATEGORY', 'category')},
              ${col('MONTH', 'month')}, sum(x.grams)::bigint AS grams, count(*)::int AS n
         FROM (${stages.map((s) => BRANCHES[s]).join(' UNION ALL ')}) x (stage, region, waste_code, at, grams)
        WHERE ${where.join(' AND ')}
        GROUP BY 1, 2, 3, 4, 5
        ORDER BY array_position($${params.push([...QUANTITY_STAGES])}::text[], x.stage), 2, 3, 4, 5`,
      params,
    );
    return rows.map((r) => ({
      stage: r.stage,
      region: r.region,
      wasteCode: r.waste_code,
      category: r.category,
      month: r.month,
      mass: Number(r.grams),
      lotCount: r.n,
    }));
  }

  /** 在途联单 — manifests submitted and not yet closed or cancelled, by status and age. */
  async openManifestsByAge(who: Principal, regionPrefix?: string): Promise<OpenManifestAgeRowObject[]> {
    checkPrefix(regionPrefix);
    const params: unknown[] = [this.clock.now()];
    const scope = new ScopeSql(overseerOf(who), params);
    const where = [scope.manifest('m'), `m.status IN ('SUBMITTED', 'IN_TRANSIT', 'DELIVERED', 'RECEIVED')`];
    if (regionPrefix) {
      const r = `$${params.push(prefixPattern(regionPrefix))}`;
      where.push(`(m.start_division_code LIKE ${r} OR m.end_division_code LIKE ${r})`);
    }
    const bounds = AGE_BUCKETS.filter((b) => b.maxDays !== null).map((b) => b.maxDays);
    const rows = await this.db.query<
      { status: string; bucket: number; n: number; grams: string; oldest: Date }[]
    >(
      `SELECT m.status, width_bucket((extract(epoch FROM ($1::timestamptz - m.submitted_at)) / 86400)::float8,
                                     $${params.push(bounds)}::float8[]) AS bucket,
              count(*)::int AS n, sum(m.declared_grams)::bigint AS grams, min(m.submitted_at) AS oldest
         FROM manifest m
        WHERE ${where.join(' AND ')} AND m.submitted_at IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
    return rows.map((r) => ({
      status: r.status,
      age: AGE_BUCKETS[Math.max(r.bucket, 0)].name,
      manifestCount: r.n,
      declaredMass: Number(r.grams),
      oldestSubmittedAt: r.oldest,
    }));
  }

  /** 承运人差异率 — per carrier named on received manifests of the period (any leg). */
  async carrierDiscrepancyRates(
    who: Principal,
    period: { from: string; to: string; regionPrefix?: string },
  ): Promise<CarrierDiscrepancyRowObject[]> {
    const { from, to } = checkPeriod(period.from, period.to, 'period');
    const params: unknown[] = [dayStart(from), new Date(dayStart(to).getTime() + DAY_MS)];
    const scope = new ScopeSql(overseerOf(who), params);
    const where = [scope.manifest('m'), 'm.received_at >= $1', 'm.received_at < $2'];
    if (period.regionPrefix) {
      const r = `$${params.push(prefixPattern(period.regionPrefix))}`;
      where.push(`(m.start_division_code LIKE ${r} OR m.end_division_code LIKE ${r})`);
    }
    const rows = await this.db.query<
      {
        party_id: string;
        name: string | null;
        manifests: number;
        lots: number;
        flagged: number;
        grams: string | null;
      }[]
    >(
      `SELECT mp.party_id, p.name, count(DISTINCT m.manifest_id)::int AS manifests, count(*)::int AS lots,
              count(*) FILTER (WHERE ml.discrepancy)::int AS flagged,
              sum(abs(ml.measured_grams - coalesce(ml.pickup_grams, ml.declared_grams))) FILTER (WHERE ml.discrepancy)::bigint AS grams
         FROM manifest m
         JOIN manifest_party mp ON mp.manifest_id = m.manifest_id AND mp.role = 'CARRIER'
         JOIN manifest_lot ml ON ml.manifest_id = m.manifest_id AND ml.status = 'RECEIVED'
         LEFT JOIN party p ON p.party_id = mp.party_id
        WHERE ${where.join(' AND ')}
        GROUP BY mp.party_id, p.name`,
      params,
    );
    return rows
      .map((r) => ({
        carrier: { id: r.party_id, name: r.name },
        manifestCount: r.manifests,
        lotsReceived: r.lots,
        lotsWithDiscrepancy: r.flagged,
        rate: r.lots === 0 ? 0 : r.flagged / r.lots,
        discrepancyMass: Number(r.grams ?? 0),
      }))
      .sort(
        (a, b) =>
          b.rate - a.rate || b.lotsReceived - a.lotsReceived || a.carrier.id.localeCompare(b.carrier.id),
      );
  }
}
