import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CheckpointService } from '../../src/ledger/checkpoints/checkpoint.service';
import { EventRegistry } from '../../src/ledger/event-registry';
import { LedgerService } from '../../src/ledger/ledger.service';
import type { Projection } from '../../src/ledger/projections/projection';
import type { Actor } from '../../src/shared/domain/actor';

export const TEST_STREAM = 'test-note';
export const TEST_EVENTS = ['NoteWritten', 'NoteAmended'] as const;

/** A read model for the test stream type: one row per note with its text and version. */
export const noteProjection: Projection = {
  name: 'test-notes',
  tables: ['test_note_view'],
  eventTypes: TEST_EVENTS,
  async apply(sql, e) {
    const text = (e.data as { text?: string }).text ?? '';
    await sql.exec(
      `INSERT INTO test_note_view (stream_id, text, version, updated_position) VALUES ($1, $2, $3, $4)
       ON CONFLICT (stream_id) DO UPDATE SET text = excluded.text, version = excluded.version, updated_position = excluded.updated_position`,
      [e.streamId, text, e.version, e.position],
    );
  },
};

/** Registers the test stream type and projection on a running app (its table is created by the caller). */
export async function useTestStreams(
  app: NestFastifyApplication,
  owner: { query(sql: string): Promise<unknown> },
) {
  await owner.query(`CREATE TABLE IF NOT EXISTS test_note_view (stream_id text PRIMARY KEY, text text NOT NULL, version int NOT NULL,
                     updated_position bigint NOT NULL);
                     GRANT SELECT, INSERT, UPDATE ON test_note_view TO hazledger_app`);
  app.get(EventRegistry).register(TEST_STREAM, TEST_EVENTS);
  const ledger = app.get(LedgerService);
  ledger.projections.register(noteProjection);
  return { ledger, checkpoints: app.get(CheckpointService) };
}

export const testActor = (n = 1): Actor => ({ kind: 'USER', userId: `user-${n}`, partyId: `party-${n}` });

/** Appends NoteWritten to a fresh stream. */
export function writeNote(
  ledger: LedgerService,
  streamId: string,
  text: string,
  extra: { idempotencyKey?: string; actor?: Actor } = {},
) {
  return ledger.execute(
    {
      act: 'writeNote',
      actor: extra.actor ?? testActor(),
      idempotencyKey: extra.idempotencyKey,
      request: { streamId, text },
    },
    async (tx) => {
      const [e] = await tx.append(streamId, TEST_STREAM, 0, [{ type: 'NoteWritten', data: { text } }]);
      return { position: e.position, version: e.version, commandId: tx.commandId };
    },
  );
}

/** Appends NoteAmended at an expected version given by the caller (no read). */
export function amendNote(
  ledger: LedgerService,
  streamId: string,
  expectedVersion: number,
  text: string,
  extra: { occurredAt?: Date; offline?: boolean } = {},
) {
  return ledger.execute(
    {
      act: 'amendNote',
      actor: testActor(),
      request: { streamId, text },
      occurredAt: extra.occurredAt,
      offline: extra.offline,
    },
    async (tx) => {
      const [e] = await tx.append(streamId, TEST_STREAM, expectedVersion, [
        { type: 'NoteAmended', data: { text } },
      ]);
      return { position: e.position, version: e.version };
    },
  );
}
