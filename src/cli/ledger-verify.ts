import { verifyLedger } from '../ledger/verification/ledger-verifier';
import { run, withOwnerDatabase } from './cli-context';

/**
 * `npm run ledger:verify` — recomputes every stream chain and every checkpoint and prints the
 * first event where anything differs. Exit code 0 when the ledger verifies, 1 otherwise.
 * `--json` prints the whole report.
 */
run(async () => {
  const report = await withOwnerDatabase((sql) => verifyLedger(sql));
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(`events checked:      ${report.eventsChecked} in ${report.streamsChecked} streams`);
    console.log(
      `checkpoints checked: ${report.checkpointsChecked}, sealed through position ${report.sealedThroughPosition}`,
    );
    console.log(
      `unsealed tail:       ${report.unsealedEvents} event(s) after the last checkpoint (chains checked, presence not yet verifiable)`,
    );
    if (report.ok) {
      console.log('result:              OK — every chain and checkpoint verifies');
    } else {
      const p = report.firstProblem!;
      console.log(
        `result:              ${report.problemCount} problem(s); the first at position ${p.position}: ${p.kind} ${p.streamId ?? ''} — ${p.message}`,
      );
      for (const q of report.problems.slice(1, 20))
        console.log(`  position ${q.position}: ${q.kind} ${q.streamId ?? ''} — ${q.message}`);
    }
  }
  return report.ok ? 0 : 1;
});
