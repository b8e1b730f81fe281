import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 持证单位年报 — the licence holders' annual operation report is a declaration kind of its own
 * (`OPERATION_REPORT`, period `<year>`, stream `declaration-<site>-operation-<year>`): the
 * submissions table accepts it beside the monthly, quarterly and annual declarations.
 */
export class OperationReport1764300001100 implements MigrationInterface {
  name = 'OperationReport1764300001100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE declaration_submission DROP CONSTRAINT declaration_submission_kind_check;
      ALTER TABLE declaration_submission ADD CONSTRAINT declaration_submission_kind_check
        CHECK (kind IN ('MONTHLY', 'QUARTERLY', 'ANNUAL', 'OPERATION_REPORT'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM declaration_submission WHERE kind = 'OPERATION_REPORT';
      ALTER TABLE declaration_submission DROP CONSTRAINT declaration_submission_kind_check;
      ALTER TABLE declaration_submission ADD CONSTRAINT declaration_submission_kind_check
        CHECK (kind IN ('MONTHLY', 'QUARTERLY', 'ANNUAL'));
    `);
  }
}
