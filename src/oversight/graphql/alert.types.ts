import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Connection } from '../../shared/graphql/pagination';
import { JsonScalar, LongScalar } from '../../shared/graphql/scalars';

@ObjectType('Alert', {
  description: '预警 — an alert raised through the ledger, once per (rule, subject, period).',
})
export class AlertObject {
  @Field(() => ID) id!: string;
  @Field({
    description: 'The rule that raised it, e.g. STORAGE_SPOT_OVER_3T, MASS_DISCREPANCY, RECEIPT_LATE.',
  })
  rule!: string;
  @Field() subjectType!: string;
  @Field() subjectId!: string;
  @Field({ description: 'What makes a repeat a new alert (a date, a deadline, a year…).' }) period!: string;
  @Field({ description: 'INFO, WARNING or CRITICAL.' }) severity!: string;
  @Field(() => String, { nullable: true, description: 'Division code of the site concerned.' }) region!:
    string | null;
  @Field(() => JsonScalar, { description: 'The facts that justify it.' }) evidence!: unknown;
  @Field() raisedAt!: Date;
  @Field(() => LongScalar, { description: 'Global ledger position of the AlertRaised event.' })
  position!: number;
  @Field({ description: 'OPEN or ACKNOWLEDGED.' }) status!: string;
  @Field(() => Date, { nullable: true }) acknowledgedAt!: Date | null;
  @Field(() => String, { nullable: true }) acknowledgementNote!: string | null;
  @Field(() => [ID], { description: 'Parties the alert names (they may see it).' }) partyIds!: string[];
}

@ObjectType('AlertConnection')
export class AlertConnection extends Connection(AlertObject, 'Alert') {}

@InputType({ description: 'Filter for alerts; all given conditions must hold.' })
export class AlertFilterInput {
  @Field({ nullable: true }) @IsOptional() @Matches(/^[A-Z0-9_]{2,64}$/) rule?: string;
  @Field({ nullable: true }) @IsOptional() @IsIn(['INFO', 'WARNING', 'CRITICAL']) severity?: string;
  @Field({ nullable: true }) @IsOptional() @IsIn(['OPEN', 'ACKNOWLEDGED']) status?: string;
  @Field({ nullable: true, description: 'Division-code prefix, e.g. "4101".' })
  @IsOptional()
  @Matches(/^\d{2,6}$/)
  regionPrefix?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(64) subjectType?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) subjectId?: string;
  @Field({ nullable: true }) @IsOptional() from?: Date;
  @Field({ nullable: true }) @IsOptional() to?: Date;
}

@InputType()
export class AcknowledgeAlertInput {
  @Field({ description: 'Retry key, scoped to you.' }) @Matches(/^[\w.:@/-]{1,128}$/) idempotencyKey!: string;
  @Field(() => ID) @IsString() alertId!: string;
  @Field({ description: 'What was done or decided.' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  note!: string;
}

@ObjectType('AlertStats')
export class AlertStatsObject {
  @Field(() => Int) open!: number;
  @Field(() => Int) acknowledged!: number;
}
