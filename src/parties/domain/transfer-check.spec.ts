import { DomainError } from '../../shared/domain/domain-error';
import { grams, type Grams } from '../../shared/domain/mass';
import {
  type CarrierQuery,
  checkCarrier,
  checkCrossProvince,
  type CrossProvinceApproval,
  type CrossProvinceQuery,
  isMedicalWasteCode,
} from './transfer-check';

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('checkCarrier (承运人核查)', () => {
  const carrier = (extra: Partial<CarrierQuery> = {}): CarrierQuery => ({
    carrierPartyId: 'carrier',
    permit: {
      id: 'permit-1',
      partyId: 'carrier',
      number: '豫交运管许可郑字410100000001号',
      verified: true,
      validTo: '2026-06-30',
      scope: ['危险货物运输（6类2项）', '危险货物运输（9类）'],
      vehicleIds: ['v-1', 'v-med'],
    },
    vehicle: {
      id: 'v-1',
      plate: '豫A12345',
      permitId: 'permit-1',
      medicalWasteVehicle: false,
      certificateValidTo: '2026-06-30',
    },
    driver: { id: 'd-1', certificateValidTo: '2026-06-30' },
    escort: { id: 'e-1', certificateValidTo: '2026-06-30' },
    businessDate: '2026-05-01',
    isMedical: false,
    ...extra,
  });
  const base = carrier();

  it('accepts a verified permit, a registered vehicle and valid certificates', () => {
    expect(checkCarrier(base)).toEqual({
      ok: true,
      permitId: 'permit-1',
      permitNumber: '豫交运管许可郑字410100000001号',
      vehicleId: 'v-1',
      plate: '豫A12345',
    });
  });

  it('accepts everything on its last valid day and refuses the day after', () => {
    expect(checkCarrier(carrier({ businessDate: '2026-06-30' })).ok).toBe(true);
    expect(refusal(() => checkCarrier(carrier({ businessDate: '2026-07-01' }))).code).toBe(
      'CARRIER_NOT_LICENSED',
    );
  });

  it('checks again at the instant custody is taken (its Shanghai day)', () => {
    expect(checkCarrier(carrier({ businessDate: new Date('2026-06-30T15:59:59.999Z') })).ok).toBe(true);
    expect(
      refusal(() => checkCarrier(carrier({ businessDate: new Date('2026-06-30T16:00:00.000Z') }))).code,
    ).toBe('CARRIER_NOT_LICENSED');
  });

  describe('CARRIER_NOT_LICENSED', () => {
    it.each([
      ['no permit', { permit: null }],
      ['an unverified permit', { permit: { ...base.permit!, verified: false } }],
      ['an expired permit', { permit: { ...base.permit!, validTo: '2026-04-30' } }],
      ['a permit not yet valid', { permit: { ...base.permit!, validFrom: '2026-05-02' } }],
      ["another carrier's permit", { carrierPartyId: 'someone-else' }],
    ])('for %s', (_what, extra: Partial<CarrierQuery>) => {
      expect(refusal(() => checkCarrier(carrier(extra))).code).toBe('CARRIER_NOT_LICENSED');
    });

    it('accepts a permit from its first valid day', () => {
      expect(checkCarrier(carrier({ permit: { ...base.permit!, validFrom: '2026-05-01' } })).ok).toBe(true);
    });
  });

  describe('VEHICLE_NOT_AUTHORISED', () => {
    it.each([
      ['no vehicle', { vehicle: undefined }],
      ['a vehicle of another permit', { vehicle: { ...base.vehicle!, permitId: 'permit-2' } }],
      ['a vehicle the permit does not list', { vehicle: { ...base.vehicle!, id: 'v-9' } }],
      ['an expired 道路运输证', { vehicle: { ...base.vehicle!, certificateValidTo: '2026-04-30' } }],
      ['medical waste in an ordinary vehicle', { isMedical: true }],
    ])('for %s', (_what, extra: Partial<CarrierQuery>) => {
      expect(refusal(() => checkCarrier(carrier(extra))).code).toBe('VEHICLE_NOT_AUTHORISED');
    });

    it('accepts medical waste in a medical-waste vehicle (GB 19217)', () => {
      const vehicle = { ...base.vehicle!, id: 'v-med', medicalWasteVehicle: true };
      expect(checkCarrier(carrier({ vehicle, isMedical: true })).vehicleId).toBe('v-med');
      expect(checkCarrier(carrier({ vehicle, isMedical: false })).ok).toBe(true);
    });

    it('tells HW01 codes', () => {
      expect(isMedicalWasteCode('841-001-01')).toBe(true);
      expect(isMedicalWasteCode('900-047-49')).toBe(false);
    });
  });

  describe('CERTIFICATE_EXPIRED', () => {
    it.each([
      ['driver', { driver: { id: 'd-1', certificateValidTo: '2026-04-30' } }],
      ['escort', { escort: { id: 'e-1', certificateValidTo: '2026-04-30' } }],
    ])("for the %s's 从业资格证", (role, extra: Partial<CarrierQuery>) => {
      const e = refusal(() => checkCarrier(carrier(extra)));
      expect(e.code).toBe('CERTIFICATE_EXPIRED');
      expect(e.details).toMatchObject({ role, certificateValidTo: '2026-04-30' });
    });

    it('accepts a certificate on its last valid day', () => {
      const driver = { id: 'd-1', certificateValidTo: '2026-05-01' };
      expect(
        checkCarrier(carrier({ driver, escort: { id: 'e-1', certificateValidTo: '2026-05-01' } })).ok,
      ).toBe(true);
    });
  });

  it('checks the permit before the vehicle before the people', () => {
    const allBad = carrier({
      permit: { ...base.permit!, verified: false },
      vehicle: { ...base.vehicle!, permitId: 'x' },
      driver: { id: 'd-1', certificateValidTo: '2000-01-01' },
    });
    expect(refusal(() => checkCarrier(allBad)).code).toBe('CARRIER_NOT_LICENSED');
    expect(refusal(() => checkCarrier({ ...allBad, permit: base.permit })).code).toBe(
      'VEHICLE_NOT_AUTHORISED',
    );
  });

  it.each([
    ['driver', { driver: null }],
    ['escort', { escort: undefined }],
    ['escort', { escort: { id: 'd-1', certificateValidTo: '2026-06-30' } }],
  ])('needs a %s, and two different people', (field, extra: Partial<CarrierQuery>) => {
    const e = refusal(() => checkCarrier(carrier(extra)));
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.details.field).toBe(field);
  });
});

describe('checkCrossProvince (跨省转移审批)', () => {
  const approval = (extra: Partial<CrossProvinceApproval> = {}): CrossProvinceApproval => ({
    id: 'ap-1',
    consignorPartyId: 'producer',
    receiverPartyId: 'disposer',
    wasteCodes: ['900-249-08', '772-006-49'],
    approvedGrams: grams(10_000_000),
    validFrom: '2026-01-15',
    validTo: '2027-01-14',
    ...extra,
  });
  const reserved =
    (m: Record<string, number> = {}) =>
    (id: string): Grams =>
      grams(m[id] ?? 0);
  const query = (extra: Partial<CrossProvinceQuery> = {}): CrossProvinceQuery => ({
    consignorDivision: '410102',
    receiverDivision: '420102',
    consignorPartyId: 'producer',
    receiverPartyId: 'disposer',
    approvals: [approval()],
    wasteCode: '900-249-08',
    massGrams: grams(2_000_000),
    businessDate: '2026-05-01',
    reservedGrams: reserved(),
    ...extra,
  });

  it('is not required within one province (including a province-run county)', () => {
    expect(checkCrossProvince(query({ receiverDivision: '419001', approvals: [] }))).toEqual({
      required: false,
    });
    expect(checkCrossProvince(query({ receiverDivision: '411702', approvals: [] }))).toEqual({
      required: false,
    });
  });

  it('names the approval to reserve on, with what remains', () => {
    expect(checkCrossProvince(query({ reservedGrams: reserved({ 'ap-1': 3_000_000 }) }))).toEqual({
      required: true,
      approvalId: 'ap-1',
      approvedGrams: 10_000_000,
      reservedGrams: 3_000_000,
      afterGrams: 5_000_000,
      remainingAfterGrams: 5_000_000,
    });
  });

  it('allows the last gram of the approved quantity and refuses one more', () => {
    expect(checkCrossProvince(query({ reservedGrams: reserved({ 'ap-1': 8_000_000 }) }))).toMatchObject({
      remainingAfterGrams: 0,
    });
    const e = refusal(() => checkCrossProvince(query({ reservedGrams: reserved({ 'ap-1': 8_000_001 }) })));
    expect(e.code).toBe('CROSS_PROVINCE_APPROVAL_REQUIRED');
    expect(e.details).toMatchObject({ reason: 'QUANTITY_EXHAUSTED', approvalIds: ['ap-1'] });
  });

  it.each([
    ['2026-01-14', false],
    ['2026-01-15', true],
    ['2027-01-14', true],
    ['2027-01-15', false],
  ])('validity inclusive: on %s → %s', (date, ok) => {
    const run = () => checkCrossProvince(query({ businessDate: date }));
    if (ok) expect(run()).toMatchObject({ required: true, approvalId: 'ap-1' });
    else
      expect(refusal(run).details).toMatchObject({
        reason: 'NO_VALID_APPROVAL',
        field: 'crossProvinceApprovalId',
      });
  });

  it.each([
    ['another consignor', { consignorPartyId: 'other' }],
    ['another receiver', { receiverPartyId: 'other' }],
    ['a code not approved', { wasteCode: '900-214-08' }],
    ['no approval at all', { approvals: [] }],
    ['a withdrawn approval', { approvals: [approval({ revokedFrom: '2026-05-01' })] }],
    ['a cited approval that does not fit', { approvalId: 'ap-9' }],
  ])('refuses %s', (_what, extra: Partial<CrossProvinceQuery>) => {
    const e = refusal(() => checkCrossProvince(query(extra)));
    expect(e.code).toBe('CROSS_PROVINCE_APPROVAL_REQUIRED');
    expect(e.details).toMatchObject({ consignorProvince: '410000', receiverProvince: '420000' });
  });

  it('accepts an approval withdrawn only later', () => {
    expect(checkCrossProvince(query({ approvals: [approval({ revokedFrom: '2026-05-02' })] })).required).toBe(
      true,
    );
  });

  it('uses the approval expiring first that has room, or the cited one', () => {
    const approvals = [
      approval({ id: 'late', validTo: '2027-03-31' }),
      approval({ id: 'soon', validTo: '2026-06-30', approvedGrams: grams(1_000_000) }),
      approval({ id: 'mid', validTo: '2026-12-31' }),
    ];
    expect(checkCrossProvince(query({ approvals }))).toMatchObject({ approvalId: 'mid' });
    expect(checkCrossProvince(query({ approvals, massGrams: grams(500_000) }))).toMatchObject({
      approvalId: 'soon',
    });
    expect(checkCrossProvince(query({ approvals, approvalId: 'late' }))).toMatchObject({
      approvalId: 'late',
    });
  });

  it.each([
    [{ consignorDivision: '41010' }, 'consignorDivision'],
    [{ receiverDivision: 'abcdef' }, 'receiverDivision'],
    [{ massGrams: -5 as Grams }, 'massGrams'],
    [{ businessDate: '2026-13-01' }, 'businessDate'],
  ])('refuses malformed input %j', (extra, field) => {
    const e = refusal(() => checkCrossProvince(query(extra)));
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.details.field).toBe(field);
  });
});
