import { Injectable } from '@nestjs/common';
import { canSee } from '../shared/auth/access-policy';
import { isRegulator, isSystemAdmin, type Principal } from '../shared/auth/principal';

/** Who a stream concerns: the parties named on it and the division codes of the sites it touches. */
export interface StreamScope {
  partyIds: string[];
  divisionCodes: string[];
}

type ScopeResolver = (streamId: string) => Promise<StreamScope | null>;

/**
 * THE check for reading a stream's events and proofs: each capability tells, for its stream
 * type, which parties and sites a stream concerns; `canSee` (access-policy.ts) decides. Streams
 * of a type without a resolver (counters, alerts) are for regulators and the system administrator.
 */
@Injectable()
export class StreamAccess {
  private readonly resolvers = new Map<string, ScopeResolver>();

  register(streamType: string, resolver: ScopeResolver): void {
    this.resolvers.set(streamType, resolver);
  }

  async canRead(who: Principal, streamType: string, streamId: string): Promise<boolean> {
    const resolver = this.resolvers.get(streamType);
    if (!resolver) return isRegulator(who) || isSystemAdmin(who);
    const scope = await resolver(streamId);
    return scope !== null && canSee(who, scope);
  }
}
