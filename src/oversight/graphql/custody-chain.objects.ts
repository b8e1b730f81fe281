import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { FateKindEnum, type FateKind } from '../../lots/graphql/lot.objects';
import { LotStatusEnum } from '../../lots/graphql/lot.inputs';
import { LongScalar, MassScalar } from '../../shared/graphql/scalars';
import { CHAIN_DIRECTIONS, type ChainDirection, type NodeFate } from '../domain/custody-chain';

const asEnum = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const ChainDirectionEnum = asEnum(CHAIN_DIRECTIONS);
registerEnumType(ChainDirectionEnum, {
  name: 'ChainDirection',
  description:
    '溯源方向 — BACKWARD to every source (产生源头), FORWARD to every outcome (最终去向), BOTH from the asked lots.',
});

export const NodeFateEnum = asEnum<NodeFate>([
  'HELD',
  'IN_TRANSIT',
  'CONSOLIDATED',
  'SPLIT',
  'UTILISED',
  'DISPOSED',
  'LOST',
]);
registerEnumType(NodeFateEnum, {
  name: 'CustodyNodeFate',
  description:
    'What became of a lot: HELD (贮存中), IN_TRANSIT (运输中), CONSOLIDATED (合并), SPLIT (分装), UTILISED (利用), DISPOSED (处置), LOST (损失).',
});

export const LineageKindEnum = asEnum(['CONSOLIDATION', 'SPLIT', 'RESIDUE', 'REJECTED_PART'] as const);
registerEnumType(LineageKindEnum, {
  name: 'LineageKind',
  description:
    'How a lot came from another: CONSOLIDATION 合并, SPLIT 分装, RESIDUE 利用处置残渣 (new waste, no mass carried), REJECTED_PART 拒收部分.',
});

@ObjectType('ChainPartyRef', { description: '单位 — a party named in a custody chain.' })
export class ChainPartyRefObject {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
}

@ObjectType('CustodyEvent', {
  description:
    '交接记录 — one act on a lot, from its ledger stream: who took or held it, where, when, on which manifest, with what mass and whether the receipt found a discrepancy. Flat (no nested objects), so that a chain of thousands of lots stays within the query cost.',
})
export class CustodyEventObject {
  @Field(() => LongScalar, { description: 'Global ledger position (proof: `eventProof`).' })
  position!: number;
  @Field({ description: 'The event type, e.g. LotGenerated, LotCustodyTaken, LotReceived, LotTreated.' })
  type!: string;
  @Field({ description: 'Business time of the act (occurredAt).' }) at!: Date;
  @Field({ description: 'When the server recorded it.' }) recordedAt!: Date;
  @Field({ description: 'Made offline and synced later.' }) offline!: boolean;
  @Field(() => ID, {
    nullable: true,
    description: 'The party that holds, takes, receives or treats the lot by this act.',
  })
  partyId!: string | null;
  @Field(() => String, { nullable: true }) partyName!: string | null;
  @Field(() => ID, { nullable: true, description: 'The party it was taken from (handovers).' })
  fromPartyId!: string | null;
  @Field(() => String, { nullable: true }) fromPartyName!: string | null;
  @Field(() => ID, { nullable: true }) siteId!: string | null;
  @Field(() => String, { nullable: true }) siteName!: string | null;
  @Field(() => String, { nullable: true, description: '行政区划代码 of the site.' }) divisionCode!:
    string | null;
  @Field(() => ID, { nullable: true }) facilityId!: string | null;
  @Field(() => ID, { nullable: true }) manifestId!: string | null;
  @Field(() => String, { nullable: true, description: '联单编号 (HazLedger number).' }) manifestNumber!:
    string | null;
  @Field(() => MassScalar, {
    nullable: true,
    description: 'The mass the act records: generated, pickup weighing, measured at receipt, treated, lost…',
  })
  mass!: number | null;
  @Field({ description: '差异 — the receipt found a difference beyond the tolerance.' })
  discrepancy!: boolean;
  @Field(() => MassScalar, {
    nullable: true,
    description: 'Receipt difference against pickup or declared mass.',
  })
  discrepancyMass!: number | null;
  @Field(() => String, {
    nullable: true,
    description: 'Receipt decision (ACCEPTED, PARTIALLY_ACCEPTED, REJECTED).',
  })
  decision!: string | null;
  @Field(() => String, { nullable: true, description: 'Basel method of a treatment.' }) method!:
    string | null;
  @Field({ description: 'An offline custody act that failed its checks at sync.' }) disputed!: boolean;
  @Field(() => ID, { nullable: true, description: 'The lot it went into, or came from.' }) relatedLotId!:
    string | null;
}

@ObjectType('CustodyNode', {
  description:
    '批次 in a custody chain. Outside your scope a lot is REDACTED — only its id, waste code, mass and region — never left out, so that the chain stays whole.',
})
export class CustodyNodeObject {
  @Field(() => ID) lotId!: string;
  @Field(() => Int, {
    description: 'Steps from the asked lots: 0 itself, −1 its direct sources, +1 what it went into.',
  })
  level!: number;
  @Field({ description: 'Outside your scope: only lotId, wasteCode, category, mass and region are given.' })
  redacted!: boolean;
  @Field({ description: '废物代码' }) wasteCode!: string;
  @Field({ description: '废物类别' }) category!: string;
  @Field(() => MassScalar, { description: 'Its mass (for a lot that ended: the mass it ended with).' })
  mass!: number;
  @Field(() => String, { nullable: true, description: '行政区划代码 where it lies (or lay last).' }) region!:
    string | null;
  @Field(() => String, { nullable: true }) labelCode!: string | null;
  @Field(() => LotStatusEnum, { nullable: true }) status!: string | null;
  @Field(() => NodeFateEnum, { nullable: true, description: 'What became of it.' }) fate!: NodeFate | null;
  @Field(() => String, {
    nullable: true,
    description: 'GENERATED, CONSOLIDATION, SPLIT, RESIDUE or REJECTED_PART.',
  })
  originKind!: string | null;
  @Field(() => MassScalar, { nullable: true }) initialMass!: number | null;
  @Field(() => MassScalar, { nullable: true }) lostMass!: number | null;
  @Field(() => MassScalar, { nullable: true, description: 'Mass treated (UTILISED, DISPOSED).' })
  treatedMass!: number | null;
  @Field(() => String, { nullable: true, description: 'Basel method of its treatment.' }) method!:
    string | null;
  @Field(() => ChainPartyRefObject, { nullable: true, description: '产生单位 — null for consolidated lots.' })
  producer!: ChainPartyRefObject | null;
  @Field(() => ChainPartyRefObject, {
    nullable: true,
    description: 'Who made the lot (producer, consolidator…).',
  })
  origin!: ChainPartyRefObject | null;
  @Field(() => ChainPartyRefObject, { nullable: true, description: 'Who holds it now, or held it last.' })
  custodian!: ChainPartyRefObject | null;
  @Field(() => ID, { nullable: true }) siteId!: string | null;
  @Field(() => ID, { nullable: true, description: 'The manifest it travels or travelled on.' }) manifestId!:
    string | null;
  @Field(() => Date, { nullable: true }) generatedAt!: Date | null;
  @Field(() => Date, { nullable: true }) endedAt!: Date | null;
  @Field(() => Boolean, { nullable: true }) emergency!: boolean | null;
  @Field(() => Boolean, { nullable: true }) disputed!: boolean | null;
  @Field(() => [CustodyEventObject], { description: 'Its acts, oldest first; none when redacted.' })
  events!: CustodyEventObject[];
}

@ObjectType('CustodyEdge', { description: 'Mass that went from one lot into another.' })
export class CustodyEdgeObject {
  @Field(() => ID, { description: 'The parent (source) lot.' }) fromLotId!: string;
  @Field(() => ID, { description: 'The child lot.' }) toLotId!: string;
  @Field(() => LineageKindEnum) kind!: string;
  @Field(() => MassScalar, { description: 'Grams carried (0 for a residue: new waste, not the same grams).' })
  mass!: number;
  @Field() at!: Date;
}

@ObjectType('CustodyChainOutcome', {
  description: 'Where part of the asked lot’s mass ended (forward chains).',
})
export class CustodyChainOutcomeObject {
  @Field(() => FateKindEnum) kind!: FateKind;
  @Field(() => ID) lotId!: string;
  @Field(() => MassScalar) mass!: number;
}

@ObjectType('CustodyChain', {
  description:
    '溯源链 — lots and the mass that went between them (consolidations, splits, residues, rejected parts), with each lot’s custody events.',
})
export class CustodyChainObject {
  @Field(() => [ID], { description: 'The asked lots (a manifest: its lots).' }) rootLotIds!: string[];
  @Field(() => ChainDirectionEnum) direction!: ChainDirection;
  @Field(() => Int) nodeCount!: number;
  @Field(() => Int) edgeCount!: number;
  @Field(() => Int, { description: 'Nodes outside your scope, shown redacted.' }) redactedCount!: number;
  @Field(() => [ID], { description: 'Lots no other lot of the chain feeds (the sources, going backward).' })
  sourceLotIds!: string[];
  @Field(() => MassScalar, { description: 'Sum of the sources’ initial masses.' }) sourceMass!: number;
  @Field(() => [CustodyNodeObject]) nodes!: CustodyNodeObject[];
  @Field(() => [CustodyEdgeObject]) edges!: CustodyEdgeObject[];
  @Field(() => [CustodyChainOutcomeObject], {
    description:
      '最终去向 of the asked lot, gram-exact, when one lot is walked FORWARD or BOTH (empty otherwise); see also `lotFate`.',
  })
  outcomes!: CustodyChainOutcomeObject[];
}
