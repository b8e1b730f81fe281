import { DomainError } from '../../shared/domain/domain-error';
import type { RecordLotReceipt } from './lot.commands';
import { RECEIPT_DECISIONS, type LotDecision, type LotEvent, type ReceiptDiscrepancy } from './lot.events';
import {
  businessTime,
  expectLotStatus,
  optionalText,
  requireFacility,
  requireMass,
  requireNamedParty,
  requireSameLot,
  requireText,
  requireTolerance,
  withinTolerance,
} from './lot.policy';
import { descriptionOf, type DeliveredLotState, type LotState } from './lot.state';

/**
 * 接收 — the named receiver weighs a delivered container and decides. A receipt is a physical fact:
 * a weighing far from the declared mass is recorded with a discrepancy (flagged beyond the
 * tolerance), never refused; only malformed input is. The measured mass becomes the lot's mass, and
 * the difference from its previous mass is booked (`massAdjustmentGrams`) so totals add up.
 * A partial acceptance opens a new REJECTED lot for the refused part, linked to the source.
 */
export function decideReceipt(c: RecordLotReceipt, s: LotState): LotDecision {
  const l = expectLotStatus(s, 'DELIVERED');
  requireSameLot(c, l);
  const receiver = requireNamedParty(c.meta, l.receiverPartyId, 'receiver named on the manifest');
  const d = c.data;
  const manifestId = requireText(d.manifestId, 'manifestId');
  if (manifestId !== l.manifestId)
    throw DomainError.badInput('manifestId', `manifestId: the lot was delivered on manifest ${l.manifestId}`);
  if (!RECEIPT_DECISIONS.includes(d.decision))
    throw DomainError.badInput('decision', `decision: one of ${RECEIPT_DECISIONS.join(', ')}`);
  const measured = requireMass(d.measuredMassGrams, 'measuredMassGrams');
  const facility = requireFacility(d.facts.facility, d.facilityId, 'facilityId');
  if (facility.partyId !== receiver || facility.siteId !== l.siteId) {
    throw DomainError.badInput(
      'facilityId',
      'facilityId: not a facility of the receiver at the delivery site',
    );
  }
  const tolerance = requireTolerance(
    d.facts.discrepancyToleranceBasisPoints,
    'facts.discrepancyToleranceBasisPoints',
  );
  const { rejected, rejectedPart, reason } = refusedPart(c, l, measured);
  const at = businessTime(c.meta);

  const received: LotEvent = {
    type: 'LotReceived',
    data: {
      lotId: l.lotId,
      manifestId,
      receiverPartyId: receiver,
      siteId: facility.siteId,
      facilityId: facility.facilityId,
      decision: d.decision,
      measuredMassGrams: measured,
      acceptedMassGrams: measured - rejected,
      rejectedMassGrams: rejected,
      rejectedLotId: rejectedPart?.lotId ?? null,
      reason,
      massAdjustmentGrams: measured - l.massGrams,
      discrepancy: discrepancyOf(l, measured, tolerance),
      at,
    },
  };
  if (rejectedPart === null)
    return { sourceEvents: [{ lotId: l.lotId, events: [received] }], newLotEvents: [] };

  const part: LotEvent = {
    type: 'LotRejectedPartCreated',
    data: {
      ...descriptionOf(l),
      labelCode: rejectedPart.labelCode,
      massBasis: 'WEIGHED',
      lotId: rejectedPart.lotId,
      sourceLotId: l.lotId,
      manifestId,
      producerPartyId: l.producerPartyId,
      receiverPartyId: receiver,
      siteId: facility.siteId,
      facilityId: facility.facilityId,
      massGrams: rejected,
      reason: reason ?? '',
      exemptSource: l.exemptSource,
      emergency: l.emergency,
      at,
    },
  };
  return {
    sourceEvents: [{ lotId: l.lotId, events: [received] }],
    newLotEvents: [{ lotId: rejectedPart.lotId, events: [part] }],
  };
}

/** The refused mass and, for a partial acceptance, the new lot that holds it. */
function refusedPart(
  c: RecordLotReceipt,
  l: DeliveredLotState,
  measured: number,
): { rejected: number; rejectedPart: { lotId: string; labelCode: string } | null; reason: string | null } {
  const d = c.data;
  if (d.decision === 'ACCEPTED') {
    if (d.rejectedMassGrams !== null)
      throw DomainError.badInput('rejectedMassGrams', 'rejectedMassGrams: only for a partial acceptance');
    if (d.rejectedPart !== null)
      throw DomainError.badInput('rejectedPart', 'rejectedPart: only for a partial acceptance');
    return { rejected: 0, rejectedPart: null, reason: optionalText(d.reason, 'reason') };
  }
  const reason = requireText(d.reason, 'reason');
  if (d.decision === 'REJECTED') {
    if (d.rejectedPart !== null)
      throw DomainError.badInput('rejectedPart', 'rejectedPart: the whole lot stays one lot when rejected');
    if (d.rejectedMassGrams !== null && d.rejectedMassGrams !== measured) {
      throw DomainError.badInput(
        'rejectedMassGrams',
        'rejectedMassGrams: a rejection refuses the whole measured mass',
      );
    }
    return { rejected: measured, rejectedPart: null, reason };
  }
  const rejected = requireMass(d.rejectedMassGrams, 'rejectedMassGrams');
  if (rejected >= measured)
    throw DomainError.badInput(
      'rejectedMassGrams',
      'rejectedMassGrams: less than the measured mass (else reject the lot)',
    );
  if (d.rejectedPart === null)
    throw DomainError.badInput('rejectedPart', 'rejectedPart: the new lot for the refused part is required');
  const lotId = requireText(d.rejectedPart.lotId, 'rejectedPart.lotId');
  if (lotId === l.lotId)
    throw DomainError.badInput('rejectedPart.lotId', 'rejectedPart.lotId: a new lot id is required');
  return {
    rejected,
    rejectedPart: { lotId, labelCode: requireText(d.rejectedPart.labelCode, 'rejectedPart.labelCode') },
    reason,
  };
}

/** Compares with the pickup weighing when there is one, else with the declared mass (SPEC section 0). */
function discrepancyOf(l: DeliveredLotState, measured: number, tolerance: number): ReceiptDiscrepancy {
  const baselineGrams = l.pickupMassGrams ?? l.massGrams;
  return {
    baseline: l.pickupMassGrams === null ? 'DECLARED' : 'PICKUP',
    baselineGrams,
    differenceGrams: measured - baselineGrams,
    toleranceBasisPoints: tolerance,
    beyondTolerance: !withinTolerance(measured, baselineGrams, tolerance),
  };
}
