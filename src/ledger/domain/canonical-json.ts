/**
 * Canonical JSON (RFC 8785 style, restricted to what the ledger stores): object keys sorted by
 * UTF-16 code units, no whitespace, strings escaped as JSON.stringify does, numbers only as safe
 * integers (masses are integer grams or decimal strings, never floats), `undefined` members
 * omitted. The bytes this produces are what the ledger hashes and stores.
 */
export type CanonicalValue =
  null | boolean | number | string | CanonicalValue[] | { [key: string]: CanonicalValue | undefined };

export class CanonicalJsonError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${message} at ${path || '(root)'}`);
  }
}

/** The path of the value being written, for error messages: `data.lots[2].mass`. */
function pathText(stack: readonly (string | number)[]): string {
  let p = '';
  for (const k of stack) p = typeof k === 'number' ? `${p}[${k}]` : p ? `${p}.${k}` : k;
  return p;
}

/**
 * The canonical text of `value`. The path is kept as a stack and spelled out only for an error:
 * this runs for every event appended and every event verified.
 */
function encode(value: unknown, stack: (string | number)[], floats: boolean): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      if (!value.isWellFormed()) throw new CanonicalJsonError('lone surrogate in string', pathText(stack));
      return JSON.stringify(value);
    case 'number':
      if (floats && Number.isFinite(value)) return JSON.stringify(value); // ECMAScript shortest form, as RFC 8785 prescribes
      if (!Number.isSafeInteger(value))
        throw new CanonicalJsonError(`not a safe integer: ${value}`, pathText(stack));
      return Object.is(value, -0) ? '0' : String(value);
    case 'object': {
      if (Array.isArray(value)) {
        let text = '[';
        for (let i = 0; i < value.length; i++) {
          stack.push(i);
          const v: unknown = value[i];
          if (v === undefined) throw new CanonicalJsonError('undefined array element', pathText(stack));
          text += (i > 0 ? ',' : '') + encode(v, stack, floats);
          stack.pop();
        }
        return `${text}]`;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw new CanonicalJsonError(`not a plain object (${value.constructor?.name})`, pathText(stack));
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      keys.sort(); // default sort compares UTF-16 code units, as RFC 8785 requires
      let text = '{';
      let first = true;
      for (const k of keys) {
        const v = record[k];
        if (v === undefined) continue;
        stack.push(k);
        text += `${first ? '' : ','}${JSON.stringify(k)}:${encode(v, stack, floats)}`;
        stack.pop();
        first = false;
      }
      return `${text}}`;
    }
    default:
      throw new CanonicalJsonError(`unsupported ${typeof value}`, pathText(stack));
  }
}

/** The canonical text of `value`; throws `CanonicalJsonError` on floats, dates, class instances and the like. */
export function canonicalize(value: unknown): string {
  return encode(value, [], false);
}

/** The canonical UTF-8 bytes of `value`. */
export const canonicalBytes = (value: unknown): Buffer => Buffer.from(canonicalize(value), 'utf8');

/**
 * A stable text for any JSON-able value (a client request): first through JSON (dates become
 * strings, undefined members vanish), then canonical with finite floats allowed. Used to tell a
 * retried request from a different one under the same idempotency key; never stored in events.
 */
export function stableRequestText(value: unknown): string {
  const plain: unknown = value === undefined ? null : JSON.parse(JSON.stringify(value));
  return encode(plain, [], true);
}
