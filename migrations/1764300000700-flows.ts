import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_GROUP_ROLE } from '../src/database/roles';

/**
 * 多流合一 — read models of the flows (rebuilt by `ledger:rebuild`):
 * - the ledger book (管理台账), projected from the lot events: `ledger_book_entry` (one row per
 *   movement, keyed by ledger position), `flow_lot` (the book's view of each lot between events);
 * - go-live imports (上线导入): `flow_site`, `flow_golive_lot`, `flow_site_year_amount`;
 * - management plans (管理计划): `management_plan`, `management_plan_revision`;
 * - declarations (申报): `declaration_submission` (frozen figures with their hash).
 * The application role may only add rows to what is never rewritten (entries, revisions,
 * submissions, imports), and update the two rows that follow their stream (a lot, a plan).
 */
export class Flows1764300000700 implements MigrationInterface {
  name = 'Flows1764300000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_book_entry (
        position bigint NOT NULL,
        seq smallint NOT NULL,
        site_id text NOT NULL,
        party_id text NOT NULL,
        facility_id text,
        kind text NOT NULL CHECK (kind IN ('OPENING_STOCK', 'GENERATED', 'STORED_IN', 'STORED_OUT', 'SENT_OUT', 'RECEIVED',
          'CONSOLIDATED_OUT', 'CONSOLIDATED_IN', 'SPLIT_OUT', 'SPLIT_IN', 'UTILISED', 'DISPOSED', 'LOST')),
        direction text NOT NULL CHECK (direction IN ('IN', 'OUT', 'NONE')),
        mass_grams bigint NOT NULL CHECK (mass_grams >= 0),
        signed_grams bigint NOT NULL,
        lot_id text NOT NULL,
        label_code text NOT NULL,
        batch_code text NOT NULL,
        waste_code text NOT NULL,
        category text NOT NULL,
        counterparty_party_id text,
        manifest_id text,
        related_lot_id text,
        method text,
        exempt boolean NOT NULL,
        imported boolean NOT NULL,
        at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (position, seq)
      );
      CREATE INDEX ledger_book_entry_site_at_idx ON ledger_book_entry (site_id, at, position, seq);
      CREATE INDEX ledger_book_entry_lot_idx ON ledger_book_entry (lot_id);

      CREATE TABLE flow_lot (
        lot_id text PRIMARY KEY,
        label_code text NOT NULL,
        batch_code text NOT NULL,
        waste_code text NOT NULL,
        category text NOT NULL,
        site_id text,
        party_id text,
        facility_id text,
        mass_grams bigint NOT NULL,
        sent_from_party_id text,
        imported boolean NOT NULL
      );

      CREATE TABLE flow_site (
        site_id text PRIMARY KEY,
        party_id text NOT NULL,
        stream_id text NOT NULL,
        go_live_at timestamptz NOT NULL,
        imported_position bigint NOT NULL
      );

      CREATE TABLE flow_golive_lot (
        lot_id text PRIMARY KEY,
        site_id text NOT NULL,
        go_live_at timestamptz NOT NULL
      );

      CREATE TABLE flow_site_year_amount (
        site_id text NOT NULL,
        year integer NOT NULL,
        grams bigint NOT NULL,
        PRIMARY KEY (site_id, year)
      );

      CREATE TABLE management_plan (
        site_id text NOT NULL,
        year integer NOT NULL,
        stream_id text NOT NULL UNIQUE,
        party_id text NOT NULL,
        filing_number text NOT NULL UNIQUE,
        management_class text NOT NULL,
        required_sections text[] NOT NULL,
        content jsonb NOT NULL,
        revision integer NOT NULL,
        due_date date NOT NULL,
        late boolean NOT NULL,
        filed_at timestamptz NOT NULL,
        filed_recorded_at timestamptz NOT NULL,
        agent_party_id text,
        last_amended_at timestamptz,
        last_reason text,
        PRIMARY KEY (site_id, year)
      );
      CREATE INDEX management_plan_party_idx ON management_plan (party_id, year);

      CREATE TABLE management_plan_revision (
        site_id text NOT NULL,
        year integer NOT NULL,
        revision integer NOT NULL,
        content jsonb NOT NULL,
        reason text,
        management_class text NOT NULL,
        at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        agent_party_id text,
        position bigint NOT NULL,
        PRIMARY KEY (site_id, year, revision)
      );

      CREATE TABLE declaration_submission (
        site_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('MONTHLY', 'QUARTERLY', 'ANNUAL')),
        period text NOT NULL,
        submission_no integer NOT NULL,
        stream_id text NOT NULL,
        party_id text NOT NULL,
        agent_party_id text,
        management_class text NOT NULL,
        period_start date NOT NULL,
        period_end date NOT NULL,
        due_date date NOT NULL,
        figures jsonb NOT NULL,
        figures_hash text NOT NULL,
        corrects_submission_no integer,
        reason text,
        late boolean NOT NULL,
        at timestamptz NOT NULL,
        submitted_at timestamptz NOT NULL,
        position bigint NOT NULL,
        PRIMARY KEY (site_id, kind, period, submission_no)
      );
      CREATE INDEX declaration_submission_stream_idx ON declaration_submission (stream_id);
    `);
    await q.query(`
      GRANT SELECT, INSERT ON ledger_book_entry, flow_site, flow_golive_lot, flow_site_year_amount, management_plan_revision,
        declaration_submission TO ${APP_GROUP_ROLE};
      GRANT SELECT, INSERT, UPDATE ON flow_lot, management_plan TO ${APP_GROUP_ROLE};
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE declaration_submission, management_plan_revision, management_plan, flow_site_year_amount, flow_golive_lot,
         flow_site, flow_lot, ledger_book_entry`,
    );
  }
}
