import { DomainError, isDomainError } from '../../shared/domain/domain-error';
import type { CommandMeta } from '../../shared/domain/decider';
import type {
  DeliverManifest,
  PickupMass,
  RefuseContainer,
  RelayCustody,
  TakeCustody,
} from './manifest.commands';
import type { ManifestEvent } from './manifest.events';
import type { CustodyAct } from './manifest.types';
import type { CarrierCheck, HandoverCodeFact } from './manifest.facts';
import {
  asDisputeReason,
  diffLabels,
  expectStatusFor,
  labelMismatch,
  ownPartyId,
  requireRole,
} from './manifest.policy';
import type { ActiveManifest, ManifestData, ManifestState } from './manifest.state';
import {
  normaliseLabels,
  optionalText,
  requireGrams,
  requireList,
  requireSameManifest,
  requireText,
} from './manifest.validation';

/**
 * Custody acts of the 承运人 (carriers) and the handover to the 接受人: take custody at pickup,
 * refuse a container at loading, relay between legs (联运), deliver.
 *
 * Online, an act that breaks a rule is refused. Offline (synced later, SPEC section 0), what
 * happened is recorded: a broken rule (handover code, labels, licences, loading check) makes the
 * event `disputed` with its reasons; an act that cannot apply to the manifest as it stands at sync
 * (cancelled, moved on, wrong party) becomes a `DisputedScanRecorded` event. Only malformed input
 * is refused in both cases.
 */

const iso = (d: Date): string => d.toISOString();

/**
 * Runs the state and role checks of an act. Online, their refusal stands; offline, it becomes a
 * disputed scan, unless the manifest does not exist (an unknown id is malformed input).
 */
function applicable(
  s: ManifestState,
  meta: CommandMeta,
  check: () => ActiveManifest,
  scan: { act: CustodyAct; manifestId: string; scannedLabels: readonly string[]; place: string | null },
): ActiveManifest | ManifestEvent {
  try {
    return check();
  } catch (e) {
    if (!meta.offline || s.status === 'NONE' || !isDomainError(e) || e.code === 'BAD_USER_INPUT') throw e;
    return {
      type: 'DisputedScanRecorded',
      data: {
        manifestId: scan.manifestId,
        act: scan.act,
        statusAtSync: s.status,
        actorPartyId: ownPartyId(meta.actor),
        scannedLabels: [...scan.scannedLabels],
        place: scan.place,
        disputed: true,
        reasons: [asDisputeReason(e)],
        at: iso(meta.occurredAt),
      },
    };
  }
}

const isEvent = (x: ActiveManifest | ManifestEvent): x is ManifestEvent => 'type' in x;

/** Online: the first violation is the refusal. Offline: all of them are the dispute's evidence. */
function settle(meta: CommandMeta, violations: DomainError[]) {
  if (violations.length > 0 && !meta.offline) throw violations[0];
  return {
    offline: meta.offline === true,
    disputed: violations.length > 0,
    disputeReasons: violations.map(asDisputeReason),
  };
}

function requireCarrierCheck(check: CarrierCheck | undefined): CarrierCheck {
  if (!check || typeof check.ok !== 'boolean')
    throw DomainError.badInput('carrierCheck', 'carrierCheck: required');
  return check;
}

const carrierViolation = (check: CarrierCheck): DomainError | null =>
  check.ok ? null : new DomainError(check.code, check.reason, { leg: check.leg ?? null });

const HANDOVER_RESULTS: readonly string[] = ['VALID', 'INVALID', 'LOCKED', 'EXPIRED'];

function requireHandoverCodeFact(f: HandoverCodeFact | undefined): HandoverCodeFact {
  if (!f || !HANDOVER_RESULTS.includes(f.result))
    throw DomainError.badInput('handoverCode', 'handoverCode: required');
  if (f.result === 'INVALID') requireGrams(f.triesLeft, 'handoverCode.triesLeft', true);
  return f;
}

function handoverCodeViolation(f: HandoverCodeFact, m: ManifestData, at: string): DomainError | null {
  switch (f.result) {
    case 'VALID': {
      const live = m.handoverCode;
      if (!live || live.handoverCodeId !== f.handoverCodeId) {
        return new DomainError('HANDOVER_CODE_INVALID', 'the handover code was replaced or never issued', {
          reason: 'SUPERSEDED',
        });
      }
      if (at > live.expiresAt) {
        return new DomainError('HANDOVER_CODE_INVALID', 'the handover code had expired', {
          reason: 'EXPIRED',
        });
      }
      return null;
    }
    case 'INVALID':
      return new DomainError('HANDOVER_CODE_INVALID', `wrong handover code; ${f.triesLeft} tries left`, {
        reason: 'WRONG_CODE',
        triesLeft: f.triesLeft,
      });
    case 'LOCKED':
      return new DomainError(
        'HANDOVER_CODE_LOCKED',
        'the handover code is locked after five wrong tries; ask the consignor to reissue it',
      );
    case 'EXPIRED':
      return new DomainError('HANDOVER_CODE_INVALID', 'the handover code had expired', { reason: 'EXPIRED' });
  }
}

function pickupMasses(input: readonly PickupMass[] | undefined, scanned: readonly string[]): PickupMass[] {
  if (input === undefined || input === null) return [];
  const seen = new Set<string>();
  return requireList(input, 'pickupMasses').map((p, i) => {
    const labelCode = requireText(p?.labelCode, `pickupMasses[${i}].labelCode`);
    if (!scanned.includes(labelCode)) {
      throw DomainError.badInput(
        `pickupMasses[${i}].labelCode`,
        `pickupMasses[${i}].labelCode: ${labelCode} was not scanned`,
      );
    }
    if (seen.has(labelCode))
      throw DomainError.badInput(`pickupMasses[${i}]`, `pickupMasses[${i}]: ${labelCode} weighed twice`);
    seen.add(labelCode);
    return { labelCode, grams: requireGrams(p.grams, `pickupMasses[${i}].grams`) };
  });
}

/** The manifest's lots whose labels were scanned: what is on the vehicle. */
const lotsScanned = (m: ManifestData, scanned: readonly string[], among: readonly string[]): string[] =>
  m.content.lots.filter((l) => among.includes(l.lotId) && scanned.includes(l.labelCode)).map((l) => l.lotId);

const labelsOf = (m: ManifestData, lotIds: readonly string[]): string[] =>
  m.content.lots.filter((l) => lotIds.includes(l.lotId)).map((l) => l.labelCode);

/** 承运人 leg 1 takes the waste: loading check, labels, handover code, carrier re-checked. */
export function takeCustody(c: TakeCustody, s: ManifestState): ManifestEvent[] {
  const d = c.data;
  const scanned = normaliseLabels(d.scannedLabels, 'scannedLabels');
  const masses = pickupMasses(d.pickupMasses, scanned);
  const place = optionalText(d.place, 'place');
  if (typeof d.shipperLoadingCheckPassed !== 'boolean') {
    throw DomainError.badInput('shipperLoadingCheckPassed', 'shipperLoadingCheckPassed: required');
  }
  const handoverCode = requireHandoverCodeFact(d.handoverCode);
  const carrierCheck = requireCarrierCheck(d.carrierCheck);
  const r = applicable(
    s,
    c.meta,
    () => {
      const m = expectStatusFor(s, 'takeCustody', 'SUBMITTED');
      requireSameManifest(d.manifestId, m.manifestId);
      requireRole('takeCustody', m, c.meta.actor);
      return m;
    },
    { act: 'takeCustody', manifestId: d.manifestId, scannedLabels: scanned, place },
  );
  if (isEvent(r)) return [r];
  const m = r;
  const at = iso(c.meta.occurredAt);
  const violations: DomainError[] = [];
  if (!d.shipperLoadingCheckPassed) {
    violations.push(
      new DomainError(
        'FORBIDDEN',
        "the shipper's (托运人) loading check did not pass: the waste may not be loaded",
        {
          check: 'SHIPPER_LOADING_CHECK',
        },
      ),
    );
  }
  const { missing, extra } = diffLabels(
    scanned,
    m.content.lots.map((l) => l.labelCode),
  );
  if (missing.length > 0 || extra.length > 0) violations.push(labelMismatch(missing, extra));
  const code = handoverCodeViolation(handoverCode, m, at);
  if (code) violations.push(code);
  const carrier = carrierViolation(carrierCheck);
  if (carrier) violations.push(carrier);
  const evidence = settle(c.meta, violations);
  const carried = lotsScanned(
    m,
    scanned,
    m.content.lots.map((l) => l.lotId),
  );
  const leg = m.content.legs[0];
  return [
    {
      type: 'CustodyTaken',
      data: {
        manifestId: m.manifestId,
        leg: 1,
        carrierId: leg.carrierId,
        vehicleId: leg.vehicleId,
        place,
        at,
        scannedLabels: scanned,
        carriedLotIds: carried,
        pickupMasses: masses.flatMap((p) => {
          const lot = m.content.lots.find((l) => l.labelCode === p.labelCode);
          return lot ? [{ lotId: lot.lotId, labelCode: p.labelCode, grams: p.grams }] : [];
        }),
        handoverCodeId: handoverCode.result === 'VALID' ? handoverCode.handoverCodeId : null,
        shipperLoadingCheckPassed: d.shipperLoadingCheckPassed,
        ...evidence,
      },
    },
  ];
}

/** 承运人 leg 1 refuses a container at loading: it leaves the manifest and stays with the consignor. */
export function refuseContainer(c: RefuseContainer, s: ManifestState): ManifestEvent[] {
  const lotId = requireText(c.data.lotId, 'lotId');
  const reason = requireText(c.data.reason, 'reason');
  const r = applicable(
    s,
    c.meta,
    () => {
      const m = expectStatusFor(s, 'refuseContainer', 'SUBMITTED');
      requireSameManifest(c.data.manifestId, m.manifestId);
      requireRole('refuseContainer', m, c.meta.actor);
      return m;
    },
    { act: 'refuseContainer', manifestId: c.data.manifestId, scannedLabels: [], place: null },
  );
  if (isEvent(r)) return [r];
  const lot = r.content.lots.find((l) => l.lotId === lotId);
  if (!lot) throw DomainError.badInput('lotId', `lotId: ${lotId} is not on the manifest`);
  const reservation = r.submission?.capacityReservations.find((x) => x.lotIds.includes(lotId));
  return [
    {
      type: 'ContainerRefused',
      data: {
        manifestId: r.manifestId,
        lotId,
        labelCode: lot.labelCode,
        carrierId: r.content.legs[0].carrierId,
        reason,
        declaredGrams: lot.declaredGrams,
        capacityReservationId: reservation?.reservationId ?? null,
        crossProvinceReservationId: r.submission?.crossProvince?.reservationId ?? null,
        offline: c.meta.offline === true,
        at: iso(c.meta.occurredAt),
      },
    },
  ];
}

function invalidLeg(m: ActiveManifest, act: 'relay' | 'deliver', message: string): DomainError {
  return new DomainError('INVALID_TRANSITION', `${act}: ${message}`, {
    currentState: m.status,
    currentLeg: m.currentLeg,
    legs: m.content.legs.length,
    act,
    allowedActs: [act === 'relay' ? 'deliver' : 'relay'],
  });
}

/** 联运: the next leg's carrier takes the waste from the previous one, at a time and place. */
export function relay(c: RelayCustody, s: ManifestState): ManifestEvent[] {
  const d = c.data;
  const scanned = normaliseLabels(d.scannedLabels, 'scannedLabels');
  const place = requireText(d.place, 'place');
  const carrierCheck = requireCarrierCheck(d.carrierCheck);
  const r = applicable(
    s,
    c.meta,
    () => {
      const m = expectStatusFor(s, 'relay', 'IN_TRANSIT');
      requireSameManifest(d.manifestId, m.manifestId);
      if (m.currentLeg >= m.content.legs.length) throw invalidLeg(m, 'relay', 'the waste is on the last leg');
      requireRole('relay', m, c.meta.actor);
      return m;
    },
    { act: 'relay', manifestId: d.manifestId, scannedLabels: scanned, place },
  );
  if (isEvent(r)) return [r];
  const m = r;
  const violations: DomainError[] = [];
  const { missing, extra } = diffLabels(scanned, labelsOf(m, m.carriedLotIds));
  if (missing.length > 0 || extra.length > 0) violations.push(labelMismatch(missing, extra));
  const carrier = carrierViolation(carrierCheck);
  if (carrier) violations.push(carrier);
  const evidence = settle(c.meta, violations);
  const next = m.content.legs[m.currentLeg];
  return [
    {
      type: 'CustodyRelayed',
      data: {
        manifestId: m.manifestId,
        fromLeg: m.currentLeg,
        toLeg: m.currentLeg + 1,
        fromCarrierId: m.content.legs[m.currentLeg - 1].carrierId,
        toCarrierId: next.carrierId,
        vehicleId: next.vehicleId,
        place,
        at: iso(c.meta.occurredAt),
        scannedLabels: scanned,
        carriedLotIds: lotsScanned(m, scanned, m.carriedLotIds),
        ...evidence,
      },
    },
  ];
}

/** The last carrier and the named 接受人 record the handover, only to that receiver (Transfer Measures art. 11). */
export function deliver(c: DeliverManifest, s: ManifestState): ManifestEvent[] {
  const d = c.data;
  const receiverId = requireText(d.receiverId, 'receiverId');
  const place = optionalText(d.place, 'place');
  const r = applicable(
    s,
    c.meta,
    () => {
      const m = expectStatusFor(s, 'deliver', 'IN_TRANSIT');
      requireSameManifest(d.manifestId, m.manifestId);
      if (m.currentLeg < m.content.legs.length) {
        throw invalidLeg(m, 'deliver', `the waste is on leg ${m.currentLeg} of ${m.content.legs.length}`);
      }
      requireRole('deliver', m, c.meta.actor);
      if (receiverId !== m.content.receiverId) {
        throw new DomainError('FORBIDDEN', 'deliver: only to the receiver named on the manifest', {
          receiverId,
          namedReceiverId: m.content.receiverId,
        });
      }
      return m;
    },
    { act: 'deliver', manifestId: d.manifestId, scannedLabels: [], place },
  );
  if (isEvent(r)) return [r];
  const legs = r.content.legs;
  return [
    {
      type: 'ManifestDelivered',
      data: {
        manifestId: r.manifestId,
        carrierId: legs[legs.length - 1].carrierId,
        receiverId,
        signedByPartyId: ownPartyId(c.meta.actor) ?? receiverId,
        place,
        offline: c.meta.offline === true,
        at: iso(c.meta.occurredAt),
      },
    },
  ];
}
