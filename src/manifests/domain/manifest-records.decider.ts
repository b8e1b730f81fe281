import { DomainError } from '../../shared/domain/domain-error';
import { resolveChanges } from './manifest-correction.policy';
import type {
  ApproveCorrection,
  RefuseCorrection,
  ReportNationalNumber,
  RequestCorrection,
} from './manifest.commands';
import type { ManifestEvent } from './manifest.events';
import { expectStatusFor, forPartyId, requireRole } from './manifest.policy';
import {
  CORRECTION_STATUSES,
  type ActiveManifest,
  type ManifestState,
  type PendingCorrection,
} from './manifest.state';
import { actsAllowedIn } from './manifest.transitions';
import { NATIONAL_NUMBER_PATTERN, partiesOf, provinceOf } from './manifest.types';
import { requireInstant, requireSameManifest, requireText } from './manifest.validation';

/**
 * Records about a manifest that do not move its waste: corrections after a signature (request,
 * approve, refuse; at most one pending; approval appends the correction) and the 14-digit number
 * of the national system.
 */

const iso = (d: Date): string => d.toISOString();

/** A party on the manifest asks to correct descriptive fields; every other party must approve. */
export function requestCorrection(c: RequestCorrection, s: ManifestState): ManifestEvent[] {
  const m = expectStatusFor(s, 'requestCorrection', ...CORRECTION_STATUSES);
  requireSameManifest(c.data.manifestId, m.manifestId);
  requireRole('requestCorrection', m, c.meta.actor);
  const correctionId = requireText(c.data.correctionId, 'correctionId');
  const reason = requireText(c.data.reason, 'reason');
  const respondBy = requireInstant(c.data.respondBy, 'respondBy');
  const at = iso(c.meta.occurredAt);
  const now = iso(c.meta.now);
  if (respondBy <= now) throw DomainError.badInput('respondBy', 'respondBy: must lie in the future');
  const out: ManifestEvent[] = [];
  const p = m.pendingCorrection;
  if (p) {
    if (now <= p.respondBy) {
      throw new DomainError('CONFLICT', 'a correction request is already pending on this manifest', {
        pendingCorrectionId: p.correctionId,
        respondBy: p.respondBy,
      });
    }
    if (p.correctionId === correctionId)
      throw DomainError.badInput('correctionId', 'correctionId: already used');
    out.push({
      type: 'CorrectionLapsed',
      data: { manifestId: m.manifestId, correctionId: p.correctionId, respondBy: p.respondBy, at },
    });
  }
  const changes = resolveChanges(m.content, c.data.changes);
  const requester = forPartyId(c.meta.actor) as string;
  out.push({
    type: 'CorrectionRequested',
    data: {
      manifestId: m.manifestId,
      correctionId,
      requestedByPartyId: requester,
      changes,
      reason,
      respondBy,
      approverPartyIds: partiesOf(m.content).filter((id) => id !== requester),
      at,
    },
  });
  return out;
}

/** The pending request the command answers, still open at the command's record time. */
function answerable(
  m: ActiveManifest,
  act: 'approveCorrection' | 'refuseCorrection',
  correctionId: string,
  now: Date,
): PendingCorrection {
  const p = m.pendingCorrection;
  if (!p || p.correctionId !== correctionId) {
    throw DomainError.badInput(
      'correctionId',
      `correctionId: ${correctionId} is not the pending correction request`,
      {
        pendingCorrectionId: p?.correctionId ?? null,
      },
    );
  }
  if (iso(now) > p.respondBy) {
    throw new DomainError('INVALID_TRANSITION', `${act}: the correction request lapsed at ${p.respondBy}`, {
      currentState: m.status,
      act,
      correction: 'LAPSED',
      allowedActs: actsAllowedIn(m.status).filter(
        (a) => a !== 'approveCorrection' && a !== 'refuseCorrection',
      ),
    });
  }
  return p;
}

export function approveCorrection(c: ApproveCorrection, s: ManifestState): ManifestEvent[] {
  const m = expectStatusFor(s, 'approveCorrection', ...CORRECTION_STATUSES);
  requireSameManifest(c.data.manifestId, m.manifestId);
  const p = answerable(m, 'approveCorrection', requireText(c.data.correctionId, 'correctionId'), c.meta.now);
  requireRole('approveCorrection', m, c.meta.actor);
  const by = forPartyId(c.meta.actor) as string;
  const at = iso(c.meta.occurredAt);
  const out: ManifestEvent[] = [
    {
      type: 'CorrectionApproved',
      data: { manifestId: m.manifestId, correctionId: p.correctionId, byPartyId: by, at },
    },
  ];
  const approved = new Set([...p.approvedBy, by]);
  if (p.approverPartyIds.every((id) => approved.has(id))) {
    out.push({
      type: 'ManifestCorrected',
      data: { manifestId: m.manifestId, correctionId: p.correctionId, changes: p.changes, at },
    });
  }
  return out;
}

export function refuseCorrection(c: RefuseCorrection, s: ManifestState): ManifestEvent[] {
  const m = expectStatusFor(s, 'refuseCorrection', ...CORRECTION_STATUSES);
  requireSameManifest(c.data.manifestId, m.manifestId);
  const p = answerable(m, 'refuseCorrection', requireText(c.data.correctionId, 'correctionId'), c.meta.now);
  requireRole('refuseCorrection', m, c.meta.actor);
  return [
    {
      type: 'CorrectionRefused',
      data: {
        manifestId: m.manifestId,
        correctionId: p.correctionId,
        byPartyId: forPartyId(c.meta.actor) as string,
        reason: requireText(c.data.reason, 'reason'),
        at: iso(c.meta.occurredAt),
      },
    },
  ];
}

/** The national system's number (year + province + city + serial; Transfer Measures art. 15), once. */
export function reportNationalNumber(c: ReportNationalNumber, s: ManifestState): ManifestEvent[] {
  const m = expectStatusFor(
    s,
    'reportNationalNumber',
    'SUBMITTED',
    'IN_TRANSIT',
    'DELIVERED',
    'RECEIVED',
    'CLOSED',
    'CANCELLED',
  );
  requireSameManifest(c.data.manifestId, m.manifestId);
  requireRole('reportNationalNumber', m, c.meta.actor);
  const n = c.data.nationalNumber;
  if (typeof n !== 'string' || !NATIONAL_NUMBER_PATTERN.test(n)) {
    throw DomainError.badInput('nationalNumber', 'nationalNumber: 14 digits (year, province, city, serial)');
  }
  const province = provinceOf(m.content.startPoint.divisionCode);
  if (n.slice(4, 6) !== province) {
    throw DomainError.badInput(
      'nationalNumber',
      `nationalNumber: digits 5–6 name the consignor's province ${province}`,
    );
  }
  if (m.nationalNumber !== null) {
    throw DomainError.badInput('nationalNumber', `nationalNumber: already reported as ${m.nationalNumber}`, {
      reported: m.nationalNumber,
    });
  }
  return [
    {
      type: 'NationalNumberReported',
      data: { manifestId: m.manifestId, nationalNumber: n, at: iso(c.meta.occurredAt) },
    },
  ];
}
