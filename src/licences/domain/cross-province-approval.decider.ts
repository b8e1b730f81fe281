import { assertBusinessDate, type BusinessDate } from '../../parties/domain/business-date';
import { jurisdictionMatches, sameProvince } from '../../parties/domain/divisions';
import { itemMatch, type Licence, licenceStandingOn } from '../../parties/domain/licence';
import type { Cmd, Decider } from '../../shared/domain/decider';
import { DomainError, assertNever } from '../../shared/domain/domain-error';
import {
  type AgencyFacts,
  type SiteFacts,
  assertChangeDate,
  assertEnvironmentAgency,
  assertReason,
  lastDayOfTerm,
  todayOf,
} from './authority.policy';
import type { CrossProvinceApprovalEvent } from './licence.events';
import { type CatalogueFacts, assertKnownCode } from './scope.policy';

/** 跨省转移审批 lasts at most 12 months (Transfer Measures art. 25). */
export const APPROVAL_MAX_MONTHS = 12;

export type CrossProvinceApprovalState =
  { status: 'NONE' } | { status: 'ISSUED' | 'REVOKED'; approvalId: string; consignorDivisionCode: string };

export type CrossProvinceApprovalCommand =
  | Cmd<
      'IssueCrossProvinceApproval',
      {
        approvalId: string;
        number: string;
        consignorPartyId: string;
        receiverPartyId: string;
        wasteCodes: readonly string[];
        approvedGrams: number;
        validFrom: string;
        /** The requested last day; capped at 12 months and at the receiver's licence expiry. */
        validTo: string | null;
        facts: {
          agency: AgencyFacts;
          /** The consignor's site the waste leaves from, and the receiver's site it goes to. */
          consignorSite: SiteFacts;
          receiverSite: SiteFacts;
          /** The receiver's licences. */
          receiverLicences: readonly Licence[];
          catalogue: CatalogueFacts;
        };
      }
    >
  | Cmd<'RevokeCrossProvinceApproval', { from: string; reason: string; agency: AgencyFacts }>;

/** Only the exporting province's environment agency (移出地省级生态环境主管部门) issues or withdraws approvals. */
function assertExportingProvince(agency: AgencyFacts, consignorDivision: string, act: string): void {
  assertEnvironmentAgency(agency, act);
  if (agency.level !== 'PROVINCE') {
    throw new DomainError('FORBIDDEN', `only a PROVINCE agency may ${act}, not a ${agency.level} one`, {
      agencyLevel: agency.level,
    });
  }
  if (!jurisdictionMatches(consignorDivision, agency.jurisdiction)) {
    throw new DomainError(
      'FORBIDDEN',
      `the consignor's site (${consignorDivision}) lies outside your province: the exporting province decides`,
      {
        field: 'consignorSiteId',
      },
    );
  }
}

/** The last day the receiver's licences cover every code at its site, from `validFrom` on. */
function licenceCap(
  codes: readonly string[],
  receiverSite: SiteFacts,
  licences: readonly Licence[],
  validFrom: BusinessDate,
): BusinessDate {
  let cap: BusinessDate | null = null;
  codes.forEach((code, i) => {
    const covering = licences.filter(
      (l) =>
        licenceStandingOn(l, validFrom) === 'IN_FORCE' &&
        l.facilitySiteIds.includes(receiverSite.siteId) &&
        l.items.some((item) => itemMatch(l.kind, item, code) !== null),
    );
    if (covering.length === 0) {
      throw new DomainError(
        'RECEIVER_NOT_LICENSED',
        `the receiver holds no licence in force on ${validFrom} covering ${code} at its site`,
        {
          field: `wasteCodes.${i}`,
          wasteCode: code,
          receiverSiteId: receiverSite.siteId,
        },
      );
    }
    const last = covering
      .map((l) => l.validTo)
      .sort()
      .at(-1)!;
    if (cap === null || last < cap) cap = last;
  });
  return cap!;
}

function decideIssue(
  c: Extract<CrossProvinceApprovalCommand, { type: 'IssueCrossProvinceApproval' }>,
  s: CrossProvinceApprovalState,
): CrossProvinceApprovalEvent[] {
  if (s.status !== 'NONE') throw new DomainError('CONFLICT', 'approval already issued');
  const d = c.data;
  const { agency, consignorSite, receiverSite, catalogue } = d.facts;
  assertExportingProvince(agency, consignorSite.divisionCode, 'issue cross-province approvals');
  if (sameProvince(consignorSite.divisionCode, receiverSite.divisionCode)) {
    throw DomainError.badInput(
      'receiverSiteId',
      'receiverSiteId: the receiver lies in the same province; no cross-province approval is needed',
    );
  }
  const number = d.number.trim();
  if (number.length < 1 || number.length > 100)
    throw DomainError.badInput('number', 'number: 1 to 100 characters');
  if (d.wasteCodes.length === 0)
    throw DomainError.badInput('wasteCodes', 'wasteCodes: at least one waste code');
  const wasteCodes = [
    ...new Set(d.wasteCodes.map((code, i) => assertKnownCode(code, catalogue, `wasteCodes.${i}`))),
  ];
  if (!Number.isSafeInteger(d.approvedGrams) || d.approvedGrams <= 0) {
    throw DomainError.badInput('approvedQuantity', 'approvedQuantity: more than zero');
  }
  const validFrom = assertBusinessDate(d.validFrom, 'validFrom');
  const requested = d.validTo === null ? null : assertBusinessDate(d.validTo, 'validTo');
  if (requested !== null && requested < validFrom)
    throw DomainError.badInput('validTo', `validTo ${requested} is before validFrom ${validFrom}`);
  const caps = [
    lastDayOfTerm(validFrom, APPROVAL_MAX_MONTHS),
    licenceCap(wasteCodes, receiverSite, d.facts.receiverLicences, validFrom),
  ];
  if (requested !== null) caps.push(requested);
  const validTo = caps.sort()[0];
  const today = todayOf(c.meta.occurredAt);
  if (validTo < today)
    throw DomainError.badInput(
      'validFrom',
      `the approval would have ended on ${validTo}, before today (${today})`,
    );
  return [
    {
      type: 'CrossProvinceApprovalIssued',
      data: {
        approvalId: d.approvalId,
        number,
        consignorPartyId: d.consignorPartyId,
        consignorSiteId: consignorSite.siteId,
        consignorDivisionCode: consignorSite.divisionCode,
        receiverPartyId: d.receiverPartyId,
        receiverSiteId: receiverSite.siteId,
        receiverDivisionCode: receiverSite.divisionCode,
        wasteCodes,
        approvedGrams: d.approvedGrams,
        validFrom,
        validTo,
        agencyId: agency.agencyId,
      },
    },
  ];
}

function decide(
  c: CrossProvinceApprovalCommand,
  s: CrossProvinceApprovalState,
): CrossProvinceApprovalEvent[] {
  switch (c.type) {
    case 'IssueCrossProvinceApproval':
      return decideIssue(c, s);
    case 'RevokeCrossProvinceApproval': {
      if (s.status === 'NONE') throw new DomainError('NOT_FOUND', 'approval not found');
      if (s.status === 'REVOKED') {
        throw new DomainError('INVALID_TRANSITION', 'already revoked', {
          currentState: 'REVOKED',
          allowedFrom: ['ISSUED'],
        });
      }
      assertExportingProvince(c.data.agency, s.consignorDivisionCode, 'withdraw cross-province approvals');
      const from = assertChangeDate(c.data.from, todayOf(c.meta.occurredAt), null);
      return [
        {
          type: 'CrossProvinceApprovalRevoked',
          data: {
            approvalId: s.approvalId,
            from,
            reason: assertReason(c.data.reason),
            agencyId: c.data.agency.agencyId,
          },
        },
      ];
    }
    default:
      return assertNever(c, 'approval command');
  }
}

function evolve(s: CrossProvinceApprovalState, e: CrossProvinceApprovalEvent): CrossProvinceApprovalState {
  switch (e.type) {
    case 'CrossProvinceApprovalIssued':
      if (s.status !== 'NONE') throw new Error('CrossProvinceApprovalIssued twice');
      return {
        status: 'ISSUED',
        approvalId: e.data.approvalId,
        consignorDivisionCode: e.data.consignorDivisionCode,
      };
    case 'CrossProvinceApprovalRevoked':
      if (s.status !== 'ISSUED') throw new Error(`CrossProvinceApprovalRevoked on a ${s.status} approval`);
      return { ...s, status: 'REVOKED' };
    default:
      return assertNever(e, 'approval event');
  }
}

/** 跨省转移审批 — the exporting province approves a cross-province transfer, and may withdraw it. */
export const crossProvinceApprovalDecider: Decider<
  CrossProvinceApprovalState,
  CrossProvinceApprovalCommand,
  CrossProvinceApprovalEvent
> = {
  initialState: () => ({ status: 'NONE' }),
  decide,
  evolve,
};
