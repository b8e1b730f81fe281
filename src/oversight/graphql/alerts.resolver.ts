import { Args, Context, ID, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { ALERT_RAISED_TOPIC } from '../../ledger/alerts/alert';
import { CurrentPrincipal } from '../../shared/auth/current-principal.decorator';
import type { Principal } from '../../shared/auth/principal';
import { PageArgs } from '../../shared/graphql/pagination';
import { AlertsService, type AlertView } from '../alerts.service';
import { mayView } from '../jurisdiction';
import { AcknowledgeAlertInput, AlertConnection, AlertFilterInput, AlertObject } from './alert.types';

interface SubscriptionContext {
  pubsub: { subscribe(topic: string): Promise<AsyncIterable<unknown>> };
  hazledgerPrincipal?: Principal;
}

interface AlertNotice {
  alertId: string;
  region: string | null;
  partyIds: string[];
}

@Resolver()
export class AlertsResolver {
  constructor(private readonly alertsService: AlertsService) {}

  @Query(() => AlertConnection, {
    description: '预警 — alerts you may see (regulators: their jurisdiction), newest first.',
  })
  async alerts(
    @CurrentPrincipal() who: Promise<Principal>,
    @Args() page: PageArgs,
    @Args('filter', { type: () => AlertFilterInput, nullable: true }) filter?: AlertFilterInput,
  ) {
    return this.alertsService.list(await who, filter ?? {}, page.first, page.after);
  }

  @Query(() => AlertObject, { description: 'One alert you may see.' })
  async alert(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() who: Promise<Principal>) {
    return this.alertsService.visible(await who, id);
  }

  @Mutation(() => AlertObject, {
    description: 'A regulator acknowledges an alert of its jurisdiction, with a note (a ledger event).',
  })
  async acknowledgeAlert(
    @Args('input') input: AcknowledgeAlertInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    return this.alertsService.acknowledge(await who, input.idempotencyKey, input.alertId, input.note);
  }

  @Subscription(() => AlertObject, {
    description:
      'New alerts, live, from every API process (PostgreSQL LISTEN/NOTIFY): regulators receive those of their jurisdiction, parties those naming them. Authenticate the WebSocket with {"authorization": "Bearer <token>"} in the connection_init payload.',
    resolve: (value: AlertView) => value,
  })
  async alertRaised(@Context() ctx: SubscriptionContext): Promise<AsyncIterable<AlertView>> {
    const who: Principal = ctx.hazledgerPrincipal ?? { kind: 'ANONYMOUS' };
    const notices = await ctx.pubsub.subscribe(ALERT_RAISED_TOPIC);
    const alerts = this.alertsService;
    return (async function* () {
      for await (const raw of notices) {
        const n = raw as AlertNotice;
        // jurisdiction is enforced here: guards do not see the events of a subscription
        if (!mayView(who, { partyIds: n.partyIds ?? [], divisionCodes: n.region ? [n.region] : [] }))
          continue;
        const alert = await alerts.get(n.alertId);
        if (alert) yield alert;
      }
    })();
  }
}
