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

function write(value: unknown, path: string, out: string[], floats = false): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'string':
      if (!value.isWellFormed()) throw new CanonicalJsonError('lone surrogate in string', path);
      out.push(JSON.stringify(value));
      return;
    case 'number':
      if (floats && Number.isFinite(value)) {
        out.push(JSON.stringify(value)); // ECMAScript shortest form, as RFC 8785 prescribes
        return;
      }
      if (!Number.isSafeInteger(value)) throw new CanonicalJsonError(`not a safe integer: ${value}`, path);
      out.push(Object.is(value, -0) ? '0' : String(value));
      return;
    case 'object': {
      if (Array.isArray(value)) {
        out.push('[');
        value.forEach((v, i) => {
          if (i > 0) out.push(',');
          if (v === undefined) throw new CanonicalJsonError('undefined array element', `${path}[${i}]`);
          write(v, `${path}[${i}]`, out, floats);
        });
        out.push(']');
        return;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw new CanonicalJsonError(`not a plain object (${value.constructor?.name})`, path);
      }
      const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
      keys.sort(); // default sort compares UTF-16 code units, as RFC 8785 requires
      out.push('{');
      keys.forEach((k, i) => {
        if (i > 0) out.push(',');
        out.push(JSON.stringify(k), ':');
        write((value as Record<string, unknown>)[k], path ? `${path}.${k}` : k, out, floats);
      });
      out.push('}');
      return;
    }
    default:
      throw new CanonicalJsonError(`unsupported ${typeof value}`, path);
  }
}

/** The canonical text of `value`; throws `CanonicalJsonError` on floats, dates, class instances and the like. */
export function canonicalize(value: unknown): string {
  const out: string[] = [];
  write(value, '', out);
  return out.join('');
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
  const out: string[] = [];
  write(plain, '', out, true);
  return out.join('');
}
