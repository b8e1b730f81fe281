import type { Actor } from '../../shared/domain/actor';
import {
  CARRIER_1,
  H,
  MANIFEST_ID,
  RECEIVER,
  STRANGER,
  actors,
  at,
  cmd,
  decideAfter,
  isPlainJson,
  offlineMeta,
  refusal,
  stateOf,
  twoLegs,
} from './manifest.test-fixtures';

/**
 * SPEC section 0: a custody act made offline is a fact. When its handover code, labels or
 * licences fail at sync it is recorded as disputed (and the service raises a reconciliation
 * alert); only malformed input is refused.
 */

const offline = (actor: Actor = actors.carrier1, minutes = 60, syncedAt = 300) =>
  offlineMeta(actor, minutes, syncedAt);

describe('offline pickup that fails at sync is recorded as disputed, not refused', () => {
  it('wrong handover code: IN_TRANSIT, disputed, with the reason', () => {
    const c = cmd.takeCustody({ handoverCode: { result: 'INVALID', triesLeft: 4 } }, offline());
    const events = decideAfter(H.submitted(), c);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'CustodyTaken',
      data: {
        offline: true,
        disputed: true,
        handoverCodeId: null,
        at: at(60).toISOString(),
        disputeReasons: [
          {
            code: 'HANDOVER_CODE_INVALID',
            details: { reason: 'WRONG_CODE', triesLeft: 4 },
            message: expect.any(String),
          },
        ],
      },
    });
    expect(stateOf([...H.submitted(), ...events])).toMatchObject({
      status: 'IN_TRANSIT',
      disputes: [
        { eventType: 'CustodyTaken', act: 'takeCustody', reasons: [{ code: 'HANDOVER_CODE_INVALID' }] },
      ],
    });
  });

  it('locked code, label mismatch and licence failures are all kept as evidence', () => {
    const c = cmd.takeCustody(
      {
        scannedLabels: ['LBL-A', 'LBL-X'],
        handoverCode: { result: 'LOCKED' },
        carrierCheck: {
          ok: false,
          code: 'VEHICLE_NOT_AUTHORISED',
          reason: 'vehicle not under the permit',
          leg: 1,
        },
      },
      offline(),
    );
    const [e] = decideAfter(H.submitted(), c);
    expect(e.type).toBe('CustodyTaken');
    expect(isPlainJson(e.data)).toBe(true);
    expect(e.data).toMatchObject({
      disputed: true,
      scannedLabels: ['LBL-A', 'LBL-X'],
      carriedLotIds: ['lot-a'],
      disputeReasons: [
        { code: 'LABEL_MISMATCH', details: { missing: ['LBL-B'], extra: ['LBL-X'] } },
        { code: 'HANDOVER_CODE_LOCKED' },
        { code: 'VEHICLE_NOT_AUTHORISED', details: { leg: 1 } },
      ],
    });
  });

  it('an offline pickup that breaks no rule is not disputed', () => {
    const [e] = decideAfter(H.submitted(), cmd.takeCustody({}, offline()));
    expect(e.data).toMatchObject({ offline: true, disputed: false, disputeReasons: [] });
  });

  it('the next carrier checks what was actually loaded after a disputed pickup', () => {
    const pickup = cmd.takeCustody({ scannedLabels: ['LBL-A'] }, offline());
    const given = [...H.submitted(twoLegs()), ...decideAfter(H.submitted(twoLegs()), pickup)];
    expect(decideAfter(given, cmd.relay({ scannedLabels: ['LBL-A'] }))[0].data).toMatchObject({
      disputed: false,
      carriedLotIds: ['lot-a'],
    });
  });

  it('an offline relay with a label mismatch is recorded as disputed', () => {
    const given = H.inTransit(twoLegs());
    const [e] = decideAfter(
      given,
      cmd.relay({ scannedLabels: ['LBL-B'] }, offline(actors.carrier2, 120, 400)),
    );
    expect(e).toMatchObject({
      type: 'CustodyRelayed',
      data: { disputed: true, carriedLotIds: ['lot-b'], disputeReasons: [{ code: 'LABEL_MISMATCH' }] },
    });
  });
});

describe('an offline act that cannot apply at sync becomes a disputed late-scan event', () => {
  it('a pickup scan synced after the cancellation', () => {
    const given = H.cancelled();
    const events = decideAfter(given, cmd.takeCustody({}, offline(actors.carrier1, 30, 600)));
    expect(events).toEqual([
      {
        type: 'DisputedScanRecorded',
        data: {
          manifestId: MANIFEST_ID,
          act: 'takeCustody',
          statusAtSync: 'CANCELLED',
          actorPartyId: CARRIER_1,
          scannedLabels: ['LBL-A', 'LBL-B'],
          place: '郑州市中原区建设路 1 号',
          disputed: true,
          reasons: [
            {
              code: 'INVALID_TRANSITION',
              message: expect.any(String),
              details: expect.objectContaining({ currentState: 'CANCELLED', act: 'takeCustody' }),
            },
          ],
          at: at(30).toISOString(),
        },
      },
    ]);
    const s = stateOf([...given, ...events]);
    expect(s).toMatchObject({ status: 'CANCELLED', disputes: [{ eventType: 'DisputedScanRecorded' }] });
    expect(isPlainJson(events[0].data)).toBe(true);
  });

  it('the same pickup made online is refused', () => {
    expect(refusal(H.cancelled(), cmd.takeCustody()).code).toBe('INVALID_TRANSITION');
  });

  it('a scan by a party not on the leg, and a delivery to another receiver', () => {
    const byStranger = decideAfter(H.submitted(), cmd.takeCustody({}, offline(actors.stranger)));
    expect(byStranger[0]).toMatchObject({
      type: 'DisputedScanRecorded',
      data: { actorPartyId: STRANGER, statusAtSync: 'SUBMITTED', reasons: [{ code: 'FORBIDDEN' }] },
    });
    const elsewhere = decideAfter(
      H.inTransit(),
      cmd.deliver({ receiverId: 'party-other-plant' }, offline(actors.carrier1, 180, 500)),
    );
    expect(elsewhere[0]).toMatchObject({
      type: 'DisputedScanRecorded',
      data: { act: 'deliver', reasons: [{ code: 'FORBIDDEN', details: { namedReceiverId: RECEIVER } }] },
    });
    expect(stateOf([...H.inTransit(), ...elsewhere]).status).toBe('IN_TRANSIT');
  });

  it('a relay synced after the delivery, and a refusal synced after departure', () => {
    const departed = H.inTransit(twoLegs());
    const relayAfter = decideAfter(H.delivered(), cmd.relay({}, offline(actors.carrier2, 120, 900)));
    expect(relayAfter[0]).toMatchObject({
      type: 'DisputedScanRecorded',
      data: { act: 'relay', statusAtSync: 'DELIVERED' },
    });
    const refuseAfter = decideAfter(departed, cmd.refuse('lot-b', offline(actors.carrier1, 55, 900)));
    expect(refuseAfter[0]).toMatchObject({ type: 'DisputedScanRecorded', data: { act: 'refuseContainer' } });
  });
});

describe('offline, malformed input is still refused', () => {
  it.each([
    ['no labels', cmd.takeCustody({ scannedLabels: [] }, offline()), 'scannedLabels'],
    [
      'an impossible mass',
      cmd.takeCustody({ pickupMasses: [{ labelCode: 'LBL-A', grams: 0 }] }, offline()),
      'pickupMasses[0].grams',
    ],
    [
      'no handover code fact',
      cmd.takeCustody({ handoverCode: undefined as never }, offline()),
      'handoverCode',
    ],
    ['another manifest id', cmd.takeCustody({ manifestId: 'mf-9999' }, offline()), 'manifestId'],
  ])('%s', (_what, c, field) => {
    const e = refusal(H.submitted(), c);
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.details.field).toBe(field);
  });

  it('a scan for a manifest that does not exist (unknown id) is refused', () => {
    expect(refusal([], cmd.takeCustody({}, offline())).code).toBe('INVALID_TRANSITION');
  });
});
