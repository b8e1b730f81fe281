import type { CommandMeta, Decider } from '../../shared/domain/decider';
import { DomainError, assertNever } from '../../shared/domain/domain-error';
import type {
  DeliverLot,
  GenerateLot,
  HandOverLotExempt,
  LotCommand,
  RecordLotLoss,
  RefuseLotAtLoading,
  RelayLot,
  ReleaseLotFromManifest,
  ReserveLotOnManifest,
  StoreLot,
  TakeLotCustody,
} from './lot.commands';
import { LOSS_KINDS, type LotEvent } from './lot.events';
import { evolve } from './lot.evolve';
import {
  actorParty,
  businessTime,
  checkNewLot,
  expectLotStatus,
  requireCustodian,
  requireFacility,
  requireFree,
  requireMass,
  requireNamedParty,
  requireSameLot,
  requireText,
} from './lot.policy';
import { initialLotState, type LotState } from './lot.state';

/**
 * 批次 — decisions on one lot's stream (SPEC section 5). Each function: the state precondition,
 * who may act, the input, then the events. Acts that write several streams (receipt, consolidation,
 * split, treatment) are in `lot-receipt.decider.ts` and `lot-lineage.decider.ts`.
 */

/** 产生 — generation by the producer (or its agent). */
const generate = (c: GenerateLot, s: LotState): LotEvent[] => {
  expectLotStatus(s, 'NONE');
  const d = c.data;
  requireNamedParty(c.meta, requireText(d.producerPartyId, 'producerPartyId'), 'producer');
  const lot = checkNewLot(d, d.facts.code, d.facts.maxLotMassGrams);
  const facility = requireFacility(d.facts.facility, d.facilityId, 'facilityId');
  if (facility.partyId !== d.producerPartyId)
    throw DomainError.badInput('facilityId', 'facilityId: not a facility of the producer');
  return [
    {
      type: 'LotGenerated',
      data: {
        ...lot,
        producerPartyId: d.producerPartyId,
        siteId: facility.siteId,
        facilityId: facility.facilityId,
        exemptSource: d.facts.exemptSource === true,
        emergency: d.facts.emergency === true,
        at: businessTime(c.meta),
      },
    },
  ];
};

/** 贮存 — store in, or move between facilities of the same site. */
const store = (c: StoreLot, s: LotState): LotEvent[] => {
  const l = expectLotStatus(s, 'GENERATED', 'STORED');
  requireSameLot(c, l);
  requireCustodian(l, c.meta);
  const facility = requireFacility(c.data.facts.facility, c.data.facilityId, 'facilityId');
  if (facility.siteId !== l.siteId)
    throw DomainError.badInput('facilityId', 'facilityId: not a facility of the lot’s site (use a manifest)');
  const at = businessTime(c.meta);
  if (l.status === 'GENERATED') {
    return [
      { type: 'LotStored', data: { lotId: l.lotId, siteId: l.siteId, facilityId: facility.facilityId, at } },
    ];
  }
  if (facility.facilityId === l.facilityId)
    throw DomainError.badInput('facilityId', 'facilityId: the lot is already there');
  return [
    {
      type: 'LotMoved',
      data: {
        lotId: l.lotId,
        siteId: l.siteId,
        fromFacilityId: l.facilityId,
        toFacilityId: facility.facilityId,
        at,
      },
    },
  ];
};

const reserve = (c: ReserveLotOnManifest, s: LotState): LotEvent[] => {
  const l = expectLotStatus(s, 'GENERATED', 'STORED', 'REJECTED');
  requireSameLot(c, l);
  const consignor = requireCustodian(l, c.meta);
  const manifestId = requireText(c.data.manifestId, 'manifestId');
  if (l.openManifestId === manifestId) return [];
  requireFree(l);
  return [
    {
      type: 'LotReservedOnManifest',
      data: { lotId: l.lotId, manifestId, consignorPartyId: consignor, at: businessTime(c.meta) },
    },
  ];
};

function requireReservedOn(l: { lotId: string; openManifestId: string | null }, manifestId: string): void {
  if (l.openManifestId === manifestId) return;
  if (l.openManifestId !== null) requireFree(l);
  throw DomainError.badInput('manifestId', `manifestId: lot ${l.lotId} is not on manifest ${manifestId}`);
}

const release = (c: ReleaseLotFromManifest, s: LotState): LotEvent[] => {
  const l = expectLotStatus(s, 'GENERATED', 'STORED', 'REJECTED');
  requireSameLot(c, l);
  requireCustodian(l, c.meta);
  const manifestId = requireText(c.data.manifestId, 'manifestId');
  requireReservedOn(l, manifestId);
  const reason = requireText(c.data.reason, 'reason');
  return [
    {
      type: 'LotReleasedFromManifest',
      data: { lotId: l.lotId, manifestId, reason, at: businessTime(c.meta) },
    },
  ];
};

function disputeReasons(reasons: unknown): string[] {
  if (!Array.isArray(reasons))
    throw DomainError.badInput('facts.disputeReasons', 'facts.disputeReasons: a list');
  return reasons.map((r, i) => requireText(r, `facts.disputeReasons.${i}`));
}

/**
 * The carrier doing a custody act: online it must be the one the manifest names; an offline act by
 * another carrier already happened, so it is recorded, disputed (SPEC section 0).
 */
function carrierActing(meta: CommandMeta, named: string | null, role: string, reasons: string[]): string {
  const party = actorParty(meta);
  if (meta.offline === true && party !== undefined && party !== named) {
    reasons.push('CARRIER_NOT_NAMED');
    return party;
  }
  return requireNamedParty(meta, named, role);
}

/** 转移 — the first carrier takes the container. Online it must be on that manifest; offline it is recorded, disputed. */
const takeCustody = (c: TakeLotCustody, s: LotState): LotEvent[] => {
  const l = expectLotStatus(s, 'GENERATED', 'STORED', 'REJECTED');
  requireSameLot(c, l);
  const reasons = disputeReasons(c.data.facts.disputeReasons);
  const carrier = carrierActing(
    c.meta,
    c.data.facts.namedCarrierPartyId,
    'carrier named on the manifest',
    reasons,
  );
  const manifestId = requireText(c.data.manifestId, 'manifestId');
  if (l.openManifestId !== manifestId) {
    if (c.meta.offline !== true) requireReservedOn(l, manifestId);
    reasons.push(l.openManifestId === null ? 'LOT_NOT_ON_MANIFEST' : 'LOT_ON_OTHER_MANIFEST');
  }
  const pickup =
    c.data.pickupMassGrams === null ? null : requireMass(c.data.pickupMassGrams, 'pickupMassGrams');
  return [
    {
      type: 'LotCustodyTaken',
      data: {
        lotId: l.lotId,
        manifestId,
        fromPartyId: l.custodianPartyId,
        carrierPartyId: carrier,
        leg: 1,
        pickupMassGrams: pickup,
        disputed: reasons.length > 0,
        disputeReasons: reasons,
        at: businessTime(c.meta),
      },
    },
  ];
};

const refuseAtLoading = (c: RefuseLotAtLoading, s: LotState): LotEvent[] => {
  const l = expectLotStatus(s, 'GENERATED', 'STORED', 'REJECTED');
  requireSameLot(c, l);
  const carrier = requireNamedParty(
    c.meta,
    c.data.facts.namedCarrierPartyId,
    'carrier named on the manifest',
  );
  const manifestId = requireText(c.data.manifestId, 'manifestId');
  requireReservedOn(l, manifestId);
  const reason = requireText(c.data.reason, 'reason');
  return [
    {
      type: 'LotRefusedAtLoading',
      data: { lotId: l.lotId, manifestId, carrierPartyId: carrier, reason, at: businessTime(c.meta) },
    },
  ];
};

function requireOnManifest(l: { manifestId: string }, manifestId: unknown): string {
  const id = requireText(manifestId, 'manifestId');
  if (id !== l.manifestId)
    throw DomainError.badInput('manifestId', `manifestId: the lot travels on manifest ${l.manifestId}`);
  return id;
}

/** 运输 — relay to the carrier named for the next leg. */
const relay = (c: RelayLot, s: LotState): LotEvent[] => {
  const l = expectLotStatus(s, 'IN_TRANSIT');
  requireSameLot(c, l);
  const reasons = disputeReasons(c.data.facts.disputeReasons);
  const next = carrierActing(
    c.meta,
    c.data.facts.nextCarrierPartyId,
    'carrier named for the next leg',
    reasons,
  );
  const manifestId = requireOnManifest(l, c.data.manifestId);
  if (next === l.custodianPartyId) throw new DomainError('FORBIDDEN', 'a carrier cannot relay to itself');
  return [
    {
      type: 'LotRelayed',
      data: {
        lotId: l.lotId,
        manifestId,
        fromCarrierPartyId: l.custodianPartyId,
        toCarrierPartyId: next,
        leg: l.leg + 1,
        place: c.data.place === null ? null : requireText(c.data.place, 'place'),
        disputed: reasons.length > 0,
        disputeReasons: reasons,
        at: businessTime(c.meta),
      },
    },
  ];
};

/** Handover to the named receiver, recorded by the carrier holding the lot or by that receiver. */
const deliver = (c: DeliverLot, s: LotState): LotEvent[] => {
  const l = expectLotStatus(s, 'IN_TRANSIT');
  requireSameLot(c, l);
  const named = c.data.facts.namedReceiverPartyId;
  const party = actorParty(c.meta);
  if (party !== l.custodianPartyId)
    requireNamedParty(c.meta, named, 'carrier holding the lot or the named receiver');
  const manifestId = requireOnManifest(l, c.data.manifestId);
  if (c.data.receiverPartyId !== named)
    throw new DomainError('FORBIDDEN', 'delivery only to the receiver named on the manifest', {
      field: 'receiverPartyId',
    });
  return [
    {
      type: 'LotDelivered',
      data: {
        lotId: l.lotId,
        manifestId,
        carrierPartyId: l.custodianPartyId,
        receiverPartyId: named,
        siteId: requireText(c.data.facts.namedReceiverSiteId, 'facts.namedReceiverSiteId'),
        at: businessTime(c.meta),
      },
    },
  ];
};

/** Exemption #2: a ≤ 19-bed clinic hands medical waste to its township health centre without a manifest. */
const handOverExempt = (c: HandOverLotExempt, s: LotState): LotEvent[] => {
  const l = expectLotStatus(s, 'GENERATED', 'STORED');
  requireSameLot(c, l);
  const from = requireCustodian(l, c.meta);
  const f = c.data.facts;
  if (f.epidemicSuspendsExemption)
    throw new DomainError('FORBIDDEN', 'a declared major epidemic suspends the exemption: use a manifest');
  if (!f.exemptionApplies)
    throw new DomainError('FORBIDDEN', 'no exemption covers this handover: use a manifest');
  requireFree(l);
  const to = requireText(c.data.toPartyId, 'toPartyId');
  if (to === from)
    throw DomainError.badInput('toPartyId', 'toPartyId: the lot is already held by this party');
  const facility = requireFacility(f.toFacility, c.data.toFacilityId, 'toFacilityId');
  if (facility.partyId !== to)
    throw DomainError.badInput('toFacilityId', 'toFacilityId: not a facility of the receiving party');
  return [
    {
      type: 'LotHandedOverExempt',
      data: {
        lotId: l.lotId,
        fromPartyId: from,
        toPartyId: to,
        toSiteId: facility.siteId,
        toFacilityId: facility.facilityId,
        at: businessTime(c.meta),
      },
    },
  ];
};

/** A physical fact, always recorded when well formed: part of the mass, or all of it (`massGrams: null`). */
const recordLoss = (c: RecordLotLoss, s: LotState): LotEvent[] => {
  const l = expectLotStatus(s, 'GENERATED', 'STORED', 'IN_TRANSIT', 'DELIVERED', 'REJECTED');
  requireSameLot(c, l);
  const by = requireCustodian(l, c.meta);
  if (!LOSS_KINDS.includes(c.data.kind))
    throw DomainError.badInput('kind', `kind: one of ${LOSS_KINDS.join(', ')}`);
  const mass = c.data.massGrams === null ? l.massGrams : requireMass(c.data.massGrams, 'massGrams');
  if (mass > l.massGrams)
    throw DomainError.badInput('massGrams', `massGrams: more than the ${l.massGrams} g the lot holds`);
  const remaining = l.massGrams - mass;
  return [
    {
      type: 'LotLossRecorded',
      data: {
        lotId: l.lotId,
        kind: c.data.kind,
        massGrams: mass,
        remainingMassGrams: remaining,
        total: remaining === 0,
        reason: requireText(c.data.reason, 'reason'),
        manifestId: 'openManifestId' in l ? l.openManifestId : l.manifestId,
        recordedByPartyId: by,
        at: businessTime(c.meta),
      },
    },
  ];
};

export function decide(c: LotCommand, s: LotState): LotEvent[] {
  switch (c.type) {
    case 'GenerateLot':
      return generate(c, s);
    case 'StoreLot':
      return store(c, s);
    case 'ReserveLotOnManifest':
      return reserve(c, s);
    case 'ReleaseLotFromManifest':
      return release(c, s);
    case 'TakeLotCustody':
      return takeCustody(c, s);
    case 'RefuseLotAtLoading':
      return refuseAtLoading(c, s);
    case 'RelayLot':
      return relay(c, s);
    case 'DeliverLot':
      return deliver(c, s);
    case 'HandOverLotExempt':
      return handOverExempt(c, s);
    case 'RecordLotLoss':
      return recordLoss(c, s);
    default:
      return assertNever(c, 'lot command');
  }
}

export { evolve };

/** The single-stream lot decider (emmett shape). */
export const lotDecider: Decider<LotState, LotCommand, LotEvent> = {
  initialState: initialLotState,
  decide,
  evolve,
};
