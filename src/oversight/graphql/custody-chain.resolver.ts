import { Args, ID, Info, Query, Resolver } from '@nestjs/graphql';
import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';
import { CurrentPrincipal } from '../../shared/auth/current-principal.decorator';
import type { Principal } from '../../shared/auth/principal';
import { CustodyChainService } from '../custody-chain.service';
import type { ChainDirection } from '../domain/custody-chain';
import { ChainDirectionEnum, CustodyChainObject } from './custody-chain.objects';

/** True when the query asks for `nodes { events }` (the events query is skipped otherwise). */
function asksForEvents(info: GraphQLResolveInfo): boolean {
  const has = (set: SelectionSetNode | undefined, path: readonly string[]): boolean =>
    !!set &&
    set.selections.some((s) => {
      if (s.kind === Kind.FIELD)
        return s.name.value === path[0] && (path.length === 1 || has(s.selectionSet, path.slice(1)));
      if (s.kind === Kind.INLINE_FRAGMENT) return has(s.selectionSet, path);
      return has(info.fragments[s.name.value]?.selectionSet, path);
    });
  return info.fieldNodes.some((f) => has(f.selectionSet, ['nodes', 'events']));
}

const DIRECTION = {
  type: () => ChainDirectionEnum,
  defaultValue: 'BACKWARD',
  description: 'BACKWARD (default) to the sources, FORWARD to the outcomes, or BOTH.',
} as const;

@Resolver()
export class CustodyChainResolver {
  constructor(private readonly chains: CustodyChainService) {}

  @Query(() => CustodyChainObject, {
    description:
      '溯源链 — a lot’s custody chain through consolidations, splits, residues and rejected parts, with each lot’s custody events. The lot must be one you may see (else NOT_FOUND); other lots outside your scope are shown redacted (code, mass, region).',
  })
  async custodyChain(
    @Args('lotId', { type: () => ID }) lotId: string,
    @Args('direction', DIRECTION) direction: ChainDirection,
    @CurrentPrincipal() who: Promise<Principal>,
    @Info() info: GraphQLResolveInfo,
  ) {
    return this.chains.byLot(await who, lotId, direction, asksForEvents(info));
  }

  @Query(() => CustodyChainObject, {
    description: '溯源链 of every lot listed on a manifest (联单) you may see.',
  })
  async custodyChainByManifest(
    @Args('manifestId', { type: () => ID }) manifestId: string,
    @Args('direction', {
      ...DIRECTION,
      defaultValue: 'BOTH',
      description: 'BOTH (default), BACKWARD or FORWARD.',
    })
    direction: ChainDirection,
    @CurrentPrincipal() who: Promise<Principal>,
    @Info() info: GraphQLResolveInfo,
  ) {
    return this.chains.byManifest(await who, manifestId, direction, asksForEvents(info));
  }

  @Query(() => CustodyChainObject, {
    description: '溯源链 from a scanned or typed label code (标签编码; check character verified).',
  })
  async custodyChainByLabel(
    @Args('labelCode') labelCode: string,
    @Args('direction', {
      ...DIRECTION,
      defaultValue: 'BOTH',
      description: 'BOTH (default), BACKWARD or FORWARD.',
    })
    direction: ChainDirection,
    @CurrentPrincipal() who: Promise<Principal>,
    @Info() info: GraphQLResolveInfo,
  ) {
    return this.chains.byLabel(await who, labelCode, direction, asksForEvents(info));
  }
}
