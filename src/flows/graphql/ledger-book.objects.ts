import { ArgsType, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsOptional, IsString } from 'class-validator';
import { Connection, PageArgs } from '../../shared/graphql/pagination';
import { LocalDateScalar, MassScalar } from '../../shared/graphql/scalars';
import { ENTRY_KINDS } from '../domain/ledger-book';

const asEnum = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
export const BookEntryKindEnum = asEnum(ENTRY_KINDS);
export const BookDirectionEnum = asEnum(['IN', 'OUT', 'NONE'] as const);
registerEnumType(BookEntryKindEnum, {
  name: 'LedgerBookEntryKind',
  description:
    '台账记录类型 — OPENING_STOCK 期初库存 (go-live), GENERATED 产生, STORED_IN 入库, STORED_OUT 出库, SENT_OUT 转移出厂 (manifest or exempt handover), RECEIVED 接收, CONSOLIDATED_OUT / CONSOLIDATED_IN 合并, SPLIT_OUT / SPLIT_IN 分装, UTILISED 自行利用, DISPOSED 自行处置, LOST 损失.',
});
registerEnumType(BookDirectionEnum, {
  name: 'LedgerBookDirection',
  description:
    'IN adds to the site’s stock of the code, OUT takes from it, NONE moves between its facilities.',
});

@ObjectType('LedgerBookEntry', { description: '台账记录 — one movement of one lot at the site.' })
export class LedgerBookEntryObject {
  @Field(() => ID, { description: '<ledger position>:<n>' }) id!: string;
  @Field({ description: 'Business time.' }) at!: Date;
  @Field() recordedAt!: Date;
  @Field(() => BookEntryKindEnum) kind!: string;
  @Field(() => BookDirectionEnum) direction!: string;
  @Field(() => ID) lotId!: string;
  @Field(() => ID, {
    nullable: true,
    description: 'The lot on the other side of a consolidation, split or residue.',
  })
  relatedLotId!: string | null;
  @Field({ description: '标签编码' }) labelCode!: string;
  @Field({ description: '产生批次编码' }) batchCode!: string;
  @Field() wasteCode!: string;
  @Field() category!: string;
  @Field(() => MassScalar) mass!: number;
  @Field(() => ID, { nullable: true }) facilityId!: string | null;
  @Field(() => String, { nullable: true }) facilityName!: string | null;
  @Field(() => ID, { nullable: true, description: 'Receiver of a transfer, sender of a receipt.' })
  counterpartyPartyId!: string | null;
  @Field(() => String, { nullable: true }) counterpartyName!: string | null;
  @Field(() => ID, { nullable: true }) manifestId!: string | null;
  @Field(() => String, { nullable: true, description: '转移联单编号 (HazLedger number).' }) manifestNumber!:
    string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Basel D/R code (treatment, or the manifest’s method).',
  })
  method!: string | null;
  @Field({ description: 'Moved without a manifest under an exemption (豁免).' }) exempt!: boolean;
  @Field({ description: 'Brought in by the go-live import.' }) imported!: boolean;
}

@ObjectType('LedgerBookEntryConnection')
export class LedgerBookEntryConnection extends Connection(LedgerBookEntryObject, 'LedgerBookEntry') {}

@ObjectType('LedgerBookBalance', {
  description: '期初/期末 — stock of one code: closing = opening + ins − outs, to the gram.',
})
export class LedgerBookBalanceObject {
  @Field() wasteCode!: string;
  @Field() category!: string;
  @Field(() => MassScalar) opening!: number;
  @Field(() => MassScalar) ins!: number;
  @Field(() => MassScalar) outs!: number;
  @Field(() => MassScalar) closing!: number;
}

@ObjectType('LedgerBook', {
  description:
    '管理台账 — a site’s ledger book for a period of business dates (Asia/Shanghai): balances per code and the entries, all projected from the lot events.',
})
export class LedgerBookObject {
  @Field(() => ID) siteId!: string;
  @Field(() => LocalDateScalar) from!: string;
  @Field(() => LocalDateScalar) to!: string;
  @Field(() => [LedgerBookBalanceObject]) balances!: LedgerBookBalanceObject[];
  @Field({ description: 'GET this path with your bearer token for the period as CSV (UTF-8 with BOM).' })
  csvPath!: string;
}

@ArgsType()
export class LedgerBookEntriesArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only this waste code.' })
  @IsOptional()
  @IsString()
  wasteCode?: string;
}
