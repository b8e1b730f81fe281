import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_GROUP_ROLE } from '../src/database/roles';

/**
 * Licences and authorisations (read models of the ledger): licences with their items and status
 * changes, epidemics, emergency authorisations, transport permits, vehicles, crew and
 * cross-province approvals. Beside them, outside the ledger, the crew's personal data (names,
 * phones, certificate numbers), erasable without touching a hash chain.
 */
export class Licences1764300000400 implements MigrationInterface {
  name = 'Licences1764300000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE licence (
        licence_id text PRIMARY KEY,
        number text NOT NULL UNIQUE,
        holder_party_id text NOT NULL,
        kind text NOT NULL,
        valid_from date NOT NULL,
        valid_to date NOT NULL,
        facility_site_ids text[] NOT NULL,
        agency_id text NOT NULL,
        status text NOT NULL,
        issued_at timestamptz NOT NULL,
        CHECK (valid_from <= valid_to)
      );
      CREATE INDEX licence_holder_idx ON licence (holder_party_id);

      CREATE TABLE licence_item (
        item_id text PRIMARY KEY,
        licence_id text NOT NULL REFERENCES licence(licence_id),
        position integer NOT NULL,
        scope text NOT NULL,
        modes text[] NOT NULL,
        annual_capacity_grams bigint NOT NULL CHECK (annual_capacity_grams > 0),
        mergeable_codes text[] NOT NULL
      );
      CREATE INDEX licence_item_licence_idx ON licence_item (licence_id);
      CREATE INDEX licence_item_scope_idx ON licence_item (scope);

      CREATE TABLE licence_status_change (
        licence_id text NOT NULL REFERENCES licence(licence_id),
        seq integer NOT NULL,
        status text NOT NULL,
        from_date date NOT NULL,
        reason text NOT NULL,
        agency_id text NOT NULL,
        PRIMARY KEY (licence_id, seq)
      );

      CREATE TABLE epidemic (
        epidemic_id text PRIMARY KEY,
        name text NOT NULL,
        region_prefix text NOT NULL,
        valid_from date NOT NULL,
        valid_to date,
        status text NOT NULL,
        agency_id text NOT NULL,
        declared_at timestamptz NOT NULL
      );
      CREATE INDEX epidemic_region_idx ON epidemic (region_prefix text_pattern_ops);

      CREATE TABLE emergency_authorisation (
        authorisation_id text PRIMARY KEY,
        holder_party_id text NOT NULL,
        scope text[] NOT NULL,
        modes text[] NOT NULL,
        capacity_grams bigint NOT NULL CHECK (capacity_grams > 0),
        region_prefixes text[] NOT NULL,
        valid_from date NOT NULL,
        valid_to date NOT NULL,
        facility_site_ids text[],
        revoked_from date,
        epidemic_id text,
        agency_id text NOT NULL,
        granted_at timestamptz NOT NULL
      );
      CREATE INDEX emergency_authorisation_holder_idx ON emergency_authorisation (holder_party_id);

      CREATE TABLE transport_permit (
        permit_id text PRIMARY KEY,
        party_id text NOT NULL,
        number text NOT NULL,
        scope text,
        valid_from date,
        valid_to date NOT NULL,
        verified boolean NOT NULL,
        verified_by text,
        verified_at timestamptz,
        registered_at timestamptz NOT NULL,
        UNIQUE (party_id, number)
      );

      CREATE TABLE vehicle (
        vehicle_id text PRIMARY KEY,
        party_id text NOT NULL,
        permit_id text NOT NULL REFERENCES transport_permit(permit_id),
        plate text NOT NULL,
        certificate_number text NOT NULL,
        certificate_valid_to date NOT NULL,
        medical_waste_vehicle boolean NOT NULL,
        gps_device_id text,
        verified boolean NOT NULL,
        verified_by text,
        verified_at timestamptz,
        registered_at timestamptz NOT NULL
      );
      CREATE INDEX vehicle_party_idx ON vehicle (party_id);
      CREATE INDEX vehicle_plate_idx ON vehicle (plate);

      CREATE TABLE crew_member (
        person_id text PRIMARY KEY,
        party_id text NOT NULL,
        role text NOT NULL,
        certificate_valid_to date NOT NULL,
        registered_at timestamptz NOT NULL
      );
      CREATE INDEX crew_member_party_idx ON crew_member (party_id);

      CREATE TABLE cross_province_approval (
        approval_id text PRIMARY KEY,
        number text NOT NULL,
        consignor_party_id text NOT NULL,
        consignor_site_id text NOT NULL,
        consignor_division_code text NOT NULL,
        receiver_party_id text NOT NULL,
        receiver_site_id text NOT NULL,
        receiver_division_code text NOT NULL,
        waste_codes text[] NOT NULL,
        approved_grams bigint NOT NULL CHECK (approved_grams > 0),
        valid_from date NOT NULL,
        valid_to date NOT NULL,
        revoked_from date,
        agency_id text NOT NULL,
        issued_at timestamptz NOT NULL
      );
      CREATE INDEX cross_province_approval_parties_idx ON cross_province_approval (consignor_party_id, receiver_party_id);
      CREATE INDEX cross_province_approval_receiver_idx ON cross_province_approval (receiver_party_id);

      -- Outside the ledger: the crew's personal data (erasable).
      CREATE TABLE crew_member_personal (
        person_id text PRIMARY KEY,
        party_id text NOT NULL,
        name text NOT NULL,
        phone text,
        certificate_number text NOT NULL
      );
    `);
    await q.query(`
      GRANT SELECT, INSERT, UPDATE, DELETE ON licence_item TO ${APP_GROUP_ROLE};
      GRANT SELECT, INSERT, UPDATE ON licence, licence_status_change, epidemic, emergency_authorisation,
        transport_permit, vehicle, crew_member, cross_province_approval TO ${APP_GROUP_ROLE};
      GRANT SELECT, INSERT, UPDATE, DELETE ON crew_member_personal TO ${APP_GROUP_ROLE};
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE crew_member_personal, cross_province_approval, crew_member, vehicle, transport_permit,
      emergency_authorisation, epidemic, licence_status_change, licence_item, licence`);
  }
}
