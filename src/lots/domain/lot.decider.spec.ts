import { lotDecider } from './lot.decider';
import type { StoreLot } from './lot.commands';
import type { LotEvent } from './lot.events';
import {
  at,
  by,
  CENTRE,
  CODE,
  FACILITIES,
  generateLot,
  given,
  H,
  handOverExempt,
  LOT,
  loss,
  MAX_LOT,
  MEDICAL_CODE,
  OUTSIDER,
  play,
  PRODUCER,
  CARRIER,
  replay,
  reserve,
  store,
} from './lot.fixtures';

describe('lot (批次): generation 产生', () => {
  it('records a generated lot with its label description, site and clock', () => {
    expect(given().when(generateLot())).toEqual({
      result: [
        {
          type: 'LotGenerated',
          data: {
            lotId: LOT,
            labelCode: 'LBL-1',
            batchCode: 'B-2025-001',
            wasteCode: CODE,
            category: 'HW49',
            medicalClass: null,
            form: 'LIQUID',
            packaging: '25 L HDPE jerrican',
            mainComponents: ['acetone', 'methanol'],
            hazards: ['T', 'I'],
            massBasis: 'WEIGHED',
            massGrams: 12_345,
            producerPartyId: PRODUCER,
            siteId: 'site-clinic',
            facilityId: 'fac-prod',
            exemptSource: false,
            emergency: false,
            at: at(0),
          },
        },
      ],
    });
    expect(replay(H.generated())).toMatchObject({
      status: 'GENERATED',
      custodianPartyId: PRODUCER,
      clockStartsAt: at(0),
      openManifestId: null,
    });
  });

  it('lets an agent generate for the producer it acts for', () => {
    const meta = {
      ...by(OUTSIDER),
      actor: { kind: 'USER' as const, userId: 'agent', partyId: OUTSIDER, onBehalfOfPartyId: PRODUCER },
    };
    expect(given().when(generateLot({}, meta))).toMatchObject({ result: [{ type: 'LotGenerated' }] });
  });

  it.each([
    [
      'an unknown code',
      { facts: { ...generateLot().data.facts, code: { codeExists: false, category: null } } },
    ],
    ['a malformed code', { wasteCode: '900-41-49' }],
    [
      'a code used with the wrong category',
      { facts: { ...generateLot().data.facts, code: { codeExists: true, category: 'HW08' } } },
    ],
  ])('refuses %s: UNKNOWN_WASTE_CODE', (_what, over) => {
    expect(given().when(generateLot(over))).toMatchObject({
      error: 'UNKNOWN_WASTE_CODE',
      details: { field: 'wasteCode' },
    });
  });

  const medical = { code: { codeExists: true, category: 'HW01' } };
  it('requires the medical class of an HW01 code, and only that class', () => {
    const facts = { ...generateLot().data.facts, ...medical };
    expect(
      given().when(
        generateLot({ wasteCode: MEDICAL_CODE, facts, medicalClass: 'INFECTIOUS', hazards: ['In'] }),
      ),
    ).toMatchObject({
      result: [{ data: { category: 'HW01', medicalClass: 'INFECTIOUS' } }],
    });
    expect(given().when(generateLot({ wasteCode: MEDICAL_CODE, facts, medicalClass: null }))).toMatchObject({
      error: 'BAD_USER_INPUT',
      details: { field: 'medicalClass' },
    });
    expect(
      given().when(generateLot({ wasteCode: MEDICAL_CODE, facts, medicalClass: 'SHARPS' })),
    ).toMatchObject({
      error: 'BAD_USER_INPUT',
      details: { field: 'medicalClass', expected: 'INFECTIOUS' },
    });
    expect(given().when(generateLot({ medicalClass: 'INFECTIOUS' }))).toMatchObject({
      error: 'BAD_USER_INPUT',
      details: { field: 'medicalClass' },
    });
  });

  it.each([
    ['zero mass', { massGrams: 0 }, 'massGrams'],
    ['negative mass', { massGrams: -5 }, 'massGrams'],
    ['fractional grams', { massGrams: 1.5 }, 'massGrams'],
    ['more than the maximum per lot', { massGrams: MAX_LOT + 1 }, 'massGrams'],
    ['an empty label code', { labelCode: ' ' }, 'labelCode'],
    ['an unknown form', { form: 'PASTE' as never }, 'form'],
    ['no hazards', { hazards: [] }, 'hazards'],
    ['an unknown hazard', { hazards: ['X' as never] }, 'hazards'],
    ['an unknown mass basis', { massBasis: 'GUESSED' as never }, 'massBasis'],
    ['an unknown facility', { facilityId: 'fac-nowhere' }, 'facilityId'],
    [
      'another party’s facility',
      { facilityId: 'fac-centre', facts: { ...generateLot().data.facts, facility: FACILITIES.centre } },
      'facilityId',
    ],
  ])('refuses %s: BAD_USER_INPUT', (_what, over, field) => {
    expect(given().when(generateLot(over))).toMatchObject({ error: 'BAD_USER_INPUT', details: { field } });
  });

  it('accepts exactly the maximum mass', () => {
    expect(given().when(generateLot({ massGrams: MAX_LOT }))).toMatchObject({
      result: [{ data: { massGrams: MAX_LOT } }],
    });
  });

  it('is for the producer only, and only once', () => {
    expect(given().when(generateLot({}, by(OUTSIDER)))).toMatchObject({ error: 'FORBIDDEN' });
    expect(given(...H.generated()).when(generateLot())).toMatchObject({
      error: 'INVALID_TRANSITION',
      details: { currentState: 'GENERATED', allowedFrom: ['NONE'] },
    });
  });

  it('keeps event data plain JSON', () => {
    const events = H.delivered();
    expect(JSON.parse(JSON.stringify(events))).toEqual(events);
  });
});

describe('lot: store in and move 贮存', () => {
  it('stores a generated lot at a facility of its site, keeping the clock', () => {
    const h = H.stored();
    expect(h[1]).toEqual({
      type: 'LotStored',
      data: { lotId: LOT, siteId: 'site-clinic', facilityId: 'fac-store', at: at(10) },
    });
    expect(replay(h)).toMatchObject({ status: 'STORED', facilityId: 'fac-store', clockStartsAt: at(0) });
  });

  it('moves a stored lot between facilities of the same site without resetting the clock', () => {
    const h = play(H.stored(), store(LOT, FACILITIES.store2, by(PRODUCER, 500)));
    expect(h[2]).toEqual({
      type: 'LotMoved',
      data: {
        lotId: LOT,
        siteId: 'site-clinic',
        fromFacilityId: 'fac-store',
        toFacilityId: 'fac-store-2',
        at: at(500),
      },
    });
    expect(replay(h)).toMatchObject({ status: 'STORED', facilityId: 'fac-store-2', clockStartsAt: at(0) });
  });

  it('moves a lot reserved on a manifest, which stays reserved', () => {
    const h = play(H.stored(), reserve(), store(LOT, FACILITIES.store2));
    expect(replay(h)).toMatchObject({ facilityId: 'fac-store-2', openManifestId: 'man-1' });
  });

  it('refuses another site, the same facility, an unknown facility, and a non-custodian', () => {
    expect(given(...H.stored()).when(store(LOT, FACILITIES.elsewhere))).toMatchObject({
      error: 'BAD_USER_INPUT',
      details: { field: 'facilityId' },
    });
    expect(given(...H.stored()).when(store(LOT, FACILITIES.store))).toMatchObject({
      error: 'BAD_USER_INPUT',
      details: { field: 'facilityId' },
    });
    const unknown: StoreLot = {
      type: 'StoreLot',
      meta: by(PRODUCER, 10),
      data: { lotId: LOT, facilityId: 'fac-x', facts: { facility: null } },
    };
    expect(given(...H.generated()).when(unknown)).toMatchObject({
      error: 'BAD_USER_INPUT',
      details: { field: 'facilityId' },
    });
    expect(given(...H.generated()).when(store(LOT, FACILITIES.store, by(OUTSIDER)))).toMatchObject({
      error: 'LOT_NOT_IN_CUSTODY',
    });
  });

  it('refuses a command for another lot than the state', () => {
    expect(given(...H.generated()).when(store('lot-9'))).toMatchObject({
      error: 'BAD_USER_INPUT',
      details: { field: 'lotId' },
    });
  });

  it('is refused in transit with the allowed acts', () => {
    expect(given(...H.inTransit()).when(store())).toMatchObject({
      error: 'INVALID_TRANSITION',
      details: { currentState: 'IN_TRANSIT', allowedActs: ['RELAY', 'DELIVER', 'RECORD_LOSS'] },
    });
  });
});

describe('lot: exempt handover (exemption #2, ≤ 19-bed clinic → township health centre)', () => {
  it('moves the lot to the centre, which starts its own storage clock', () => {
    const h = play(H.generated(), handOverExempt());
    expect(h[1]).toEqual({
      type: 'LotHandedOverExempt',
      data: {
        lotId: LOT,
        fromPartyId: PRODUCER,
        toPartyId: CENTRE,
        toSiteId: 'site-centre',
        toFacilityId: 'fac-centre',
        at: at(15),
      },
    });
    expect(replay(h)).toMatchObject({
      status: 'STORED',
      custodianPartyId: CENTRE,
      siteId: 'site-centre',
      clockStartsAt: at(15),
    });
  });

  it('is refused when the exemption does not apply or an epidemic suspends it', () => {
    expect(given(...H.stored()).when(handOverExempt({ exemptionApplies: false }))).toMatchObject({
      error: 'FORBIDDEN',
    });
    expect(given(...H.stored()).when(handOverExempt({ epidemicSuspendsExemption: true }))).toMatchObject({
      error: 'FORBIDDEN',
    });
  });

  it('is refused for a lot on an open manifest, or by a non-custodian', () => {
    expect(given(...H.reserved()).when(handOverExempt())).toMatchObject({ error: 'LOT_ON_OPEN_MANIFEST' });
    expect(given(...H.stored()).when(handOverExempt({}, by(CENTRE)))).toMatchObject({
      error: 'LOT_NOT_IN_CUSTODY',
    });
  });

  it('is refused to a facility that is not the receiving party’s', () => {
    const c = handOverExempt();
    const wrong = {
      ...c,
      data: {
        ...c.data,
        toFacilityId: 'fac-store',
        facts: { ...(c.data as { facts: object }).facts, toFacility: FACILITIES.store },
      },
    } as typeof c;
    expect(given(...H.stored()).when(wrong)).toMatchObject({
      error: 'BAD_USER_INPUT',
      details: { field: 'toFacilityId' },
    });
  });
});

describe('lot: loss 损失', () => {
  it('records a partial loss: same state, less mass', () => {
    const h = play(H.stored(), loss(345));
    expect(h[2]).toEqual({
      type: 'LotLossRecorded',
      data: {
        lotId: LOT,
        kind: 'SPILL',
        massGrams: 345,
        remainingMassGrams: 12_000,
        total: false,
        reason: 'drum tipped over',
        manifestId: null,
        recordedByPartyId: PRODUCER,
        at: at(60),
      },
    });
    expect(replay(h)).toMatchObject({ status: 'STORED', massGrams: 12_000 });
  });

  it('records a total loss (all of the mass, or null): LOST', () => {
    expect(replay(play(H.stored(), loss(null)))).toMatchObject({
      status: 'LOST',
      siteId: 'site-clinic',
      lossKind: 'SPILL',
    });
    expect(replay(play(H.stored(), loss(12_345)))).toMatchObject({ status: 'LOST' });
  });

  it('is recorded by the carrier in transit, naming the manifest; lost in transit has no site', () => {
    const h = play(H.inTransit(), loss(null, by(CARRIER, 35)));
    expect(h.at(-1)).toMatchObject({ data: { manifestId: 'man-1', total: true } });
    expect(replay(h)).toMatchObject({ status: 'LOST', siteId: null });
    expect(given(...H.inTransit()).when(loss(10, by(PRODUCER, 35)))).toMatchObject({
      error: 'LOT_NOT_IN_CUSTODY',
    });
  });

  it('refuses more than the lot holds, zero, and an empty reason', () => {
    expect(given(...H.stored()).when(loss(12_346))).toMatchObject({
      error: 'BAD_USER_INPUT',
      details: { field: 'massGrams' },
    });
    expect(given(...H.stored()).when(loss(0))).toMatchObject({
      error: 'BAD_USER_INPUT',
      details: { field: 'massGrams' },
    });
    const c = loss(10);
    expect(given(...H.stored()).when({ ...c, data: { ...c.data, reason: '' } } as typeof c)).toMatchObject({
      error: 'BAD_USER_INPUT',
      details: { field: 'reason' },
    });
  });

  it('is refused once the lot is LOST', () => {
    expect(given(...play(H.stored(), loss(null))).when(loss(1))).toMatchObject({
      error: 'INVALID_TRANSITION',
      details: { currentState: 'LOST', allowedActs: [] },
    });
  });
});

describe('lot: evolve refuses impossible histories', () => {
  const [generated] = H.generated();
  it.each<[string, LotEvent[]]>([
    ['a second generation', [generated, generated]],
    ['a store-in before generation', [H.stored()[1]]],
    [
      'an event of another lot',
      [
        generated,
        { ...H.stored()[1], data: { ...(H.stored()[1].data as object), lotId: 'lot-9' } } as LotEvent,
      ],
    ],
    [
      'a release of a manifest the lot is not on',
      [
        ...H.stored(),
        {
          type: 'LotReleasedFromManifest',
          data: { lotId: LOT, manifestId: 'man-1', reason: 'x', at: at(1) },
        },
      ],
    ],
    [
      'a loss whose arithmetic is wrong',
      [
        ...H.stored(),
        {
          type: 'LotLossRecorded',
          data: {
            lotId: LOT,
            kind: 'SPILL',
            massGrams: 5,
            remainingMassGrams: 1,
            total: false,
            reason: 'x',
            manifestId: null,
            recordedByPartyId: PRODUCER,
            at: at(1),
          },
        },
      ],
    ],
  ])('throws on %s', (_what, events) => {
    expect(() => events.reduce(lotDecider.evolve, lotDecider.initialState())).toThrow(/cannot follow/);
  });
});
