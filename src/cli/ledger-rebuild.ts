import { NestFactory } from '@nestjs/core';
import { LedgerService } from '../ledger/ledger.service';
import { rebuildAndCompare } from '../ledger/projections/rebuild';
import { run, withOwnerDatabase } from './cli-context';

/**
 * `npm run ledger:rebuild` — rebuilds every read model from the events alone, into fresh
 * temporary tables, and reports any difference from the live ones. Changes nothing.
 * Exit code 0 when the rebuild equals the live tables.
 */
run(async () =>
  withOwnerDatabase(async (sql, client) => {
    process.env.LEDGER_CHECKPOINTS = 'false';
    process.env.LOG_LEVEL ??= 'warn';
    const { CoreModule } = await import('../core.module.js');
    const app = await NestFactory.createApplicationContext(CoreModule, { logger: ['error'] });
    try {
      await client.query('BEGIN');
      const report = await rebuildAndCompare(sql, app.get(LedgerService).projections);
      await client.query('ROLLBACK');
      console.log(
        `replayed ${report.eventsReplayed} events into fresh copies of: ${report.tables.join(', ')}`,
      );
      if (report.identical) {
        console.log('result: every read model rebuilt from the events equals the live one');
        return 0;
      }
      for (const d of report.differences) {
        console.log(`DIFFERENT ${d.table}: ${d.onlyLive} row(s) only live, ${d.onlyRebuilt} only rebuilt`);
        for (const s of d.samples) console.log(`  ${s}`);
      }
      return 1;
    } finally {
      await app.close();
    }
  }),
);
