import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_GROUP_ROLE } from '../src/database/roles';

/**
 * 运输轨迹与物联网 — vehicle tracks, weighbridges and dumping detection.
 *
 * Readings are not ledger events (volume): GPS points and weighbridge readings go to tables of
 * their own, declaratively partitioned by month of their instant (UTC months, PostgreSQL 15+).
 * Partitions are created ahead (and on demand for a late batch) by the application through
 * `telemetry_ensure_partitions(first_month, months)`, a SECURITY DEFINER function owned by the
 * migration role: creating a partition needs ownership of the parent table, which the
 * application role never has (the function names every relation with its schema and searches
 * only pg_catalog, so that nothing the caller creates can stand in for what it uses). Each
 * reading is unique per device and instant (deduplication).
 *
 * - `telemetry_leg`: read model of the manifests' custody events (rebuilt by `ledger:rebuild`):
 *   which vehicle carries which manifest from when to when, planned legs with null times, and
 *   when the ledger recorded the change (a custody act synced late re-attaches earlier points).
 * - `telemetry_gps_point` (partitioned): points, coordinates in integer micro-degrees, speed in
 *   tenths of km/h, and `manifest_ids`, the manifests the vehicle carried at that instant.
 * - `telemetry_weighing` (partitioned): weighbridge readings, masses in integer grams.
 * - `telemetry_weighing_link`: a weighing matched to a manifest as its PICKUP or RECEIPT weighing.
 * - `telemetry_batch`: idempotency of submitted batches (the first answer to a key is returned again).
 */
export class Telemetry1764300000900 implements MigrationInterface {
  name = 'Telemetry1764300000900';

  async up(q: QueryRunner): Promise<void> {
    const [{ schema }] = (await q.query(`SELECT current_schema() AS schema`)) as { schema: string }[];
    await q.query(`
      CREATE TABLE telemetry_leg (
        manifest_id text NOT NULL,
        leg integer NOT NULL,
        vehicle_id text NOT NULL,
        carrier_party_id text NOT NULL,
        started_at timestamptz,
        ended_at timestamptz,
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (manifest_id, leg)
      );
      CREATE INDEX telemetry_leg_vehicle_idx ON telemetry_leg (vehicle_id, started_at);
      CREATE INDEX telemetry_leg_changed_idx ON telemetry_leg (changed_at);

      CREATE TABLE telemetry_gps_point (
        device_id text NOT NULL,
        at timestamptz NOT NULL,
        party_id text NOT NULL,
        vehicle_id text NOT NULL,
        lat_e6 integer NOT NULL CHECK (lat_e6 BETWEEN -90000000 AND 90000000),
        lon_e6 integer NOT NULL CHECK (lon_e6 BETWEEN -180000000 AND 180000000),
        speed_dkmh integer CHECK (speed_dkmh >= 0),
        manifest_ids text[] NOT NULL DEFAULT '{}',
        received_at timestamptz NOT NULL,
        PRIMARY KEY (device_id, at)
      ) PARTITION BY RANGE (at);
      CREATE INDEX telemetry_gps_point_vehicle_idx ON telemetry_gps_point (vehicle_id, at);
      CREATE INDEX telemetry_gps_point_manifests_idx ON telemetry_gps_point USING gin (manifest_ids);

      CREATE TABLE telemetry_weighing (
        device_id text NOT NULL,
        at timestamptz NOT NULL,
        party_id text NOT NULL,
        site_id text NOT NULL,
        vehicle_id text NOT NULL,
        gross_grams bigint NOT NULL CHECK (gross_grams >= 0),
        tare_grams bigint NOT NULL CHECK (tare_grams >= 0),
        net_grams bigint NOT NULL CHECK (net_grams >= 0 AND net_grams = gross_grams - tare_grams),
        received_at timestamptz NOT NULL,
        PRIMARY KEY (device_id, at)
      ) PARTITION BY RANGE (at);
      CREATE INDEX telemetry_weighing_vehicle_idx ON telemetry_weighing (vehicle_id, at);
      CREATE INDEX telemetry_weighing_site_idx ON telemetry_weighing (site_id, at);

      CREATE TABLE telemetry_weighing_link (
        manifest_id text NOT NULL,
        stage text NOT NULL CHECK (stage IN ('PICKUP', 'RECEIPT')),
        device_id text NOT NULL,
        at timestamptz NOT NULL,
        linked_at timestamptz NOT NULL,
        PRIMARY KEY (manifest_id, stage, device_id, at)
      );
      CREATE INDEX telemetry_weighing_link_reading_idx ON telemetry_weighing_link (device_id, at);

      CREATE TABLE telemetry_batch (
        sender_key text NOT NULL,
        idempotency_key text NOT NULL,
        request_hash bytea NOT NULL,
        result jsonb,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (sender_key, idempotency_key)
      );

      CREATE FUNCTION telemetry_ensure_partitions(first_month date, months integer) RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
      DECLARE
        home constant text := ${quoteLiteral(schema)};
        m date;
        parent text;
        part text;
        created integer := 0;
      BEGIN
        IF first_month IS NULL OR months IS NULL OR months < 1 OR months > 36 THEN
          RAISE EXCEPTION 'telemetry_ensure_partitions: months must be 1 to 36';
        END IF;
        -- one creator at a time, so that two processes never race on the same partition
        PERFORM pg_advisory_xact_lock(hashtext('telemetry_ensure_partitions'));
        FOR i IN 0 .. months - 1 LOOP
          m := (date_trunc('month', first_month) + make_interval(months => i))::date;
          FOREACH parent IN ARRAY ARRAY['telemetry_gps_point', 'telemetry_weighing'] LOOP
            part := format('%s_y%sm%s', parent, to_char(m, 'YYYY'), to_char(m, 'MM'));
            IF to_regclass(format('%I.%I', home, part)) IS NULL THEN
              EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)', home, part, home, parent,
                             m::timestamp AT TIME ZONE 'UTC', (m + interval '1 month')::timestamp AT TIME ZONE 'UTC');
              created := created + 1;
            END IF;
          END LOOP;
        END LOOP;
        RETURN created;
      END $$;
      REVOKE ALL ON FUNCTION telemetry_ensure_partitions(date, integer) FROM PUBLIC;
    `);
    await q.query(`
      GRANT EXECUTE ON FUNCTION telemetry_ensure_partitions(date, integer) TO ${APP_GROUP_ROLE};
      GRANT SELECT, INSERT, UPDATE, DELETE ON telemetry_leg TO ${APP_GROUP_ROLE};
      GRANT SELECT, INSERT, UPDATE ON telemetry_gps_point TO ${APP_GROUP_ROLE};
      GRANT SELECT, INSERT, UPDATE, DELETE ON telemetry_batch TO ${APP_GROUP_ROLE};
      GRANT SELECT, INSERT ON telemetry_weighing, telemetry_weighing_link TO ${APP_GROUP_ROLE};
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION telemetry_ensure_partitions(date, integer)`);
    await q.query(
      `DROP TABLE telemetry_batch, telemetry_weighing_link, telemetry_weighing, telemetry_gps_point, telemetry_leg`,
    );
  }
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
