import { randomBytes } from 'node:crypto';
import {
  MEDICAL_CATEGORY,
  medicalClassOfCode,
  type MedicalWasteClass,
} from '../catalogue/domain/medical-waste';
import { DomainError, isDomainError } from '../shared/domain/domain-error';
import { formatKg } from '../shared/domain/mass';
import { shanghaiDate } from '../shared/domain/time';
import { bodyFromBytes, formatBatchCode, formatLabelCode, LABEL_BODY_LENGTH } from './labels/label-code';

/**
 * Input checks that name the GraphQL field at fault (`input.containers.0.mass`), done before the
 * decider (which checks the same rules again, naming its own command fields), and the making of
 * ids and codes (outside the pure domain).
 */

/** A positive mass of at most `maxGrams`, else BAD_USER_INPUT on `field`. */
export function checkMass(grams: unknown, field: string, maxGrams: number): number {
  if (typeof grams !== 'number' || !Number.isSafeInteger(grams) || grams <= 0) {
    throw DomainError.badInput(field, `${field}: a mass greater than 0 kg`);
  }
  if (grams > maxGrams) {
    throw DomainError.badInput(
      field,
      `${field}: ${formatKg(grams)} kg exceeds the maximum of ${formatKg(maxGrams)} kg per lot`,
      {
        maxMass: formatKg(maxGrams),
      },
    );
  }
  return grams;
}

/** 医疗废物分类: mandatory for HW01 and the class of the code; absent for other categories. */
export function checkMedicalClass(
  wasteCode: string,
  category: string,
  medicalClass: MedicalWasteClass | null | undefined,
  field: string,
): MedicalWasteClass | null {
  if (category !== MEDICAL_CATEGORY) {
    if (medicalClass != null)
      throw DomainError.badInput(field, `${field}: only medical waste (HW01) has a medical class`);
    return null;
  }
  const expected = medicalClassOfCode(wasteCode);
  if (medicalClass == null)
    throw DomainError.badInput(field, `${field}: mandatory for medical waste (HW01): ${expected}`);
  if (medicalClass !== expected) {
    throw DomainError.badInput(field, `${field}: ${wasteCode} is ${expected}, not ${medicalClass}`, {
      expected,
    });
  }
  return medicalClass;
}

/** Runs a decision and re-names the field of a refusal as the GraphQL input names it. */
export function withFields<T>(rename: (field: string) => string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isDomainError(e) && typeof e.details.field === 'string') {
      throw new DomainError(e.code, e.message, { ...e.details, field: rename(e.details.field) });
    }
    throw e;
  }
}

/** The input name of a decider field: `massGrams` → `mass`, `newLot.massGrams` → `mass`, prefixed. */
export function inputField(prefix: string, field: string): string {
  const name = field
    .replace(/^newLot\./, '')
    .replace(/massGrams$/, 'mass')
    .replace(/^facts\./, '');
  return `${prefix}.${name}`;
}

/** A new label code for a container made at `at` (the year is the Shanghai year). */
export const newLabelCode = (at: Date): string =>
  formatLabelCode(Number(shanghaiDate(at).slice(0, 4)), bodyFromBytes(randomBytes(LABEL_BODY_LENGTH)));

/** A new batch code for containers made together at `at`. */
export const newBatchCode = (at: Date): string =>
  formatBatchCode(shanghaiDate(at), bodyFromBytes(randomBytes(LABEL_BODY_LENGTH)));

/** The request as the idempotency hash sees it (instants as ISO strings). */
export function requestOf(input: object): unknown {
  return JSON.parse(JSON.stringify(input)) as unknown;
}
