import type { Hazard } from '../../catalogue/domain/hazard';
import { DomainError } from '../../shared/domain/domain-error';
import type { CorrectionChangeInput } from './manifest.commands';
import {
  CORRECTABLE_FIELDS,
  type CorrectableField,
  type CorrectionChange,
  type CorrectionValue,
  type ManifestContent,
  type ManifestLot,
} from './manifest.types';
import {
  optionalText,
  requireBaselMethod,
  requireHazards,
  requireList,
  requireText,
} from './manifest.validation';

/**
 * Corrections after a signature are never edits (SPEC section 6): a request names descriptive
 * fields with their new values; approval appends them, and history keeps both versions. Custody
 * facts (parties, lots carried, masses, times, decisions) cannot be corrected.
 */

const isLotField = (f: CorrectableField): boolean => f.startsWith('lot.');

function current(c: ManifestContent, field: CorrectableField, lot: ManifestLot | undefined): CorrectionValue {
  switch (field) {
    case 'emergencyMeasures':
      return c.emergencyMeasures;
    case 'startPoint.address':
      return c.startPoint.address;
    case 'endPoint.address':
      return c.endPoint.address;
    case 'lot.wasteName':
      return lot?.wasteName ?? null;
    case 'lot.form':
      return lot?.form ?? null;
    case 'lot.packaging':
      return lot?.packaging ?? null;
    case 'lot.hazards':
      return lot ? [...lot.hazards] : null;
    case 'lot.method':
      return lot?.method ?? null;
  }
}

function checkValue(field: CorrectableField, value: CorrectionValue, path: string): CorrectionValue {
  switch (field) {
    case 'lot.form':
    case 'lot.packaging':
      return optionalText(value, path);
    case 'lot.hazards':
      requireHazards(value, path);
      return [...(value as readonly string[])];
    case 'lot.method':
      return requireBaselMethod(value, path);
    default:
      return requireText(value, path);
  }
}

const same = (a: CorrectionValue, b: CorrectionValue): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Checks a request's changes against the content and returns them with their current values. */
export function resolveChanges(
  c: ManifestContent,
  inputs: readonly CorrectionChangeInput[],
): CorrectionChange[] {
  const seen = new Set<string>();
  return requireList(inputs, 'changes', 1).map((input, i) => {
    const path = `changes[${i}]`;
    const field = input.field;
    if (!(CORRECTABLE_FIELDS as readonly string[]).includes(field)) {
      throw DomainError.badInput(
        `${path}.field`,
        `${path}.field: not a descriptive field that may be corrected`,
        {
          correctable: [...CORRECTABLE_FIELDS],
        },
      );
    }
    const lotId = isLotField(field) ? requireText(input.lotId, `${path}.lotId`) : null;
    const lot = lotId === null ? undefined : c.lots.find((l) => l.lotId === lotId);
    if (lotId !== null && !lot)
      throw DomainError.badInput(`${path}.lotId`, `${path}.lotId: ${lotId} is not on the manifest`);
    const key = `${field}/${lotId ?? ''}`;
    if (seen.has(key)) throw DomainError.badInput(path, `${path}: ${field} named twice`);
    seen.add(key);
    const to = checkValue(field, input.to, `${path}.to`);
    const from = current(c, field, lot);
    if (same(from, to))
      throw DomainError.badInput(`${path}.to`, `${path}.to: the value is already ${JSON.stringify(to)}`);
    return { field, lotId, from, to };
  });
}

function applyToLot(l: ManifestLot, ch: CorrectionChange): ManifestLot {
  switch (ch.field) {
    case 'lot.wasteName':
      return { ...l, wasteName: ch.to as string };
    case 'lot.form':
      return { ...l, form: ch.to as string | null };
    case 'lot.packaging':
      return { ...l, packaging: ch.to as string | null };
    case 'lot.hazards':
      return { ...l, hazards: ch.to as readonly Hazard[] };
    case 'lot.method':
      return { ...l, method: ch.to as string };
    default:
      return l;
  }
}

/** The content with approved changes applied (values were checked when the request was filed). */
export function applyCorrection(c: ManifestContent, changes: readonly CorrectionChange[]): ManifestContent {
  return changes.reduce<ManifestContent>((acc, ch) => {
    switch (ch.field) {
      case 'emergencyMeasures':
        return { ...acc, emergencyMeasures: ch.to as string };
      case 'startPoint.address':
        return { ...acc, startPoint: { ...acc.startPoint, address: ch.to as string } };
      case 'endPoint.address':
        return { ...acc, endPoint: { ...acc.endPoint, address: ch.to as string } };
      default:
        return { ...acc, lots: acc.lots.map((l) => (l.lotId === ch.lotId ? applyToLot(l, ch) : l)) };
    }
  }, c);
}
