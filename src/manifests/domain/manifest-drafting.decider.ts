import { DomainError } from '../../shared/domain/domain-error';
import { shanghaiDate } from '../../shared/domain/time';
import type {
  AmendManifestDraft,
  CancelManifest,
  DraftManifest,
  EnterPaperManifest,
  IssueHandoverCode,
  SubmitManifest,
} from './manifest.commands';
import type { ManifestEvent } from './manifest.events';
import type { CapacityLevel, CapacityReservation, SubmitChecks } from './manifest.facts';
import { expectStatusFor, ownPartyId, requireRole, rolesOf } from './manifest.policy';
import type { ActiveManifest, ManifestData, ManifestState } from './manifest.state';
import { AMENDABLE_FIELDS, crossesProvinces, type ManifestContent } from './manifest.types';
import {
  normaliseContent,
  optionalText,
  requireInstant,
  requireSameManifest,
  requireText,
} from './manifest.validation';

/**
 * The 移出人's acts (consignor, or its agent): draft, amend, submit with the checks of SPEC
 * section 6.1, (re)issue the one-time handover code, cancel before custody, enter a paper trip.
 */

const iso = (d: Date): string => d.toISOString();

/** A fact the service must always supply; its absence is a bug in the service, not user input. */
function fact<T>(value: T | null | undefined, name: string): T {
  if (value === null || value === undefined) throw new Error(`submit: fact ${name} missing`);
  return value;
}

const agentOf = (
  m: ManifestData | null,
  c: { meta: DraftManifest['meta'] },
  consignorId: string,
): string | null =>
  rolesOf(m, c.meta.actor, consignorId).has('CONSIGNOR_AGENT') ? ownPartyId(c.meta.actor) : null;

export function draft(c: DraftManifest, s: ManifestState): ManifestEvent[] {
  expectStatusFor(s, 'draft', 'NONE');
  const consignorId = requireText(c.data.content?.consignorId, 'content.consignorId');
  requireRole('draft', null, c.meta.actor, consignorId);
  const manifestId = requireText(c.data.manifestId, 'manifestId');
  const content = normaliseContent(c.data.content);
  const agentId = agentOf(null, c, consignorId);
  return [{ type: 'ManifestDrafted', data: { manifestId, content, agentId, at: iso(c.meta.occurredAt) } }];
}

export function amendDraft(c: AmendManifestDraft, s: ManifestState): ManifestEvent[] {
  const m = expectStatusFor(s, 'amendDraft', 'DRAFT');
  requireSameManifest(c.data.manifestId, m.manifestId);
  requireRole('amendDraft', m, c.meta.actor);
  const input = (c.data.changes ?? {}) as Record<string, unknown>;
  const keys = Object.keys(input).filter((k) => input[k] !== undefined);
  const unknown = keys.find((k) => !(AMENDABLE_FIELDS as readonly string[]).includes(k));
  if (unknown) throw DomainError.badInput(`changes.${unknown}`, `changes.${unknown}: cannot be amended`);
  const merged = normaliseContent({ ...m.content, ...c.data.changes }, 'changes');
  const changed = keys.filter(
    (k) =>
      JSON.stringify(merged[k as keyof ManifestContent]) !==
      JSON.stringify(m.content[k as keyof ManifestContent]),
  );
  if (changed.length === 0) throw DomainError.badInput('changes', 'changes: nothing to amend');
  const changes = Object.fromEntries(changed.map((k) => [k, merged[k as keyof ManifestContent]]));
  return [
    { type: 'ManifestDraftAmended', data: { manifestId: m.manifestId, changes, at: iso(c.meta.occurredAt) } },
  ];
}

/** Each lot in exactly one capacity reservation (so that a refusal or rejection can release it). */
function checkReservations(content: ManifestContent, reservations: readonly CapacityReservation[]): void {
  for (const lot of content.lots) {
    const n = reservations.filter((r) => r.lotIds.includes(lot.lotId)).length;
    if (n !== 1) throw new Error(`submit: lot ${lot.lotId} is in ${n} capacity reservations, expected 1`);
  }
}

/** The first failing check, in the order of SPEC section 6.1, or the submission's reservations. */
function evaluateChecks(m: ManifestData, checks: SubmitChecks) {
  const { content } = m;
  const facts = content.lots.map((l) => ({
    lot: l,
    f: fact(
      checks.lots.find((x) => x.lotId === l.lotId),
      `lots.${l.lotId}`,
    ),
  }));
  const notHeld = facts.filter(({ f }) => !f.inConsignorCustody).map(({ lot }) => lot.lotId);
  if (notHeld.length > 0) {
    throw new DomainError(
      'LOT_NOT_IN_CUSTODY',
      `lots not in the consignor's custody: ${notHeld.join(', ')}`,
      {
        lotIds: notHeld,
      },
    );
  }
  const elsewhere = facts
    .filter(({ f }) => f.openManifestId !== null && f.openManifestId !== m.manifestId)
    .map(({ lot, f }) => ({ lotId: lot.lotId, manifestId: f.openManifestId }));
  if (elsewhere.length > 0) {
    throw new DomainError(
      'LOT_ON_OPEN_MANIFEST',
      `lots already on an open manifest: ${elsewhere.map((e) => e.lotId).join(', ')}`,
      {
        lots: elsewhere,
      },
    );
  }
  const isReturn = content.transferType === 'RETURN';
  let reservations: readonly CapacityReservation[] = [];
  let level: CapacityLevel | null = null;
  if (!isReturn) {
    const licence = fact(checks.receiverLicence, 'receiverLicence');
    if (!licence.ok)
      throw new DomainError(licence.code, licence.reason, { lotIds: [...(licence.lotIds ?? [])] });
    const capacity = fact(checks.capacity, 'capacity');
    if (!capacity.ok)
      throw new DomainError(capacity.code, capacity.reason, { lotIds: [...(capacity.lotIds ?? [])] });
    checkReservations(content, capacity.reservations);
    reservations = capacity.reservations;
    level = capacity.level;
  }
  const carrier = fact(checks.carrier, 'carrier');
  if (!carrier.ok) throw new DomainError(carrier.code, carrier.reason, { leg: carrier.leg ?? null });
  let planAlert: { reason: string; lotIds: string[] } | null = null;
  if (!isReturn) {
    const plan = fact(checks.plan, 'plan');
    if (!plan.ok && plan.enforcement === 'REFUSE') {
      throw new DomainError(plan.code, plan.reason, { lotIds: [...(plan.lotIds ?? [])] });
    }
    if (!plan.ok) planAlert = { reason: plan.reason, lotIds: [...(plan.lotIds ?? [])] };
  }
  let crossProvince: { approvalId: string; reservationId: string; grams: number } | null = null;
  if (crossesProvinces(content)) {
    const approval = checks.crossProvince;
    if (!approval) {
      throw new DomainError(
        'CROSS_PROVINCE_APPROVAL_REQUIRED',
        'a transfer between provinces cites a 跨省转移 approval',
      );
    }
    if (!approval.ok) throw new DomainError(approval.code, approval.reason);
    const grams = content.lots.reduce((sum, l) => sum + l.declaredGrams, 0);
    crossProvince = { approvalId: approval.approvalId, reservationId: approval.reservationId, grams };
  }
  return { reservations, level, planAlert, crossProvince };
}

export function submit(c: SubmitManifest, s: ManifestState): ManifestEvent[] {
  const m = expectStatusFor(s, 'submit', 'DRAFT');
  requireSameManifest(c.data.manifestId, m.manifestId);
  requireRole('submit', m, c.meta.actor);
  const handoverCodeId = requireText(c.data.handoverCode?.handoverCodeId, 'handoverCode.handoverCodeId');
  const expiresAt = requireInstant(c.data.handoverCode?.expiresAt, 'handoverCode.expiresAt');
  const at = iso(c.meta.occurredAt);
  if (expiresAt <= at)
    throw DomainError.badInput('handoverCode.expiresAt', 'handoverCode.expiresAt: already expired');
  if (m.content.plannedDate < shanghaiDate(c.meta.occurredAt)) {
    throw DomainError.badInput(
      'plannedDate',
      `plannedDate: ${m.content.plannedDate} has passed; amend the draft`,
    );
  }
  const r = evaluateChecks(m, fact(c.data.checks, 'checks'));
  return [
    {
      type: 'ManifestSubmitted',
      data: {
        manifestId: m.manifestId,
        at,
        declaredGrams: m.content.lots.reduce((sum, l) => sum + l.declaredGrams, 0),
        capacityReservations: r.reservations.map((x) => ({ ...x, lotIds: [...x.lotIds] })),
        capacityLevel: r.level,
        crossProvince: r.crossProvince,
        planAlert: r.planAlert,
      },
    },
    {
      type: 'HandoverCodeIssued',
      data: { manifestId: m.manifestId, handoverCodeId, expiresAt, replacesHandoverCodeId: null, at },
    },
  ];
}

export function issueHandoverCode(c: IssueHandoverCode, s: ManifestState): ManifestEvent[] {
  const m = expectStatusFor(s, 'issueHandoverCode', 'SUBMITTED');
  requireSameManifest(c.data.manifestId, m.manifestId);
  requireRole('issueHandoverCode', m, c.meta.actor);
  const handoverCodeId = requireText(c.data.handoverCodeId, 'handoverCodeId');
  const expiresAt = requireInstant(c.data.expiresAt, 'expiresAt');
  const at = iso(c.meta.occurredAt);
  if (expiresAt <= at) throw DomainError.badInput('expiresAt', 'expiresAt: already expired');
  const replaces = m.handoverCode?.handoverCodeId ?? null;
  if (replaces === handoverCodeId)
    throw DomainError.badInput('handoverCodeId', 'handoverCodeId: a reissue is a new code');
  return [
    {
      type: 'HandoverCodeIssued',
      data: { manifestId: m.manifestId, handoverCodeId, expiresAt, replacesHandoverCodeId: replaces, at },
    },
  ];
}

export function cancel(c: CancelManifest, s: ManifestState): ManifestEvent[] {
  const m = expectStatusFor(s, 'cancel', 'DRAFT', 'SUBMITTED');
  requireSameManifest(c.data.manifestId, m.manifestId);
  requireRole('cancel', m, c.meta.actor);
  return [
    {
      type: 'ManifestCancelled',
      data: {
        manifestId: m.manifestId,
        fromStatus: m.status,
        reason: optionalText(c.data.reason, 'reason'),
        lotIds: m.content.lots.map((l) => l.lotId),
        releasedCapacityReservationIds: (m.submission?.capacityReservations ?? []).map(
          (r) => r.reservationId,
        ),
        releasedCrossProvinceReservationId: m.submission?.crossProvince?.reservationId ?? null,
        at: iso(c.meta.occurredAt),
      },
    },
  ];
}

/**
 * A trip run on paper during an outage (Transfer Measures art. 20): what happened is recorded,
 * marked as paper, and flagged late after 10 working days; only malformed input is refused.
 */
export function enterPaperManifest(c: EnterPaperManifest, s: ManifestState): ManifestEvent[] {
  const st = expectStatusFor(s, 'enterPaperManifest', 'NONE', 'DRAFT', 'SUBMITTED', 'IN_TRANSIT');
  const d = c.data;
  let m: ActiveManifest | null = null;
  let content: ManifestContent;
  if (st.status === 'NONE') {
    const consignorId = requireText(d.content?.consignorId, 'content.consignorId');
    requireRole('enterPaperManifest', null, c.meta.actor, consignorId);
    content = normaliseContent(fact(d.content, 'content'));
  } else {
    m = st;
    requireSameManifest(d.manifestId, m.manifestId);
    requireRole('enterPaperManifest', m, c.meta.actor);
    if (d.content !== undefined && d.content !== null) {
      throw DomainError.badInput(
        'content',
        'content: the manifest is on the ledger; file a correction instead',
      );
    }
    content = m.content;
  }
  const manifestId = requireText(d.manifestId, 'manifestId');
  const paperNumber = requireText(d.paperNumber, 'paperNumber');
  const tripStartedAt = requireInstant(d.tripStartedAt, 'tripStartedAt');
  const tripEndedAt = requireInstant(d.tripEndedAt, 'tripEndedAt');
  const backEntryDeadline = requireInstant(d.backEntryDeadline, 'backEntryDeadline');
  const now = iso(c.meta.now);
  if (tripEndedAt < tripStartedAt)
    throw DomainError.badInput('tripEndedAt', 'tripEndedAt: before the trip started');
  if (tripEndedAt > now) throw DomainError.badInput('tripEndedAt', 'tripEndedAt: in the future');
  const carriedLotIds = m?.status === 'IN_TRANSIT' ? [...m.carriedLotIds] : content.lots.map((l) => l.lotId);
  return [
    {
      type: 'PaperManifestEntered',
      data: {
        manifestId,
        paperNumber,
        reason: optionalText(d.reason, 'reason'),
        content: m === null ? content : null,
        agentId: m === null ? agentOf(null, c, content.consignorId) : null,
        fromStatus: st.status,
        carriedLotIds,
        tripStartedAt,
        tripEndedAt,
        backEntryDeadline,
        late: now > backEntryDeadline,
        at: iso(c.meta.occurredAt),
      },
    },
  ];
}
