import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_GROUP_ROLE } from '../src/database/roles';

/**
 * 电子转移联单 — read models of the manifest and collection-round streams (rebuilt by
 * `ledger:rebuild`): `manifest`, `manifest_party`, `manifest_lot`, `manifest_correction`,
 * `manifest_dispute`, `collection_round`, `collection_round_stop`. Beside them, what must never
 * enter the ledger: `manifest_handover_code`, the one-time handover codes, stored hashed (scrypt
 * with a salt per code) with their tries and lock.
 */
export class Manifests1764300000600 implements MigrationInterface {
  name = 'Manifests1764300000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE manifest (
        manifest_id text PRIMARY KEY,
        hazledger_number text NOT NULL,
        national_number text,
        status text NOT NULL,
        transfer_type text NOT NULL,
        consignor_party_id text NOT NULL,
        agent_party_id text,
        shipper_party_id text NOT NULL,
        receiver_party_id text NOT NULL,
        first_carrier_party_id text NOT NULL,
        start_site_id text NOT NULL,
        start_division_code text NOT NULL,
        end_site_id text NOT NULL,
        end_division_code text NOT NULL,
        planned_date date NOT NULL,
        round_id text,
        preceding_manifest_id text,
        leg_count integer NOT NULL,
        current_leg integer NOT NULL DEFAULT 0,
        lot_count integer NOT NULL,
        declared_grams bigint NOT NULL,
        accepted_grams bigint,
        rejected_grams bigint,
        discrepancy boolean NOT NULL DEFAULT false,
        late_receipt boolean NOT NULL DEFAULT false,
        disputed boolean NOT NULL DEFAULT false,
        paper_number text,
        paper_late boolean,
        correction_pending boolean NOT NULL DEFAULT false,
        correction_count integer NOT NULL DEFAULT 0,
        cross_province_approval_id text,
        drafted_at timestamptz NOT NULL,
        submitted_at timestamptz,
        custody_taken_at timestamptz,
        delivered_at timestamptz,
        received_at timestamptz,
        closed_at timestamptz,
        cancelled_at timestamptz,
        last_event_at timestamptz NOT NULL,
        version integer NOT NULL
      );
      CREATE UNIQUE INDEX manifest_hazledger_number_key ON manifest (hazledger_number);
      CREATE UNIQUE INDEX manifest_national_number_key ON manifest (national_number) WHERE national_number IS NOT NULL;
      CREATE INDEX manifest_status_idx ON manifest (status, planned_date);
      CREATE INDEX manifest_start_division_idx ON manifest (start_division_code text_pattern_ops);
      CREATE INDEX manifest_end_division_idx ON manifest (end_division_code text_pattern_ops);
      CREATE INDEX manifest_round_idx ON manifest (round_id) WHERE round_id IS NOT NULL;
      CREATE INDEX manifest_preceding_idx ON manifest (preceding_manifest_id) WHERE preceding_manifest_id IS NOT NULL;

      CREATE TABLE manifest_party (
        manifest_id text NOT NULL,
        party_id text NOT NULL,
        role text NOT NULL CHECK (role IN ('CONSIGNOR', 'AGENT', 'SHIPPER', 'CARRIER', 'RECEIVER')),
        PRIMARY KEY (manifest_id, party_id, role)
      );
      CREATE INDEX manifest_party_party_idx ON manifest_party (party_id, manifest_id);

      CREATE TABLE manifest_lot (
        manifest_id text NOT NULL,
        lot_id text NOT NULL,
        position integer NOT NULL,
        label_code text NOT NULL,
        waste_code text NOT NULL,
        declared_grams bigint NOT NULL,
        intended_mode text NOT NULL,
        method text NOT NULL,
        status text NOT NULL CHECK (status IN ('LISTED', 'REFUSED', 'CARRIED', 'RECEIVED')),
        pickup_grams bigint,
        measured_grams bigint,
        accepted_grams bigint,
        rejected_grams bigint,
        decision text,
        rejected_lot_id text,
        discrepancy boolean NOT NULL DEFAULT false,
        late boolean NOT NULL DEFAULT false,
        PRIMARY KEY (manifest_id, lot_id)
      );
      CREATE INDEX manifest_lot_lot_idx ON manifest_lot (lot_id);
      CREATE INDEX manifest_lot_label_idx ON manifest_lot (label_code);
      CREATE INDEX manifest_lot_code_idx ON manifest_lot (waste_code);

      CREATE TABLE manifest_correction (
        correction_id text PRIMARY KEY,
        manifest_id text NOT NULL,
        requested_by_party_id text NOT NULL,
        changes jsonb NOT NULL,
        reason text NOT NULL,
        respond_by timestamptz NOT NULL,
        approver_party_ids text[] NOT NULL,
        approved_by text[] NOT NULL DEFAULT '{}',
        status text NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'REFUSED', 'LAPSED')),
        refused_by_party_id text,
        refusal_reason text,
        requested_at timestamptz NOT NULL,
        resolved_at timestamptz
      );
      CREATE INDEX manifest_correction_manifest_idx ON manifest_correction (manifest_id, requested_at);

      CREATE TABLE manifest_dispute (
        manifest_id text NOT NULL,
        position bigint NOT NULL,
        event_type text NOT NULL,
        act text NOT NULL,
        actor_party_id text,
        reasons jsonb NOT NULL,
        at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (manifest_id, position)
      );

      CREATE TABLE collection_round (
        round_id text PRIMARY KEY,
        collector_party_id text NOT NULL,
        carrier_party_id text NOT NULL,
        vehicle_id text NOT NULL,
        driver_id text NOT NULL,
        escort_id text NOT NULL,
        receiver_party_id text NOT NULL,
        receiver_site_id text NOT NULL,
        planned_date date NOT NULL,
        status text NOT NULL,
        planned_at timestamptz NOT NULL
      );
      CREATE INDEX collection_round_carrier_idx ON collection_round (carrier_party_id, planned_date);
      CREATE INDEX collection_round_collector_idx ON collection_round (collector_party_id, planned_date);

      CREATE TABLE collection_round_stop (
        round_id text NOT NULL,
        stop_no integer NOT NULL,
        consignor_party_id text NOT NULL,
        site_id text NOT NULL,
        PRIMARY KEY (round_id, stop_no)
      );
      CREATE INDEX collection_round_stop_consignor_idx ON collection_round_stop (consignor_party_id);

      CREATE TABLE manifest_handover_code (
        code_id text PRIMARY KEY,
        manifest_id text NOT NULL,
        salt bytea NOT NULL,
        code_hash bytea NOT NULL,
        issued_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        failed_tries integer NOT NULL DEFAULT 0,
        locked_at timestamptz,
        used_at timestamptz,
        superseded_at timestamptz
      );
      CREATE INDEX manifest_handover_code_manifest_idx ON manifest_handover_code (manifest_id, issued_at DESC);
    `);
    await q.query(`
      GRANT SELECT, INSERT, UPDATE ON manifest, manifest_correction, manifest_dispute, collection_round,
        collection_round_stop, manifest_handover_code TO ${APP_GROUP_ROLE};
      GRANT SELECT, INSERT, UPDATE, DELETE ON manifest_party, manifest_lot TO ${APP_GROUP_ROLE};
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE manifest_handover_code, collection_round_stop, collection_round, manifest_dispute, manifest_correction,
         manifest_lot, manifest_party, manifest`,
    );
  }
}
