import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_GROUP_ROLE } from '../src/database/roles';

/**
 * The ledger: the append-only event table and what protects it.
 * - `ledger_event`, `ledger_checkpoint` and `ledger_signing_key` refuse UPDATE, DELETE and
 *   TRUNCATE by trigger, and the application role holds only INSERT and SELECT on them.
 * - `ledger_stream` (stream heads, for compare-and-set), `ledger_command` (idempotency log) and
 *   `ledger_alert` (read model) are ordinary tables the application updates.
 * - `custody_attempt` keeps refused custody acts outside the hash chain (INSERT and SELECT only).
 * Every event records the id of the transaction that wrote it (`tx_id`), so that a checkpoint
 * can seal only ranges in which every transaction has finished.
 */
export class Ledger1764300000200 implements MigrationInterface {
  name = 'Ledger1764300000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_event (
        position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        stream_id text NOT NULL,
        stream_type text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        event_type text NOT NULL,
        schema_version integer NOT NULL,
        payload jsonb NOT NULL,
        canonical bytea NOT NULL,
        actor jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        command_id uuid NOT NULL,
        correlation_id uuid,
        offline boolean NOT NULL DEFAULT false,
        prev_hash bytea,
        hash bytea NOT NULL CHECK (length(hash) = 32),
        tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        CONSTRAINT ledger_event_stream_version_key UNIQUE (stream_id, version)
      );
      CREATE INDEX ledger_event_type_idx ON ledger_event (event_type, position);
      CREATE INDEX ledger_event_stream_type_idx ON ledger_event (stream_type, position);
      CREATE INDEX ledger_event_command_idx ON ledger_event (command_id);

      CREATE TABLE ledger_stream (
        stream_id text PRIMARY KEY,
        stream_type text NOT NULL,
        version integer NOT NULL,
        last_hash bytea NOT NULL,
        last_occurred_at timestamptz NOT NULL,
        last_position bigint NOT NULL
      );

      CREATE TABLE ledger_command (
        actor_key text NOT NULL,
        idempotency_key text NOT NULL,
        act text NOT NULL,
        request_hash bytea NOT NULL,
        command_id uuid NOT NULL,
        result jsonb,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (actor_key, idempotency_key)
      );

      CREATE TABLE ledger_signing_key (
        key_id text PRIMARY KEY,
        algorithm text NOT NULL CHECK (algorithm = 'Ed25519'),
        public_key bytea NOT NULL CHECK (length(public_key) = 32),
        registered_at timestamptz NOT NULL
      );

      CREATE TABLE ledger_checkpoint (
        checkpoint_no bigint PRIMARY KEY,
        first_position bigint NOT NULL,
        last_position bigint NOT NULL,
        tree_size integer NOT NULL CHECK (tree_size > 0),
        leaf_positions bigint[] NOT NULL,
        leaf_hashes bytea NOT NULL,
        root bytea NOT NULL,
        previous_hash bytea,
        statement bytea NOT NULL,
        key_id text NOT NULL REFERENCES ledger_signing_key(key_id),
        signature bytea NOT NULL,
        sealed_at timestamptz NOT NULL,
        CHECK (length(leaf_hashes) = 32 * tree_size AND cardinality(leaf_positions) = tree_size),
        CHECK (first_position <= last_position)
      );
      CREATE UNIQUE INDEX ledger_checkpoint_last_position_idx ON ledger_checkpoint (last_position);

      CREATE TABLE ledger_alert (
        alert_id text PRIMARY KEY,
        rule text NOT NULL,
        subject_type text NOT NULL,
        subject_id text NOT NULL,
        period text NOT NULL,
        severity text NOT NULL,
        region text,
        evidence jsonb NOT NULL,
        raised_at timestamptz NOT NULL,
        raised_position bigint NOT NULL,
        status text NOT NULL,
        acknowledged_at timestamptz,
        acknowledged_by text,
        acknowledgement_note text,
        party_ids text[] NOT NULL DEFAULT '{}'
      );
      CREATE INDEX ledger_alert_region_idx ON ledger_alert (region text_pattern_ops, raised_at DESC);
      CREATE INDEX ledger_alert_rule_idx ON ledger_alert (rule, raised_at DESC);
      CREATE INDEX ledger_alert_subject_idx ON ledger_alert (subject_type, subject_id);

      CREATE TABLE custody_attempt (
        attempt_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        actor jsonb NOT NULL,
        act text NOT NULL,
        target_type text NOT NULL,
        target_id text NOT NULL,
        refusal_code text NOT NULL,
        message text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}',
        party_ids text[] NOT NULL DEFAULT '{}',
        region text,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL
      );
      CREATE INDEX custody_attempt_target_idx ON custody_attempt (target_type, target_id, recorded_at);
      CREATE INDEX custody_attempt_parties_idx ON custody_attempt USING gin (party_ids);

      CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'HazLedger: % on % is refused: the ledger is append-only', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'raise_exception', HINT = 'record a new event instead of changing or removing one';
      END $$;
    `);
    for (const table of ['ledger_event', 'ledger_checkpoint', 'ledger_signing_key', 'custody_attempt']) {
      await q.query(`
        CREATE TRIGGER ${table}_no_update_delete BEFORE UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
      `);
    }
    await q.query(`
      REVOKE ALL ON ledger_event, ledger_checkpoint, ledger_signing_key, custody_attempt FROM ${APP_GROUP_ROLE};
      GRANT SELECT, INSERT ON ledger_event, ledger_checkpoint, ledger_signing_key, custody_attempt TO ${APP_GROUP_ROLE};
      GRANT SELECT, INSERT, UPDATE ON ledger_stream, ledger_command, ledger_alert TO ${APP_GROUP_ROLE};
      GRANT SELECT ON SEQUENCE ledger_event_position_seq TO ${APP_GROUP_ROLE};
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE custody_attempt, ledger_alert, ledger_checkpoint, ledger_signing_key, ledger_command, ledger_stream, ledger_event;
      DROP FUNCTION ledger_refuse_change();
    `);
  }
}
