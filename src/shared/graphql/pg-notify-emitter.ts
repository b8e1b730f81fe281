import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import mqemitter from 'mqemitter';
import { Client } from 'pg';
import { Env } from '../../config/env';
import { NOTIFY_CHANNEL } from '../../ledger/notifications';

type Message = { topic: string; payload?: unknown } & Record<string, unknown>;
type Listener = (message: Message, done: () => void) => void;

/**
 * The emitter behind GraphQL subscriptions, shared by every API process through PostgreSQL
 * LISTEN/NOTIFY (Mercurius' default emitter lives in one process's memory). Ledger transactions
 * publish with `pg_notify` inside the transaction, so a notification leaves only at commit.
 * Each process listens on its own connection, reconnects with backoff, and after a reconnection
 * asks the registered catch-up sources for what it may have missed. Payloads carry ids, not
 * documents (NOTIFY is limited to 8000 bytes).
 */
@Injectable()
export class PgNotifyEmitter implements OnApplicationShutdown {
  private readonly log = new Logger('Notifications');
  private readonly local = mqemitter({ concurrency: 100 });
  private client?: Client;
  private stopped = false;
  private connecting?: Promise<void>;
  private readonly catchUps: ((emit: (m: Message) => void) => Promise<void>)[] = [];
  private everConnected = false;

  constructor(private readonly env: Env) {}

  /** mqemitter interface, as Mercurius' PubSub uses it. */
  on(topic: string, listener: Listener, done?: () => void): this {
    this.local.on(topic, listener, done);
    void this.ensureListening();
    return this;
  }

  removeListener(topic: string, listener: Listener, done?: () => void): void {
    this.local.removeListener(topic, listener, done);
  }

  /** Publishing from outside a ledger transaction (within one, use `tx.notify`). */
  emit(message: Message, callback?: (error?: Error) => void): void {
    const text = JSON.stringify(message);
    if (Buffer.byteLength(text) >= 8000) {
      callback?.(new Error('notification payload over 8000 bytes: send ids, not documents'));
      return;
    }
    this.ensureListening()
      .then(() => this.client!.query('SELECT pg_notify($1, $2)', [NOTIFY_CHANNEL, text]))
      .then(
        () => callback?.(),
        (e: Error) => callback?.(e),
      );
  }

  close(callback: () => void): void {
    this.local.close(callback);
  }

  /** A source of missed messages to replay after a reconnection (e.g. alerts raised meanwhile). */
  onReconnect(catchUp: (emit: (m: Message) => void) => Promise<void>): void {
    this.catchUps.push(catchUp);
  }

  /** Connects and LISTENs (once); safe to call often. */
  ensureListening(): Promise<void> {
    if (this.client || this.stopped) return Promise.resolve();
    this.connecting ??= this.connect(0).finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(attempt: number): Promise<void> {
    const client = new Client({
      connectionString: this.env.DATABASE_URL,
      application_name: 'hazledger-listen',
    });
    client.on('notification', (n) => {
      if (n.channel !== NOTIFY_CHANNEL || !n.payload) return;
      try {
        this.local.emit(JSON.parse(n.payload) as Message);
      } catch (e) {
        this.log.warn({ err: e }, 'ignored a malformed notification');
      }
    });
    client.on('error', (e) => {
      this.log.warn({ err: e }, 'notification connection lost; reconnecting');
      this.client = undefined;
      client.end().catch(() => undefined);
      if (!this.stopped) setTimeout(() => void this.ensureListening(), 500).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
      this.client = client;
      if (this.everConnected) await this.catchUp();
      this.everConnected = true;
    } catch (e) {
      await client.end().catch(() => undefined);
      if (this.stopped) return;
      const delay = Math.min(10_000, 200 * 2 ** attempt);
      this.log.warn({ err: e }, `cannot listen for notifications; retrying in ${delay} ms`);
      await new Promise((r) => setTimeout(r, delay).unref());
      return this.connect(attempt + 1);
    }
  }

  private async catchUp(): Promise<void> {
    for (const c of this.catchUps) {
      await c((m) => this.local.emit(m)).catch((e: unknown) =>
        this.log.warn({ err: e }, 'catch-up after reconnection failed'),
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }
}
