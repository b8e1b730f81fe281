import { Global, Module } from '@nestjs/common';
import { PrincipalService } from './principal.service';
import { TokenService } from './token.service';

/** Tokens and principal resolution for every module; the guard itself is registered by the API module. */
@Global()
@Module({ providers: [TokenService, PrincipalService], exports: [TokenService, PrincipalService] })
export class AuthModule {}
