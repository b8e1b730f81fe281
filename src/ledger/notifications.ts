/** The PostgreSQL channel on which committed ledger transactions notify every API process. */
export const NOTIFY_CHANNEL = 'hazledger_events';
