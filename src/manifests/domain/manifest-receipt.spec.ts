import type { LotReceiptInput } from './manifest.commands';
import type { ManifestEvent } from './manifest.events';
import {
  DAY,
  H,
  MANIFEST_ID,
  actors,
  at,
  cmd,
  decideAfter,
  history,
  meta,
  refusal,
  stateOf,
} from './manifest.test-fixtures';

const receiptOf = (events: ManifestEvent[], lotId: string) =>
  events.find((e) => e.type === 'LotReceiptRecorded' && e.data.lotId === lotId)?.data;

describe('record receipt per lot (接受人, Transfer Measures art. 18)', () => {
  it('records each lot and, with the last one, the manifest RECEIVED', () => {
    const events = decideAfter(H.delivered(), cmd.receipt());
    expect(events.map((e) => e.type)).toEqual([
      'LotReceiptRecorded',
      'LotReceiptRecorded',
      'ManifestReceived',
    ]);
    expect(events[0]).toEqual({
      type: 'LotReceiptRecorded',
      data: {
        manifestId: MANIFEST_ID,
        lotId: 'lot-a',
        labelCode: 'LBL-A',
        measuredGrams: 100_000,
        reference: 'DECLARED',
        referenceGrams: 100_000,
        differenceGrams: 0,
        toleranceBasisPoints: 500,
        discrepancy: false,
        decision: 'ACCEPTED',
        acceptedGrams: 100_000,
        rejectedGrams: 0,
        rejectedLotId: null,
        reason: null,
        method: 'R9',
        capacityReservationId: 'cap-1',
        crossProvinceReservationId: null,
        at: at(240).toISOString(),
        confirmedAt: at(240).toISOString(),
        deadline: at(7 * DAY).toISOString(),
        late: false,
      },
    });
    expect(events[2]).toEqual({
      type: 'ManifestReceived',
      data: {
        manifestId: MANIFEST_ID,
        acceptedGrams: 150_000,
        rejectedGrams: 0,
        discrepancyLotIds: [],
        lateLotIds: [],
        at: at(240).toISOString(),
      },
    });
  });

  it('stays DELIVERED until every carried lot has a receipt', () => {
    const first = decideAfter(
      H.delivered(),
      cmd.receipt([{ lotId: 'lot-a', measuredGrams: 99_000, decision: 'ACCEPTED' }]),
    );
    expect(first.map((e) => e.type)).toEqual(['LotReceiptRecorded']);
    const given = [...H.delivered(), ...first];
    expect(stateOf(given).status).toBe('DELIVERED');
    const second = decideAfter(
      given,
      cmd.receipt([{ lotId: 'lot-b', measuredGrams: 50_000, decision: 'ACCEPTED' }]),
    );
    expect(second.at(-1)).toMatchObject({ type: 'ManifestReceived', data: { acceptedGrams: 149_000 } });
    expect(
      refusal(given, cmd.receipt([{ lotId: 'lot-a', measuredGrams: 1, decision: 'ACCEPTED' }])).details.field,
    ).toBe('receipts[0].lotId');
  });

  it('records a partial rejection: the rejected part becomes a new lot', () => {
    const partial: LotReceiptInput = {
      lotId: 'lot-a',
      measuredGrams: 100_000,
      decision: 'PARTIALLY_ACCEPTED',
      rejectedGrams: 30_000,
      rejectedLotId: 'lot-a-rejected',
      reason: 'water layer, not oil',
    };
    const rejected: LotReceiptInput = {
      lotId: 'lot-b',
      measuredGrams: 50_000,
      decision: 'REJECTED',
      reason: 'not as declared',
    };
    const events = decideAfter(H.delivered(), cmd.receipt([partial, rejected]));
    expect(receiptOf(events, 'lot-a')).toMatchObject({
      acceptedGrams: 70_000,
      rejectedGrams: 30_000,
      rejectedLotId: 'lot-a-rejected',
    });
    expect(receiptOf(events, 'lot-b')).toMatchObject({
      acceptedGrams: 0,
      rejectedGrams: 50_000,
      rejectedLotId: null,
    });
    expect(events.at(-1)).toMatchObject({ data: { acceptedGrams: 70_000, rejectedGrams: 80_000 } });
  });

  it.each<[string, LotReceiptInput, string]>([
    [
      'a partial rejection of the whole mass',
      {
        lotId: 'lot-a',
        measuredGrams: 10,
        decision: 'PARTIALLY_ACCEPTED',
        rejectedGrams: 10,
        rejectedLotId: 'r',
        reason: 'x',
      },
      'receipts[0].rejectedGrams',
    ],
    [
      'a partial rejection without a new lot',
      { lotId: 'lot-a', measuredGrams: 10, decision: 'PARTIALLY_ACCEPTED', rejectedGrams: 4, reason: 'x' },
      'receipts[0].rejectedLotId',
    ],
    [
      'a rejected part reusing a lot id',
      {
        lotId: 'lot-a',
        measuredGrams: 10,
        decision: 'PARTIALLY_ACCEPTED',
        rejectedGrams: 4,
        rejectedLotId: 'lot-b',
        reason: 'x',
      },
      'receipts[0].rejectedLotId',
    ],
    [
      'a rejection without a reason',
      { lotId: 'lot-a', measuredGrams: 10, decision: 'REJECTED' },
      'receipts[0].reason',
    ],
    [
      'an acceptance with a rejected mass',
      { lotId: 'lot-a', measuredGrams: 10, decision: 'ACCEPTED', rejectedGrams: 3 },
      'receipts[0].rejectedGrams',
    ],
    [
      'an acceptance of nothing',
      { lotId: 'lot-a', measuredGrams: 0, decision: 'ACCEPTED' },
      'receipts[0].measuredGrams',
    ],
    [
      'a fractional mass',
      { lotId: 'lot-a', measuredGrams: 10.5, decision: 'ACCEPTED' },
      'receipts[0].measuredGrams',
    ],
    ['a lot not carried', { lotId: 'lot-z', measuredGrams: 10, decision: 'ACCEPTED' }, 'receipts[0].lotId'],
    [
      'an unknown decision',
      { lotId: 'lot-a', measuredGrams: 10, decision: 'MAYBE' as never },
      'receipts[0].decision',
    ],
  ])('refuses %s', (_what, input, field) => {
    const e = refusal(H.delivered(), cmd.receipt([input]));
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.details.field).toBe(field);
  });

  it('is for the named receiver only, and only once delivered', () => {
    expect(refusal(H.delivered(), cmd.receipt(undefined, {}, meta(actors.carrier1, 240))).code).toBe(
      'FORBIDDEN',
    );
    expect(refusal(H.inTransit(), cmd.receipt()).code).toBe('INVALID_TRANSITION');
    expect(refusal(H.received(), cmd.receipt()).code).toBe('INVALID_TRANSITION');
  });
});

describe('discrepancy: |measured − reference| > tolerance × reference (default 5 %)', () => {
  const one = (measuredGrams: number, over = {}, given = H.delivered()) =>
    receiptOf(
      decideAfter(given, cmd.receipt([{ lotId: 'lot-a', measuredGrams, decision: 'ACCEPTED' }], over)),
      'lot-a',
    );

  it.each([
    [105_000, false, 5_000],
    [95_000, false, -5_000],
    [105_001, true, 5_001],
    [94_999, true, -5_001],
    [100_000, false, 0],
  ])('measured %i g against 100 000 g declared: discrepancy %s', (measured, discrepancy, difference) => {
    expect(one(measured)).toMatchObject({ discrepancy, differenceGrams: difference, reference: 'DECLARED' });
  });

  it('compares with the pickup weighing when there is one', () => {
    const weighed = history(
      cmd.draft(),
      cmd.submit(),
      cmd.takeCustody({ pickupMasses: [{ labelCode: 'LBL-A', grams: 90_000 }] }),
      cmd.deliver(),
    );
    expect(one(95_000, {}, weighed)).toMatchObject({
      reference: 'PICKUP',
      referenceGrams: 90_000,
      discrepancy: true,
    });
    expect(one(94_500, {}, weighed)).toMatchObject({ discrepancy: false });
  });

  it('takes the configured tolerance, and refuses an impossible one', () => {
    expect(one(102_000, { toleranceBasisPoints: 100 })).toMatchObject({
      discrepancy: true,
      toleranceBasisPoints: 100,
    });
    expect(
      refusal(H.delivered(), cmd.receipt(undefined, { toleranceBasisPoints: 10_001 })).details.field,
    ).toBe('toleranceBasisPoints');
  });

  it('lists discrepant lots on the received event', () => {
    const events = decideAfter(
      H.delivered(),
      cmd.receipt([
        { lotId: 'lot-a', measuredGrams: 120_000, decision: 'ACCEPTED' },
        { lotId: 'lot-b', measuredGrams: 50_000, decision: 'ACCEPTED' },
      ]),
    );
    expect(events.at(-1)?.data).toMatchObject({ discrepancyLotIds: ['lot-a'] });
  });
});

describe('late receipt: after the 5-working-day deadline it is flagged, still recorded', () => {
  it('compares the confirmation (record time) with the deadline fact', () => {
    const lateMeta = { ...meta(actors.receiver, 240), now: at(8 * DAY) };
    const events = decideAfter(H.delivered(), cmd.receipt(undefined, {}, lateMeta));
    expect(receiptOf(events, 'lot-a')).toMatchObject({
      late: true,
      at: at(240).toISOString(),
      confirmedAt: at(8 * DAY).toISOString(),
    });
    expect(events.at(-1)?.data).toMatchObject({ lateLotIds: ['lot-a', 'lot-b'] });
  });

  it('a confirmation at the deadline itself is on time', () => {
    const onTime = { ...meta(actors.receiver, 240), now: at(7 * DAY) };
    expect(receiptOf(decideAfter(H.delivered(), cmd.receipt(undefined, {}, onTime)), 'lot-a')).toMatchObject({
      late: false,
    });
  });
});

describe('close (every lot settled)', () => {
  it('closes when accepted lots are terminal or re-shipped', () => {
    expect(decideAfter(H.received(), cmd.close())).toEqual([
      {
        type: 'ManifestClosed',
        data: {
          manifestId: MANIFEST_ID,
          accepted: [
            { lotId: 'lot-a', terminalState: 'UTILISED', leftOnManifestId: null },
            { lotId: 'lot-b', terminalState: 'DISPOSED', leftOnManifestId: null },
          ],
          rejected: [],
          at: at(10 * DAY).toISOString(),
        },
      },
    ]);
    const reshipped = cmd.close(
      {
        accepted: [
          { lotId: 'lot-a', terminalState: null, leftOnManifestId: 'mf-onward' },
          { lotId: 'lot-b', terminalState: 'CONSOLIDATED', leftOnManifestId: null },
        ],
        rejected: [],
      },
      actors.system,
    );
    expect(decideAfter(H.received(), reshipped)[0].type).toBe('ManifestClosed');
  });

  it('refuses while an accepted lot is still held, naming it', () => {
    const e = refusal(
      H.received(),
      cmd.close({
        accepted: [{ lotId: 'lot-a', terminalState: 'UTILISED', leftOnManifestId: null }],
        rejected: [],
      }),
    );
    expect(e.code).toBe('INVALID_TRANSITION');
    expect(e.details.unmet).toEqual([{ lotId: 'lot-b', condition: 'ACCEPTED_LOT_STILL_AT_RECEIVER' }]);
  });

  describe('with rejected lots', () => {
    const mixed = () =>
      history(
        cmd.draft(),
        cmd.submit(),
        cmd.takeCustody(),
        cmd.deliver(),
        cmd.receipt([
          {
            lotId: 'lot-a',
            measuredGrams: 100_000,
            decision: 'PARTIALLY_ACCEPTED',
            rejectedGrams: 1_000,
            rejectedLotId: 'lot-a-r',
            reason: 'sludge',
          },
          { lotId: 'lot-b', measuredGrams: 50_000, decision: 'REJECTED', reason: 'not as declared' },
        ]),
      );
    const accepted = [{ lotId: 'lot-a', terminalState: 'UTILISED' as const, leftOnManifestId: null }];

    it('refuses until every rejected lot is on a return or redirect manifest', () => {
      const e = refusal(
        mixed(),
        cmd.close({ accepted, rejected: [{ lotId: 'lot-b', onManifestId: 'mf-return' }] }),
      );
      expect(e.details.unmet).toEqual([
        { lotId: 'lot-a-r', condition: 'REJECTED_LOT_NOT_ON_RETURN_OR_REDIRECT' },
      ]);
    });

    it('closes once they are', () => {
      const rejected = [
        { lotId: 'lot-a-r', onManifestId: 'mf-redirect' },
        { lotId: 'lot-b', onManifestId: 'mf-return' },
      ];
      expect(decideAfter(mixed(), cmd.close({ accepted, rejected }))[0].data).toMatchObject({
        accepted,
        rejected,
      });
    });
  });
});
