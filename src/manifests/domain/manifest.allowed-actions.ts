import type { Actor } from '../../shared/domain/actor';
import { forbiddenReason } from './manifest.policy';
import type { ManifestState } from './manifest.state';
import { MANIFEST_ACTS, transitionFor, type ManifestAct } from './manifest.transitions';

/**
 * Whose turn it is (the `allowedActions` query): for each act, whether this actor may do it on
 * this manifest now, and if not, why. Read from `MANIFEST_TRANSITIONS` and the same role policy
 * `decide` enforces; facts outside the stream come in `roleFacts`.
 */

export const USER_ROLES = ['ADMIN', 'OPERATOR', 'DRIVER', 'VIEWER'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** The transport steps a DRIVER user may sign (SPEC section 2). */
export const DRIVER_ACTS: readonly ManifestAct[] = ['takeCustody', 'refuseContainer', 'relay', 'deliver'];

export interface ManifestRoleFacts {
  /** The user's role in its party: a VIEWER may do nothing, a DRIVER only transport steps. */
  readonly userRole?: UserRole;
  /** For an agent acting for the consignor: whether its delegation (scope and validity) holds now. */
  readonly delegationValid?: boolean;
  /** The record time, to tell a lapsed correction request. */
  readonly now?: Date;
  /** Whether the close conditions hold (from the lot streams), when known. */
  readonly closeConditionsMet?: boolean;
}

export interface AllowedAction {
  readonly action: ManifestAct;
  readonly allowed: boolean;
  readonly reason?: string;
}

function refusal(act: ManifestAct, s: ManifestState, actor: Actor, facts: ManifestRoleFacts): string | null {
  if (!transitionFor(s.status, act)) return `not allowed in state ${s.status}`;
  if (facts.userRole === 'VIEWER') return 'a VIEWER may not act';
  if (facts.userRole === 'DRIVER' && !DRIVER_ACTS.includes(act))
    return 'a DRIVER may only sign transport steps';
  if (actor.kind === 'USER' && actor.onBehalfOfPartyId && facts.delegationValid === false) {
    return 'the delegation from the consignor does not cover this act now';
  }
  if (s.status === 'NONE') {
    // before the first event anyone may start a manifest for the party it acts for
    return actor.kind === 'SYSTEM' ? `${act}: only the consignor (移出人) or its agent` : null;
  }
  const legs = s.content.legs.length;
  if (act === 'relay' && s.currentLeg >= legs) return 'the waste is on the last leg: deliver it';
  if (act === 'deliver' && s.currentLeg < legs)
    return `the waste is on leg ${s.currentLeg} of ${legs}: relay it first`;
  if (act === 'approveCorrection' || act === 'refuseCorrection') {
    const p = s.pendingCorrection;
    if (!p) return 'no correction request is pending';
    if (facts.now && facts.now.toISOString() > p.respondBy)
      return `the correction request lapsed at ${p.respondBy}`;
  }
  if (act === 'requestCorrection' && s.pendingCorrection) {
    const lapsed = facts.now !== undefined && facts.now.toISOString() > s.pendingCorrection.respondBy;
    if (!lapsed) return 'a correction request is already pending';
  }
  if (act === 'reportNationalNumber' && s.nationalNumber !== null)
    return 'the national number is already reported';
  if (act === 'close' && facts.closeConditionsMet === false) {
    return 'every accepted lot must be treated or re-shipped and every rejected lot on a return or redirect manifest';
  }
  return forbiddenReason(act, s, actor);
}

export function allowedActions(
  s: ManifestState,
  actor: Actor,
  roleFacts: ManifestRoleFacts = {},
): AllowedAction[] {
  return MANIFEST_ACTS.map((action) => {
    const reason = refusal(action, s, actor, roleFacts);
    return reason === null ? { action, allowed: true } : { action, allowed: false, reason };
  });
}
