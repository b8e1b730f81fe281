import type { Actor } from '../../shared/domain/actor';
import { actingPartyId } from '../../shared/domain/actor';
import { expectStatus } from '../../shared/domain/decider';
import { DomainError, isDomainError } from '../../shared/domain/domain-error';
import type { ManifestData, ManifestState } from './manifest.state';
import {
  ACT_ACTORS,
  ROLE_NAMES,
  actsAllowedIn,
  type ManifestAct,
  type ManifestRole,
} from './manifest.transitions';
import { partiesOf, type DisputeReason, type JsonValue } from './manifest.types';

/**
 * Who may act on a manifest, and the small rules several acts share (label comparison, mass
 * tolerance). Pure functions of the state, the actor and the command.
 */

/** The actor's own party (its user's or device's), never the party it acts for. */
export const ownPartyId = (actor: Actor): string | null =>
  actor.kind === 'SYSTEM' ? null : (actor.partyId ?? null);

/** The party an act is done for (the consignor when its agent acts). */
export const forPartyId = (actor: Actor): string | null => actingPartyId(actor) ?? null;

/**
 * The actor's roles towards a manifest. Before the first event there is no manifest: pass the
 * consignor the command names. Carrier roles follow the waste: the first carrier before pickup,
 * the next leg's carrier while a further leg remains, the last carrier once on the last leg.
 */
export function rolesOf(m: ManifestData | null, actor: Actor, consignorId?: string): Set<ManifestRole> {
  const roles = new Set<ManifestRole>();
  if (actor.kind === 'SYSTEM') {
    roles.add('SYSTEM');
    return roles;
  }
  const own = actor.partyId ?? null;
  const onBehalf = actor.kind === 'USER' ? (actor.onBehalfOfPartyId ?? null) : null;
  const consignor = m?.content.consignorId ?? consignorId;
  if (consignor !== undefined) {
    if (own === consignor && (onBehalf === null || onBehalf === consignor)) roles.add('CONSIGNOR');
    if (onBehalf === consignor && own !== consignor) roles.add('CONSIGNOR_AGENT');
  }
  if (!m || own === null) return roles;
  const legs = m.content.legs;
  if (own === legs[0]?.carrierId) roles.add('FIRST_CARRIER');
  if (m.currentLeg >= 1 && m.currentLeg < legs.length && own === legs[m.currentLeg]?.carrierId)
    roles.add('NEXT_CARRIER');
  if (m.currentLeg === legs.length && own === legs[legs.length - 1]?.carrierId) roles.add('LAST_CARRIER');
  if (own === m.content.receiverId) roles.add('RECEIVER');
  const acting = forPartyId(actor);
  if (acting !== null && partiesOf(m.content).includes(acting)) roles.add('PARTY');
  const p = m.pendingCorrection;
  if (p && acting !== null && p.approverPartyIds.includes(acting) && !p.approvedBy.includes(acting)) {
    roles.add('APPROVER');
  }
  return roles;
}

/** Why the actor may not do the act, or null when it may. */
export function forbiddenReason(
  act: ManifestAct,
  m: ManifestData | null,
  actor: Actor,
  consignorId?: string,
): string | null {
  const roles = rolesOf(m, actor, consignorId);
  const allowed = ACT_ACTORS[act];
  if (allowed.some((r) => roles.has(r))) return null;
  return `${act}: only ${allowed.map((r) => ROLE_NAMES[r]).join(' or ')}`;
}

/** `FORBIDDEN` unless the actor holds one of the act's roles. */
export function requireRole(
  act: ManifestAct,
  m: ManifestData | null,
  actor: Actor,
  consignorId?: string,
): void {
  const reason = forbiddenReason(act, m, actor, consignorId);
  if (reason !== null) {
    throw new DomainError('FORBIDDEN', reason, { act, allowedRoles: [...ACT_ACTORS[act]] });
  }
}

/** `expectStatus`, with the act and the acts allowed in the current state added to the refusal. */
export function expectStatusFor<K extends ManifestState['status']>(
  s: ManifestState,
  act: ManifestAct,
  ...allowed: K[]
): Extract<ManifestState, { status: K }> {
  try {
    return expectStatus(s, ...allowed);
  } catch (e) {
    if (!isDomainError(e)) throw e;
    throw new DomainError(e.code, `${act}: ${e.message}`, {
      ...e.details,
      act,
      allowedActs: actsAllowedIn(s.status),
    });
  }
}

/** Labels missing from a scan and labels scanned that the manifest does not carry. */
export function diffLabels(
  scanned: readonly string[],
  expected: readonly string[],
): { missing: string[]; extra: string[] } {
  const s = new Set(scanned);
  const e = new Set(expected);
  return { missing: expected.filter((l) => !s.has(l)), extra: scanned.filter((l) => !e.has(l)) };
}

export function labelMismatch(missing: readonly string[], extra: readonly string[]): DomainError {
  const parts = [
    missing.length ? `missing ${missing.join(', ')}` : '',
    extra.length ? `extra ${extra.join(', ')}` : '',
  ];
  return new DomainError(
    'LABEL_MISMATCH',
    `scanned labels differ from the manifest: ${parts.filter(Boolean).join('; ')}`,
    {
      missing: [...missing],
      extra: [...extra],
    },
  );
}

/** A refusal as a dispute reason (the evidence an offline act carries). */
export function asDisputeReason(e: DomainError): DisputeReason {
  return { code: e.code, message: e.message, details: toJson(e.details) as DisputeReason['details'] };
}

function toJson(v: unknown): JsonValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : String(v);
  if (Array.isArray(v)) return v.map(toJson);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [k, toJson(x)]),
    );
  }
  return null;
}

/**
 * A discrepancy: |measured − reference| > tolerance × reference, exactly (basis points, BigInt:
 * gram masses times 10 000 can pass 2^53). At exactly the tolerance it is not one.
 */
export function isDiscrepancy(
  measuredGrams: number,
  referenceGrams: number,
  toleranceBasisPoints: number,
): boolean {
  const diff = BigInt(Math.abs(measuredGrams - referenceGrams));
  return diff * 10_000n > BigInt(referenceGrams) * BigInt(toleranceBasisPoints);
}
