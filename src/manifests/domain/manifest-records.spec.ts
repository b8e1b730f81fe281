import type { ManifestEvent } from './manifest.events';
import { manifestDecider } from './manifest.decider';
import {
  CARRIER_1,
  CONSIGNOR,
  DAY,
  H,
  MANIFEST_ID,
  RECEIVER,
  actors,
  at,
  cmd,
  decideAfter,
  isPlainJson,
  refusal,
  stateOf,
} from './manifest.test-fixtures';

const requested = (given: ManifestEvent[] = H.delivered()) => [
  ...given,
  ...decideAfter(given, cmd.requestCorrection()),
];

describe('correction request (descriptive fields only, at most one pending)', () => {
  it('names both versions and the parties who must approve', () => {
    expect(decideAfter(H.delivered(), cmd.requestCorrection())).toEqual([
      {
        type: 'CorrectionRequested',
        data: {
          manifestId: MANIFEST_ID,
          correctionId: 'corr-1',
          requestedByPartyId: CONSIGNOR,
          changes: [
            { field: 'lot.packaging', lotId: 'lot-a', from: '200 L steel drum', to: '200 L plastic drum' },
          ],
          reason: 'the packaging was entered wrongly',
          respondBy: at(14 * DAY).toISOString(),
          approverPartyIds: [CARRIER_1, RECEIVER],
          at: at(11 * DAY).toISOString(),
        },
      },
    ]);
  });

  it('refuses custody facts and no-op changes', () => {
    const custody = cmd.requestCorrection({ changes: [{ field: 'receiverId' as never, to: 'party-x' }] });
    expect(refusal(H.delivered(), custody).details.field).toBe('changes[0].field');
    const same = cmd.requestCorrection({ changes: [{ field: 'lot.method', lotId: 'lot-a', to: 'R9' }] });
    expect(refusal(H.delivered(), same).details.field).toBe('changes[0].to');
    const badMethod = cmd.requestCorrection({
      changes: [{ field: 'lot.method', lotId: 'lot-a', to: 'R99' }],
    });
    expect(refusal(H.delivered(), badMethod).details.field).toBe('changes[0].to');
    const unknownLot = cmd.requestCorrection({
      changes: [{ field: 'lot.form', lotId: 'lot-q', to: 'SOLID' }],
    });
    expect(refusal(H.delivered(), unknownLot).details.field).toBe('changes[0].lotId');
  });

  it('refuses a second request while one is pending (CONFLICT)', () => {
    const second = cmd.requestCorrection({ correctionId: 'corr-2' }, actors.receiver, 11 * DAY + 30);
    expect(refusal(requested(), second)).toMatchObject({
      code: 'CONFLICT',
      details: { pendingCorrectionId: 'corr-1' },
    });
  });

  it('closes a lapsed request when a new one is filed', () => {
    const later = cmd.requestCorrection({ correctionId: 'corr-2' }, actors.receiver, 15 * DAY);
    expect(decideAfter(requested(), later).map((e) => e.type)).toEqual([
      'CorrectionLapsed',
      'CorrectionRequested',
    ]);
  });

  it('is for the parties on the manifest, after a signature, not once cancelled', () => {
    expect(refusal(H.delivered(), cmd.requestCorrection({}, actors.stranger)).code).toBe('FORBIDDEN');
    expect(refusal(H.drafted(), cmd.requestCorrection()).code).toBe('INVALID_TRANSITION');
    expect(refusal(H.cancelled(), cmd.requestCorrection()).code).toBe('INVALID_TRANSITION');
  });
});

describe('approve or refuse a correction (the other parties)', () => {
  it('appends the correction when the last party approves; history keeps both versions', () => {
    const one = decideAfter(requested(), cmd.approve(actors.receiver));
    expect(one.map((e) => e.type)).toEqual(['CorrectionApproved']);
    const given = [...requested(), ...one];
    const last = decideAfter(given, cmd.approve(actors.carrier1));
    expect(last.map((e) => e.type)).toEqual(['CorrectionApproved', 'ManifestCorrected']);
    const s = stateOf([...given, ...last]);
    expect(s).toMatchObject({ pendingCorrection: null, correctionCount: 1, status: 'DELIVERED' });
    if (s.status === 'NONE') throw new Error('no manifest');
    expect(s.content.lots[0].packaging).toBe('200 L plastic drum');
    expect(last[1].data).toMatchObject({ changes: [{ from: '200 L steel drum', to: '200 L plastic drum' }] });
    expect(isPlainJson(last[1].data)).toBe(true);
  });

  it('is not for the requester, nor twice for the same party', () => {
    expect(refusal(requested(), cmd.approve(actors.consignor)).code).toBe('FORBIDDEN');
    const given = [...requested(), ...decideAfter(requested(), cmd.approve(actors.receiver))];
    expect(refusal(given, cmd.approve(actors.receiver)).code).toBe('FORBIDDEN');
  });

  it('a refusal ends the request without changing the manifest', () => {
    const events = decideAfter(requested(), cmd.refuseCorrection(actors.receiver));
    expect(events).toEqual([
      {
        type: 'CorrectionRefused',
        data: {
          manifestId: MANIFEST_ID,
          correctionId: 'corr-1',
          byPartyId: RECEIVER,
          reason: 'the drums were steel',
          at: at(11 * DAY + 60).toISOString(),
        },
      },
    ]);
    const s = stateOf([...requested(), ...events]);
    expect(s).toMatchObject({ pendingCorrection: null, correctionCount: 0 });
  });

  it('answers must name the pending request and come before it lapses', () => {
    expect(refusal(requested(), cmd.approve(actors.receiver, 11 * DAY + 60, 'corr-9')).details.field).toBe(
      'correctionId',
    );
    expect(refusal(H.delivered(), cmd.approve(actors.receiver)).details.field).toBe('correctionId');
    const lapsed = refusal(requested(), cmd.refuseCorrection(actors.receiver, 15 * DAY));
    expect(lapsed).toMatchObject({ code: 'INVALID_TRANSITION', details: { correction: 'LAPSED' } });
  });
});

describe('national manifest number (14 digits: year, province, city, serial)', () => {
  it('is recorded once', () => {
    const events = decideAfter(H.submitted(), cmd.nationalNumber());
    expect(events).toEqual([
      {
        type: 'NationalNumberReported',
        data: { manifestId: MANIFEST_ID, nationalNumber: '20264101000123', at: at(12 * DAY).toISOString() },
      },
    ]);
    expect(
      refusal([...H.submitted(), ...events], cmd.nationalNumber('20264101000124')).details,
    ).toMatchObject({
      field: 'nationalNumber',
      reported: '20264101000123',
    });
  });

  it.each(['2026410100012', '2026410100012X', '20264201000123'])('refuses %s', (n) => {
    expect(refusal(H.submitted(), cmd.nationalNumber(n)).details.field).toBe('nationalNumber');
  });

  it('may be reported by the consignor or the system, not a carrier', () => {
    expect(decideAfter(H.closed(), cmd.nationalNumber(undefined, actors.consignor))).toHaveLength(1);
    expect(refusal(H.closed(), cmd.nationalNumber(undefined, actors.carrier1)).code).toBe('FORBIDDEN');
  });
});

describe('evolve', () => {
  it('throws on an event that cannot follow (a bug, never a user error)', () => {
    const delivered = H.delivered()[H.delivered().length - 1];
    expect(() => manifestDecider.evolve({ status: 'NONE' }, delivered)).toThrow(/cannot follow state NONE/);
    const drafted = H.drafted()[0];
    expect(() => manifestDecider.evolve(stateOf(H.submitted()), drafted)).toThrow(
      /cannot follow state SUBMITTED/,
    );
  });

  it('replays a whole manifest life', () => {
    expect(stateOf(H.closed())).toMatchObject({
      status: 'CLOSED',
      receivedAt: at(240).toISOString(),
      closedAt: at(10 * DAY).toISOString(),
      custodySteps: [{ leg: 1, carrierId: CARRIER_1, disputed: false }],
    });
  });
});
