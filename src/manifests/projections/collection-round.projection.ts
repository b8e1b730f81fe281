import type { Sql } from '../../database/sql';
import type { StoredEvent } from '../../ledger/ledger.types';
import type { Projection } from '../../ledger/projections/projection';
import type { CollectionRoundPlanned } from '../domain';
import { COLLECTION_ROUND_EVENT_TYPES } from '../manifest-streams';

/** 集中收集 — `collection_round` and its ordered `collection_round_stop`s. */
export const collectionRoundProjection: Projection = {
  name: 'collection-rounds',
  tables: ['collection_round', 'collection_round_stop'],
  eventTypes: COLLECTION_ROUND_EVENT_TYPES,
  async apply(sql: Sql, e: StoredEvent): Promise<void> {
    const d = e.data as unknown as CollectionRoundPlanned['data'];
    await sql.exec(
      `INSERT INTO collection_round (round_id, collector_party_id, carrier_party_id, vehicle_id, driver_id, escort_id,
          receiver_party_id, receiver_site_id, planned_date, status, planned_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'PLANNED', $10)`,
      [
        d.roundId,
        d.collectorPartyId,
        d.carrierPartyId,
        d.vehicleId,
        d.driverId,
        d.escortId,
        d.receiverPartyId,
        d.receiverSiteId,
        d.plannedDate,
        d.at,
      ],
    );
    for (const s of d.stops) {
      await sql.exec(
        `INSERT INTO collection_round_stop (round_id, stop_no, consignor_party_id, site_id) VALUES ($1, $2, $3, $4)`,
        [d.roundId, s.stopNo, s.consignorPartyId, s.siteId],
      );
    }
  },
};
