import { Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Env } from '../config/env';
import { mqttTopics, SUBMIT_READINGS } from './telemetry-settings';

const sha256 = (s: string) => createHash('sha256').update(s).digest();
/** The device API key format of `IdentityService.newDeviceKey`: `hzd_<deviceId>.<secret>`. */
const DEVICE_KEY = /^hzd_([0-9a-f-]{36})\.([\w-]{20,100})$/;

export type BrokerAccess = 'READ' | 'WRITE' | 'SUBSCRIBE';

/** Who a broker connection is: a device (by its key id), the API's own account, or nobody. */
type BrokerIdentity = { kind: 'DEVICE'; deviceId: string } | { kind: 'SERVICE' } | { kind: 'NONE' };

/**
 * 物联网接入鉴权 — what an MQTT broker (Mosquitto with mosquitto-go-auth, or EMQX) asks over HTTP:
 * may this client connect, may it publish or subscribe to this topic. A device connects with its
 * key id (its device id, or `hzd_<deviceId>`) as username and its API key as password, checked
 * like `exchangeDeviceKey` does (SHA-256 of the secret, compared in constant time; the device
 * active and its key listing `submitReadings`). It may publish only to its own readings topic and
 * read only its own acknowledgements. The API's own account (MQTT_USERNAME / MQTT_PASSWORD) may
 * read every device's readings and publish acknowledgements.
 */
@Injectable()
export class BrokerAuthService {
  constructor(
    private readonly db: DataSource,
    private readonly env: Env,
  ) {}

  async authenticate(username: unknown, password: unknown): Promise<boolean> {
    if (typeof username !== 'string' || typeof password !== 'string') return false;
    if (this.isService(username)) {
      return timingSafeEqual(sha256(password), sha256(this.env.MQTT_PASSWORD ?? ''));
    }
    const m = DEVICE_KEY.exec(password);
    const deviceId = this.deviceIdOf(username);
    const [cred] =
      m && deviceId === m[1]
        ? await this.db.query<{ key_hash: Buffer; status: string; operations: string[] }[]>(
            `SELECT c.key_hash, d.status, d.operations FROM device_credential c JOIN device d ON d.device_id = c.device_id
              WHERE c.device_id = $1`,
            [m[1]],
          )
        : [];
    const given = m ? sha256(m[2]) : Buffer.alloc(32);
    const matches = cred
      ? timingSafeEqual(cred.key_hash, given)
      : timingSafeEqual(given, Buffer.alloc(32, 1));
    return !!cred && matches && cred.status === 'ACTIVE' && cred.operations.includes(SUBMIT_READINGS);
  }

  /** May `username` (already authenticated by the broker) read, write or subscribe to `topic`? */
  async authorize(username: unknown, topic: unknown, access: BrokerAccess | null): Promise<boolean> {
    if (typeof username !== 'string' || typeof topic !== 'string' || access === null) return false;
    const t = mqttTopics(this.env);
    const who = await this.identify(username);
    const bare = topic.replace(/^\$share\/[^/]+\//, '');
    if (who.kind === 'SERVICE') {
      if (access === 'WRITE') return /^[^/+#]+\/acks$/.test(this.below(t.prefix, bare) ?? '');
      return bare === `${t.prefix}/+/readings` || t.deviceOf(bare) !== null;
    }
    if (who.kind === 'DEVICE') {
      if (topic !== bare) return false;
      return access === 'WRITE' ? topic === t.readings(who.deviceId) : topic === t.acks(who.deviceId);
    }
    return false;
  }

  /** mosquitto-go-auth's `acc`: 1 read, 2 write, 3 read and write, 4 subscribe. */
  static accessOfAcc(acc: unknown): BrokerAccess | null {
    const n = typeof acc === 'string' ? Number(acc) : acc;
    return n === 1 ? 'READ' : n === 2 ? 'WRITE' : n === 4 ? 'SUBSCRIBE' : null;
  }

  /** EMQX's `action`: publish or subscribe. */
  static accessOfAction(action: unknown): BrokerAccess | null {
    return action === 'publish' ? 'WRITE' : action === 'subscribe' ? 'SUBSCRIBE' : null;
  }

  private isService(username: string): boolean {
    return !!this.env.MQTT_USERNAME && !!this.env.MQTT_PASSWORD && username === this.env.MQTT_USERNAME;
  }

  private deviceIdOf(username: string): string | null {
    const m = /^(?:hzd_)?([0-9a-f-]{36})$/.exec(username);
    return m ? m[1] : null;
  }

  private below(prefix: string, topic: string): string | null {
    return topic.startsWith(`${prefix}/`) ? topic.slice(prefix.length + 1) : null;
  }

  private async identify(username: string): Promise<BrokerIdentity> {
    if (this.isService(username)) return { kind: 'SERVICE' };
    const deviceId = this.deviceIdOf(username);
    if (!deviceId) return { kind: 'NONE' };
    const [d] = await this.db.query<{ status: string; operations: string[] }[]>(
      `SELECT status, operations FROM device WHERE device_id = $1`,
      [deviceId],
    );
    return d && d.status === 'ACTIVE' && d.operations.includes(SUBMIT_READINGS)
      ? { kind: 'DEVICE', deviceId }
      : { kind: 'NONE' };
  }
}
