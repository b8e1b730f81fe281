import { Injectable } from '@nestjs/common';
import { Env } from '../config/env';
import { LedgerService } from '../ledger/ledger.service';
import type { Principal } from '../shared/auth/principal';
import { Clock } from '../shared/clock';
import { DomainError, isDomainError } from '../shared/domain/domain-error';
import type { HandoverCodeFact } from './domain';
import type { ScanInput, SubmitScansInput } from './graphql/manifest.inputs';
import type { ScanOutcomeObject } from './graphql/manifest.objects';
import { ManifestAccess } from './manifest-access';
import { type CustodyAct, type CustodyOutcome, ManifestCustodyService } from './manifest-custody.service';
import { ManifestFactsService } from './manifest-facts.service';
import { envelope } from './manifest-input';

const ACTS = {
  TAKE_CUSTODY: 'takeCustody',
  REFUSE_CONTAINER: 'refuseContainer',
  RELAY: 'relay',
  DELIVER: 'deliver',
} as const;

/** A scan checked for shape, with what it needs at sync. */
interface Ready {
  readonly index: number;
  readonly scan: ScanInput;
  readonly act: CustodyAct;
  readonly code: HandoverCodeFact | null;
}

const refused = (index: number, scan: ScanInput, e: unknown): ScanOutcomeObject => {
  const d = isDomainError(e) ? e : new DomainError('INTERNAL_SERVER_ERROR', 'the act could not be applied');
  return {
    index,
    idempotencyKey: scan.idempotencyKey,
    manifestId: scan.manifestId,
    act: scan.act,
    result: 'REFUSED',
    code: d.code,
    message: d.message,
    eventTypes: [],
  };
};

/**
 * 离线同步 — custody acts a driver's device made offline (weak rural networks), synced in one
 * batch (at most `SCAN_BATCH_LIMIT`). Each act carries its idempotency key and device time; acts
 * are applied in device-time order (per manifest, and overall), each under its own savepoint of
 * one transaction (`LedgerService.executeBatch`). One result per act: APPLIED; DUPLICATE (applied
 * before under that key — a batch replayed whole appends nothing); DISPUTED (it happened, so it is
 * recorded, but a rule failed at sync: handover code, labels, licences, or the manifest had moved
 * on, e.g. a pickup after a cancellation — a reconciliation alert is raised); REFUSED only when
 * malformed (missing fields, unknown manifest, a device time in the future).
 */
@Injectable()
export class OfflineScanService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly custody: ManifestCustodyService,
    private readonly facts: ManifestFactsService,
    private readonly access: ManifestAccess,
    private readonly env: Env,
    private readonly clock: Clock,
  ) {}

  async submit(who: Principal, input: SubmitScansInput): Promise<ScanOutcomeObject[]> {
    if (input.scans.length > this.env.SCAN_BATCH_LIMIT) {
      throw DomainError.badInput(
        'input.scans',
        `input.scans: at most ${this.env.SCAN_BATCH_LIMIT} acts per batch`,
        {
          limit: this.env.SCAN_BATCH_LIMIT,
        },
      );
    }
    const acting = await this.facts.acting(who, null, this.clock.now());
    const outcomes: (ScanOutcomeObject | null)[] = input.scans.map(() => null);
    const ready: Ready[] = [];
    const order = input.scans
      .map((scan, index) => ({ scan, index }))
      .sort((a, b) => a.scan.deviceTime.getTime() - b.scan.deviceTime.getTime() || a.index - b.index);
    for (const { scan, index } of order) {
      try {
        const act = this.toAct(scan, index);
        await this.access.assertParty(acting, scan.manifestId);
        const code = await this.custody.handoverFact(act, scan.deviceTime, false);
        ready.push({ index, scan, act, code });
      } catch (e) {
        outcomes[index] = refused(index, scan, e);
      }
    }
    const results = await this.ledger.executeBatch<CustodyOutcome>(
      ready.map((r) => ({
        envelope: envelope(r.act.act, acting.actor, r.scan, r.scan.deviceTime, true),
        handler: (tx) => this.custody.apply(tx, r.act, r.code),
      })),
    );
    results.forEach((res, i) => {
      const { index, scan } = ready[i];
      if (!res.ok) {
        outcomes[index] = refused(index, scan, res.error);
        return;
      }
      outcomes[index] = {
        index,
        idempotencyKey: scan.idempotencyKey,
        manifestId: scan.manifestId,
        act: scan.act,
        result: res.replayed ? 'DUPLICATE' : res.result.disputed ? 'DISPUTED' : 'APPLIED',
        code: null,
        message: null,
        eventTypes: res.replayed ? [] : res.result.eventTypes,
      };
    });
    return outcomes.map((o, i) => o ?? refused(i, input.scans[i], null));
  }

  /** The act a scan records; a missing field is malformed (REFUSED). */
  private toAct(scan: ScanInput, index: number): CustodyAct {
    const field = (name: string) => `input.scans.${index}.${name}`;
    const need = <T>(v: T | null | undefined, name: string): T => {
      if (v === undefined || v === null)
        throw DomainError.badInput(field(name), `${field(name)}: required for ${scan.act}`);
      return v;
    };
    switch (ACTS[scan.act]) {
      case 'takeCustody':
        return {
          act: 'takeCustody',
          manifestId: scan.manifestId,
          scannedLabels: need(scan.scannedLabels, 'scannedLabels'),
          pickupMasses: (scan.pickupMasses ?? []).map((p) => ({ labelCode: p.labelCode, grams: p.mass })),
          handoverCode: need(scan.handoverCode, 'handoverCode'),
          shipperLoadingCheckPassed: need(scan.shipperLoadingCheckPassed, 'shipperLoadingCheckPassed'),
          place: scan.place ?? null,
        };
      case 'refuseContainer':
        return {
          act: 'refuseContainer',
          manifestId: scan.manifestId,
          lotId: need(scan.lotId, 'lotId'),
          reason: need(scan.reason, 'reason'),
        };
      case 'relay':
        return {
          act: 'relay',
          manifestId: scan.manifestId,
          scannedLabels: need(scan.scannedLabels, 'scannedLabels'),
          place: need(scan.place, 'place'),
        };
      case 'deliver':
        return {
          act: 'deliver',
          manifestId: scan.manifestId,
          receiverPartyId: scan.receiverPartyId ?? null,
          place: scan.place ?? null,
        };
    }
  }
}
