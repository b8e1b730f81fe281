import { Injectable } from '@nestjs/common';
import type { AlertInput } from '../ledger/alerts/alert';
import type { LedgerTransaction } from '../ledger/ledger-transaction';
import type { StoredEvent } from '../ledger/ledger.types';
import { type LoadedLot, LotLedger } from '../lots/lot-ledger';
import { decide as decideLot, type LotCommand, type LotDecision, type LotEvent } from '../lots/domain';
import type { CommandMeta } from '../shared/domain/decider';
import { DomainError } from '../shared/domain/domain-error';
import { formatKg } from '../shared/domain/mass';
import {
  decideManifest,
  evolveManifest,
  initialManifestState,
  partiesOf,
  type ActiveManifest,
  type ManifestCommand,
  type ManifestEvent,
  type ManifestState,
} from './domain';
import { MANIFEST_ALERT_RULES, MANIFEST_STREAM, manifestStream } from './manifest-streams';

/** A manifest's stream as read (and locked) in a ledger transaction. */
export interface LoadedManifest {
  readonly manifestId: string;
  readonly state: ManifestState;
  /** 0 when the stream does not exist yet. */
  readonly version: number;
}

/** What a manifest command appended: the events decided and stored, and the state after them. */
export interface ManifestChange {
  readonly before: ManifestState;
  readonly emitted: readonly ManifestEvent[];
  readonly stored: readonly StoredEvent[];
  readonly after: ManifestState;
}

/** One lot command per lot, decided on its loaded state. */
export type LotCommandFor = (lot: LoadedLot, meta: CommandMeta) => LotCommand | null;

/**
 * The one way this capability writes: load a manifest stream locked, let the manifest decider
 * decide, append with compare-and-set; write the lots' events through `LotLedger` in the same
 * transaction (a manifest act and its lots' events are one command), and raise the
 * reconciliation alerts that offline acts call for.
 */
@Injectable()
export class ManifestLedger {
  constructor(private readonly lots: LotLedger) {}

  async load(tx: LedgerTransaction, manifestId: string): Promise<LoadedManifest> {
    const s = await tx.readStream(manifestStream(manifestId));
    if (s.version > 0 && s.streamType !== MANIFEST_STREAM)
      throw new DomainError('NOT_FOUND', 'manifest not found');
    const state = s.events.reduce(
      (st, e) => evolveManifest(st, { type: e.type, data: e.data } as unknown as ManifestEvent),
      initialManifestState(),
    );
    return { manifestId, state, version: s.version };
  }

  /** Loads a manifest that must exist (NOT_FOUND otherwise). */
  async existing(
    tx: LedgerTransaction,
    manifestId: string,
  ): Promise<LoadedManifest & { state: ActiveManifest }> {
    const m = await this.load(tx, manifestId);
    if (m.state.status === 'NONE') throw new DomainError('NOT_FOUND', 'manifest not found');
    return m as LoadedManifest & { state: ActiveManifest };
  }

  /** Decides a command on a loaded manifest and appends its events. */
  async decide(tx: LedgerTransaction, m: LoadedManifest, command: ManifestCommand): Promise<ManifestChange> {
    const emitted = decideManifest(command, m.state);
    const stored = await tx.append(manifestStream(m.manifestId), MANIFEST_STREAM, m.version, emitted);
    const after = emitted.reduce(evolveManifest, m.state);
    await this.alertDisputes(tx, after, stored);
    return { before: m.state, emitted, stored, after };
  }

  /** Loads lots (locked, in id order); every one must exist. */
  loadLots(tx: LedgerTransaction, lotIds: readonly string[]): Promise<Map<string, LoadedLot>> {
    return this.lots.load(tx, lotIds, { mustExist: true });
  }

  /** Decides one lot command per loaded lot (none when `command` returns null) and commits them together. */
  async onLots(
    tx: LedgerTransaction,
    loaded: ReadonlyMap<string, LoadedLot>,
    command: LotCommandFor,
    meta: CommandMeta = tx.meta(),
  ): Promise<void> {
    const sourceEvents: { lotId: string; events: LotEvent[] }[] = [];
    for (const l of loaded.values()) {
      const c = command(l, meta);
      if (c) sourceEvents.push({ lotId: l.lotId, events: decideLot(c, l.state) });
    }
    await this.commitLots(tx, loaded, { sourceEvents, newLotEvents: [] });
  }

  commitLots(tx: LedgerTransaction, loaded: ReadonlyMap<string, LoadedLot>, decision: LotDecision) {
    return this.lots.commit(tx, loaded, decision);
  }

  /**
   * Offline acts that broke a rule at sync are recorded and alerted (SPEC section 0): a custody
   * event marked disputed, or a scan that could not apply to the manifest as it stood.
   */
  private async alertDisputes(tx: LedgerTransaction, m: ManifestState, stored: readonly StoredEvent[]) {
    if (m.status === 'NONE') return;
    for (const e of stored) {
      const d = e.data as {
        disputed?: boolean;
        at?: string;
        act?: string;
        reasons?: unknown;
        disputeReasons?: unknown;
      };
      if (e.type === 'DisputedScanRecorded') {
        await tx.raiseAlert(
          manifestAlert(m, MANIFEST_ALERT_RULES.RECONCILIATION_LATE_SCAN, `v${e.version}`, 'WARNING', {
            act: d.act ?? null,
            statusAtSync: (e.data as { statusAtSync?: string }).statusAtSync ?? null,
            at: d.at ?? null,
            reasons: d.reasons ?? [],
          }),
        );
      } else if ((e.type === 'CustodyTaken' || e.type === 'CustodyRelayed') && d.disputed) {
        await tx.raiseAlert(
          manifestAlert(
            m,
            MANIFEST_ALERT_RULES.RECONCILIATION_DISPUTED_CUSTODY,
            `v${e.version}`,
            'CRITICAL',
            {
              eventType: e.type,
              at: d.at ?? null,
              reasons: d.disputeReasons ?? [],
            },
          ),
        );
      }
    }
  }
}

/** An alert about a manifest: filed under its start site's division, visible to every party on it. */
export function manifestAlert(
  m: ActiveManifest,
  rule: string,
  period: string,
  severity: AlertInput['severity'],
  evidence: Record<string, unknown>,
): AlertInput {
  const parties = partiesOf(m.content);
  return {
    rule,
    subjectType: 'MANIFEST',
    subjectId: m.manifestId,
    period,
    severity,
    region: m.content.startPoint.divisionCode,
    evidence: { manifestNumber: m.content.hazledgerNumber, ...evidence },
    partyIds: m.agentId ? [...parties, m.agentId] : parties,
  };
}

export const kg = (grams: number | null | undefined): string | null =>
  grams === null || grams === undefined ? null : formatKg(grams);
