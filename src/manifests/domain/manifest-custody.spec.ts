import {
  CARRIER_1,
  CARRIER_2,
  DAY,
  H,
  MANIFEST_ID,
  RECEIVER,
  actors,
  at,
  cmd,
  decideAfter,
  history,
  meta,
  refusal,
  stateOf,
  twoLegs,
} from './manifest.test-fixtures';

const fail = <C extends string>(code: C) => ({
  ok: false as const,
  code,
  reason: `${code} at the gate`,
  leg: 1,
});

describe('take custody (承运人 leg 1, online)', () => {
  it('moves the manifest IN_TRANSIT with the scan, pickup masses and the code used', () => {
    const c = cmd.takeCustody({ pickupMasses: [{ labelCode: 'LBL-A', grams: 101_250 }] });
    expect(decideAfter(H.submitted(), c)).toEqual([
      {
        type: 'CustodyTaken',
        data: {
          manifestId: MANIFEST_ID,
          leg: 1,
          carrierId: CARRIER_1,
          vehicleId: 'veh-1',
          place: '郑州市中原区建设路 1 号',
          at: at(60).toISOString(),
          scannedLabels: ['LBL-A', 'LBL-B'],
          carriedLotIds: ['lot-a', 'lot-b'],
          pickupMasses: [{ lotId: 'lot-a', labelCode: 'LBL-A', grams: 101_250 }],
          handoverCodeId: 'hc-1',
          shipperLoadingCheckPassed: true,
          offline: false,
          disputed: false,
          disputeReasons: [],
        },
      },
    ]);
    const s = stateOf([...H.submitted(), ...decideAfter(H.submitted(), c)]);
    expect(s).toMatchObject({
      status: 'IN_TRANSIT',
      currentLeg: 1,
      handoverCode: null,
      pickupGrams: { 'lot-a': 101_250 },
    });
  });

  it('refuses LABEL_MISMATCH naming missing and extra labels', () => {
    const e = refusal(H.submitted(), cmd.takeCustody({ scannedLabels: ['LBL-A', 'LBL-Z', 'LBL-A'] }));
    expect(e.code).toBe('LABEL_MISMATCH');
    expect(e.details).toEqual({ missing: ['LBL-B'], extra: ['LBL-Z'] });
    expect(e.message).toMatch(/missing LBL-B; extra LBL-Z/);
  });

  it.each([
    [
      { result: 'INVALID', triesLeft: 3 } as const,
      'HANDOVER_CODE_INVALID',
      { reason: 'WRONG_CODE', triesLeft: 3 },
    ],
    [{ result: 'LOCKED' } as const, 'HANDOVER_CODE_LOCKED', {}],
    [{ result: 'EXPIRED', handoverCodeId: 'hc-1' } as const, 'HANDOVER_CODE_INVALID', { reason: 'EXPIRED' }],
  ])('refuses a handover code %j with %s', (handoverCode, code, details) => {
    const e = refusal(H.submitted(), cmd.takeCustody({ handoverCode }));
    expect(e.code).toBe(code);
    expect(e.details).toEqual(details);
  });

  it('refuses a reissued (superseded) code and a valid code used after its expiry', () => {
    const reissued = [...H.submitted(), ...decideAfter(H.submitted(), cmd.issueCode('hc-2'))];
    expect(refusal(reissued, cmd.takeCustody()).details).toEqual({ reason: 'SUPERSEDED' });
    expect(
      decideAfter(reissued, cmd.takeCustody({ handoverCode: { result: 'VALID', handoverCodeId: 'hc-2' } })),
    ).toHaveLength(1);
    const afterExpiry = cmd.takeCustody({}, meta(actors.carrier1, DAY + 1));
    expect(refusal(H.submitted(), afterExpiry).details).toEqual({ reason: 'EXPIRED' });
  });

  it.each(['CARRIER_NOT_LICENSED', 'VEHICLE_NOT_AUTHORISED', 'CERTIFICATE_EXPIRED'] as const)(
    're-checks the carrier at pickup: %s',
    (code) => {
      const e = refusal(H.submitted(), cmd.takeCustody({ carrierCheck: fail(code) }));
      expect(e.code).toBe(code);
      expect(e.details).toEqual({ leg: 1 });
    },
  );

  it("refuses loading when the shipper's (托运人) loading check failed", () => {
    const e = refusal(H.submitted(), cmd.takeCustody({ shipperLoadingCheckPassed: false }));
    expect(e).toMatchObject({ code: 'FORBIDDEN', details: { check: 'SHIPPER_LOADING_CHECK' } });
  });

  it('checks in the order of the handover: loading check, labels, code, carrier', () => {
    const all = cmd.takeCustody({
      scannedLabels: ['LBL-A'],
      handoverCode: { result: 'LOCKED' },
      carrierCheck: fail('VEHICLE_NOT_AUTHORISED'),
    });
    expect(refusal(H.submitted(), all).code).toBe('LABEL_MISMATCH');
    const codeAndCarrier = cmd.takeCustody({
      handoverCode: { result: 'LOCKED' },
      carrierCheck: fail('CERTIFICATE_EXPIRED'),
    });
    expect(refusal(H.submitted(), codeAndCarrier).code).toBe('HANDOVER_CODE_LOCKED');
  });

  it('refuses malformed scans and masses', () => {
    expect(refusal(H.submitted(), cmd.takeCustody({ scannedLabels: [] })).details.field).toBe(
      'scannedLabels',
    );
    const unscanned = cmd.takeCustody({ pickupMasses: [{ labelCode: 'LBL-Q', grams: 5 }] });
    expect(refusal(H.submitted(), unscanned).details.field).toBe('pickupMasses[0].labelCode');
    const negative = cmd.takeCustody({ pickupMasses: [{ labelCode: 'LBL-A', grams: -5 }] });
    expect(refusal(H.submitted(), negative).details.field).toBe('pickupMasses[0].grams');
  });

  it('is only for the first carrier', () => {
    expect(refusal(H.submitted(), cmd.takeCustody({}, meta(actors.receiver, 60))).code).toBe('FORBIDDEN');
  });
});

describe('refuse a container at loading (before departure)', () => {
  it('takes the lot off the manifest with the reason; the scan then expects the rest', () => {
    const refused = decideAfter(H.submitted(), cmd.refuse('lot-b'));
    expect(refused).toEqual([
      {
        type: 'ContainerRefused',
        data: {
          manifestId: MANIFEST_ID,
          lotId: 'lot-b',
          labelCode: 'LBL-B',
          carrierId: CARRIER_1,
          reason: 'drum leaking at the seam',
          declaredGrams: 50_000,
          capacityReservationId: 'cap-2',
          crossProvinceReservationId: null,
          offline: false,
          at: at(50).toISOString(),
        },
      },
    ]);
    const given = [...H.submitted(), ...refused];
    expect(stateOf(given)).toMatchObject({ status: 'SUBMITTED', refusedLots: [{ lotId: 'lot-b' }] });
    expect(refusal(given, cmd.takeCustody()).details).toEqual({ missing: [], extra: ['LBL-B'] });
    expect(decideAfter(given, cmd.takeCustody({ scannedLabels: ['LBL-A'] }))[0].data).toMatchObject({
      carriedLotIds: ['lot-a'],
      disputed: false,
    });
  });

  it('refuses a lot that is not on the manifest, and any refusal after departure', () => {
    expect(refusal(H.submitted(), cmd.refuse('lot-z')).details.field).toBe('lotId');
    expect(refusal(H.inTransit(), cmd.refuse('lot-b')).code).toBe('INVALID_TRANSITION');
  });
});

describe('relay (联运: next leg takes custody, with time and place)', () => {
  const onLeg1 = () => H.inTransit(twoLegs());

  it('hands over to the next carrier', () => {
    const events = decideAfter(onLeg1(), cmd.relay());
    expect(events).toEqual([
      {
        type: 'CustodyRelayed',
        data: {
          manifestId: MANIFEST_ID,
          fromLeg: 1,
          toLeg: 2,
          fromCarrierId: CARRIER_1,
          toCarrierId: CARRIER_2,
          vehicleId: 'veh-2',
          place: '郑州东 转运站',
          at: at(120).toISOString(),
          scannedLabels: ['LBL-A', 'LBL-B'],
          carriedLotIds: ['lot-a', 'lot-b'],
          offline: false,
          disputed: false,
          disputeReasons: [],
        },
      },
    ]);
    expect(stateOf([...onLeg1(), ...events])).toMatchObject({ status: 'IN_TRANSIT', currentLeg: 2 });
  });

  it('applies the same scan check, and re-checks the next carrier', () => {
    expect(refusal(onLeg1(), cmd.relay({ scannedLabels: ['LBL-B'] })).details).toEqual({
      missing: ['LBL-A'],
      extra: [],
    });
    expect(refusal(onLeg1(), cmd.relay({ carrierCheck: fail('CERTIFICATE_EXPIRED') })).code).toBe(
      'CERTIFICATE_EXPIRED',
    );
    expect(refusal(onLeg1(), cmd.relay({ place: '' })).details.field).toBe('place');
  });

  it('is for the next leg only: not the current carrier, and not past the last leg', () => {
    expect(refusal(onLeg1(), cmd.relay({}, meta(actors.carrier1, 120))).code).toBe('FORBIDDEN');
    const onLastLeg = [...onLeg1(), ...decideAfter(onLeg1(), cmd.relay())];
    expect(refusal(onLastLeg, cmd.relay()).details).toMatchObject({
      currentLeg: 2,
      legs: 2,
      allowedActs: ['deliver'],
    });
  });
});

describe('deliver (last carrier and the named 接受人 only)', () => {
  it('is signed by the last carrier', () => {
    expect(decideAfter(H.inTransit(), cmd.deliver())).toEqual([
      {
        type: 'ManifestDelivered',
        data: {
          manifestId: MANIFEST_ID,
          carrierId: CARRIER_1,
          receiverId: RECEIVER,
          signedByPartyId: CARRIER_1,
          place: '处置中心 地磅',
          offline: false,
          at: at(180).toISOString(),
        },
      },
    ]);
  });

  it('or by the named receiver', () => {
    const [e] = decideAfter(H.inTransit(), cmd.deliver({}, meta(actors.receiver, 180)));
    expect(e.data).toMatchObject({ signedByPartyId: RECEIVER, carrierId: CARRIER_1 });
  });

  it('only to the named receiver', () => {
    const e = refusal(H.inTransit(), cmd.deliver({ receiverId: 'party-other-plant' }));
    expect(e).toMatchObject({ code: 'FORBIDDEN', details: { namedReceiverId: RECEIVER } });
  });

  it('waits for the relay when legs remain, and is not for an earlier carrier', () => {
    const onLeg1 = H.inTransit(twoLegs());
    expect(refusal(onLeg1, cmd.deliver()).code).toBe('INVALID_TRANSITION');
    const onLeg2 = history(cmd.draft(twoLegs()), cmd.submit(), cmd.takeCustody(), cmd.relay());
    expect(refusal(onLeg2, cmd.deliver()).code).toBe('FORBIDDEN');
    expect(decideAfter(onLeg2, cmd.deliver({}, meta(actors.carrier2, 180)))[0].data).toMatchObject({
      carrierId: CARRIER_2,
    });
  });
});
