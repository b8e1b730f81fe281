import { readFileSync } from 'node:fs';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_GROUP_ROLE } from '../src/database/roles';
import { seedFile } from '../src/database/seed-files';

/**
 * The entries of the exemption list (危险废物豁免管理清单, 2021) that the product applies, as data:
 * entry number, stage (豁免环节), waste scope, condition and content (豁免内容), and whether a declared
 * major epidemic suspends it. The text is in `seeds/exemptions-2021.txt`; this migration checks that
 * the file still says what the rows model before loading them.
 */
const EXEMPTIONS = [
  {
    entryNo: 2,
    stage: 'COLLECTION',
    wasteScope: ['HW01'],
    condition: {
      partyTypes: ['MEDICAL_INSTITUTION'],
      maxBeds: 19,
      receiverPartyTypes: ['MEDICAL_INSTITUTION'],
    },
    suspendedDuringEpidemic: true,
    contentZh:
      '床位总数在19张以下（含19张）的医疗机构产生的医疗废物：按《医疗卫生机构医疗废物管理办法》等规定进行消毒和收集；收集过程不按危险废物管理。',
    evidence: '床位总数在 19 张以',
  },
  {
    entryNo: 2,
    stage: 'TRANSPORT',
    wasteScope: ['HW01'],
    condition: { partyTypes: ['MEDICAL_INSTITUTION'], maxBeds: 19, vehicleStandard: 'GB 19217' },
    suspendedDuringEpidemic: true,
    contentZh: '转运车辆符合《医疗废物转运车技术要求（试行）》（GB19217）要求：不按危险废物进行运输。',
    evidence: 'GB19217',
  },
] as const;

/**
 * 批次 — read models of the lot streams: `lot`, `lot_party`, `lot_site`, `lot_lineage`,
 * `facility_stock`; and `exemption_entry`, reference data seeded here.
 */
export class Lots1764300000500 implements MigrationInterface {
  name = 'Lots1764300000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE lot (
        lot_id text PRIMARY KEY,
        label_code text NOT NULL,
        batch_code text NOT NULL,
        waste_code text NOT NULL,
        category text NOT NULL,
        medical_class text,
        form text NOT NULL,
        packaging text NOT NULL,
        main_components text[] NOT NULL,
        hazards text[] NOT NULL,
        mass_basis text NOT NULL,
        status text NOT NULL,
        origin_kind text NOT NULL,
        origin_party_id text NOT NULL,
        producer_party_id text,
        custodian_party_id text NOT NULL,
        site_id text,
        facility_id text,
        origin_site_id text NOT NULL,
        open_manifest_id text,
        manifest_id text,
        initial_grams bigint NOT NULL,
        mass_grams bigint NOT NULL,
        adjustment_grams bigint NOT NULL DEFAULT 0,
        lost_grams bigint NOT NULL DEFAULT 0,
        treated_grams bigint,
        method text,
        clock_starts_at timestamptz NOT NULL,
        entered_facility_at timestamptz,
        exempt_source boolean NOT NULL,
        emergency boolean NOT NULL,
        disputed boolean NOT NULL DEFAULT false,
        generated_at timestamptz NOT NULL,
        ended_at timestamptz,
        last_event_at timestamptz NOT NULL,
        version integer NOT NULL
      );
      CREATE UNIQUE INDEX lot_label_code_key ON lot (label_code);
      CREATE INDEX lot_batch_idx ON lot (batch_code);
      CREATE INDEX lot_custodian_idx ON lot (custodian_party_id, status);
      CREATE INDEX lot_producer_idx ON lot (producer_party_id);
      CREATE INDEX lot_facility_idx ON lot (facility_id) WHERE facility_id IS NOT NULL;
      CREATE INDEX lot_live_clock_idx ON lot (clock_starts_at) WHERE status IN ('GENERATED', 'STORED', 'REJECTED');

      CREATE TABLE lot_party (
        lot_id text NOT NULL,
        party_id text NOT NULL,
        PRIMARY KEY (lot_id, party_id)
      );
      CREATE INDEX lot_party_party_idx ON lot_party (party_id, lot_id);

      CREATE TABLE lot_site (
        lot_id text NOT NULL,
        site_id text NOT NULL,
        PRIMARY KEY (lot_id, site_id)
      );
      CREATE INDEX lot_site_site_idx ON lot_site (site_id, lot_id);

      CREATE TABLE lot_lineage (
        parent_lot_id text NOT NULL,
        child_lot_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('CONSOLIDATION', 'SPLIT', 'RESIDUE', 'REJECTED_PART')),
        grams bigint NOT NULL,
        at timestamptz NOT NULL,
        PRIMARY KEY (parent_lot_id, child_lot_id)
      );
      CREATE INDEX lot_lineage_child_idx ON lot_lineage (child_lot_id);

      CREATE TABLE facility_stock (
        facility_id text PRIMARY KEY,
        stock_grams bigint NOT NULL,
        lot_count integer NOT NULL
      );

      CREATE TABLE exemption_entry (
        entry_no integer NOT NULL,
        stage text NOT NULL CHECK (stage IN ('ALL', 'COLLECTION', 'TRANSPORT', 'UTILISATION', 'DISPOSAL')),
        waste_scope text[] NOT NULL,
        condition jsonb NOT NULL,
        suspended_during_epidemic boolean NOT NULL,
        content_zh text NOT NULL,
        source text NOT NULL,
        PRIMARY KEY (entry_no, stage)
      );
    `);
    const text = readFileSync(seedFile('exemptions-2021.txt'), 'utf8');
    for (const x of EXEMPTIONS) {
      if (!text.includes(x.evidence)) {
        throw new Error(
          `seeds/exemptions-2021.txt no longer says "${x.evidence}" (entry ${x.entryNo}, ${x.stage})`,
        );
      }
      await q.query(
        `INSERT INTO exemption_entry (entry_no, stage, waste_scope, condition, suspended_during_epidemic, content_zh, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          x.entryNo,
          x.stage,
          x.wasteScope,
          JSON.stringify(x.condition),
          x.suspendedDuringEpidemic,
          x.contentZh,
          `危险废物豁免管理清单 (2021) 序号 ${x.entryNo}, seeds/exemptions-2021.txt`,
        ],
      );
    }
    await q.query(`
      GRANT SELECT, INSERT, UPDATE ON lot, lot_party, lot_site, lot_lineage, facility_stock TO ${APP_GROUP_ROLE};
      GRANT SELECT ON exemption_entry TO ${APP_GROUP_ROLE};
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE exemption_entry, facility_stock, lot_lineage, lot_site, lot_party, lot`);
  }
}
