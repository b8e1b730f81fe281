import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_GROUP_ROLE } from '../src/database/roles';

/**
 * Parties, sites, facilities, agencies, memberships, delegations and devices (read models of the
 * ledger), and beside them what must never enter the ledger: login accounts with password
 * hashes and personal data (erasable), refresh tokens, device key hashes and login throttling.
 */
export class PartiesAndAccess1764300000300 implements MigrationInterface {
  name = 'PartiesAndAccess1764300000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE party (
        party_id text PRIMARY KEY,
        uscc text NOT NULL UNIQUE,
        name text NOT NULL,
        types text[] NOT NULL,
        status text NOT NULL,
        registered_by text NOT NULL,
        bed_count integer,
        region text NOT NULL,
        registered_at timestamptz NOT NULL,
        verified_at timestamptz,
        verified_by text
      );
      CREATE INDEX party_region_idx ON party (region text_pattern_ops);
      CREATE INDEX party_name_idx ON party (name);

      CREATE TABLE party_site (
        site_id text PRIMARY KEY,
        party_id text NOT NULL REFERENCES party(party_id),
        name text NOT NULL,
        division_code text NOT NULL,
        province_code text NOT NULL,
        city_code text,
        address text NOT NULL,
        latitude text,
        longitude text,
        geofence_radius_m integer,
        expected_annual_grams bigint,
        own_treatment boolean NOT NULL DEFAULT false
      );
      CREATE INDEX party_site_party_idx ON party_site (party_id);
      CREATE INDEX party_site_division_idx ON party_site (division_code text_pattern_ops);

      CREATE TABLE facility (
        facility_id text PRIMARY KEY,
        site_id text NOT NULL REFERENCES party_site(site_id),
        party_id text NOT NULL REFERENCES party(party_id),
        type text NOT NULL,
        name text NOT NULL,
        capacity_grams bigint,
        max_stock_grams bigint,
        status text NOT NULL
      );
      CREATE INDEX facility_site_idx ON facility (site_id);

      CREATE TABLE agency (
        agency_id text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL,
        level text NOT NULL,
        division_code text NOT NULL,
        jurisdiction text[] NOT NULL
      );

      CREATE TABLE member (
        user_id text PRIMARY KEY,
        party_id text REFERENCES party(party_id),
        agency_id text REFERENCES agency(agency_id),
        role text NOT NULL,
        status text NOT NULL,
        CHECK ((party_id IS NULL) <> (agency_id IS NULL))
      );
      CREATE INDEX member_party_idx ON member (party_id);
      CREATE INDEX member_agency_idx ON member (agency_id);

      CREATE TABLE delegation (
        delegation_id text PRIMARY KEY,
        principal_party_id text NOT NULL REFERENCES party(party_id),
        agent_party_id text NOT NULL REFERENCES party(party_id),
        scope text[] NOT NULL,
        valid_from date NOT NULL,
        valid_to date NOT NULL,
        status text NOT NULL
      );
      CREATE INDEX delegation_agent_idx ON delegation (agent_party_id);

      CREATE TABLE device (
        device_id text PRIMARY KEY,
        party_id text NOT NULL REFERENCES party(party_id),
        kind text NOT NULL,
        label text NOT NULL,
        operations text[] NOT NULL,
        status text NOT NULL
      );

      CREATE TABLE management_class_override (
        site_id text NOT NULL REFERENCES party_site(site_id),
        year integer NOT NULL,
        class text NOT NULL,
        reason text NOT NULL,
        agency_id text NOT NULL,
        PRIMARY KEY (site_id, year)
      );

      -- Outside the ledger: personal data (erasable) and secrets.
      CREATE TABLE user_account (
        user_id text PRIMARY KEY,
        username text NOT NULL UNIQUE,
        display_name text NOT NULL,
        phone text,
        password_hash text NOT NULL,
        system_admin boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE party_contact (
        contact_id text PRIMARY KEY,
        party_id text NOT NULL,
        name text NOT NULL,
        phone text,
        email text,
        role text
      );
      CREATE INDEX party_contact_party_idx ON party_contact (party_id);
      CREATE TABLE refresh_token (
        token_hash bytea PRIMARY KEY,
        family_id uuid NOT NULL,
        user_id text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX refresh_token_family_idx ON refresh_token (family_id);
      CREATE TABLE device_credential (
        device_id text PRIMARY KEY,
        key_hash bytea NOT NULL,
        created_at timestamptz NOT NULL
      );
      CREATE TABLE auth_throttle (
        key text PRIMARY KEY,
        failures integer NOT NULL,
        window_start timestamptz NOT NULL,
        locked_until timestamptz
      );
    `);
    await q.query(`
      GRANT SELECT, INSERT, UPDATE ON party, party_site, facility, agency, member, delegation, device, management_class_override
        TO ${APP_GROUP_ROLE};
      GRANT SELECT, INSERT, UPDATE, DELETE ON user_account, party_contact, refresh_token, device_credential, auth_throttle
        TO ${APP_GROUP_ROLE};
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE auth_throttle, device_credential, refresh_token, party_contact, user_account,
      management_class_override, device, delegation, member, agency, facility, party_site, party`);
  }
}
