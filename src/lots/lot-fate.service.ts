import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { canSee } from '../shared/auth/access-policy';
import { isSystemAdmin, partyOf, type Principal } from '../shared/auth/principal';
import type { LotFateObject, LotFateOutcomeObject } from './graphql/lot.objects';
import { type FateEdge, type FateLot, inflowOf, lotFate } from './lot-fate';
import { LOT_SELECT, LotReadService, type LotRow } from './lot-read.service';

/**
 * 最终去向 — for a lot the caller may see, where every gram ended: walks the lineage the lot
 * projection keeps (`lot_lineage`) down through consolidations, splits and rejected parts. The
 * lot's producer (or maker) sees every node in full: that is the receiver's report owed to it
 * (Transfer Measures art. 12). Anyone else sees nodes outside their own scope redacted (region,
 * mass and outcome only), so that the chain stays whole (SPEC section 10).
 */
@Injectable()
export class LotFateService {
  constructor(
    private readonly db: DataSource,
    private readonly read: LotReadService,
  ) {}

  async fate(who: Principal, lotId: string): Promise<LotFateObject> {
    const root = await this.read.visibleRow(who, lotId);
    const rows = await this.db.query<LotRow[]>(
      `WITH RECURSIVE down(lot_id) AS (
         SELECT $1::text
         UNION
         SELECT e.child_lot_id FROM lot_lineage e JOIN down d ON e.parent_lot_id = d.lot_id WHERE e.kind <> 'RESIDUE'
       )
       ${LOT_SELECT} WHERE l.lot_id IN (SELECT lot_id FROM down)`,
      [lotId],
    );
    const ids = rows.map((r) => r.lot_id);
    const edges = await this.db.query<
      { parent_lot_id: string; child_lot_id: string; kind: string; grams: string }[]
    >(
      `SELECT parent_lot_id, child_lot_id, kind, grams FROM lot_lineage WHERE parent_lot_id = ANY($1) ORDER BY at, child_lot_id`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.lot_id, r]));
    const lots = new Map<string, FateLot>(rows.map((r) => [r.lot_id, toFateLot(r)]));
    const fateEdges: FateEdge[] = edges.map((e) => ({
      parentLotId: e.parent_lot_id,
      childLotId: e.child_lot_id,
      kind: e.kind,
      grams: Number(e.grams),
    }));
    const own = partyOf(who);
    const full =
      isSystemAdmin(who) ||
      (own !== null && (own === root.producer_party_id || own === root.origin_party_id));
    const outcomes: LotFateOutcomeObject[] = [];
    for (const share of lotFate(lotId, lots, fateEdges)) {
      const r = byId.get(share.lotId)!;
      const visible = full || canSee(who, await this.read.scope(r.lot_id));
      outcomes.push({
        kind: share.kind,
        mass: share.grams,
        lotId: r.lot_id,
        labelCode: r.label_code,
        status: r.status,
        partyId: visible ? r.custodian_party_id : null,
        partyName: visible ? r.custodian_name : null,
        siteId: visible ? r.site_id : null,
        facilityId: visible ? r.facility_id : null,
        divisionCode: r.division_code,
        method: share.kind === 'UTILISED' || share.kind === 'DISPOSED' ? r.method : null,
        at:
          share.kind === 'HELD' ? (r.entered_facility_at ?? r.generated_at) : (r.ended_at ?? r.generated_at),
        path: [...share.path],
      });
    }
    return {
      lotId,
      labelCode: root.label_code,
      mass: inflowOf(lots.get(lotId)!),
      complete: outcomes.every((o) => o.kind !== 'HELD'),
      outcomes,
    };
  }
}

function toFateLot(r: LotRow): FateLot {
  return {
    lotId: r.lot_id,
    status: r.status,
    initialGrams: Number(r.initial_grams),
    massGrams: Number(r.mass_grams),
    adjustmentGrams: Number(r.adjustment_grams),
    lostGrams: Number(r.lost_grams),
    treatedGrams: r.treated_grams === null ? null : Number(r.treated_grams),
  };
}
