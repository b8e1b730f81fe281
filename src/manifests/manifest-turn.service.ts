import { Injectable } from '@nestjs/common';
import { partyOf, type Principal } from '../shared/auth/principal';
import type { Actor } from '../shared/domain/actor';
import { Clock } from '../shared/clock';
import {
  ACT_ACTORS,
  allowedActions,
  ROLE_NAMES,
  USER_ROLES,
  type ActiveManifest,
  type ManifestAct,
  type ManifestRole,
  type ManifestRoleFacts,
  type UserRole,
} from './domain';
import type { ManifestAllowedActionsObject } from './graphql/manifest.objects';
import { ManifestFactsService } from './manifest-facts.service';
import { ManifestReadService } from './manifest-read.service';
import { ManifestReceiptService } from './manifest-receipt.service';

const isUserRole = (r: string): r is UserRole => (USER_ROLES as readonly string[]).includes(r);

/**
 * 轮到谁 — whose turn it is on a manifest, and what the current actor may do now (and why not):
 * the domain's `allowedActions` over the manifest's state with the facts it needs from outside
 * (the caller's role, an agent's delegation, whether the close conditions hold).
 */
@Injectable()
export class ManifestTurnService {
  constructor(
    private readonly read: ManifestReadService,
    private readonly facts: ManifestFactsService,
    private readonly receipts: ManifestReceiptService,
    private readonly clock: Clock,
  ) {}

  async allowedActions(who: Principal, manifestId: string): Promise<ManifestAllowedActionsObject> {
    const s = await this.read.visibleState(who, manifestId);
    const now = this.clock.now();
    const { actor, facts } = await this.actorFor(who, s, now);
    const actions = actor
      ? allowedActions(s, actor, facts).map((a) => ({
          action: a.action,
          allowed: a.allowed,
          reason: a.reason ?? null,
        }))
      : [];
    return { manifestId, status: s.status, waitingFor: await this.waitingFor(s), actions };
  }

  /** The caller as the domain sees it: an agent of the consignor when a delegation holds. */
  private async actorFor(
    who: Principal,
    s: ActiveManifest,
    now: Date,
  ): Promise<{ actor: Actor | null; facts: ManifestRoleFacts }> {
    if (who.kind === 'ANONYMOUS') return { actor: null, facts: {} };
    const own = partyOf(who);
    const userRole: UserRole | undefined =
      who.kind === 'DEVICE' ? 'DRIVER' : isUserRole(who.role) ? who.role : undefined;
    const closeConditionsMet = s.status === 'RECEIVED' ? await this.closeConditionsMet(s) : undefined;
    const base: ManifestRoleFacts = {
      userRole,
      now,
      ...(closeConditionsMet === undefined ? {} : { closeConditionsMet }),
    };
    const consignor = s.content.consignorId;
    if (
      who.kind === 'USER' &&
      own &&
      own !== consignor &&
      (await this.facts.delegationHolds(consignor, own, now))
    ) {
      return {
        actor: { ...who.actor, onBehalfOfPartyId: consignor },
        facts: { ...base, delegationValid: true },
      };
    }
    return { actor: who.actor, facts: base };
  }

  private async closeConditionsMet(s: ActiveManifest): Promise<boolean> {
    const f = await this.receipts.closeFacts(s);
    return (
      f.accepted.every((a) => a.terminalState !== null || a.leftOnManifestId !== null) &&
      f.rejected.every((r) => r.onManifestId !== null)
    );
  }

  /** Who may move the manifest on now, with the party's name. */
  private async waitingFor(s: ActiveManifest): Promise<string[]> {
    const legs = s.content.legs;
    const next: { act: ManifestAct; parties: string[] } | null =
      s.status === 'DRAFT'
        ? { act: 'submit', parties: [s.content.consignorId, ...(s.agentId ? [s.agentId] : [])] }
        : s.status === 'SUBMITTED'
          ? { act: 'takeCustody', parties: [legs[0].carrierId] }
          : s.status === 'IN_TRANSIT'
            ? s.currentLeg < legs.length
              ? { act: 'relay', parties: [legs[s.currentLeg].carrierId] }
              : { act: 'deliver', parties: [legs[legs.length - 1].carrierId, s.content.receiverId] }
            : s.status === 'DELIVERED' || s.status === 'RECEIVED'
              ? { act: s.status === 'DELIVERED' ? 'recordReceipt' : 'close', parties: [s.content.receiverId] }
              : null;
    if (!next) return [];
    const names = await this.facts.partyNames(next.parties);
    const roles: readonly ManifestRole[] = ACT_ACTORS[next.act];
    return [
      `${next.act}: ${roles.map((r) => ROLE_NAMES[r]).join(' or ')} — ${next.parties.map((p) => names.get(p) ?? p).join(', ')}`,
    ];
  }
}
