/**
 * Business dates are in Asia/Shanghai (UTC+8, no daylight saving since 1991); instants are
 * UTC with millisecond precision. Pure helpers: the current time always comes in as an argument.
 */
export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** `YYYY-MM-DD` of an instant in Asia/Shanghai. */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant at which a Shanghai calendar day starts (00:00 +08:00). */
export function shanghaiDayStart(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00.000+08:00`));
}

/** The instant at which a Shanghai calendar day ends (24:00 +08:00, i.e. the next day's start). */
export function shanghaiDayEnd(date: string): Date {
  return new Date(shanghaiDayStart(date).getTime() + 24 * 60 * 60 * 1000);
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isLocalDate(s: string): boolean {
  const m = LOCAL_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** An instant as the ledger writes it: ISO 8601 UTC with milliseconds. */
export const isoMillis = (d: Date): string => d.toISOString();
