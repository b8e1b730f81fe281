import { WASTE_CODE_PATTERN } from '../../catalogue/domain/medical-waste';
import type { CommandMeta, Cmd } from '../../shared/domain/decider';
import { expectStatus } from '../../shared/domain/decider';
import { DomainError } from '../../shared/domain/domain-error';
import { shanghaiDate } from '../../shared/domain/time';
import type { ManagementPlanEvent } from './flows.events';
import { isOverdue, managementPlanDeadline, type ManagementClass } from './reporting-periods';

/**
 * 管理计划 — a producer site's annual management plan (HJ 1259-2022 ch. 5, SPEC section 9.1).
 * Pure: content, the sections each management class must fill, validation and the decider.
 *
 * Basic information (A.1 单位基本信息: name, USCC, address, division, class) is never typed in: it
 * is read from the party registry when the plan is shown, so that nothing is entered twice.
 */

/** The plan sections of HJ 1259-2022 Appendix A that are entered (A.1 comes from the registry). */
export const PLAN_SECTIONS = [
  'FACILITIES', // A.2 设施信息
  'GENERATION', // A.3 产生情况
  'STORAGE', // A.4 贮存情况
  'OWN_TREATMENT', // A.5 自行利用/处置
  'REDUCTION', // A.6 减量化计划和措施
  'TRANSFERS', // A.7 转移情况
] as const;
export type PlanSection = (typeof PLAN_SECTIONS)[number];

/**
 * Sections required by class (HJ 1259-2022 §5.3): 登记管理 REGISTRATION A.3 and A.7; 简化管理
 * SIMPLIFIED also A.4 and A.6; 重点监管 KEY every section. A section not required may still be given.
 */
export const REQUIRED_SECTIONS: Readonly<Record<ManagementClass, readonly PlanSection[]>> = {
  REGISTRATION: ['GENERATION', 'TRANSFERS'],
  SIMPLIFIED: ['GENERATION', 'STORAGE', 'REDUCTION', 'TRANSFERS'],
  KEY: ['FACILITIES', 'GENERATION', 'STORAGE', 'OWN_TREATMENT', 'REDUCTION', 'TRANSFERS'],
};

/** A.2 — a production or pollution-control facility and what it does. */
export interface PlanFacilityLine {
  readonly facilityId: string;
  readonly description: string;
}

/** A.3 — a waste the site expects to generate this year. */
export interface PlanGenerationLine {
  readonly wasteCode: string;
  readonly expectedGrams: number;
  /** 产生环节 — the process step that generates it. */
  readonly process: string;
  /** 行业俗称 / 单位内部名称, if any. */
  readonly internalName: string | null;
}

/** A.4 — a storage facility, the codes it holds, packaging and expected year-end stock. */
export interface PlanStorageLine {
  readonly facilityId: string;
  readonly wasteCodes: readonly string[];
  readonly packaging: string;
  readonly expectedYearEndStockGrams: number;
}

/** A.5 — waste the site utilises or disposes of itself. */
export interface PlanOwnTreatmentLine {
  readonly facilityId: string;
  readonly wasteCode: string;
  readonly method: string;
  readonly expectedGrams: number;
}

/** A.6 — a reduction measure (减量化措施). */
export interface PlanReductionMeasure {
  readonly measure: string;
  readonly wasteCodes: readonly string[];
  readonly expectedReductionGrams: number | null;
}

export const TRANSFER_TYPES = ['INTRA_PROVINCE', 'CROSS_PROVINCE'] as const;
export type PlanTransferType = (typeof TRANSFER_TYPES)[number];

/** A.7 — a planned transfer: code, receiver, Basel method, amount. These govern manifest submission. */
export interface PlanTransferLine {
  readonly wasteCode: string;
  readonly receiverPartyId: string;
  readonly method: string;
  readonly expectedGrams: number;
  readonly transferType: PlanTransferType;
}

/** The entered content; a section left out is `null`. */
export interface PlanContent {
  readonly facilities: readonly PlanFacilityLine[] | null;
  readonly generation: readonly PlanGenerationLine[] | null;
  readonly storage: readonly PlanStorageLine[] | null;
  readonly ownTreatment: readonly PlanOwnTreatmentLine[] | null;
  readonly reduction: readonly PlanReductionMeasure[] | null;
  readonly transfers: readonly PlanTransferLine[] | null;
}

/** Facts the service looks up for validation: the site, its facilities, codes and receivers. */
export interface PlanFacts {
  readonly siteId: string;
  readonly partyId: string;
  readonly managementClass: ManagementClass;
  /** The site has its own utilisation/disposal facility (自建设施): A.5 must then list it. */
  readonly siteOwnTreatment: boolean;
  readonly siteFacilityIds: readonly string[];
  /** Codes of the catalogue in force on 1 January of the plan year. */
  readonly knownCodes: readonly string[];
  /** Receivers named, with their registry status (absent: no such party). */
  readonly receivers: Readonly<Record<string, { readonly status: string }>>;
}

export type FileManagementPlan = Cmd<
  'FileManagementPlan',
  {
    readonly year: number;
    readonly filingNumber: string;
    readonly content: PlanContent;
    readonly facts: PlanFacts;
  }
>;

export type AmendManagementPlan = Cmd<
  'AmendManagementPlan',
  { readonly year: number; readonly reason: string; readonly content: PlanContent; readonly facts: PlanFacts }
>;

export type ManagementPlanCommand = FileManagementPlan | AmendManagementPlan;

export type ManagementPlanState =
  | { readonly status: 'NONE' }
  | {
      readonly status: 'FILED';
      readonly siteId: string;
      readonly partyId: string;
      readonly year: number;
      readonly filingNumber: string;
      readonly revision: number;
      readonly content: PlanContent;
    };

const BASEL = /^(D([1-9]|1[0-5])|R([1-9]|1[0-3]))$/;
const MAX_TEXT = 500;
const MAX_LINES = 200;

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_TEXT)
    throw DomainError.badInput(field, `${field}: required, at most ${MAX_TEXT} characters`);
  return value;
}

function amount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw DomainError.badInput(field, `${field}: a mass of at least 0 kg`);
  return value;
}

function code(value: unknown, field: string, f: PlanFacts): string {
  if (typeof value !== 'string' || !WASTE_CODE_PATTERN.test(value) || !f.knownCodes.includes(value))
    throw new DomainError('UNKNOWN_WASTE_CODE', `${field}: not a code of the catalogue in force`, { field });
  return value;
}

function facility(value: unknown, field: string, f: PlanFacts): string {
  if (typeof value !== 'string' || !f.siteFacilityIds.includes(value))
    throw DomainError.badInput(field, `${field}: not a facility of this site`);
  return value;
}

function method(value: unknown, field: string): string {
  if (typeof value !== 'string' || !BASEL.test(value))
    throw DomainError.badInput(field, `${field}: a Basel Annex IV code, D1–D15 or R1–R13`);
  return value;
}

function lines<T>(
  value: readonly T[] | null,
  field: string,
  required: boolean,
  nonEmpty: boolean,
): readonly T[] | null {
  if (value === null || value === undefined) {
    if (required)
      throw DomainError.badInput(field, `${field}: this section is required for the site's management class`);
    return null;
  }
  if (!Array.isArray(value) || value.length > MAX_LINES)
    throw DomainError.badInput(field, `${field}: a list of at most ${MAX_LINES} lines`);
  if (nonEmpty && value.length === 0) throw DomainError.badInput(field, `${field}: list at least one line`);
  return value as readonly T[];
}

/**
 * Checks a plan's content against the site's class and the registry facts; returns it unchanged
 * or throws naming the field (`content.transfers.0.receiverPartyId`). Rules beyond HJ 1259's table:
 * every code generated has a destination (a transfer or own treatment line), every transferred or
 * stored code is one the plan generates, receivers are verified parties, and a site with its own
 * treatment facility lists what it treats in A.5.
 */
export function validatePlanContent(content: PlanContent, f: PlanFacts): PlanContent {
  const required = new Set(REQUIRED_SECTIONS[f.managementClass]);
  const c = 'content';
  const facilities = lines(content.facilities, `${c}.facilities`, required.has('FACILITIES'), true);
  facilities?.forEach((l, i) => {
    facility(l.facilityId, `${c}.facilities.${i}.facilityId`, f);
    text(l.description, `${c}.facilities.${i}.description`);
  });
  const generation = lines(content.generation, `${c}.generation`, true, true)!;
  const generated = new Set<string>();
  generation.forEach((l, i) => {
    const w = code(l.wasteCode, `${c}.generation.${i}.wasteCode`, f);
    if (generated.has(w))
      throw DomainError.badInput(`${c}.generation.${i}.wasteCode`, `${w} is listed twice`);
    generated.add(w);
    amount(l.expectedGrams, `${c}.generation.${i}.expectedAmount`);
    text(l.process, `${c}.generation.${i}.process`);
    if (l.internalName !== null) text(l.internalName, `${c}.generation.${i}.internalName`);
  });
  const ofPlan = (w: unknown, field: string) => {
    const v = code(w, field, f);
    if (!generated.has(v))
      throw DomainError.badInput(field, `${field}: ${v} is not in the generation section`);
    return v;
  };
  lines(content.storage, `${c}.storage`, required.has('STORAGE'), true)?.forEach((l, i) => {
    facility(l.facilityId, `${c}.storage.${i}.facilityId`, f);
    if (!Array.isArray(l.wasteCodes) || l.wasteCodes.length === 0)
      throw DomainError.badInput(`${c}.storage.${i}.wasteCodes`, 'list the codes stored there');
    l.wasteCodes.forEach((w, j) => ofPlan(w, `${c}.storage.${i}.wasteCodes.${j}`));
    text(l.packaging, `${c}.storage.${i}.packaging`);
    amount(l.expectedYearEndStockGrams, `${c}.storage.${i}.expectedYearEndStock`);
  });
  const own = lines(
    content.ownTreatment,
    `${c}.ownTreatment`,
    required.has('OWN_TREATMENT'),
    f.siteOwnTreatment,
  );
  const destined = new Set<string>();
  own?.forEach((l, i) => {
    facility(l.facilityId, `${c}.ownTreatment.${i}.facilityId`, f);
    destined.add(ofPlan(l.wasteCode, `${c}.ownTreatment.${i}.wasteCode`));
    method(l.method, `${c}.ownTreatment.${i}.method`);
    amount(l.expectedGrams, `${c}.ownTreatment.${i}.expectedAmount`);
  });
  lines(content.reduction, `${c}.reduction`, required.has('REDUCTION'), true)?.forEach((l, i) => {
    text(l.measure, `${c}.reduction.${i}.measure`);
    (l.wasteCodes ?? []).forEach((w, j) => ofPlan(w, `${c}.reduction.${i}.wasteCodes.${j}`));
    if (l.expectedReductionGrams !== null)
      amount(l.expectedReductionGrams, `${c}.reduction.${i}.expectedReduction`);
  });
  const transfers = lines(content.transfers, `${c}.transfers`, true, false)!;
  const pairs = new Set<string>();
  transfers.forEach((l, i) => {
    const field = `${c}.transfers.${i}`;
    const w = ofPlan(l.wasteCode, `${field}.wasteCode`);
    const receiver = f.receivers[l.receiverPartyId];
    if (!receiver)
      throw DomainError.badInput(`${field}.receiverPartyId`, `${field}.receiverPartyId: no such party`);
    if (receiver.status !== 'VERIFIED')
      throw new DomainError('PARTY_NOT_VERIFIED', 'a planned receiver must be verified by a regulator', {
        field: `${field}.receiverPartyId`,
      });
    if (l.receiverPartyId === f.partyId)
      throw DomainError.badInput(
        `${field}.receiverPartyId`,
        'own treatment goes in the ownTreatment section',
      );
    method(l.method, `${field}.method`);
    amount(l.expectedGrams, `${field}.expectedAmount`);
    if (!TRANSFER_TYPES.includes(l.transferType))
      throw DomainError.badInput(`${field}.transferType`, 'unknown transfer type');
    const key = `${w}|${l.receiverPartyId}|${l.method}`;
    if (pairs.has(key))
      throw DomainError.badInput(`${field}`, `${field}: the same code, receiver and method twice`);
    pairs.add(key);
    destined.add(w);
  });
  const homeless = [...generated].filter((w) => !destined.has(w));
  if (homeless.length > 0)
    throw DomainError.badInput(
      `${c}.transfers`,
      `no destination planned (transfer or own treatment) for ${homeless.join(', ')}`,
      {
        wasteCodes: homeless,
      },
    );
  return content;
}

/** The filing number's shape: `HLP-<year>-<city code>-<serial>` (HazLedger plan, like its manifest numbers). */
export const formatFilingNumber = (year: number, cityCode: string, serial: number): string =>
  `HLP-${year}-${cityCode.slice(0, 4)}-${String(serial).padStart(6, '0')}`;

/** The business time of a command, as written on events. */
function at(meta: CommandMeta): string {
  if (!(meta.occurredAt instanceof Date) || Number.isNaN(meta.occurredAt.getTime()))
    throw DomainError.badInput('occurredAt', 'occurredAt: not a valid instant');
  return meta.occurredAt.toISOString();
}

function checkYear(year: number, meta: CommandMeta): number {
  const now = Number(shanghaiDate(meta.now).slice(0, 4));
  if (!Number.isSafeInteger(year) || year < now - 1 || year > now + 1)
    throw DomainError.badInput(
      'year',
      `year: a plan is filed for last year, this year or next year (${now - 1}–${now + 1})`,
    );
  return year;
}

const file = (c: FileManagementPlan, s: ManagementPlanState): ManagementPlanEvent[] => {
  expectStatus(s, 'NONE');
  const f = c.data.facts;
  const year = checkYear(c.data.year, c.meta);
  const content = validatePlanContent(c.data.content, f);
  const deadline = managementPlanDeadline(year);
  return [
    {
      type: 'ManagementPlanFiled',
      data: {
        siteId: f.siteId,
        partyId: f.partyId,
        year,
        filingNumber: text(c.data.filingNumber, 'filingNumber'),
        managementClass: f.managementClass,
        requiredSections: REQUIRED_SECTIONS[f.managementClass],
        content,
        dueDate: deadline.dueDate,
        late: isOverdue(deadline.dueAt, c.meta.now),
        at: at(c.meta),
      },
    },
  ];
};

const amend = (c: AmendManagementPlan, s: ManagementPlanState): ManagementPlanEvent[] => {
  const plan = expectStatus(s, 'FILED');
  const f = c.data.facts;
  if (plan.siteId !== f.siteId || plan.year !== c.data.year)
    throw DomainError.badInput('year', 'not this plan');
  const reason = text(c.data.reason, 'reason');
  const content = validatePlanContent(c.data.content, f);
  return [
    {
      type: 'ManagementPlanAmended',
      data: {
        siteId: plan.siteId,
        partyId: plan.partyId,
        year: plan.year,
        revision: plan.revision + 1,
        managementClass: f.managementClass,
        requiredSections: REQUIRED_SECTIONS[f.managementClass],
        content,
        reason,
        at: at(c.meta),
      },
    },
  ];
};

export function evolvePlan(s: ManagementPlanState, e: ManagementPlanEvent): ManagementPlanState {
  switch (e.type) {
    case 'ManagementPlanFiled':
      if (s.status !== 'NONE') throw new Error(`ManagementPlanFiled cannot follow ${s.status}`);
      return {
        status: 'FILED',
        siteId: e.data.siteId,
        partyId: e.data.partyId,
        year: e.data.year,
        filingNumber: e.data.filingNumber,
        revision: 1,
        content: e.data.content,
      };
    case 'ManagementPlanAmended':
      if (s.status !== 'FILED') throw new Error(`ManagementPlanAmended cannot follow ${s.status}`);
      return { ...s, revision: e.data.revision, content: e.data.content };
  }
}

export const planDecider = {
  initialState: (): ManagementPlanState => ({ status: 'NONE' }),
  decide: (c: ManagementPlanCommand, s: ManagementPlanState): ManagementPlanEvent[] =>
    c.type === 'FileManagementPlan' ? file(c, s) : amend(c, s),
  evolve: evolvePlan,
};
