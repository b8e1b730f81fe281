import type { CommandMeta } from '../../shared/domain/decider';
import { isDomainError } from '../../shared/domain/domain-error';
import type { ManagementPlanEvent } from './flows.events';
import {
  formatFilingNumber,
  planDecider,
  REQUIRED_SECTIONS,
  validatePlanContent,
  type ManagementPlanCommand,
  type PlanContent,
  type PlanFacts,
} from './management-plan';

const meta = (iso: string): CommandMeta => ({
  actor: { kind: 'USER', userId: 'u-agent', partyId: 'p-collector', onBehalfOfPartyId: 'p-shop' },
  occurredAt: new Date(iso),
  now: new Date(iso),
});

const facts = (over: Partial<PlanFacts> = {}): PlanFacts => ({
  siteId: 'site-shop',
  partyId: 'p-shop',
  managementClass: 'REGISTRATION',
  siteOwnTreatment: false,
  siteFacilityIds: ['fac-prod', 'fac-store', 'fac-own'],
  knownCodes: ['900-214-08', '900-041-49', '900-249-08'],
  receivers: { 'p-recycler': { status: 'VERIFIED' }, 'p-pending': { status: 'PENDING' } },
  ...over,
});

const small: PlanContent = {
  facilities: null,
  generation: [
    { wasteCode: '900-214-08', expectedGrams: 2_000_000, process: '机修换油', internalName: '废机油' },
  ],
  storage: null,
  ownTreatment: null,
  reduction: null,
  transfers: [
    {
      wasteCode: '900-214-08',
      receiverPartyId: 'p-recycler',
      method: 'R9',
      expectedGrams: 2_000_000,
      transferType: 'INTRA_PROVINCE',
    },
  ],
};

const full: PlanContent = {
  ...small,
  facilities: [{ facilityId: 'fac-prod', description: '机修车间' }],
  storage: [
    {
      facilityId: 'fac-store',
      wasteCodes: ['900-214-08'],
      packaging: '200 L 钢桶',
      expectedYearEndStockGrams: 200_000,
    },
  ],
  ownTreatment: [],
  reduction: [{ measure: '延长换油周期', wasteCodes: ['900-214-08'], expectedReductionGrams: 100_000 }],
};

function refusal(f: () => unknown): { code: string; field?: unknown } {
  try {
    f();
  } catch (e) {
    if (isDomainError(e)) return { code: e.code, field: e.details.field };
    throw e;
  }
  throw new Error('not refused');
}

const file = (
  content: PlanContent,
  f = facts(),
  at = '2026-02-10T02:00:00.000Z',
  year = 2026,
): ManagementPlanCommand => ({
  type: 'FileManagementPlan',
  meta: meta(at),
  data: { year, filingNumber: 'HLP-2026-4101-000001', content, facts: f },
});

const replay = (events: ManagementPlanEvent[]) =>
  events.reduce(planDecider.evolve, planDecider.initialState());

describe('management plan (管理计划): sections by class', () => {
  it('REGISTRATION needs generation and transfers; SIMPLIFIED also storage and reduction; KEY all six', () => {
    expect(REQUIRED_SECTIONS.REGISTRATION).toEqual(['GENERATION', 'TRANSFERS']);
    expect(REQUIRED_SECTIONS.SIMPLIFIED).toEqual(['GENERATION', 'STORAGE', 'REDUCTION', 'TRANSFERS']);
    expect(REQUIRED_SECTIONS.KEY).toHaveLength(6);
  });

  it('a REGISTRATION plan with generation and transfers is enough', () => {
    expect(validatePlanContent(small, facts())).toBe(small);
  });

  it('a SIMPLIFIED plan without storage is refused, naming the section', () => {
    expect(refusal(() => validatePlanContent(small, facts({ managementClass: 'SIMPLIFIED' })))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'content.storage',
    });
  });

  it('a KEY plan needs the facilities section, and own treatment when the site has its own facility', () => {
    expect(
      refusal(() => validatePlanContent({ ...full, facilities: null }, facts({ managementClass: 'KEY' })))
        .field,
    ).toBe('content.facilities');
    expect(validatePlanContent(full, facts({ managementClass: 'KEY' }))).toBe(full);
    expect(
      refusal(() => validatePlanContent(full, facts({ managementClass: 'KEY', siteOwnTreatment: true })))
        .field,
    ).toBe('content.ownTreatment');
  });

  it.each<[string, PlanContent, string, string]>([
    [
      'an unknown code',
      { ...small, generation: [{ ...small.generation![0], wasteCode: '999-999-99' }] },
      'UNKNOWN_WASTE_CODE',
      'content.generation.0.wasteCode',
    ],
    [
      'a code listed twice',
      { ...small, generation: [small.generation![0], small.generation![0]] },
      'BAD_USER_INPUT',
      'content.generation.1.wasteCode',
    ],
    [
      'a transfer of a code not generated',
      { ...small, transfers: [{ ...small.transfers![0], wasteCode: '900-041-49' }] },
      'BAD_USER_INPUT',
      'content.transfers.0.wasteCode',
    ],
    [
      'an unknown receiver',
      { ...small, transfers: [{ ...small.transfers![0], receiverPartyId: 'p-nobody' }] },
      'BAD_USER_INPUT',
      'content.transfers.0.receiverPartyId',
    ],
    [
      'an unverified receiver',
      { ...small, transfers: [{ ...small.transfers![0], receiverPartyId: 'p-pending' }] },
      'PARTY_NOT_VERIFIED',
      'content.transfers.0.receiverPartyId',
    ],
    [
      'a method that is not Basel',
      { ...small, transfers: [{ ...small.transfers![0], method: 'R99' }] },
      'BAD_USER_INPUT',
      'content.transfers.0.method',
    ],
    ['a waste with no destination', { ...small, transfers: [] }, 'BAD_USER_INPUT', 'content.transfers'],
    [
      'a negative amount',
      { ...small, generation: [{ ...small.generation![0], expectedGrams: -1 }] },
      'BAD_USER_INPUT',
      'content.generation.0.expectedAmount',
    ],
  ])('refuses %s', (_, content, code, field) => {
    expect(refusal(() => validatePlanContent(content, facts()))).toEqual({ code, field });
  });

  it('a facility of another site is refused', () => {
    const c = { ...full, storage: [{ ...full.storage![0], facilityId: 'fac-elsewhere' }] };
    expect(refusal(() => validatePlanContent(c, facts({ managementClass: 'SIMPLIFIED' }))).field).toBe(
      'content.storage.0.facilityId',
    );
  });
});

describe('management plan: filing and amendment', () => {
  it('files with the filing number, the class, the required sections; on time before 31 March 24:00', () => {
    const [e] = planDecider.decide(file(small), planDecider.initialState());
    expect(e).toEqual({
      type: 'ManagementPlanFiled',
      data: {
        siteId: 'site-shop',
        partyId: 'p-shop',
        year: 2026,
        filingNumber: 'HLP-2026-4101-000001',
        managementClass: 'REGISTRATION',
        requiredSections: ['GENERATION', 'TRANSFERS'],
        content: small,
        dueDate: '2026-03-31',
        late: false,
        at: '2026-02-10T02:00:00.000Z',
      },
    });
  });

  it('a filing after 31 March (Asia/Shanghai) is recorded late', () => {
    const [e] = planDecider.decide(
      file(small, facts(), '2026-03-31T16:00:00.000Z'),
      planDecider.initialState(),
    );
    expect(e.type === 'ManagementPlanFiled' && e.data.late).toBe(true);
  });

  it('a second filing of the same year is refused (amend it); a year too far off too', () => {
    const filed = replay(planDecider.decide(file(small), planDecider.initialState()));
    expect(refusal(() => planDecider.decide(file(small), filed)).code).toBe('INVALID_TRANSITION');
    expect(
      refusal(() =>
        planDecider.decide(
          file(small, facts(), '2026-02-10T02:00:00.000Z', 2030),
          planDecider.initialState(),
        ),
      ).field,
    ).toBe('year');
  });

  it('amends with a reason into revision 2, checked against the class again', () => {
    const filed = replay(planDecider.decide(file(small), planDecider.initialState()));
    const amended = { ...small, generation: [{ ...small.generation![0], expectedGrams: 3_000_000 }] };
    const amend = (reason: string, content = amended): ManagementPlanCommand => ({
      type: 'AmendManagementPlan',
      meta: meta('2026-06-01T00:00:00.000Z'),
      data: { year: 2026, reason, content, facts: facts() },
    });
    const [e] = planDecider.decide(amend('产量增加'), filed);
    expect(e).toMatchObject({
      type: 'ManagementPlanAmended',
      data: { revision: 2, reason: '产量增加', content: amended },
    });
    expect(refusal(() => planDecider.decide(amend(''), filed)).field).toBe('reason');
    expect(refusal(() => planDecider.decide(amend('x'), planDecider.initialState())).code).toBe(
      'INVALID_TRANSITION',
    );
    expect(replay([...planDecider.decide(file(small), planDecider.initialState()), e])).toMatchObject({
      revision: 2,
      content: amended,
    });
  });

  it('numbers filings HLP-<year>-<city>-<serial>', () => {
    expect(formatFilingNumber(2026, '410100', 42)).toBe('HLP-2026-4101-000042');
  });
});
