import type { ManifestCommand } from './manifest.commands';
import type { SubmitChecks } from './manifest.facts';
import {
  AGENT,
  CONSIGNOR,
  DAY,
  H,
  LOT_A,
  MANIFEST_ID,
  RECEIVER,
  actors,
  at,
  cmd,
  content,
  decideAfter,
  history,
  meta,
  okChecks,
  refusal,
  stateOf,
} from './manifest.test-fixtures';

const amend = (changes: Record<string, unknown>, actor = actors.consignor): ManifestCommand => ({
  type: 'AmendManifestDraft',
  data: { manifestId: MANIFEST_ID, changes },
  meta: meta(actor, 5),
});

describe('draft (移出人 or its agent)', () => {
  it('records the whole content', () => {
    expect(decideAfter([], cmd.draft())).toEqual([
      {
        type: 'ManifestDrafted',
        data: { manifestId: MANIFEST_ID, content: content(), agentId: null, at: at(0).toISOString() },
      },
    ]);
  });

  it('names the agent that drafts for the consignor', () => {
    const [e] = decideAfter([], cmd.draft(content(), actors.agent));
    expect(e).toMatchObject({
      type: 'ManifestDrafted',
      data: { agentId: AGENT, content: { consignorId: CONSIGNOR } },
    });
  });

  it('refuses a draft for another party', () => {
    expect(refusal([], cmd.draft(content(), actors.receiver)).code).toBe('FORBIDDEN');
  });

  it.each([
    ['a shipper that is neither consignor nor receiver', { shipperId: 'party-x' }, 'content.shipperId'],
    ['the consignor as receiver', { receiverId: CONSIGNOR }, 'content.receiverId'],
    ['no lots', { lots: [] }, 'content.lots'],
    ['no carrier leg', { legs: [] }, 'content.legs'],
    ['a lot twice', { lots: [LOT_A, LOT_A] }, 'content.lots'],
    ['a bad waste code', { lots: [{ ...LOT_A, wasteCode: '900-214-8' }] }, 'content.lots[0].wasteCode'],
    ['a fractional mass', { lots: [{ ...LOT_A, declaredGrams: 1.5 }] }, 'content.lots[0].declaredGrams'],
    ['a bad Basel code', { lots: [{ ...LOT_A, method: 'R14' }] }, 'content.lots[0].method'],
    ['an unknown hazard', { lots: [{ ...LOT_A, hazards: ['X'] }] }, 'content.lots[0].hazards[0]'],
    ['a bad planned date', { plannedDate: '2026-02-30' }, 'content.plannedDate'],
    [
      'INTRA_PROVINCE across provinces',
      { endPoint: { siteId: 's', divisionCode: '420100', address: '武汉' } },
      'content.transferType',
    ],
    ['CROSS_PROVINCE inside one province', { transferType: 'CROSS_PROVINCE' }, 'content.transferType'],
    [
      'a RETURN without the manifest it returns from',
      { transferType: 'RETURN' },
      'content.precedingManifest',
    ],
    [
      'a RETURN to someone else than the original consignor',
      { transferType: 'RETURN', precedingManifest: { manifestId: 'mf-0', originalConsignorId: 'party-y' } },
      'content.receiverId',
    ],
  ])('refuses %s (BAD_USER_INPUT naming the field)', (_what, over, field) => {
    const e = refusal([], cmd.draft({ ...content(), ...over } as never));
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.details.field).toBe(field);
  });
});

describe('amend draft', () => {
  it('records only the changed fields', () => {
    expect(decideAfter(H.drafted(), amend({ plannedDate: '2026-03-05', roundId: null }))).toEqual([
      {
        type: 'ManifestDraftAmended',
        data: { manifestId: MANIFEST_ID, changes: { plannedDate: '2026-03-05' }, at: at(5).toISOString() },
      },
    ]);
  });

  it('keeps the number and the consignor, and refuses an empty amendment', () => {
    expect(refusal(H.drafted(), amend({ consignorId: 'party-x' })).details.field).toBe('changes.consignorId');
    expect(refusal(H.drafted(), amend({ plannedDate: '2026-03-03' })).details.field).toBe('changes');
    expect(refusal(H.drafted(), amend({ lots: [] })).details.field).toBe('changes.lots');
  });
});

describe('submit: checks in the order of SPEC 6.1, refusing with the first failing code', () => {
  const fail = <C extends string>(code: C, extra: { lotIds?: string[]; leg?: number } = {}) => ({
    ok: false as const,
    code,
    reason: code as string,
    ...extra,
  });
  const plan = (enforcement: 'REFUSE' | 'ALERT', lotIds: string[] = []) => ({
    ...fail('NOT_IN_PLAN', { lotIds }),
    enforcement,
  });

  it('reserves capacity and issues the first handover code', () => {
    expect(decideAfter(H.drafted(), cmd.submit())).toEqual([
      {
        type: 'ManifestSubmitted',
        data: {
          manifestId: MANIFEST_ID,
          at: at(10).toISOString(),
          declaredGrams: 150_000,
          capacityReservations: [
            {
              reservationId: 'cap-1',
              licenceItemId: 'item-hw08',
              year: 2026,
              lotIds: ['lot-a'],
              grams: 100_000,
            },
            {
              reservationId: 'cap-2',
              licenceItemId: 'item-hw49',
              year: 2026,
              lotIds: ['lot-b'],
              grams: 50_000,
            },
          ],
          capacityLevel: 'NORMAL',
          crossProvince: null,
          planAlert: null,
        },
      },
      {
        type: 'HandoverCodeIssued',
        data: {
          manifestId: MANIFEST_ID,
          handoverCodeId: 'hc-1',
          expiresAt: at(DAY).toISOString(),
          replacesHandoverCodeId: null,
          at: at(10).toISOString(),
        },
      },
    ]);
  });

  it.each<[string, Partial<SubmitChecks>]>([
    [
      'LOT_NOT_IN_CUSTODY',
      {
        lots: [
          { lotId: 'lot-a', inConsignorCustody: false, openManifestId: null },
          ...okChecks().lots.slice(1),
        ],
      },
    ],
    [
      'LOT_ON_OPEN_MANIFEST',
      {
        lots: [
          { lotId: 'lot-a', inConsignorCustody: true, openManifestId: 'mf-other' },
          ...okChecks().lots.slice(1),
        ],
      },
    ],
    ['RECEIVER_NOT_LICENSED', { receiverLicence: fail('RECEIVER_NOT_LICENSED', { lotIds: ['lot-b'] }) }],
    ['LICENCE_MODE_MISSING', { receiverLicence: fail('LICENCE_MODE_MISSING', { lotIds: ['lot-a'] }) }],
    ['LICENCE_CAPACITY_EXCEEDED', { capacity: fail('LICENCE_CAPACITY_EXCEEDED') }],
    ['CARRIER_NOT_LICENSED', { carrier: fail('CARRIER_NOT_LICENSED', { leg: 1 }) }],
    ['VEHICLE_NOT_AUTHORISED', { carrier: fail('VEHICLE_NOT_AUTHORISED', { leg: 1 }) }],
    ['CERTIFICATE_EXPIRED', { carrier: fail('CERTIFICATE_EXPIRED', { leg: 1 }) }],
    ['NOT_IN_PLAN', { plan: plan('REFUSE', ['lot-a']) }],
  ])('refuses with %s', (code, over) => {
    expect(refusal(H.drafted(), cmd.submit(okChecks(over))).code).toBe(code);
  });

  it('names the lots at fault', () => {
    const held = refusal(
      H.drafted(),
      cmd.submit(okChecks({ lots: okChecks().lots.map((l) => ({ ...l, inConsignorCustody: false })) })),
    );
    expect(held.details).toEqual({ lotIds: ['lot-a', 'lot-b'] });
    const open = okChecks().lots.map((l) => ({ ...l, openManifestId: 'mf-9' }));
    expect(refusal(H.drafted(), cmd.submit(okChecks({ lots: open }))).details).toEqual({
      lots: [
        { lotId: 'lot-a', manifestId: 'mf-9' },
        { lotId: 'lot-b', manifestId: 'mf-9' },
      ],
    });
  });

  it('reports the first failing check when several fail', () => {
    const checks = okChecks({
      receiverLicence: fail('RECEIVER_NOT_LICENSED'),
      carrier: fail('CARRIER_NOT_LICENSED'),
      plan: plan('REFUSE'),
    });
    expect(refusal(H.drafted(), cmd.submit(checks)).code).toBe('RECEIVER_NOT_LICENSED');
    const later = okChecks({
      carrier: fail('VEHICLE_NOT_AUTHORISED'),
      plan: plan('REFUSE'),
    });
    expect(refusal(H.drafted(), cmd.submit(later)).code).toBe('VEHICLE_NOT_AUTHORISED');
  });

  const crossProvince = content({
    transferType: 'CROSS_PROVINCE',
    endPoint: { siteId: 'site-wuhan', divisionCode: '420100', address: '武汉市 处置中心' },
  });

  it('requires a cross-province approval between provinces, and reserves the mass on it', () => {
    expect(refusal(H.drafted(crossProvince), cmd.submit()).code).toBe('CROSS_PROVINCE_APPROVAL_REQUIRED');
    const failing = okChecks({ crossProvince: fail('CROSS_PROVINCE_APPROVAL_REQUIRED') });
    expect(refusal(H.drafted(crossProvince), cmd.submit(failing)).code).toBe(
      'CROSS_PROVINCE_APPROVAL_REQUIRED',
    );
    const ok = okChecks({ crossProvince: { ok: true, approvalId: 'kszy-1', reservationId: 'kszy-res-1' } });
    expect(decideAfter(H.drafted(crossProvince), cmd.submit(ok))[0].data).toMatchObject({
      crossProvince: { approvalId: 'kszy-1', reservationId: 'kszy-res-1', grams: 150_000 },
    });
  });

  it('submits with an alert when the plan check only alerts, and records capacity warnings', () => {
    const checks = okChecks({
      plan: plan('ALERT', ['lot-b']),
      capacity: { ...(okChecks().capacity as object), level: 'OVER_CAPACITY' } as SubmitChecks['capacity'],
    });
    expect(decideAfter(H.drafted(), cmd.submit(checks))[0].data).toMatchObject({
      planAlert: { reason: 'NOT_IN_PLAN', lotIds: ['lot-b'] },
      capacityLevel: 'OVER_CAPACITY',
    });
  });

  it('skips the receiver licence, capacity and plan checks for a RETURN to the original consignor', () => {
    const ret = content({
      transferType: 'RETURN',
      consignorId: RECEIVER,
      shipperId: RECEIVER,
      receiverId: CONSIGNOR,
      precedingManifest: { manifestId: 'mf-0000', originalConsignorId: CONSIGNOR },
    });
    const checks = okChecks({ receiverLicence: null, capacity: null, plan: null });
    const events = history(cmd.draft(ret, actors.receiver), cmd.submit(checks, actors.receiver));
    expect(events[1].data).toMatchObject({ capacityReservations: [], capacityLevel: null, planAlert: null });
    const stillChecked = okChecks({
      receiverLicence: null,
      capacity: null,
      plan: null,
      carrier: fail('CARRIER_NOT_LICENSED'),
    });
    expect(
      refusal(history(cmd.draft(ret, actors.receiver)), cmd.submit(stillChecked, actors.receiver)).code,
    ).toBe('CARRIER_NOT_LICENSED');
  });

  it('refuses a planned date that has passed, and a code that is already expired', () => {
    const base = cmd.submit();
    const late = {
      ...base,
      data: { ...base.data, handoverCode: { handoverCodeId: 'hc-1', expiresAt: at(3 * DAY) } },
      meta: meta(actors.consignor, 2 * DAY),
    };
    expect(refusal(H.drafted(), late).details.field).toBe('plannedDate');
    const expired = cmd.submit();
    const stale = {
      ...expired,
      data: { ...expired.data, handoverCode: { handoverCodeId: 'hc-1', expiresAt: at(5) } },
    };
    expect(refusal(H.drafted(), stale).details.field).toBe('handoverCode.expiresAt');
  });
});

describe('issue and reissue the handover code (移出人 only)', () => {
  it('replaces the live code; the event carries its id and expiry only', () => {
    expect(decideAfter(H.submitted(), cmd.issueCode('hc-2'))).toEqual([
      {
        type: 'HandoverCodeIssued',
        data: {
          manifestId: MANIFEST_ID,
          handoverCodeId: 'hc-2',
          expiresAt: at(30 + DAY).toISOString(),
          replacesHandoverCodeId: 'hc-1',
          at: at(30).toISOString(),
        },
      },
    ]);
    expect(stateOf([...H.submitted(), ...decideAfter(H.submitted(), cmd.issueCode('hc-2'))])).toMatchObject({
      handoverCode: { handoverCodeId: 'hc-2' },
    });
  });

  it('is not for the agent, who is often the carrier too', () => {
    expect(refusal(H.submitted(), cmd.issueCode('hc-2', actors.agent)).code).toBe('FORBIDDEN');
    expect(refusal(H.submitted(), cmd.issueCode('hc-1')).details.field).toBe('handoverCodeId');
  });
});

describe('cancel (移出人, before custody is taken)', () => {
  it('releases the reservations of a submitted manifest', () => {
    expect(decideAfter(H.submitted(), cmd.cancel())).toEqual([
      {
        type: 'ManifestCancelled',
        data: {
          manifestId: MANIFEST_ID,
          fromStatus: 'SUBMITTED',
          reason: 'the carrier cannot come this week',
          lotIds: ['lot-a', 'lot-b'],
          releasedCapacityReservationIds: ['cap-1', 'cap-2'],
          releasedCrossProvinceReservationId: null,
          at: at(40).toISOString(),
        },
      },
    ]);
  });

  it('is refused once custody is taken', () => {
    const e = refusal(H.inTransit(), cmd.cancel());
    expect(e.code).toBe('INVALID_TRANSITION');
    expect(e.details).toMatchObject({ currentState: 'IN_TRANSIT', allowedFrom: ['DRAFT', 'SUBMITTED'] });
  });
});

describe('paper back-entry (Transfer Measures art. 20)', () => {
  it('enters a whole paper trip as DELIVERED, marked, on time', () => {
    const events = decideAfter([], cmd.paper({ content: content() }));
    expect(events[0]).toMatchObject({
      type: 'PaperManifestEntered',
      data: {
        fromStatus: 'NONE',
        paperNumber: 'PAPER-4101-0042',
        late: false,
        carriedLotIds: ['lot-a', 'lot-b'],
      },
    });
    expect(stateOf(events)).toMatchObject({
      status: 'DELIVERED',
      deliveredAt: at(180).toISOString(),
      paper: { paperNumber: 'PAPER-4101-0042', late: false },
    });
  });

  it('flags an entry after the 10-working-day deadline, and still records it', () => {
    const late = cmd.paper({ backEntryDeadline: at(4 * DAY) }, actors.consignor, 5 * DAY);
    expect(decideAfter(H.submitted(), late)[0].data).toMatchObject({
      late: true,
      fromStatus: 'SUBMITTED',
      content: null,
    });
  });

  it('refuses malformed entries: no content for a new manifest, content for a known one, a trip in the future', () => {
    expect(refusal([], cmd.paper()).details.field).toBe('content.consignorId');
    expect(refusal(H.submitted(), cmd.paper({ content: content() })).details.field).toBe('content');
    expect(refusal(H.submitted(), cmd.paper({ tripEndedAt: at(6 * DAY) })).details.field).toBe('tripEndedAt');
  });
});
