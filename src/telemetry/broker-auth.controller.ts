import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { BrokerAuthService } from './broker-auth.service';

type Reply = { code(status: number): unknown };
type Fields = Record<string, unknown> | undefined;

/**
 * HTTP endpoints an MQTT broker calls to authenticate devices and check their topics (JSON
 * bodies). Two dialects, because the two brokers read answers differently:
 * - mosquitto-go-auth's HTTP backend (`auth_opt_http_params_mode json`, response mode `status`
 *   or `json`): `POST /mqtt/auth/user`, `/mqtt/auth/superuser`, `/mqtt/auth/acl`; 200 with
 *   `{"ok": true}` allows, 403 with `{"ok": false, "error": …}` denies;
 * - EMQX 5 HTTP authentication and authorization: `POST /mqtt/emqx/authn`, `/mqtt/emqx/authz`;
 *   always 200 with `{"result": "allow" | "deny"}` (EMQX reads a 4xx as "ignore").
 * Nobody is a superuser. These routes are for the broker: expose them only on its network.
 */
@Controller('mqtt')
export class BrokerAuthController {
  constructor(private readonly auth: BrokerAuthService) {}

  private static goAuth(ok: boolean, reply: Reply, error: string) {
    if (!ok) reply.code(403);
    return ok ? { ok: true, error: '' } : { ok: false, error };
  }

  @Post('auth/user')
  @HttpCode(200)
  async user(@Body() body: Fields, @Res({ passthrough: true }) reply: Reply) {
    const ok = await this.auth.authenticate(body?.username, body?.password);
    return BrokerAuthController.goAuth(ok, reply, 'unknown or revoked device key');
  }

  @Post('auth/superuser')
  @HttpCode(200)
  superuser(@Res({ passthrough: true }) reply: Reply) {
    return BrokerAuthController.goAuth(false, reply, 'no superusers');
  }

  @Post('auth/acl')
  @HttpCode(200)
  async acl(@Body() body: Fields, @Res({ passthrough: true }) reply: Reply) {
    const ok = await this.auth.authorize(
      body?.username,
      body?.topic,
      BrokerAuthService.accessOfAcc(body?.acc),
    );
    return BrokerAuthController.goAuth(ok, reply, 'topic not allowed');
  }

  @Post('emqx/authn')
  @HttpCode(200)
  async emqxAuthn(@Body() body: Fields) {
    const ok = await this.auth.authenticate(body?.username, body?.password);
    return { result: ok ? 'allow' : 'deny', is_superuser: false };
  }

  @Post('emqx/authz')
  @HttpCode(200)
  async emqxAuthz(@Body() body: Fields) {
    const ok = await this.auth.authorize(
      body?.username,
      body?.topic,
      BrokerAuthService.accessOfAction(body?.action),
    );
    return { result: ok ? 'allow' : 'deny' };
  }
}
