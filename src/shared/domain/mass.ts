import { DomainError } from './domain-error';

/**
 * Mass, exactly: integer grams inside the domain, a decimal string of kilograms with up to three
 * places at the edges (`"12.345"` kg = 12 345 g). Never binary floating point.
 */
export type Grams = number & { readonly __unit: 'g' };

const DECIMAL_KG = /^(0|[1-9]\d{0,11})(\.\d{1,3})?$/;

export const grams = (n: number): Grams => {
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer number of grams: ${n}`);
  return n as Grams;
};

/** Parses a decimal kilogram string; `field` names the input for the error. */
export function parseKg(value: string, field = 'mass'): Grams {
  const s = value.trim();
  const m = DECIMAL_KG.exec(s);
  if (!m)
    throw DomainError.badInput(
      field,
      `${field}: not a mass in kg with up to 3 decimals: ${JSON.stringify(value)}`,
    );
  const frac = (m[2] ?? '.').slice(1).padEnd(3, '0');
  return grams(Number(m[1]) * 1000 + Number(frac));
}

/** Formats grams as a kilogram decimal string with three places (`12345` → `"12.345"`). */
export function formatKg(g: number): string {
  const sign = g < 0 ? '-' : '';
  const abs = Math.abs(g);
  return `${sign}${Math.trunc(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`;
}

export const sumGrams = (values: readonly number[]): Grams => grams(values.reduce((a, b) => a + b, 0));

/** Tonnes (licence capacities) to grams. */
export const tonnesToGrams = (t: number): Grams => grams(Math.round(t * 1_000_000));
