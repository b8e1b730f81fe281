import fc from 'fast-check';
import { chainLevels, fateOf, sourcesOf, walksOf } from './custody-chain';
import { ageBucket, checkPeriod, checkPrefix } from './statistics';
import { refusedAttemptAlert } from './refused-attempt';

const e = (parentLotId: string, childLotId: string) => ({ parentLotId, childLotId });

describe('custody chain shape', () => {
  // a1, a2 → A; b → B (split into B1, B2); A + B1 → X; X → residue R
  const edges = [
    e('a1', 'A'),
    e('a2', 'A'),
    e('b', 'B1'),
    e('b', 'B2'),
    e('A', 'X'),
    e('B1', 'X'),
    e('X', 'R'),
  ];

  it('walks up, down or both', () => {
    expect(walksOf('BACKWARD')).toEqual({ up: true, down: false });
    expect(walksOf('FORWARD')).toEqual({ up: false, down: true });
    expect(walksOf('BOTH')).toEqual({ up: true, down: true });
  });

  it('levels: negative upstream, positive downstream, shortest path first', () => {
    expect(Object.fromEntries(chainLevels(['X'], edges, 'BACKWARD'))).toEqual({
      X: 0,
      A: -1,
      B1: -1,
      a1: -2,
      a2: -2,
      b: -2,
    });
    expect(Object.fromEntries(chainLevels(['b'], edges, 'FORWARD'))).toEqual({
      b: 0,
      B1: 1,
      B2: 1,
      X: 2,
      R: 3,
    });
    expect(Object.fromEntries(chainLevels(['A'], edges, 'BOTH'))).toEqual({
      A: 0,
      a1: -1,
      a2: -1,
      X: 1,
      R: 2,
    });
    // a diamond: b → B1 → X and b → X directly: X is one step away
    expect(chainLevels(['b'], [...edges, e('b', 'X')], 'FORWARD').get('X')).toBe(1);
  });

  it('sources are the lots nothing in the chain feeds', () => {
    expect(sourcesOf(['X', 'A', 'B1', 'a1', 'a2', 'b'], edges).sort()).toEqual(['a1', 'a2', 'b']);
  });

  it('every lot of a random DAG walked both ways gets a level of the right sign (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(30), fc.nat(30)), { maxLength: 80 }),
        fc.nat(30),
        (pairs, root) => {
          const dag = pairs.filter(([a, b]) => a < b).map(([a, b]) => e(`n${a}`, `n${b}`));
          const levels = chainLevels([`n${root}`], dag, 'BOTH');
          for (const [id, level] of levels) {
            const n = Number(id.slice(1));
            if (n < root) expect(level).toBeLessThan(0);
            if (n > root) expect(level).toBeGreaterThan(0);
          }
        },
      ),
    );
  });

  it('fates follow the lot statuses, and an unknown status is a bug', () => {
    expect(['GENERATED', 'STORED', 'DELIVERED', 'CONSOLIDATED', 'DISPOSED'].map(fateOf)).toEqual([
      'HELD',
      'HELD',
      'IN_TRANSIT',
      'CONSOLIDATED',
      'DISPOSED',
    ]);
    expect(() => fateOf('NONE')).toThrow();
  });
});

describe('statistics vocabulary', () => {
  it('ages open manifests into classes', () => {
    expect([0, 0.99, 1, 2.9, 3, 6.9, 7, 29.9, 30, 400, -1].map(ageBucket)).toEqual([
      'UNDER_1_DAY',
      'UNDER_1_DAY',
      'DAYS_1_TO_3',
      'DAYS_1_TO_3',
      'DAYS_3_TO_7',
      'DAYS_3_TO_7',
      'DAYS_7_TO_30',
      'DAYS_7_TO_30',
      'OVER_30_DAYS',
      'OVER_30_DAYS',
      'UNDER_1_DAY',
    ]);
  });

  it('refuses a reversed or too long period, and a malformed region prefix', () => {
    expect(checkPeriod('2026-01-01', '2026-12-31')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(() => checkPeriod('2026-02-01', '2026-01-31')).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }) as Error,
    );
    expect(() => checkPeriod('2000-01-01', '2026-01-01')).toThrow(/at most/);
    expect(() => checkPeriod('2026-02-30', '2026-03-01')).toThrow(/from/);
    expect(checkPrefix('4101')).toBe('4101');
    expect(checkPrefix(undefined)).toBeUndefined();
    expect(() => checkPrefix('410')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }) as Error);
  });
});

describe('refused custody attempts', () => {
  const attempt = {
    attemptId: 42,
    act: 'takeCustody',
    targetType: 'manifest',
    targetId: 'm-1',
    refusalCode: 'HANDOVER_CODE_INVALID',
    message: 'wrong code',
    actorKind: 'USER',
    actorPartyId: 'carrier-1',
    occurredAt: new Date('2026-03-02T01:00:00Z'),
    recordedAt: new Date('2026-03-02T01:00:01Z'),
  };

  it('one alert per attempt, about its target', () => {
    const a = refusedAttemptAlert(attempt);
    expect(a).toMatchObject({
      rule: 'CUSTODY_ATTEMPT_REFUSED',
      subjectType: 'MANIFEST',
      subjectId: 'm-1',
      period: 'attempt-42',
      severity: 'WARNING',
    });
    expect(a.evidence).toMatchObject({
      refusalCode: 'HANDOVER_CODE_INVALID',
      recordedAt: '2026-03-02T01:00:01.000Z',
    });
    expect(refusedAttemptAlert({ ...attempt, attemptId: 43 }).period).toBe('attempt-43');
  });

  it('a locked handover code or mismatched labels are CRITICAL', () => {
    expect(refusedAttemptAlert({ ...attempt, refusalCode: 'HANDOVER_CODE_LOCKED' }).severity).toBe(
      'CRITICAL',
    );
    expect(refusedAttemptAlert({ ...attempt, refusalCode: 'LABEL_MISMATCH' }).severity).toBe('CRITICAL');
    expect(() => refusedAttemptAlert({ ...attempt, attemptId: 0 })).toThrow();
  });
});
