import { Args, Context, Field, ID, ObjectType, Resolver, Subscription } from '@nestjs/graphql';
import type { Principal } from '../../shared/auth/principal';
import { LongScalar } from '../../shared/graphql/scalars';
import { mayView } from '../jurisdiction';
import { MANIFEST_STATUS_CHANGED_TOPIC, type ManifestStatusNotice } from '../manifest-status.notifier';

@ObjectType('ManifestStatusChange', {
  description: '联单状态变化 — a manifest reached a new status (read it with `manifest(id)`).',
})
export class ManifestStatusChangeObject {
  @Field(() => ID) manifestId!: string;
  @Field({ description: 'HazLedger number.' }) number!: string;
  @Field({ description: 'DRAFT, SUBMITTED, IN_TRANSIT, DELIVERED, RECEIVED, CLOSED or CANCELLED.' })
  status!: string;
  @Field({ description: 'The event that changed it, e.g. CustodyTaken.' }) eventType!: string;
  @Field(() => LongScalar, { description: 'Global ledger position of that event.' }) position!: number;
  @Field({ description: 'Business time of the act.' }) at!: Date;
}

interface SubscriptionContext {
  pubsub: { subscribe(topic: string): Promise<AsyncIterable<unknown>> };
  hazledgerPrincipal?: Principal;
}

@Resolver()
export class ManifestStatusResolver {
  @Subscription(() => ManifestStatusChangeObject, {
    description:
      '联单状态变化, live from every API process: the parties named on a manifest and the regulators whose jurisdiction holds its start or end site receive it. Optionally one manifest only. Authenticate the WebSocket with {"authorization": "Bearer <token>"} in connection_init.',
    resolve: (n: ManifestStatusNotice): ManifestStatusChangeObject => ({
      manifestId: n.manifestId,
      number: n.number,
      status: n.status,
      eventType: n.eventType,
      position: n.position,
      at: new Date(n.at),
    }),
  })
  async manifestStatusChanged(
    @Context() ctx: SubscriptionContext,
    @Args('manifestId', { type: () => ID, nullable: true }) manifestId?: string,
  ): Promise<AsyncIterable<ManifestStatusNotice>> {
    const who: Principal = ctx.hazledgerPrincipal ?? { kind: 'ANONYMOUS' };
    const notices = await ctx.pubsub.subscribe(MANIFEST_STATUS_CHANGED_TOPIC);
    return (async function* () {
      for await (const raw of notices) {
        const n = raw as ManifestStatusNotice;
        if (manifestId && n.manifestId !== manifestId) continue;
        // guards do not see the events of a subscription: the jurisdiction is checked per event
        if (!mayView(who, { partyIds: n.partyIds ?? [], divisionCodes: n.divisionCodes ?? [] })) continue;
        yield n;
      }
    })();
  }
}
