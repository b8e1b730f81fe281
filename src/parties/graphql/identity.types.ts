import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { AgencyObject, PartyObject } from './party.types';

@InputType()
export class LoginInput {
  @Field() @IsString() @MinLength(1) @MaxLength(64) username!: string;
  @Field() @IsString() @MinLength(1) @MaxLength(128) password!: string;
}

@InputType()
export class RefreshTokenInput {
  @Field() @IsString() @MinLength(20) @MaxLength(200) refreshToken!: string;
}

@InputType()
export class ExchangeDeviceKeyInput {
  @Field({ description: 'The device API key shown once at registration.' })
  @IsString()
  @MaxLength(200)
  apiKey!: string;
}

@InputType()
export class ChangePasswordInput {
  @Field() @IsString() @MaxLength(128) currentPassword!: string;
  @Field({ description: 'At least 8 characters with a letter and a digit.' })
  @Matches(/^(?=.*[A-Za-z])(?=.*\d).{8,128}$/, {
    message: 'must have 8 or more characters with a letter and a digit',
  })
  newPassword!: string;
}

@ObjectType('Me', {
  description: 'The caller: a user of a party or agency, the system administrator, or a device.',
})
export class MeObject {
  @Field({ description: 'USER or DEVICE.' }) kind!: string;
  @Field(() => ID) id!: string;
  @Field({ description: 'ADMIN, OPERATOR, DRIVER, VIEWER, REGULATOR, INSPECTOR, SYSTEM_ADMIN or DEVICE.' })
  role!: string;
  @Field(() => String, { nullable: true }) username!: string | null;
  @Field(() => String, { nullable: true }) displayName!: string | null;
  @Field(() => PartyObject, { nullable: true }) party!: PartyObject | null;
  @Field(() => AgencyObject, { nullable: true }) agency!: AgencyObject | null;
  @Field(() => [String], { description: 'For devices: the operations their key allows.' })
  operations!: string[];
}

@ObjectType('AuthPayload', {
  description: 'A signed-in session: send `Authorization: Bearer <accessToken>`.',
})
export class AuthPayloadObject {
  @Field() accessToken!: string;
  @Field() accessTokenExpiresAt!: Date;
  @Field(() => String, {
    nullable: true,
    description: 'Rotating: use it once with refreshToken to get a new pair.',
  })
  refreshToken!: string | null;
  @Field(() => Date, { nullable: true }) refreshTokenExpiresAt!: Date | null;
  @Field(() => MeObject) me!: MeObject;
}
