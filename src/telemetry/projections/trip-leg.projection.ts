import type { Sql } from '../../database/sql';
import type { StoredEvent } from '../../ledger/ledger.types';
import type { Projection } from '../../ledger/projections/projection';
import type { CarrierLeg, ManifestEvent } from '../../manifests/domain';
import { MANIFEST_STREAM, manifestIdOfStream } from '../../manifests/manifest-streams';

type Data<T extends ManifestEvent['type']> = Extract<ManifestEvent, { type: T }>['data'];

/** The manifest events that say which vehicle carries a manifest, and when. */
export const TRIP_LEG_EVENT_TYPES = [
  'ManifestDrafted',
  'ManifestDraftAmended',
  'PaperManifestEntered',
  'CustodyTaken',
  'CustodyRelayed',
  'ManifestDelivered',
  'ManifestCancelled',
] as const satisfies readonly ManifestEvent['type'][];

async function plan(
  sql: Sql,
  manifestId: string,
  legs: readonly CarrierLeg[],
  changedAt: Date,
): Promise<void> {
  await sql.exec(`DELETE FROM telemetry_leg WHERE manifest_id = $1`, [manifestId]);
  for (const [i, l] of legs.entries()) {
    await sql.exec(
      `INSERT INTO telemetry_leg (manifest_id, leg, vehicle_id, carrier_party_id, changed_at) VALUES ($1, $2, $3, $4, $5)`,
      [manifestId, i + 1, l.vehicleId, l.carrierId, changedAt],
    );
  }
}

async function start(
  sql: Sql,
  manifestId: string,
  leg: { leg: number; vehicleId: string; carrierId: string; at: string },
  changedAt: Date,
) {
  await sql.exec(
    `INSERT INTO telemetry_leg (manifest_id, leg, vehicle_id, carrier_party_id, started_at, changed_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (manifest_id, leg) DO UPDATE SET vehicle_id = excluded.vehicle_id,
       carrier_party_id = excluded.carrier_party_id, started_at = excluded.started_at, ended_at = NULL,
       changed_at = excluded.changed_at`,
    [manifestId, leg.leg, leg.vehicleId, leg.carrierId, leg.at, changedAt],
  );
}

const endOpenLegs = (sql: Sql, manifestId: string, at: string, changedAt: Date) =>
  sql.exec(
    `UPDATE telemetry_leg SET ended_at = $2, changed_at = $3
      WHERE manifest_id = $1 AND started_at IS NOT NULL AND ended_at IS NULL`,
    [manifestId, at, changedAt],
  );

/**
 * `telemetry_leg` — 运输段: which vehicle carries which manifest from when to when, from the
 * manifests' own custody events (取得 custody, 联运 relay, 交付 delivery), so that a reading is
 * attached to every manifest its vehicle carried at that instant. Planned legs (drafted) have no
 * times: they let a pickup weighing made before custody find its manifest, and name the sites a
 * loaded vehicle may stop at. A paper manifest (entered afterwards) gets its trip's window on
 * every planned leg, since a paper trip does not record its relay times. `changed_at` is when the
 * ledger recorded the change: points stored before it are attached again by the scheduler.
 */
export const tripLegProjection: Projection = {
  name: 'telemetry-trip-legs',
  tables: ['telemetry_leg'],
  eventTypes: TRIP_LEG_EVENT_TYPES,
  async apply(sql: Sql, e: StoredEvent): Promise<void> {
    if (e.streamType !== MANIFEST_STREAM) return;
    const manifestId = manifestIdOfStream(e.streamId);
    const changedAt = e.recordedAt;
    switch (e.type as (typeof TRIP_LEG_EVENT_TYPES)[number]) {
      case 'ManifestDrafted':
        await plan(sql, manifestId, (e.data as unknown as Data<'ManifestDrafted'>).content.legs, changedAt);
        return;
      case 'ManifestDraftAmended': {
        const legs = (e.data as unknown as Data<'ManifestDraftAmended'>).changes.legs;
        if (legs) await plan(sql, manifestId, legs, changedAt);
        return;
      }
      case 'PaperManifestEntered': {
        const d = e.data as unknown as Data<'PaperManifestEntered'>;
        if (d.content) await plan(sql, manifestId, d.content.legs, changedAt);
        if (d.fromStatus === 'IN_TRANSIT') {
          await endOpenLegs(sql, manifestId, d.tripEndedAt, changedAt);
        } else {
          await sql.exec(
            `UPDATE telemetry_leg SET started_at = $2, ended_at = $3, changed_at = $4
              WHERE manifest_id = $1 AND started_at IS NULL`,
            [manifestId, d.tripStartedAt, d.tripEndedAt, changedAt],
          );
        }
        return;
      }
      case 'CustodyTaken': {
        const d = e.data as unknown as Data<'CustodyTaken'>;
        await start(
          sql,
          manifestId,
          { leg: d.leg, vehicleId: d.vehicleId, carrierId: d.carrierId, at: d.at },
          changedAt,
        );
        return;
      }
      case 'CustodyRelayed': {
        const d = e.data as unknown as Data<'CustodyRelayed'>;
        await sql.exec(
          `UPDATE telemetry_leg SET ended_at = $3, changed_at = $4 WHERE manifest_id = $1 AND leg = $2`,
          [manifestId, d.fromLeg, d.at, changedAt],
        );
        await start(
          sql,
          manifestId,
          { leg: d.toLeg, vehicleId: d.vehicleId, carrierId: d.toCarrierId, at: d.at },
          changedAt,
        );
        return;
      }
      case 'ManifestDelivered':
        await endOpenLegs(sql, manifestId, (e.data as unknown as Data<'ManifestDelivered'>).at, changedAt);
        return;
      case 'ManifestCancelled':
        await sql.exec(`DELETE FROM telemetry_leg WHERE manifest_id = $1`, [manifestId]);
        return;
    }
  },
};
