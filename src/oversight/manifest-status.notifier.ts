import type { Sql } from '../database/sql';
import type { StoredEvent } from '../ledger/ledger.types';
import { NOTIFY_CHANNEL } from '../ledger/notifications';
import type { Projection } from '../ledger/projections/projection';

/** Subscription topic of a manifest's change of status (payload: ids, status, parties, division codes). */
export const MANIFEST_STATUS_CHANGED_TOPIC = 'MANIFEST_STATUS_CHANGED';

/** The manifest events that change its status, and the status they lead to. */
export const STATUS_AFTER: Readonly<Record<string, string>> = {
  ManifestDrafted: 'DRAFT',
  ManifestSubmitted: 'SUBMITTED',
  CustodyTaken: 'IN_TRANSIT',
  ManifestDelivered: 'DELIVERED',
  PaperManifestEntered: 'DELIVERED',
  ManifestReceived: 'RECEIVED',
  ManifestClosed: 'CLOSED',
  ManifestCancelled: 'CANCELLED',
};

/** What a subscriber receives through NOTIFY: ids and the facts needed to decide who may see it. */
export interface ManifestStatusNotice {
  manifestId: string;
  number: string;
  status: string;
  eventType: string;
  position: number;
  at: string;
  partyIds: string[];
  divisionCodes: string[];
}

interface ManifestScopeRow {
  hazledger_number: string;
  start_division_code: string;
  end_division_code: string;
  party_ids: string[];
  /** `ledger:rebuild` replays into temporary tables: nothing to announce. */
  rebuilding: boolean;
}

/** Who a manifest concerns, read in the append transaction (or after a reconnection). */
export const MANIFEST_SCOPE_SQL = `
  SELECT m.hazledger_number, m.start_division_code, m.end_division_code,
         ARRAY(SELECT DISTINCT p.party_id FROM manifest_party p WHERE p.manifest_id = m.manifest_id) AS party_ids,
         to_regclass('pg_temp.manifest') IS NOT NULL AS rebuilding
    FROM manifest m WHERE m.manifest_id = $1`;

export function statusNotice(
  e: Pick<StoredEvent, 'streamId' | 'type' | 'position' | 'occurredAt'>,
  m: ManifestScopeRow,
): ManifestStatusNotice {
  return {
    manifestId: e.streamId.replace(/^manifest-/, ''),
    number: m.hazledger_number,
    status: STATUS_AFTER[e.type],
    eventType: e.type,
    position: e.position,
    at: e.occurredAt.toISOString(),
    partyIds: m.party_ids,
    divisionCodes: [m.start_division_code, m.end_division_code],
  };
}

/**
 * 联单状态推送 — publishes each change of a manifest's status to every API process (GraphQL
 * subscription `manifestStatusChanged`) with `pg_notify` inside the append transaction, as
 * `tx.notify` does: delivered when, and only if, the transaction commits. Registered with the
 * projections because they are the ledger's per-event hook inside that transaction, after the
 * manifest read model (it reads who the manifest names from there); it owns no table, so
 * `ledger:rebuild` has nothing to compare, and it stays silent while a rebuild replays the ledger
 * into temporary tables.
 */
export const manifestStatusNotifier: Projection = {
  name: 'manifest-status-notifications',
  tables: [],
  eventTypes: Object.keys(STATUS_AFTER),
  async apply(sql: Sql, e: StoredEvent): Promise<void> {
    const m = await sql.one<ManifestScopeRow>(MANIFEST_SCOPE_SQL, [e.streamId.replace(/^manifest-/, '')]);
    if (!m || m.rebuilding) return;
    await sql.rows(`SELECT pg_notify($1, $2)`, [
      NOTIFY_CHANNEL,
      JSON.stringify({ topic: MANIFEST_STATUS_CHANGED_TOPIC, payload: statusNotice(e, m) }),
    ]);
  },
};
