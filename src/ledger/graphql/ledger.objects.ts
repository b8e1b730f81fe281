import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../shared/graphql/pagination';
import { JsonScalar, LongScalar } from '../../shared/graphql/scalars';

@ObjectType('LedgerEvent', {
  description: 'One event of the ledger (账本事件), with its place in the hash chain.',
})
export class LedgerEventObject {
  @Field(() => LongScalar, { description: 'Global position: the order of insertion across all streams.' })
  position!: number;
  @Field() streamId!: string;
  @Field() streamType!: string;
  @Field(() => Int, { description: 'Version within the stream, from 1.' }) version!: number;
  @Field() type!: string;
  @Field(() => Int) schemaVersion!: number;
  @Field(() => JsonScalar) data!: unknown;
  @Field(() => JsonScalar, { description: 'Who acted: ids only (user, device or system; party; agent).' })
  actor!: unknown;
  @Field({ description: 'Business time: when it happened on site.' }) occurredAt!: Date;
  @Field({ description: 'Record time: when the server committed it.' }) recordedAt!: Date;
  @Field() commandId!: string;
  @Field({ description: 'Made offline and synced later.' }) offline!: boolean;
  @Field({ description: 'Hex SHA-256 of the canonical bytes.' }) hash!: string;
  @Field(() => String, { nullable: true, description: 'Hex hash of the previous event of the stream.' })
  prevHash!: string | null;
}

@ObjectType('LedgerEventConnection')
export class LedgerEventConnection extends Connection(LedgerEventObject, 'LedgerEvent') {}

@ObjectType('LedgerCheckpoint', {
  description: '检查点 — a signed Merkle root over a range of global positions.',
})
export class LedgerCheckpointObject {
  @Field(() => Int) checkpointNo!: number;
  @Field(() => LongScalar) firstPosition!: number;
  @Field(() => LongScalar) lastPosition!: number;
  @Field(() => Int, { description: 'Events sealed (positions of rolled-back transactions hold none).' })
  treeSize!: number;
  @Field({ description: 'Hex RFC 6962 Merkle root over the sealed events’ hashes, in position order.' })
  root!: string;
  @Field(() => String, { nullable: true, description: 'Hex SHA-256 of the previous checkpoint’s statement.' })
  previous!: string | null;
  @Field({ description: 'Base64 of the signed statement (canonical JSON).' }) statement!: string;
  @Field({ description: 'Base64 Ed25519 signature over the statement bytes.' }) signature!: string;
  @Field() keyId!: string;
  @Field() sealedAt!: Date;
}

@ObjectType('LedgerCheckpointConnection')
export class LedgerCheckpointConnection extends Connection(LedgerCheckpointObject, 'LedgerCheckpoint') {}

@ObjectType('LedgerPublicKey', {
  description: 'A key that signs checkpoints; anyone may verify proofs with it.',
})
export class LedgerPublicKeyObject {
  @Field() keyId!: string;
  @Field() algorithm!: string;
  @Field({ description: 'Base64 of the raw 32-byte Ed25519 public key.' }) publicKey!: string;
  @Field({ description: 'The same key as SPKI PEM.' }) publicKeyPem!: string;
  @Field() registeredAt!: Date;
}

@ObjectType('EventProofCheckpoint')
export class EventProofCheckpointObject {
  @Field(() => Int) checkpointNo!: number;
  @Field() statement!: string;
  @Field() signature!: string;
  @Field() keyId!: string;
  @Field() publicKey!: string;
  @Field() root!: string;
  @Field(() => Int) treeSize!: number;
  @Field(() => Int) leafIndex!: number;
  @Field(() => [String]) auditPath!: string[];
}

@ObjectType('EventProof', {
  description:
    'An inclusion proof of one event, checkable offline with SHA-256 and Ed25519 (README: “Verifying a proof”).',
})
export class EventProofObject {
  @Field(() => LongScalar) position!: number;
  @Field() streamId!: string;
  @Field(() => Int) version!: number;
  @Field({ description: 'Base64 of the exact bytes that were hashed.' }) canonical!: string;
  @Field() hash!: string;
  @Field(() => EventProofCheckpointObject, {
    nullable: true,
    description: 'Null until a checkpoint seals the event.',
  })
  checkpoint!: EventProofCheckpointObject | null;
  @Field(() => JsonScalar, {
    description: 'The whole proof as one JSON document, for `src/cli/verify-proof.ts`.',
  })
  proof!: unknown;
}

@ObjectType('VerificationProblem')
export class VerificationProblemObject {
  @Field(() => LongScalar) position!: number;
  @Field() kind!: string;
  @Field(() => String, { nullable: true }) streamId!: string | null;
  @Field() message!: string;
}

@ObjectType('LedgerVerificationReport', {
  description: 'The result of recomputing every chain and checkpoint.',
})
export class LedgerVerificationReportObject {
  @Field() ok!: boolean;
  @Field(() => Int) eventsChecked!: number;
  @Field(() => Int) streamsChecked!: number;
  @Field(() => Int) checkpointsChecked!: number;
  @Field(() => LongScalar) sealedThroughPosition!: number;
  @Field(() => Int, { description: 'Events after the last checkpoint: not yet verifiable as present.' })
  unsealedEvents!: number;
  @Field(() => VerificationProblemObject, { nullable: true }) firstProblem!: VerificationProblemObject | null;
  @Field(() => Int) problemCount!: number;
  @Field(() => [VerificationProblemObject]) problems!: VerificationProblemObject[];
}
