import { Args, Query, Resolver } from '@nestjs/graphql';
import { DomainError } from '../../shared/domain/domain-error';
import { PageArgs } from '../../shared/graphql/pagination';
import { LongScalar } from '../../shared/graphql/scalars';
import { CurrentPrincipal } from '../../shared/auth/current-principal.decorator';
import type { Principal } from '../../shared/auth/principal';
import { LedgerQueryService } from '../ledger-query.service';
import { StreamAccess } from '../stream-access';
import {
  EventProofObject,
  LedgerCheckpointConnection,
  LedgerEventConnection,
  LedgerPublicKeyObject,
  LedgerVerificationReportObject,
} from './ledger.objects';

const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found`);

@Resolver()
export class LedgerResolver {
  constructor(
    private readonly ledger: LedgerQueryService,
    private readonly access: StreamAccess,
  ) {}

  @Query(() => LedgerEventConnection, {
    description: 'The events of one stream, oldest first (a record’s full history).',
  })
  async streamEvents(
    @Args('streamId') streamId: string,
    @Args() page: PageArgs,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const type = await this.ledger.streamType(streamId);
    if (!type || !(await this.access.canRead(await who, type, streamId)))
      throw notFound(`stream ${streamId}`);
    return this.ledger.streamEvents(streamId, page.first, page.after);
  }

  @Query(() => LedgerCheckpointConnection, {
    description: '检查点 — signed checkpoints, oldest first. Public.',
  })
  ledgerCheckpoints(@Args() page: PageArgs) {
    return this.ledger.checkpoints(page.first, page.after);
  }

  @Query(() => [LedgerPublicKeyObject], {
    description: 'Public keys that sign checkpoints, current and past. Public.',
  })
  ledgerPublicKeys() {
    return this.ledger.publicKeys();
  }

  @Query(() => EventProofObject, { description: 'An inclusion proof for the event at a global position.' })
  async eventProof(
    @Args('position', { type: () => LongScalar }) position: number,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const stream = await this.ledger.eventStream(position);
    if (!stream || !(await this.access.canRead(await who, stream.streamType, stream.streamId))) {
      throw notFound(`event at position ${position}`);
    }
    const proof = await this.ledger.proof(position);
    if (!proof) throw notFound(`event at position ${position}`);
    return { ...proof, proof };
  }

  @Query(() => LedgerVerificationReportObject, {
    description:
      'Recomputes every stream chain and checkpoint and reports the first event where anything differs.',
  })
  verifyLedger() {
    return this.ledger.verify();
  }
}
