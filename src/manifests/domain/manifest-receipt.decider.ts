import { DomainError } from '../../shared/domain/domain-error';
import {
  DEFAULT_RECEIPT_TOLERANCE_BP,
  type CloseManifest,
  type LotReceiptInput,
  type RecordReceipt,
} from './manifest.commands';
import type { LotReceiptRecorded, ManifestEvent } from './manifest.events';
import type { AcceptedLotFate, CloseFacts, RejectedLotFate } from './manifest.facts';
import { TERMINAL_LOT_STATES } from './manifest.facts';
import { expectStatusFor, isDiscrepancy, requireRole } from './manifest.policy';
import type { ActiveManifest, ManifestState } from './manifest.state';
import { actsAllowedIn } from './manifest.transitions';
import { RECEIPT_DECISIONS, type ManifestLot } from './manifest.types';
import {
  optionalText,
  requireBaselMethod,
  requireGrams,
  requireInstant,
  requireList,
  requireSameManifest,
  requireText,
} from './manifest.validation';

/**
 * The 接受人's acts: receipt per lot (Transfer Measures art. 18, within 5 working days of delivery)
 * and closing the manifest once every lot's fate is settled. A receipt is a fact (the waste was
 * weighed): a late or discrepant one is recorded and flagged, never refused.
 */

const iso = (d: Date): string => d.toISOString();

function tolerance(value: number | undefined): number {
  const bp = value ?? DEFAULT_RECEIPT_TOLERANCE_BP;
  if (!Number.isSafeInteger(bp) || bp < 0 || bp > 10_000) {
    throw DomainError.badInput('toleranceBasisPoints', 'toleranceBasisPoints: an integer from 0 to 10000');
  }
  return bp;
}

interface Split {
  acceptedGrams: number;
  rejectedGrams: number;
  rejectedLotId: string | null;
  reason: string | null;
}

/** Accepted and rejected masses of one decision, with its required reason and rejected-part lot. */
function splitDecision(
  r: LotReceiptInput,
  measured: number,
  path: string,
  knownLotIds: ReadonlySet<string>,
): Split {
  const reason = optionalText(r.reason, `${path}.reason`);
  const noPart = () => {
    if (r.rejectedGrams !== undefined && r.rejectedGrams !== null && r.rejectedGrams !== 0) {
      throw DomainError.badInput(
        `${path}.rejectedGrams`,
        `${path}.rejectedGrams: only for PARTIALLY_ACCEPTED`,
      );
    }
    if (r.rejectedLotId !== undefined && r.rejectedLotId !== null) {
      throw DomainError.badInput(
        `${path}.rejectedLotId`,
        `${path}.rejectedLotId: only for PARTIALLY_ACCEPTED`,
      );
    }
  };
  switch (r.decision) {
    case 'ACCEPTED':
      noPart();
      if (measured === 0)
        throw DomainError.badInput(`${path}.measuredGrams`, `${path}.measuredGrams: nothing to accept`);
      return { acceptedGrams: measured, rejectedGrams: 0, rejectedLotId: null, reason };
    case 'REJECTED':
      noPart();
      return {
        acceptedGrams: 0,
        rejectedGrams: measured,
        rejectedLotId: null,
        reason: requireText(r.reason, `${path}.reason`),
      };
    case 'PARTIALLY_ACCEPTED': {
      const rejected = requireGrams(r.rejectedGrams, `${path}.rejectedGrams`);
      if (rejected >= measured) {
        throw DomainError.badInput(
          `${path}.rejectedGrams`,
          `${path}.rejectedGrams: must be less than the measured mass`,
        );
      }
      const rejectedLotId = requireText(r.rejectedLotId, `${path}.rejectedLotId`);
      if (knownLotIds.has(rejectedLotId)) {
        throw DomainError.badInput(`${path}.rejectedLotId`, `${path}.rejectedLotId: a new lot id is needed`);
      }
      return {
        acceptedGrams: measured - rejected,
        rejectedGrams: rejected,
        rejectedLotId,
        reason: requireText(r.reason, `${path}.reason`),
      };
    }
    default:
      throw DomainError.badInput(
        `${path}.decision`,
        `${path}.decision: one of ${RECEIPT_DECISIONS.join(', ')}`,
      );
  }
}

function lotReceipt(
  m: ActiveManifest,
  lot: ManifestLot,
  r: LotReceiptInput,
  path: string,
  ctx: { at: string; confirmedAt: string; deadline: string; bp: number; known: ReadonlySet<string> },
): LotReceiptRecorded {
  const measuredGrams = requireGrams(r.measuredGrams, `${path}.measuredGrams`, true);
  const split = splitDecision(r, measuredGrams, path, ctx.known);
  const method =
    r.method === undefined || r.method === null ? lot.method : requireBaselMethod(r.method, `${path}.method`);
  const pickup = m.pickupGrams[lot.lotId];
  const referenceGrams = pickup ?? lot.declaredGrams;
  const reservation = m.submission?.capacityReservations.find((x) => x.lotIds.includes(lot.lotId));
  return {
    type: 'LotReceiptRecorded',
    data: {
      manifestId: m.manifestId,
      lotId: lot.lotId,
      labelCode: lot.labelCode,
      measuredGrams,
      reference: pickup === undefined ? 'DECLARED' : 'PICKUP',
      referenceGrams,
      differenceGrams: measuredGrams - referenceGrams,
      toleranceBasisPoints: ctx.bp,
      discrepancy: isDiscrepancy(measuredGrams, referenceGrams, ctx.bp),
      decision: r.decision,
      ...split,
      method,
      capacityReservationId: reservation?.reservationId ?? null,
      crossProvinceReservationId: m.submission?.crossProvince?.reservationId ?? null,
      at: ctx.at,
      confirmedAt: ctx.confirmedAt,
      deadline: ctx.deadline,
      late: ctx.confirmedAt > ctx.deadline,
    },
  };
}

/** 接受人 records the receipt of some lots; the last one received makes the manifest RECEIVED. */
export function recordReceipt(c: RecordReceipt, s: ManifestState): ManifestEvent[] {
  const m = expectStatusFor(s, 'recordReceipt', 'DELIVERED');
  requireSameManifest(c.data.manifestId, m.manifestId);
  requireRole('recordReceipt', m, c.meta.actor);
  const inputs = requireList(c.data.receipts, 'receipts', 1);
  const ctx = {
    at: iso(c.meta.occurredAt),
    confirmedAt: iso(c.meta.now),
    deadline: requireInstant(c.data.receiptDeadline, 'receiptDeadline'),
    bp: tolerance(c.data.toleranceBasisPoints),
    known: new Set([...m.content.lots.map((l) => l.lotId), ...m.refusedLots.map((l) => l.lotId)]),
  };
  const done = new Set(m.receipts.map((x) => x.lotId));
  const events = inputs.map((r, i) => {
    const path = `receipts[${i}]`;
    const lotId = requireText(r?.lotId, `${path}.lotId`);
    const lot = m.content.lots.find((l) => l.lotId === lotId);
    if (!lot || !m.carriedLotIds.includes(lotId)) {
      throw DomainError.badInput(`${path}.lotId`, `${path}.lotId: ${lotId} was not carried on this manifest`);
    }
    if (done.has(lotId))
      throw DomainError.badInput(`${path}.lotId`, `${path}.lotId: ${lotId} already has a receipt`);
    done.add(lotId);
    return lotReceipt(m, lot, r, path, ctx);
  });
  const rejectedIds = events.map((e) => e.data.rejectedLotId).filter((x): x is string => x !== null);
  if (new Set(rejectedIds).size !== rejectedIds.length) {
    throw DomainError.badInput('receipts', 'receipts: each rejected part needs its own lot id');
  }
  const out: ManifestEvent[] = [...events];
  if (m.carriedLotIds.every((id) => done.has(id))) {
    const all = [...m.receipts, ...events.map((e) => e.data)];
    out.push({
      type: 'ManifestReceived',
      data: {
        manifestId: m.manifestId,
        acceptedGrams: all.reduce((sum, x) => sum + x.acceptedGrams, 0),
        rejectedGrams: all.reduce((sum, x) => sum + x.rejectedGrams, 0),
        discrepancyLotIds: all.filter((x) => x.discrepancy).map((x) => x.lotId),
        lateLotIds: all.filter((x) => x.late).map((x) => x.lotId),
        at: ctx.at,
      },
    });
  }
  return out;
}

/** The lots whose fate decides closing: accepted lots (or parts) and rejected lots (or parts). */
export function lotsToSettle(m: ActiveManifest): { accepted: string[]; rejected: string[] } {
  return {
    accepted: m.receipts.filter((r) => r.acceptedGrams > 0).map((r) => r.lotId),
    rejected: m.receipts.flatMap((r) =>
      r.decision === 'REJECTED' ? [r.lotId] : r.rejectedLotId !== null ? [r.rejectedLotId] : [],
    ),
  };
}

/**
 * Closes once every accepted lot is terminal at the receiver or has left on a linked manifest,
 * and every rejected lot is on a return or redirect manifest (SPEC section 6.6).
 */
export function close(c: CloseManifest, s: ManifestState): ManifestEvent[] {
  const m = expectStatusFor(s, 'close', 'RECEIVED');
  requireSameManifest(c.data.manifestId, m.manifestId);
  requireRole('close', m, c.meta.actor);
  const facts: CloseFacts = c.data.facts ?? { accepted: [], rejected: [] };
  const { accepted, rejected } = lotsToSettle(m);
  const unmet: { lotId: string; condition: string }[] = [];
  const acceptedFates: AcceptedLotFate[] = accepted.map((lotId) => {
    const f = facts.accepted?.find((x) => x.lotId === lotId);
    const terminalState = f?.terminalState ?? null;
    if (terminalState !== null && !TERMINAL_LOT_STATES.includes(terminalState)) {
      throw DomainError.badInput(
        'facts.accepted',
        `facts.accepted: ${terminalState} is not a terminal lot state`,
      );
    }
    const leftOnManifestId = f?.leftOnManifestId ?? null;
    if (terminalState === null && leftOnManifestId === null) {
      unmet.push({ lotId, condition: 'ACCEPTED_LOT_STILL_AT_RECEIVER' });
    }
    return { lotId, terminalState, leftOnManifestId };
  });
  const rejectedFates: RejectedLotFate[] = rejected.map((lotId) => {
    const onManifestId = facts.rejected?.find((x) => x.lotId === lotId)?.onManifestId ?? null;
    if (onManifestId === null) unmet.push({ lotId, condition: 'REJECTED_LOT_NOT_ON_RETURN_OR_REDIRECT' });
    return { lotId, onManifestId };
  });
  if (unmet.length > 0) {
    throw new DomainError(
      'INVALID_TRANSITION',
      `close: lots not settled: ${unmet.map((u) => u.lotId).join(', ')}`,
      {
        currentState: m.status,
        act: 'close',
        unmet,
        allowedActs: actsAllowedIn(m.status).filter((a) => a !== 'close'),
      },
    );
  }
  return [
    {
      type: 'ManifestClosed',
      data: {
        manifestId: m.manifestId,
        accepted: acceptedFates,
        rejected: rejectedFates,
        at: iso(c.meta.occurredAt),
      },
    },
  ];
}
