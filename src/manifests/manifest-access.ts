import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { StreamScope } from '../ledger/stream-access';
import { canSee, notFound } from '../shared/auth/access-policy';
import type { Principal } from '../shared/auth/principal';
import type { Acting } from './manifest-facts.service';

/**
 * Who may see a manifest: every party named on it (consignor, its agent, shipper, carriers,
 * receiver) and regulators whose jurisdiction holds its start or end site; for anyone else it
 * does not exist (NOT_FOUND, never FORBIDDEN).
 */
@Injectable()
export class ManifestAccess {
  constructor(private readonly db: DataSource) {}

  async scope(manifestId: string): Promise<StreamScope | null> {
    const [m] = await this.db.query<{ start_division_code: string; end_division_code: string }[]>(
      `SELECT start_division_code, end_division_code FROM manifest WHERE manifest_id = $1`,
      [manifestId],
    );
    if (!m) return null;
    const parties = await this.db.query<{ party_id: string }[]>(
      `SELECT DISTINCT party_id FROM manifest_party WHERE manifest_id = $1`,
      [manifestId],
    );
    return {
      partyIds: parties.map((p) => p.party_id),
      divisionCodes: [m.start_division_code, m.end_division_code],
    };
  }

  /** A collection round concerns its collector, carrier and producers, and the sites it visits. */
  async roundScope(roundId: string): Promise<StreamScope | null> {
    const [r] = await this.db.query<
      { collector_party_id: string; carrier_party_id: string; receiver_site_id: string }[]
    >(
      `SELECT collector_party_id, carrier_party_id, receiver_site_id FROM collection_round WHERE round_id = $1`,
      [roundId],
    );
    if (!r) return null;
    const stops = await this.db.query<{ consignor_party_id: string; division_code: string }[]>(
      `SELECT st.consignor_party_id, s.division_code FROM collection_round_stop st JOIN party_site s ON s.site_id = st.site_id
        WHERE st.round_id = $1 UNION ALL SELECT NULL, division_code FROM party_site WHERE site_id = $2`,
      [roundId, r.receiver_site_id],
    );
    return {
      partyIds: [
        r.collector_party_id,
        r.carrier_party_id,
        ...stops.flatMap((x) => (x.consignor_party_id ? [x.consignor_party_id] : [])),
      ],
      divisionCodes: stops.map((x) => x.division_code),
    };
  }

  async canSee(who: Principal, manifestId: string): Promise<boolean> {
    const scope = await this.scope(manifestId);
    return scope !== null && canSee(who, scope);
  }

  async assertVisible(who: Principal, manifestId: string): Promise<StreamScope> {
    const scope = await this.scope(manifestId);
    if (!scope || !canSee(who, scope)) throw notFound('manifest');
    return scope;
  }

  /** The acting party (or the caller's own) is named on the manifest; else NOT_FOUND. */
  async assertParty(acting: Acting, manifestId: string): Promise<StreamScope> {
    const scope = await this.scope(manifestId);
    if (!scope || !(scope.partyIds.includes(acting.partyId) || scope.partyIds.includes(acting.ownPartyId))) {
      throw notFound('manifest');
    }
    return scope;
  }
}
