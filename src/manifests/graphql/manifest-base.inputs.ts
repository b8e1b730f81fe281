/** What every manifest act input carries: the retry key, the agent, the business time. */
import { Field, ID, InputType } from '@nestjs/graphql';

import { IsDate, IsOptional, IsString, Matches } from 'class-validator';

export const KEY = {
  description: 'Retry key, scoped to you: a retry with the same key returns the first result.',
};
export const IDEM = /^[\w.:@/-]{1,128}$/;
export const BASEL = /^(D([1-9]|1[0-5])|R([1-9]|1[0-3]))$/;
export const AGENT = {
  nullable: true,
  description: '代理 — an agent (e.g. a collector) acting for the consignor that delegated MANIFESTS to it.',
};
export const ON_SITE = {
  nullable: true,
  description: 'Business time: when it happened on site (default: now). Instants are stored in UTC.',
};

/** The retry key and, for the consignor's acts, the agent's principal. */
@InputType({ isAbstract: true })
export abstract class ManifestActInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => ID, AGENT) @IsOptional() @IsString() onBehalfOfPartyId?: string;
}

/** The retry key and the business time of an act on site. */
@InputType({ isAbstract: true })
export abstract class OnSiteActInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(ON_SITE) @IsOptional() @IsDate() occurredAt?: Date;
}
