import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 监管 — indexes for the regulator workspace (no new tables: custody chains, searches and
 * statistics read the capabilities' read models). One index per search filter and statistic, so
 * that a regulator's query over a city never scans a whole table on an indexed path:
 * - lots: by code, category, generation date, treatment date, the site they lie at, disputes;
 * - manifests: by party per role, planned date, custody and receipt dates, open ones by age,
 *   discrepancies, and manifest lots by category (`HW` + the code's last two digits);
 * - parties: by type, status, registration date, name prefix;
 * - licences and carriers' documents: by kind, status, expiry and facility site;
 * - refused custody attempts by record time (the alert rule reads the newest).
 * Names start with `oversight_` so that they cannot collide with another capability's indexes.
 */
const INDEXES: readonly [name: string, definition: string][] = [
  ['oversight_lot_code_idx', 'lot (waste_code, generated_at)'],
  ['oversight_lot_category_idx', 'lot (category, generated_at)'],
  ['oversight_lot_generated_idx', 'lot (generated_at, lot_id)'],
  ['oversight_lot_mass_idx', 'lot (mass_grams, lot_id)'],
  ['oversight_lot_status_idx', 'lot (status, generated_at)'],
  ['oversight_lot_origin_site_idx', 'lot (origin_site_id)'],
  ['oversight_lot_site_idx', 'lot (site_id) WHERE site_id IS NOT NULL'],
  ['oversight_lot_treated_idx', `lot (ended_at) WHERE status IN ('UTILISED', 'DISPOSED')`],
  ['oversight_lot_disputed_idx', 'lot (generated_at) WHERE disputed'],
  ['oversight_manifest_consignor_idx', 'manifest (consignor_party_id, planned_date)'],
  ['oversight_manifest_receiver_idx', 'manifest (receiver_party_id, planned_date)'],
  ['oversight_manifest_carrier_idx', 'manifest (first_carrier_party_id, received_at)'],
  ['oversight_manifest_planned_idx', 'manifest (planned_date, manifest_id)'],
  ['oversight_manifest_number_idx', 'manifest (hazledger_number text_pattern_ops)'],
  ['oversight_manifest_mass_idx', 'manifest (declared_grams, manifest_id)'],
  ['oversight_manifest_custody_idx', 'manifest (custody_taken_at) WHERE custody_taken_at IS NOT NULL'],
  ['oversight_manifest_received_idx', 'manifest (received_at) WHERE received_at IS NOT NULL'],
  [
    'oversight_manifest_open_idx',
    `manifest (submitted_at) WHERE status IN ('SUBMITTED', 'IN_TRANSIT', 'DELIVERED', 'RECEIVED')`,
  ],
  ['oversight_manifest_delivered_idx', `manifest (delivered_at) WHERE status = 'DELIVERED'`],
  ['oversight_manifest_discrepancy_idx', 'manifest (planned_date) WHERE discrepancy'],
  ['oversight_manifest_lot_category_idx', `manifest_lot (('HW' || right(waste_code, 2)))`],
  ['oversight_party_types_idx', 'party USING gin (types)'],
  ['oversight_party_status_idx', 'party (status, registered_at)'],
  ['oversight_party_registered_idx', 'party (registered_at, party_id)'],
  ['oversight_party_name_idx', 'party (name text_pattern_ops, party_id)'],
  ['oversight_licence_kind_idx', 'licence (kind, status)'],
  ['oversight_licence_valid_to_idx', 'licence (valid_to, licence_id)'],
  ['oversight_licence_issued_idx', 'licence (issued_at, licence_id)'],
  ['oversight_licence_number_idx', 'licence (number text_pattern_ops)'],
  ['oversight_licence_sites_idx', 'licence USING gin (facility_site_ids)'],
  ['oversight_transport_permit_valid_to_idx', 'transport_permit (valid_to)'],
  ['oversight_vehicle_certificate_idx', 'vehicle (certificate_valid_to)'],
  ['oversight_crew_certificate_idx', 'crew_member (certificate_valid_to)'],
  ['oversight_custody_attempt_recorded_idx', 'custody_attempt (recorded_at)'],
];

export class Oversight1764300000800 implements MigrationInterface {
  name = 'Oversight1764300000800';

  async up(q: QueryRunner): Promise<void> {
    for (const [name, definition] of INDEXES) await q.query(`CREATE INDEX ${name} ON ${definition}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [name] of [...INDEXES].reverse()) await q.query(`DROP INDEX IF EXISTS ${name}`);
  }
}
