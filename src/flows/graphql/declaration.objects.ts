import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ManagementClassEnum } from '../../parties/graphql/party.enums';
import { Connection } from '../../shared/graphql/pagination';
import { LocalDateScalar, MassScalar } from '../../shared/graphql/scalars';
import type { DeclarationKind } from '../domain/reporting-periods';
import { AGENT, IDEM, KEY } from './plan.inputs';

const asEnum = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
const DECLARATION_KINDS = ['MONTHLY', 'QUARTERLY', 'ANNUAL', 'OPERATION_REPORT'] as const;
export const DeclarationKindEnum = asEnum(DECLARATION_KINDS);
export const FilingKindEnum = asEnum(['PLAN', ...DECLARATION_KINDS] as const);
export const FilingStatusEnum = asEnum([
  'NOT_OWED',
  'PERIOD_OPEN',
  'DUE',
  'OVERDUE',
  'SUBMITTED',
  'SUBMITTED_LATE',
] as const);
registerEnumType(DeclarationKindEnum, {
  name: 'DeclarationKind',
  description:
    '申报周期 — MONTHLY 月度 (KEY), QUARTERLY 季度 (SIMPLIFIED), ANNUAL 年度 (every class); OPERATION_REPORT 持证单位年报 (every site named on a licence in force in the year; period `2026`, due 31 March).',
});
registerEnumType(FilingKindEnum, {
  name: 'FilingKind',
  description: 'PLAN 管理计划, or a declaration kind.',
});
registerEnumType(FilingStatusEnum, {
  name: 'FilingStatus',
  description:
    'NOT_OWED (not this class’s kind, or before the site joined), PERIOD_OPEN (the period has not ended), DUE, OVERDUE (逾期), SUBMITTED, SUBMITTED_LATE.',
});

@ObjectType('DeclarationCodeLine', {
  description:
    'One code’s figures (kg). closing = opening + importedOpening + generated + received + repackagedIn − transferredOutBooked − utilised − disposed − repackagedOut − lost, to the gram.',
})
export class DeclarationCodeLineObject {
  @Field() wasteCode!: string;
  @Field() category!: string;
  @Field(() => MassScalar, { description: '期初贮存量' }) openingGrams!: number;
  @Field(() => MassScalar, { description: '期初库存导入 (go-live)' }) importedOpeningGrams!: number;
  @Field(() => MassScalar, { description: '产生量' }) generatedGrams!: number;
  @Field(() => MassScalar, { description: '接收量 — measured and accepted' }) receivedGrams!: number;
  @Field(() => MassScalar, { description: '合并、分装转入' }) repackagedInGrams!: number;
  @Field(() => MassScalar, { description: '转移量 — declared masses on the manifests that left' })
  transferredOutGrams!: number;
  @Field(() => MassScalar, { description: 'The same lots at the mass they left the stock with' })
  transferredOutBookedGrams!: number;
  @Field(() => MassScalar, { description: '自行利用量' }) utilisedGrams!: number;
  @Field(() => MassScalar, { description: '自行处置量' }) disposedGrams!: number;
  @Field(() => MassScalar, { description: '合并、分装转出' }) repackagedOutGrams!: number;
  @Field(() => MassScalar, { description: '损失量' }) lostGrams!: number;
  @Field(() => MassScalar, { description: '期末贮存量' }) closingGrams!: number;
}

@ObjectType('DeclarationTransferOut', { description: '委外利用处置 — per code, receiver and method.' })
export class DeclarationTransferOutObject {
  @Field() wasteCode!: string;
  @Field(() => ID, { nullable: true }) receiverPartyId!: string | null;
  @Field(() => String, { nullable: true, description: '接收单位名称' }) receiverName?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Division code of the site that received (its province and city); manifests only.',
  })
  receiverDivisionCode?: string | null;
  @Field(() => [String], {
    nullable: true,
    description:
      '许可证编号 — the receiver’s licences whose items cover the code while the lots left (tables C.1–C.3 of HJ 1259-2022); null in figures frozen before this was stated.',
  })
  receiverLicenceNumbers?: string[] | null;
  @Field(() => String, { nullable: true }) method!: string | null;
  @Field({ description: 'On a manifest (else an exempt handover).' }) viaManifest!: boolean;
  @Field(() => MassScalar) declaredGrams!: number;
  @Field(() => MassScalar) bookedGrams!: number;
}

@ObjectType('DeclarationReceived', { description: '接收 — per code and sender.' })
export class DeclarationReceivedObject {
  @Field() wasteCode!: string;
  @Field(() => ID, { nullable: true }) fromPartyId!: string | null;
  @Field(() => String, { nullable: true, description: '来源单位名称' }) fromPartyName?: string | null;
  @Field() viaManifest!: boolean;
  @Field(() => MassScalar) grams!: number;
}

@ObjectType('DeclarationTreated', { description: '自行利用/处置 — per code, mode and method.' })
export class DeclarationTreatedObject {
  @Field() wasteCode!: string;
  @Field() mode!: string;
  @Field(() => String, { nullable: true }) method!: string | null;
  @Field(() => MassScalar) grams!: number;
}

@ObjectType('DeclarationLicenceLine', {
  description:
    '持证单位年报 — one item of a licence naming the site in the year: what it allows and what was used of it (accepted masses settled on the item at receipt, in the year; an item’s use spans every facility site of its licence).',
})
export class DeclarationLicenceLineObject {
  @Field(() => ID) licenceId!: string;
  @Field({ description: '许可证编号' }) licenceNumber!: string;
  @Field() licenceKind!: string;
  @Field(() => LocalDateScalar) validFrom!: string;
  @Field(() => LocalDateScalar) validTo!: string;
  @Field(() => ID) itemId!: string;
  @Field({ description: 'A waste code, or a category (HW08) covering its codes.' }) scope!: string;
  @Field(() => [String], { description: '经营方式 — COLLECT, STORE, UTILISE, DISPOSE.' }) modes!: string[];
  @Field(() => MassScalar, { description: '年经营规模 — annual capacity' }) capacityGrams!: number;
  @Field(() => MassScalar, { description: 'Accepted at receipt and booked on the item in the year' })
  settledGrams!: number;
  @Field(() => Int, {
    description: 'settled ÷ capacity in hundredths of a percent (8750 = 87.50 %), rounded down',
  })
  usedBasisPoints!: number;
}

@ObjectType('DeclarationFigures', { description: '申报数据 — generated from the ledger book.' })
export class DeclarationFiguresObject {
  @Field(() => [DeclarationCodeLineObject]) codes!: DeclarationCodeLineObject[];
  @Field(() => DeclarationCodeLineObject, { description: 'Every code summed (wasteCode ALL).' })
  totals!: DeclarationCodeLineObject;
  @Field(() => [DeclarationTransferOutObject]) transfersOut!: DeclarationTransferOutObject[];
  @Field(() => [DeclarationReceivedObject]) received!: DeclarationReceivedObject[];
  @Field(() => [DeclarationTreatedObject]) treatedInHouse!: DeclarationTreatedObject[];
  @Field(() => [DeclarationLicenceLineObject], {
    nullable: true,
    description:
      'OPERATION_REPORT only (null for other kinds): the licence items naming the site in the year.',
  })
  licences?: DeclarationLicenceLineObject[];
}

@ObjectType('DeclarationSubmission', {
  description: 'A submission: frozen figures and their hash; later ones are corrections.',
})
export class DeclarationSubmissionObject {
  @Field(() => Int) submissionNo!: number;
  @Field(() => Int, { nullable: true }) correctsSubmissionNo!: number | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => DeclarationFiguresObject) figures!: DeclarationFiguresObject;
  @Field({ description: 'SHA-256 of the canonical JSON of the figures.' }) figuresHash!: string;
  @Field() late!: boolean;
  @Field() submittedAt!: Date;
  @Field(() => ID) partyId!: string;
  @Field(() => ID, { nullable: true }) agentPartyId!: string | null;
}

@ObjectType('DeclarationDifference', {
  description: 'A figure the ledger now gives differently from the latest submission: to review.',
})
export class DeclarationDifferenceObject {
  @Field() path!: string;
  @Field(() => MassScalar) submittedGrams!: number;
  @Field(() => MassScalar) currentGrams!: number;
}

@ObjectType('Declaration', {
  description:
    '申报 — a declaration of a site for a period, generated from the ledger: review `figures` and submit their `figuresHash`. Submissions are frozen; later ledger changes show in `differences`.',
})
export class DeclarationObject {
  @Field(() => ID) siteId!: string;
  @Field(() => ID) partyId!: string;
  @Field(() => DeclarationKindEnum) kind!: string;
  @Field({ description: '2026, 2026-03 or 2026-Q1' }) period!: string;
  @Field(() => LocalDateScalar) periodStart!: string;
  @Field(() => LocalDateScalar) periodEnd!: string;
  @Field(() => LocalDateScalar) dueDate!: string;
  @Field(() => ManagementClassEnum) managementClass!: string;
  @Field() owed!: boolean;
  @Field(() => FilingStatusEnum) status!: string;
  @Field(() => DeclarationFiguresObject) figures!: DeclarationFiguresObject;
  @Field() figuresHash!: string;
  @Field(() => [DeclarationSubmissionObject]) submissions!: DeclarationSubmissionObject[];
  @Field(() => [DeclarationDifferenceObject]) differences!: DeclarationDifferenceObject[];
}

@InputType({
  description:
    '申报提交 — submit the figures you reviewed (their hash); a second submission is a correction.',
})
export class SubmitDeclarationInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => ID) @IsString() siteId!: string;
  @Field(() => DeclarationKindEnum) @IsIn([...DECLARATION_KINDS]) kind!: DeclarationKind;
  @Field({ description: '2026, 2026-03 or 2026-Q1' }) @IsString() period!: string;
  @Field({ description: 'The `figuresHash` you reviewed.' }) @Matches(/^[0-9a-f]{64}$/) figuresHash!: string;
  @Field(() => String, { nullable: true, description: 'Required for a correction (更正申报).' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string | null;
  @Field(() => ID, AGENT) @IsOptional() @IsString() onBehalfOfPartyId?: string;
}

@ObjectType('FilingObligation', {
  description:
    'A plan, declaration or annual operation report (持证单位年报) a site owes, with its deadline and where it stands.',
})
export class FilingObligationObject {
  @Field(() => FilingKindEnum) kind!: string;
  @Field() period!: string;
  @Field(() => LocalDateScalar) periodStart!: string;
  @Field(() => LocalDateScalar) periodEnd!: string;
  @Field(() => LocalDateScalar) dueDate!: string;
  @Field({ description: '24:00 Asia/Shanghai of the due date.' }) dueAt!: Date;
  @Field(() => FilingStatusEnum) status!: string;
  @Field(() => Date, { nullable: true }) filedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'The plan’s filing number.' }) reference!:
    string | null;
  @Field(() => Int) submissions!: number;
}

@ObjectType('FilingObligations', {
  description: 'What a site owes for a year (管理计划 and 申报), and where each stands.',
})
export class FilingObligationsObject {
  @Field(() => ID) siteId!: string;
  @Field(() => ID) partyId!: string;
  @Field(() => Int) year!: number;
  @Field(() => ManagementClassEnum) managementClass!: string;
  @Field({ description: 'Go-live, else the party’s registration: periods that ended before are not owed.' })
  ledgerStartsAt!: Date;
  @Field(() => [FilingObligationObject]) obligations!: FilingObligationObject[];
}

@ObjectType('OverdueFiling', {
  description: 'An overdue plan or declaration (alerts PLAN_OVERDUE, DECLARATION_OVERDUE).',
})
export class OverdueFilingObject {
  @Field(() => ID) alertId!: string;
  @Field() rule!: string;
  @Field(() => ID) siteId!: string;
  @Field(() => ID, { nullable: true }) partyId!: string | null;
  @Field(() => FilingKindEnum) kind!: string;
  @Field() period!: string;
  @Field(() => LocalDateScalar) dueDate!: string;
  @Field() raisedAt!: Date;
  @Field({ description: 'Still not filed (false: filed late since).' }) outstanding!: boolean;
}

@ObjectType('OverdueFilingConnection')
export class OverdueFilingConnection extends Connection(OverdueFilingObject, 'OverdueFiling') {}
