import { decideReceipt } from './lot-receipt.decider';
import type { LotEvent } from './lot.events';
import {
  at,
  by,
  CARRIER,
  deliver,
  eventsOf,
  FACILITIES,
  H,
  LOT,
  MANIFEST,
  outcome,
  play,
  PRODUCER,
  receipt,
  RECEIVER,
  replay,
  reserve,
  takeCustody,
} from './lot.fixtures';

describe('lot: receipt 接收', () => {
  const receive = (history: LotEvent[], c = receipt()) => outcome(() => decideReceipt(c, replay(history)));

  it('accepts: STORED at the receiver, measured mass authoritative, clock from receipt', () => {
    const r = receive(H.delivered(), receipt({ measuredMassGrams: 12_300 }));
    expect(r).toEqual({
      result: {
        sourceEvents: [
          {
            lotId: LOT,
            events: [
              {
                type: 'LotReceived',
                data: {
                  lotId: LOT,
                  manifestId: MANIFEST,
                  receiverPartyId: RECEIVER,
                  siteId: 'site-disposer',
                  facilityId: 'fac-recv',
                  decision: 'ACCEPTED',
                  measuredMassGrams: 12_300,
                  acceptedMassGrams: 12_300,
                  rejectedMassGrams: 0,
                  rejectedLotId: null,
                  reason: null,
                  massAdjustmentGrams: -45,
                  discrepancy: {
                    baseline: 'DECLARED',
                    baselineGrams: 12_345,
                    differenceGrams: -45,
                    toleranceBasisPoints: 500,
                    beyondTolerance: false,
                  },
                  at: at(70),
                },
              },
            ],
          },
        ],
        newLotEvents: [],
      },
    });
    const events = 'result' in r ? eventsOf(r.result, LOT) : [];
    expect(replay([...H.delivered(), ...events])).toMatchObject({
      status: 'STORED',
      custodianPartyId: RECEIVER,
      massGrams: 12_300,
      clockStartsAt: at(70),
      openManifestId: null,
    });
  });

  it('flags a discrepancy beyond the tolerance against the pickup weighing, and still records it', () => {
    const h = play(H.reserved(), takeCustody({ pickupMassGrams: 10_000 }), deliver());
    expect(receive(h, receipt({ measuredMassGrams: 12_345 }))).toMatchObject({
      result: {
        sourceEvents: [
          {
            events: [
              {
                data: {
                  massAdjustmentGrams: 0,
                  discrepancy: { baseline: 'PICKUP', differenceGrams: 2_345, beyondTolerance: true },
                },
              },
            ],
          },
        ],
      },
    });
  });

  it('accepts part: the refused part becomes a new REJECTED lot linked to the source', () => {
    const c = receipt({
      decision: 'PARTIALLY_ACCEPTED',
      measuredMassGrams: 12_000,
      rejectedMassGrams: 2_000,
      rejectedPart: { lotId: 'lot-1-r', labelCode: 'LBL-1-R' },
      reason: 'mixed with sludge',
    });
    const r = receive(H.delivered(), c);
    if (!('result' in r)) throw new Error(`refused: ${r.error}`);
    expect(eventsOf(r.result, LOT)).toMatchObject([
      {
        data: {
          acceptedMassGrams: 10_000,
          rejectedMassGrams: 2_000,
          rejectedLotId: 'lot-1-r',
          massAdjustmentGrams: -345,
        },
      },
    ]);
    expect(replay([...H.delivered(), ...eventsOf(r.result, LOT)])).toMatchObject({
      status: 'STORED',
      massGrams: 10_000,
    });
    const part = replay(eventsOf(r.result, 'lot-1-r'));
    expect(part).toMatchObject({
      status: 'REJECTED',
      lotId: 'lot-1-r',
      labelCode: 'LBL-1-R',
      batchCode: 'B-2025-001',
      massGrams: 2_000,
      custodianPartyId: RECEIVER,
      producerPartyId: PRODUCER,
      origin: { kind: 'REJECTED_PART', sourceLotId: LOT },
      rejectedOnManifestId: MANIFEST,
      clockStartsAt: at(70),
    });
  });

  it('rejects: the whole lot is REJECTED, held by the receiver until a return manifest', () => {
    const r = receive(H.delivered(), receipt({ decision: 'REJECTED', reason: 'not the declared waste' }));
    if (!('result' in r)) throw new Error(`refused: ${r.error}`);
    const h = [...H.delivered(), ...eventsOf(r.result, LOT)];
    expect(replay(h)).toMatchObject({
      status: 'REJECTED',
      massGrams: 12_345,
      custodianPartyId: RECEIVER,
      siteId: 'site-disposer',
    });
    const back = play(
      h,
      reserve('man-return', by(RECEIVER, 80)),
      takeCustody({ manifestId: 'man-return' }, by(CARRIER, 90)),
    );
    expect(replay(back)).toMatchObject({
      status: 'IN_TRANSIT',
      consignorPartyId: RECEIVER,
      manifestId: 'man-return',
    });
  });

  it.each([
    ['someone other than the named receiver', receipt({}, by(CARRIER, 70)), 'FORBIDDEN', undefined],
    ['another manifest', receipt({ manifestId: 'man-2' }), 'BAD_USER_INPUT', 'manifestId'],
    ['a zero mass', receipt({ measuredMassGrams: 0 }), 'BAD_USER_INPUT', 'measuredMassGrams'],
    [
      'a facility of another party',
      receipt({
        facilityId: 'fac-store',
        facts: { facility: FACILITIES.store, discrepancyToleranceBasisPoints: 500 },
      }),
      'BAD_USER_INPUT',
      'facilityId',
    ],
    ['a rejection without reason', receipt({ decision: 'REJECTED' }), 'BAD_USER_INPUT', 'reason'],
    [
      'a partial acceptance rejecting everything',
      receipt({
        decision: 'PARTIALLY_ACCEPTED',
        rejectedMassGrams: 12_345,
        rejectedPart: { lotId: 'r', labelCode: 'R' },
        reason: 'x',
      }),
      'BAD_USER_INPUT',
      'rejectedMassGrams',
    ],
    [
      'a partial acceptance without a new lot',
      receipt({ decision: 'PARTIALLY_ACCEPTED', rejectedMassGrams: 5, reason: 'x' }),
      'BAD_USER_INPUT',
      'rejectedPart',
    ],
    [
      'a partial acceptance reusing the lot id',
      receipt({
        decision: 'PARTIALLY_ACCEPTED',
        rejectedMassGrams: 5,
        rejectedPart: { lotId: LOT, labelCode: 'R' },
        reason: 'x',
      }),
      'BAD_USER_INPUT',
      'rejectedPart.lotId',
    ],
    [
      'an acceptance with a rejected mass',
      receipt({ rejectedMassGrams: 5 }),
      'BAD_USER_INPUT',
      'rejectedMassGrams',
    ],
    [
      'a negative tolerance',
      receipt({ facts: { facility: FACILITIES.receiver, discrepancyToleranceBasisPoints: -1 } }),
      'BAD_USER_INPUT',
      'facts.discrepancyToleranceBasisPoints',
    ],
  ])('refuses %s', (_what, c, code, field) => {
    expect(receive(H.delivered(), c)).toMatchObject({
      error: code,
      ...(field ? { details: { field } } : {}),
    });
  });

  it('is refused before delivery', () => {
    expect(receive(H.inTransit())).toMatchObject({
      error: 'INVALID_TRANSITION',
      details: { currentState: 'IN_TRANSIT' },
    });
  });
});
