import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { connect, type IPublishPacket, type MqttClient } from 'mqtt';
import { randomUUID } from 'node:crypto';
import { Env } from '../config/env';
import { isDomainError } from '../shared/domain/domain-error';
import { ReadingIngestionService } from './reading-ingestion.service';
import { mqttTopics } from './telemetry-settings';

/** A denied subscription (MQTT SUBACK return code 0x80). */
const SUBSCRIPTION_REFUSED = 128;

/**
 * 物联网接入 (MQTT) — with MQTT_URL set, the API subscribes (QoS 1, as a shared subscription when
 * MQTT_SHARE_GROUP is set, so that each message reaches one API process) to
 * `<prefix>/+/readings`, ingests each payload as a batch of the device named by the topic, and
 * answers on `<prefix>/<deviceId>/acks` with the counts (or with a retryable error: the device
 * keeps the batch and sends it again with the same `batchId`). Messages are handled one at a
 * time and acknowledged to the broker only once processed.
 */
@Injectable()
export class MqttIngestionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('TelemetryMqtt');
  private client?: MqttClient;
  private ready?: Promise<void>;
  private subscribed = false;

  constructor(
    private readonly ingestion: ReadingIngestionService,
    private readonly env: Env,
  ) {}

  onApplicationBootstrap(): void {
    if (this.env.MQTT_URL) this.start(this.env.MQTT_URL);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.endAsync().catch(() => undefined);
  }

  /** For monitoring (`GET /health/mqtt`): configured, connected to the broker, readings subscription granted. */
  status(): { configured: boolean; connected: boolean; subscribed: boolean } {
    return {
      configured: this.env.MQTT_URL !== undefined,
      connected: this.client?.connected ?? false,
      subscribed: this.subscribed && (this.client?.connected ?? false),
    };
  }

  /** Resolves once the readings subscription is granted (for tests and readiness). */
  whenSubscribed(): Promise<void> {
    return this.ready ?? Promise.reject(new Error('MQTT is not configured (MQTT_URL)'));
  }

  private start(url: string): void {
    const topics = mqttTopics(this.env);
    const client = connect(url, {
      clientId: `hazledger-api-${randomUUID()}`,
      username: this.env.MQTT_USERNAME,
      password: this.env.MQTT_PASSWORD,
      clean: true,
      reconnectPeriod: 2000,
      connectTimeout: 10_000,
    });
    this.client = client;
    // one message at a time; the broker gets its PUBACK when `done` is called, after processing
    client.handleMessage = (packet: IPublishPacket, done: (err?: Error) => void) => {
      this.handle(packet.topic, packet.payload).then(
        () => done(),
        (e: unknown) => {
          this.log.error({ err: e }, 'an MQTT message could not be handled');
          done();
        },
      );
    };
    this.ready = new Promise<void>((resolve) => {
      client.on('connect', () => {
        client.subscribe(topics.subscription, { qos: 1 }, (err, granted) => {
          if (err || granted?.some((g) => g.qos === SUBSCRIPTION_REFUSED)) {
            this.log.error({ err }, `the broker refused the subscription to ${topics.subscription}`);
            return;
          }
          this.log.log(`subscribed to ${topics.subscription}`);
          this.subscribed = true;
          resolve();
        });
      });
    });
    this.ready.catch(() => undefined);
    client.on('error', (e) => this.log.warn({ err: e }, 'MQTT client error'));
    client.on('offline', () => this.log.warn('MQTT broker unreachable; reconnecting'));
    // a clean session: the subscription is made again on the next connect
    client.on('close', () => (this.subscribed = false));
  }

  private async handle(topic: string, payload: Buffer | string): Promise<void> {
    const topics = mqttTopics(this.env);
    const deviceId = topics.deviceOf(topic);
    if (!deviceId) {
      this.log.warn(`ignored a message on ${topic}: not a readings topic`);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
    } catch {
      body = undefined;
    }
    let answer: Record<string, unknown>;
    try {
      answer = { ...(await this.ingestion.ingestMqtt(deviceId, body)) };
    } catch (e) {
      const batchId = (body as { batchId?: unknown } | undefined)?.batchId ?? null;
      if (isDomainError(e)) {
        answer = { batchId, error: { code: e.code, message: e.message, retryable: e.code === 'CONFLICT' } };
      } else {
        this.log.error({ err: e }, `readings of device ${deviceId} could not be stored`);
        answer = {
          batchId,
          error: {
            code: 'SERVICE_UNAVAILABLE',
            message: 'the readings could not be stored; send them again',
            retryable: true,
          },
        };
      }
    }
    // not awaited: its PUBACK comes in behind the message being handled, which holds the incoming stream
    void this.client
      ?.publishAsync(topics.acks(deviceId), JSON.stringify(answer), { qos: 1 })
      .catch((e: unknown) => {
        this.log.warn({ err: e }, `could not acknowledge a batch of device ${deviceId}`);
      });
  }
}
