import { actingPartyId } from '../../shared/domain/actor';
import { expectStatus, type CommandMeta } from '../../shared/domain/decider';
import { DomainError, isDomainError } from '../../shared/domain/domain-error';
import { HAZARDS, type Hazard } from '../../catalogue/domain/hazard';
import {
  MEDICAL_CATEGORY,
  WASTE_CODE_PATTERN,
  categoryOfCode,
  medicalClassOfCode,
  type MedicalWasteClass,
} from '../../catalogue/domain/medical-waste';
import { LOT_FORMS, MASS_BASES, type LotDescription, type TreatmentMode } from './lot.events';
import type { FacilityFact, NewLotInput, WasteCodeFact } from './lot.commands';
import type { LotState, LotStatus } from './lot.state';
import { LOT_TRANSITIONS, type LotAct } from './lot.transitions';

/** Rules shared by the lot deciders: input shape, who may act, mass arithmetic. Pure. */

const BASIS_POINTS = 10_000;
const MAX_TEXT = 500;

/** The business time of a command as the ledger writes it (ISO UTC, milliseconds). */
export function businessTime(meta: CommandMeta): string {
  if (!(meta.occurredAt instanceof Date) || Number.isNaN(meta.occurredAt.getTime())) {
    throw DomainError.badInput('occurredAt', 'occurredAt: not a valid instant');
  }
  return meta.occurredAt.toISOString();
}

export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_TEXT) {
    throw DomainError.badInput(field, `${field}: required, at most ${MAX_TEXT} characters`);
  }
  return value;
}

export function optionalText(value: unknown, field: string): string | null {
  return value === null || value === undefined ? null : requireText(value, field);
}

/** A positive safe integer number of grams, at most `max` when given. */
export function requireMass(value: unknown, field: string, max?: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw DomainError.badInput(field, `${field}: a positive whole number of grams`);
  }
  if (max !== undefined && value > max) {
    throw DomainError.badInput(field, `${field}: ${value} g exceeds the maximum of ${max} g per lot`, {
      maxGrams: max,
    });
  }
  return value;
}

export function requireTolerance(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > BASIS_POINTS) {
    throw DomainError.badInput(field, `${field}: basis points between 0 and ${BASIS_POINTS}`);
  }
  return value;
}

/** |actual − expected| ≤ tolerance × expected, in exact integer arithmetic. */
export const withinTolerance = (actual: number, expected: number, toleranceBasisPoints: number): boolean =>
  Math.abs(actual - expected) * BASIS_POINTS <= toleranceBasisPoints * expected;

/** A list (the type says so, but input may come from a looser edge). */
export function requireList<T>(value: readonly T[], field: string): readonly T[] {
  const list: unknown = value;
  if (!Array.isArray(list)) throw DomainError.badInput(field, `${field}: a list`);
  return value;
}

export function requireDistinct(ids: readonly string[], field: string): void {
  ids.forEach((id, i) => requireText(id, `${field}.${i}`));
  if (new Set(ids).size !== ids.length)
    throw DomainError.badInput(field, `${field}: the same lot is named twice`);
}

/** The catalogue category of a known code used with its own category, else `UNKNOWN_WASTE_CODE`. */
export function checkWasteCode(code: unknown, fact: WasteCodeFact | undefined, field: string): string {
  if (
    typeof code !== 'string' ||
    !WASTE_CODE_PATTERN.test(code) ||
    !fact?.codeExists ||
    fact.category === null
  ) {
    throw new DomainError(
      'UNKNOWN_WASTE_CODE',
      `${field}: not a code of the catalogue in force: ${JSON.stringify(code)}`,
      { field },
    );
  }
  if (fact.category !== categoryOfCode(code)) {
    throw new DomainError('UNKNOWN_WASTE_CODE', `${field}: ${code} is not in category ${fact.category}`, {
      field,
    });
  }
  return fact.category;
}

/** Medical waste (HW01) needs its class, and the class must be that of the code; other waste has none. */
export function checkMedicalClass(
  code: string,
  category: string,
  medicalClass: MedicalWasteClass | null | undefined,
  field: string,
): MedicalWasteClass | null {
  if (category !== MEDICAL_CATEGORY) {
    if (medicalClass !== null && medicalClass !== undefined)
      throw DomainError.badInput(field, `${field}: only HW01 lots have a medical class`);
    return null;
  }
  const expected = medicalClassOfCode(code);
  if (medicalClass === null || medicalClass === undefined)
    throw DomainError.badInput(field, `${field}: required for medical waste (HW01)`);
  if (expected !== medicalClass)
    throw DomainError.badInput(field, `${field}: ${medicalClass} is not the class of ${code}`, { expected });
  return medicalClass;
}

const isHazard = (h: unknown): h is Hazard =>
  typeof h === 'string' && (HAZARDS as readonly string[]).includes(h);

export function checkHazards(hazards: unknown, field: string): readonly Hazard[] {
  if (
    !Array.isArray(hazards) ||
    hazards.length === 0 ||
    !hazards.every(isHazard) ||
    new Set(hazards).size !== hazards.length
  ) {
    throw DomainError.badInput(
      field,
      `${field}: one or more distinct hazard characteristics of ${HAZARDS.join(', ')}`,
    );
  }
  return [...hazards];
}

export function checkComponents(components: unknown, field: string): readonly string[] {
  if (!Array.isArray(components)) throw DomainError.badInput(field, `${field}: a list of main components`);
  return components.map((c, i) => requireText(c, `${field}.${i}`));
}

export function checkForm(form: unknown, field: string): LotDescription['form'] {
  if (!LOT_FORMS.includes(form as LotDescription['form']))
    throw DomainError.badInput(field, `${field}: one of ${LOT_FORMS.join(', ')}`);
  return form as LotDescription['form'];
}

export function checkMassBasis(basis: unknown, field: string): LotDescription['massBasis'] {
  if (!MASS_BASES.includes(basis as LotDescription['massBasis']))
    throw DomainError.badInput(field, `${field}: one of ${MASS_BASES.join(', ')}`);
  return basis as LotDescription['massBasis'];
}

/** Validates what a new container's label shows; `prefix` names the input (`residues.0`). */
export function checkNewLot(
  input: NewLotInput,
  code: WasteCodeFact | undefined,
  maxLotMassGrams: number,
  prefix = '',
): LotDescription & { lotId: string; massGrams: number } {
  const f = (name: string) => (prefix ? `${prefix}.${name}` : name);
  const category = checkWasteCode(input.wasteCode, code, f('wasteCode'));
  return {
    lotId: requireText(input.lotId, f('lotId')),
    labelCode: requireText(input.labelCode, f('labelCode')),
    batchCode: requireText(input.batchCode, f('batchCode')),
    wasteCode: input.wasteCode,
    category,
    medicalClass: checkMedicalClass(input.wasteCode, category, input.medicalClass, f('medicalClass')),
    form: checkForm(input.form, f('form')),
    packaging: requireText(input.packaging, f('packaging')),
    mainComponents: checkComponents(input.mainComponents, f('mainComponents')),
    hazards: checkHazards(input.hazards, f('hazards')),
    massBasis: checkMassBasis(input.massBasis, f('massBasis')),
    massGrams: requireMass(input.massGrams, f('massGrams'), maxLotMassGrams),
  };
}

/** The state handed in is the lot the command names (a service bug otherwise, reported as bad input). */
export function requireSameLot(c: { data: { lotId: string } }, s: { lotId: string }): void {
  if (c.data.lotId !== s.lotId)
    throw DomainError.badInput('lotId', `command for lot ${c.data.lotId} applied to lot ${s.lotId}`);
}

/** The looked-up facility named by `facilityId`, or `BAD_USER_INPUT` on that field. */
export function requireFacility(
  fact: FacilityFact | null | undefined,
  facilityId: unknown,
  field: string,
): FacilityFact {
  requireText(facilityId, field);
  if (!fact || fact.facilityId !== facilityId)
    throw DomainError.badInput(field, `${field}: unknown facility`);
  return fact;
}

/** The party an actor acts for (its own, or the delegating party when an agent acts). */
export function actorParty(meta: CommandMeta): string | undefined {
  return actingPartyId(meta.actor);
}

/** The actor must act for the lot's custodian. */
export function requireCustodian(
  state: { custodianPartyId: string; lotId: string },
  meta: CommandMeta,
): string {
  const party = actorParty(meta);
  if (party === undefined || party !== state.custodianPartyId) {
    throw new DomainError(
      'LOT_NOT_IN_CUSTODY',
      `lot ${state.lotId} is not in the custody of the acting party`,
      {
        lotId: state.lotId,
      },
    );
  }
  return party;
}

/** The actor must act for the party the manifest (or the lot) names for this step. */
export function requireNamedParty(meta: CommandMeta, named: string | null, role: string): string {
  const party = actorParty(meta);
  if (party === undefined || named === null || party !== named) {
    throw new DomainError('FORBIDDEN', `only the ${role} may do this`, { role });
  }
  return party;
}

/** Not promised to a submitted manifest. */
export function requireFree(state: { openManifestId: string | null; lotId: string }): void {
  if (state.openManifestId !== null) {
    throw new DomainError(
      'LOT_ON_OPEN_MANIFEST',
      `lot ${state.lotId} is on open manifest ${state.openManifestId}`,
      {
        lotId: state.lotId,
        manifestId: state.openManifestId,
      },
    );
  }
}

const BASEL_D = /^D([1-9]|1[0-5])$/;
const BASEL_R = /^R([1-9]|1[0-3])$/;

/** 利用 (R1–R13) or 处置 (D1–D15), from the Basel Annex IV method. */
export function modeOfMethod(method: unknown): TreatmentMode {
  if (typeof method === 'string' && BASEL_D.test(method)) return 'DISPOSE';
  if (typeof method === 'string' && BASEL_R.test(method)) return 'UTILISE';
  throw DomainError.badInput('method', 'method: a Basel Annex IV code, D1–D15 or R1–R13');
}

/** The earliest of ISO instants. */
export const earliest = (instants: readonly string[]): string =>
  instants.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));

/** Distinct values in first-seen order. */
export const union = <T>(lists: readonly (readonly T[])[]): T[] => [...new Set(lists.flat())];

/** The acts the table allows from a status. */
export const actsAllowedIn = (status: LotStatus): LotAct[] =>
  LOT_TRANSITIONS.filter((t) => t.from.includes(status)).map((t) => t.act);

/** `expectStatus`, with the acts allowed in the current state added to the error. */
export function expectLotStatus<K extends LotStatus>(
  state: LotState,
  ...allowed: K[]
): Extract<LotState, { status: K }> {
  try {
    return expectStatus(state, ...allowed);
  } catch (e) {
    if (isDomainError(e))
      throw new DomainError(e.code, e.message, { ...e.details, allowedActs: actsAllowedIn(state.status) });
    throw e;
  }
}
