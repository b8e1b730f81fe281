import fc from 'fast-check';
import { canonicalize, stableRequestText } from './canonical-json';

/** Any JSON value the ledger may store: null, booleans, safe integers, strings, arrays, objects. */
const jsonValue = (keyUnit: 'grapheme' | 'grapheme-ascii') =>
  fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constant(null),
      fc.boolean(),
      fc.maxSafeInteger(),
      fc.string({ unit: 'grapheme' }),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.string({ unit: keyUnit }), tie('value'), { maxKeys: 4 }),
    ),
  })).value;

describe('canonical JSON', () => {
  it('sorts keys by UTF-16 code units, at every depth, without whitespace', () => {
    expect(canonicalize({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
    // RFC 8785 example ordering: code units, so "\u20ac" (euro) sorts after "\r" and uppercase before lowercase
    expect(canonicalize({ '\u20ac': 1, '\r': 2, a: 3, B: 4, '1': 5 })).toBe(
      '{"\\r":2,"1":5,"B":4,"a":3,"€":1}',
    );
    // a supplementary-plane character sorts by its surrogates (0xD83D), before U+FB33
    expect(Object.keys(JSON.parse(canonicalize({ '\ufb33': 1, '😀': 2 })) as object)).toEqual([
      '😀',
      '\ufb33',
    ]);
  });

  it('escapes strings as JSON and keeps unicode as is', () => {
    expect(canonicalize('医疗废物 "感染性"\n')).toBe('"医疗废物 \\"感染性\\"\\n"');
    expect(canonicalize('\u0007')).toBe('"\\u0007"');
  });

  it('accepts only safe integers as numbers', () => {
    expect(canonicalize(12345)).toBe('12345');
    expect(canonicalize(-0)).toBe('0');
    expect(() => canonicalize(1.5)).toThrow(/safe integer/);
    expect(() => canonicalize(Number.NaN)).toThrow(/safe integer/);
    expect(() => canonicalize(2 ** 60)).toThrow(/safe integer/);
    expect(() => canonicalize({ mass: { kg: 0.1 } })).toThrow(/mass\.kg/);
  });

  it('refuses dates, class instances, bigints and lone surrogates: they must be made explicit first', () => {
    expect(() => canonicalize({ at: new Date(0) })).toThrow(/plain object/);
    expect(() => canonicalize(BigInt(1))).toThrow(/bigint/);
    expect(() => canonicalize('\ud800')).toThrow(/surrogate/);
  });

  it('omits undefined members', () => {
    expect(canonicalize({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it('is stable under key order and round-trips through JSON.parse', () => {
    const json = jsonValue('grapheme');
    fc.assert(
      fc.property(json, (v) => {
        const text = canonicalize(v);
        expect(canonicalize(JSON.parse(text))).toBe(text);
        if (v && typeof v === 'object' && !Array.isArray(v)) {
          const reversed = Object.fromEntries(Object.entries(v).reverse());
          expect(canonicalize(reversed)).toBe(text);
        }
      }),
    );
  });
});

describe('canonical JSON against an independent oracle', () => {
  /**
   * Written out member by member with JSON.stringify for every scalar and key: a sorted plain object
   * cannot serve as the oracle, because JavaScript enumerates integer-like keys ("0") before all others.
   */
  const oracle = (v: unknown): string =>
    Array.isArray(v)
      ? `[${v.map(oracle).join(',')}]`
      : v !== null && typeof v === 'object'
        ? `{${Object.keys(v)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${oracle((v as Record<string, unknown>)[k])}`)
            .join(',')}}`
        : JSON.stringify(v);
  it('equals a member-by-member JSON.stringify with keys sorted by code units, and names the path of a refused value', () => {
    const json = jsonValue('grapheme-ascii');
    fc.assert(
      fc.property(json, (v) => {
        expect(canonicalize(v)).toBe(oracle(v));
      }),
    );
    // the counterexample that a sorted-object oracle got wrong: "" sorts before "0"
    expect(canonicalize({ '': { '0': null, '': false } })).toBe('{"":{"":false,"0":null}}');
    expect(() => canonicalize({ data: { lots: [{ mass: 1 }, { mass: 1 }, { mass: 0.5 }] } })).toThrow(
      'not a safe integer: 0.5 at data.lots[2].mass',
    );
    expect(() => canonicalize([1, [2, undefined]])).toThrow('undefined array element at [1][1]');
    expect(() => canonicalize(0.5)).toThrow('not a safe integer: 0.5 at (root)');
  });
});

describe('stable request text', () => {
  it('allows floats and dates, and ignores key order', () => {
    expect(stableRequestText({ b: 1.5, a: new Date(0) })).toBe('{"a":"1970-01-01T00:00:00.000Z","b":1.5}');
    expect(stableRequestText({ a: 1, b: 2 })).toBe(stableRequestText({ b: 2, a: 1 }));
  });
});
