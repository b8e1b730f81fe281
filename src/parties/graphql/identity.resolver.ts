import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { DataSource } from 'typeorm';
import { CurrentPrincipal } from '../../shared/auth/current-principal.decorator';
import type { Principal } from '../../shared/auth/principal';
import { DomainError } from '../../shared/domain/domain-error';
import { IdentityService } from '../identity.service';
import { PartyReadService } from '../party-read.service';
import {
  AuthPayloadObject,
  ChangePasswordInput,
  ExchangeDeviceKeyInput,
  LoginInput,
  MeObject,
  RefreshTokenInput,
} from './identity.types';

interface GqlContext {
  req: { ip?: string };
}

@Resolver()
export class IdentityResolver {
  constructor(
    private readonly identity: IdentityService,
    private readonly read: PartyReadService,
    private readonly db: DataSource,
  ) {}

  @Mutation(() => AuthPayloadObject, {
    description: 'Sign in. Failed attempts are rate-limited per account and per address.',
  })
  async login(@Args('input') input: LoginInput, @Context() ctx: GqlContext): Promise<AuthPayloadObject> {
    const s = await this.identity.login(input.username, input.password, ctx.req.ip ?? 'unknown');
    return { ...s, me: await this.meOf(s.principal) };
  }

  @Mutation(() => AuthPayloadObject, {
    description:
      'Exchange a refresh token for a new pair (rotation). Reusing an old one revokes the sign-in.',
  })
  async refreshToken(@Args('input') input: RefreshTokenInput): Promise<AuthPayloadObject> {
    const s = await this.identity.refresh(input.refreshToken);
    return { ...s, me: await this.meOf(s.principal) };
  }

  @Mutation(() => Boolean, { description: 'Revoke a refresh token and every token of its sign-in.' })
  logout(@Args('input') input: RefreshTokenInput): Promise<boolean> {
    return this.identity.logout(input.refreshToken);
  }

  @Mutation(() => AuthPayloadObject, {
    description: 'A device (scanner, GPS unit, weighbridge) exchanges its API key for a short-lived token.',
  })
  async exchangeDeviceKey(
    @Args('input') input: ExchangeDeviceKeyInput,
    @Context() ctx: GqlContext,
  ): Promise<AuthPayloadObject> {
    const s = await this.identity.exchangeDeviceKey(input.apiKey, ctx.req.ip ?? 'unknown');
    return { ...s, refreshToken: null, refreshTokenExpiresAt: null, me: await this.meOf(s.principal) };
  }

  @Mutation(() => Boolean, { description: 'Change your password; every refresh token of yours is revoked.' })
  async changePassword(
    @Args('input') input: ChangePasswordInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ): Promise<boolean> {
    const p = await who;
    if (p.kind !== 'USER') throw new DomainError('FORBIDDEN', 'devices have no password');
    return this.identity.changePassword(p.userId, input.currentPassword, input.newPassword);
  }

  @Query(() => MeObject, { description: 'Who you are signed in as.' })
  async me(@CurrentPrincipal() who: Promise<Principal>): Promise<MeObject> {
    return this.meOf(await who);
  }

  private async meOf(p: Principal): Promise<MeObject> {
    if (p.kind === 'ANONYMOUS') throw new DomainError('UNAUTHENTICATED', 'sign in first');
    if (p.kind === 'DEVICE') {
      return {
        kind: 'DEVICE',
        id: p.deviceId,
        role: 'DEVICE',
        username: null,
        displayName: null,
        party: await this.read.party(p.partyId),
        agency: null,
        operations: p.operations,
      };
    }
    const [u] = await this.db.query<{ username: string; display_name: string }[]>(
      `SELECT username, display_name FROM user_account WHERE user_id = $1`,
      [p.userId],
    );
    return {
      kind: 'USER',
      id: p.userId,
      role: p.role,
      username: u?.username ?? null,
      displayName: u?.display_name ?? null,
      party: p.partyId ? await this.read.party(p.partyId) : null,
      agency: p.agency ? ((await this.read.agency(p.agency.agencyId)) ?? null) : null,
      operations: [],
    };
  }
}
