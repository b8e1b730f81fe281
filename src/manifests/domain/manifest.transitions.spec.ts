import type { Actor } from '../../shared/domain/actor';
import { isDomainError } from '../../shared/domain/domain-error';
import { allowedActions } from './manifest.allowed-actions';
import type { ManifestCommand } from './manifest.commands';
import type { ManifestEvent } from './manifest.events';
import { CORRECTION_STATUSES } from './manifest.state';
import {
  H,
  actors,
  cmd,
  content,
  decideAfter,
  isPlainJson,
  meta,
  okChecks,
  refusal,
  stateOf,
  twoLegs,
  type ActorName,
} from './manifest.test-fixtures';
import {
  ACT_ACTORS,
  ACT_COMMANDS,
  MANIFEST_ACTS,
  MANIFEST_TRANSITIONS,
  transitionFor,
  transitionsAsMarkdown,
  type ManifestAct,
  type ManifestRole,
} from './manifest.transitions';
import { ALL_STATE_STATUSES, type ManifestStateStatus } from './manifest.types';

/** A history that reaches `status`, suited to `act` (two legs for a relay, a pending request for answers). */
function historyFor(status: ManifestStateStatus, act: ManifestAct): ManifestEvent[] {
  const base: Record<ManifestStateStatus, () => ManifestEvent[]> = {
    NONE: () => [],
    DRAFT: () => H.drafted(),
    SUBMITTED: () => H.submitted(),
    IN_TRANSIT: () => (act === 'relay' ? H.inTransit(twoLegs()) : H.inTransit()),
    DELIVERED: () => H.delivered(),
    RECEIVED: () => H.received(),
    CLOSED: () => H.closed(),
    CANCELLED: () => H.cancelled(),
  };
  const events = base[status]();
  const answering = act === 'approveCorrection' || act === 'refuseCorrection';
  if (answering && (CORRECTION_STATUSES as readonly string[]).includes(status)) {
    return [...events, ...decideAfter(events, cmd.requestCorrection())];
  }
  return events;
}

/** A well-formed command for the act, made by `actor`. */
function commandFor(act: ManifestAct, status: ManifestStateStatus, actor: Actor): ManifestCommand {
  switch (act) {
    case 'draft':
      return cmd.draft(content(), actor);
    case 'amendDraft':
      return {
        type: 'AmendManifestDraft',
        data: { manifestId: 'mf-0001', changes: { emergencyMeasures: '穿戴防护，使用吸附棉' } },
        meta: meta(actor, 5),
      };
    case 'submit':
      return cmd.submit(okChecks(), actor);
    case 'issueHandoverCode':
      return cmd.issueCode('hc-2', actor);
    case 'takeCustody':
      return cmd.takeCustody({}, meta(actor, 60));
    case 'refuseContainer':
      return cmd.refuse('lot-b', meta(actor, 50));
    case 'relay':
      return cmd.relay({}, meta(actor, 120));
    case 'deliver':
      return cmd.deliver({}, meta(actor, 180));
    case 'recordReceipt':
      return cmd.receipt(undefined, {}, meta(actor, 240));
    case 'close':
      return cmd.close(undefined, actor);
    case 'cancel':
      return cmd.cancel(actor);
    case 'requestCorrection':
      return cmd.requestCorrection({}, actor);
    case 'approveCorrection':
      return cmd.approve(actor);
    case 'refuseCorrection':
      return cmd.refuseCorrection(actor);
    case 'reportNationalNumber':
      return cmd.nationalNumber(undefined, actor);
    case 'enterPaperManifest':
      return cmd.paper(status === 'NONE' ? { content: content() } : {}, actor);
  }
}

const ROLE_ACTOR: Record<ManifestRole, ActorName> = {
  CONSIGNOR: 'consignor',
  CONSIGNOR_AGENT: 'agent',
  FIRST_CARRIER: 'carrier1',
  NEXT_CARRIER: 'carrier2',
  LAST_CARRIER: 'carrier1',
  RECEIVER: 'receiver',
  PARTY: 'carrier1',
  APPROVER: 'receiver',
  SYSTEM: 'system',
};

const cells = ALL_STATE_STATUSES.flatMap((status) => MANIFEST_ACTS.map((act) => ({ status, act })));

describe('MANIFEST_TRANSITIONS against decide, for every state × act', () => {
  const produced: ManifestEvent[] = [];

  describe.each(cells)('$status × $act', ({ status, act }) => {
    const t = transitionFor(status, act);
    const given = historyFor(status, act);

    if (t) {
      it.each(t.by.map((role) => [role, ROLE_ACTOR[role]] as const))(
        `is allowed for %s and leads to ${t.to}`,
        (_role, name) => {
          const c = commandFor(act, status, actors[name]);
          expect(c.type).toBe(ACT_COMMANDS[act]);
          const events = decideAfter(given, c);
          expect(events.length).toBeGreaterThan(0);
          expect(stateOf([...given, ...events]).status).toBe(t.to);
          produced.push(...events);
        },
      );

      it('is FORBIDDEN to a party not on the manifest', () => {
        expect(refusal(given, commandFor(act, status, actors.stranger)).code).toBe('FORBIDDEN');
      });
    } else {
      it.each(ACT_ACTORS[act].map((role) => [role, ROLE_ACTOR[role]] as const))(
        'is an INVALID_TRANSITION even for %s, naming the state and the allowed acts',
        (_role, name) => {
          const e = refusal(given, commandFor(act, status, actors[name]));
          expect(e.code).toBe('INVALID_TRANSITION');
          expect(e.details).toMatchObject({ currentState: status, act });
          expect(e.details.allowedActs).toEqual(
            MANIFEST_TRANSITIONS.filter((x) => x.from === status).map((x) => x.act),
          );
        },
      );
    }
  });

  it('produced only plain-JSON events (strings, safe integers, booleans, null, arrays, objects)', () => {
    expect(produced.length).toBeGreaterThan(50);
    for (const e of produced) expect(isPlainJson(e.data)).toBe(true);
  });
});

describe('allowedActions tells whose turn it is, as decide does', () => {
  const names = Object.keys(actors) as ActorName[];
  const cases = cells
    .filter((c) => c.status !== 'NONE')
    .flatMap((c) => names.map((name) => ({ ...c, name })));

  it.each(cases)('$status × $act × $name', ({ status, act, name }) => {
    const given = historyFor(status, act);
    const answer = allowedActions(stateOf(given), actors[name]).find((a) => a.action === act);
    let succeeded = true;
    try {
      decideAfter(given, commandFor(act, status, actors[name]));
    } catch (e) {
      if (!isDomainError(e)) throw e;
      expect(['FORBIDDEN', 'INVALID_TRANSITION']).toContain(e.code);
      succeeded = false;
    }
    expect(answer?.allowed).toBe(succeeded);
    if (!succeeded) expect(answer?.reason).toEqual(expect.any(String));
  });

  it('before the first event, lets a party draft or enter a paper trip, not the system', () => {
    const forUser = allowedActions({ status: 'NONE' }, actors.consignor).filter((a) => a.allowed);
    expect(forUser.map((a) => a.action)).toEqual(['draft', 'enterPaperManifest']);
    expect(allowedActions({ status: 'NONE' }, actors.system).every((a) => !a.allowed)).toBe(true);
  });

  it('applies user roles and delegation facts', () => {
    const s = stateOf(H.submitted());
    const driver = allowedActions(s, actors.carrier1, { userRole: 'DRIVER' }).filter((a) => a.allowed);
    expect(driver.map((a) => a.action)).toEqual(['takeCustody', 'refuseContainer']);
    expect(allowedActions(s, actors.consignor, { userRole: 'VIEWER' }).some((a) => a.allowed)).toBe(false);
    const lapsedDelegation = allowedActions(s, actors.agent, { delegationValid: false });
    expect(lapsedDelegation.find((a) => a.action === 'cancel')).toMatchObject({ allowed: false });
    expect(allowedActions(s, actors.agent).find((a) => a.action === 'cancel')).toEqual({
      action: 'cancel',
      allowed: true,
    });
  });

  it('says what is awaited: relay before delivery, close conditions, a lapsed correction', () => {
    const relayFirst = allowedActions(stateOf(H.inTransit(twoLegs())), actors.receiver);
    expect(relayFirst.find((a) => a.action === 'deliver')?.reason).toMatch(/relay it first/);
    const received = stateOf(H.received());
    const close = allowedActions(received, actors.receiver, { closeConditionsMet: false });
    expect(close.find((a) => a.action === 'close')).toMatchObject({ allowed: false });
    const pending = stateOf([...H.received(), ...decideAfter(H.received(), cmd.requestCorrection())]);
    const late = allowedActions(pending, actors.receiver, { now: new Date('2026-04-01T00:00:00Z') });
    expect(late.find((a) => a.action === 'approveCorrection')?.reason).toMatch(/lapsed/);
    expect(late.find((a) => a.action === 'requestCorrection')).toEqual({
      action: 'requestCorrection',
      allowed: true,
    });
  });
});

describe('the table as data', () => {
  it('names every act at least once and each (state, act) pair once', () => {
    expect(new Set(MANIFEST_TRANSITIONS.map((t) => t.act))).toEqual(new Set(MANIFEST_ACTS));
    const keys = MANIFEST_TRANSITIONS.map((t) => `${t.from}/${t.act}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('renders as Markdown for the README', () => {
    const md = transitionsAsMarkdown();
    expect(md.split('\n')).toHaveLength(MANIFEST_TRANSITIONS.length + 2);
    expect(md).toContain('| SUBMITTED | takeCustody | IN_TRANSIT | the carrier of leg 1 (承运人) |');
  });
});
