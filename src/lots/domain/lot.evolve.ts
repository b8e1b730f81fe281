import { impossible } from '../../shared/domain/decider';
import { assertNever } from '../../shared/domain/domain-error';
import type { LotDescription, LotEvent } from './lot.events';
import type { LotCommon, LotOrigin, LotState, LotStatus } from './lot.state';

/**
 * Folds one event into a lot's state. Total over the event union, and strict: an event that cannot
 * follow the state (wrong status, another lot's id, a release of a manifest the lot is not on) is
 * a bug in the history, never a user error, so it throws.
 */
function from<K extends LotStatus>(
  s: LotState,
  e: LotEvent,
  ...allowed: K[]
): Extract<LotState, { status: K }> {
  if (!(allowed as string[]).includes(s.status)) impossible(s, e.type);
  if (s.status !== 'NONE' && 'lotId' in s && s.lotId !== e.data.lotId)
    impossible(s, `${e.type} of lot ${e.data.lotId}`);
  return s as Extract<LotState, { status: K }>;
}

const describe = (d: LotDescription): LotDescription => ({
  labelCode: d.labelCode,
  batchCode: d.batchCode,
  wasteCode: d.wasteCode,
  category: d.category,
  medicalClass: d.medicalClass,
  form: d.form,
  packaging: d.packaging,
  mainComponents: d.mainComponents,
  hazards: d.hazards,
  massBasis: d.massBasis,
});

const opened = (
  d: LotDescription & { lotId: string; massGrams: number; emergency: boolean },
  origin: LotOrigin,
  parties: { originPartyId: string; producerPartyId: string | null; custodianPartyId: string },
  clockStartsAt: string,
  exemptSource: boolean,
): LotCommon => ({
  ...describe(d),
  lotId: d.lotId,
  origin,
  ...parties,
  massGrams: d.massGrams,
  clockStartsAt,
  exemptSource,
  emergency: d.emergency,
});

export function evolve(s: LotState, e: LotEvent): LotState {
  switch (e.type) {
    case 'LotGenerated': {
      from(s, e, 'NONE');
      const d = e.data;
      const parties = {
        originPartyId: d.producerPartyId,
        producerPartyId: d.producerPartyId,
        custodianPartyId: d.producerPartyId,
      };
      const common = opened(d, { kind: 'GENERATED' }, parties, d.at, d.exemptSource);
      return {
        ...common,
        status: 'GENERATED',
        siteId: d.siteId,
        facilityId: d.facilityId,
        openManifestId: null,
      };
    }
    case 'LotCreatedAsResidue': {
      from(s, e, 'NONE');
      const d = e.data;
      const parties = {
        originPartyId: d.producerPartyId,
        producerPartyId: d.producerPartyId,
        custodianPartyId: d.producerPartyId,
      };
      const common = opened(d, { kind: 'RESIDUE', sourceLotIds: d.sourceLotIds }, parties, d.at, false);
      return {
        ...common,
        status: 'GENERATED',
        siteId: d.siteId,
        facilityId: d.facilityId,
        openManifestId: null,
      };
    }
    case 'LotCreatedByConsolidation': {
      from(s, e, 'NONE');
      const d = e.data;
      const parties = {
        originPartyId: d.originPartyId,
        producerPartyId: null,
        custodianPartyId: d.originPartyId,
      };
      const common = opened(
        d,
        { kind: 'CONSOLIDATION', sources: d.sources },
        parties,
        d.clockStartsAt,
        false,
      );
      return {
        ...common,
        status: 'STORED',
        siteId: d.siteId,
        facilityId: d.facilityId,
        openManifestId: null,
      };
    }
    case 'LotCreatedBySplit': {
      from(s, e, 'NONE');
      const d = e.data;
      const parties = {
        originPartyId: d.originPartyId,
        producerPartyId: d.producerPartyId,
        custodianPartyId: d.originPartyId,
      };
      const common = opened(
        d,
        { kind: 'SPLIT', sourceLotId: d.sourceLotId },
        parties,
        d.clockStartsAt,
        d.exemptSource,
      );
      return {
        ...common,
        status: 'STORED',
        siteId: d.siteId,
        facilityId: d.facilityId,
        openManifestId: null,
      };
    }
    case 'LotRejectedPartCreated': {
      from(s, e, 'NONE');
      const d = e.data;
      const parties = {
        originPartyId: d.receiverPartyId,
        producerPartyId: d.producerPartyId,
        custodianPartyId: d.receiverPartyId,
      };
      const common = opened(
        d,
        { kind: 'REJECTED_PART', sourceLotId: d.sourceLotId },
        parties,
        d.at,
        d.exemptSource,
      );
      return {
        ...common,
        status: 'REJECTED',
        siteId: d.siteId,
        facilityId: d.facilityId,
        openManifestId: null,
        rejectedOnManifestId: d.manifestId,
      };
    }
    case 'LotStored':
      return {
        ...from(s, e, 'GENERATED'),
        status: 'STORED',
        siteId: e.data.siteId,
        facilityId: e.data.facilityId,
      };
    case 'LotMoved': {
      const l = from(s, e, 'STORED');
      if (l.facilityId !== e.data.fromFacilityId || l.siteId !== e.data.siteId) impossible(s, e.type);
      return { ...l, facilityId: e.data.toFacilityId };
    }
    case 'LotReservedOnManifest': {
      const l = from(s, e, 'GENERATED', 'STORED', 'REJECTED');
      if (l.openManifestId !== null) impossible(s, e.type);
      return { ...l, openManifestId: e.data.manifestId };
    }
    case 'LotReleasedFromManifest':
    case 'LotRefusedAtLoading': {
      const l = from(s, e, 'GENERATED', 'STORED', 'REJECTED');
      if (l.openManifestId !== e.data.manifestId) impossible(s, e.type);
      return { ...l, openManifestId: null };
    }
    case 'LotCustodyTaken': {
      const l = from(s, e, 'GENERATED', 'STORED', 'REJECTED');
      const d = e.data;
      if (l.openManifestId !== d.manifestId && !d.disputed) impossible(s, e.type);
      return {
        ...common(l),
        status: 'IN_TRANSIT',
        custodianPartyId: d.carrierPartyId,
        manifestId: d.manifestId,
        leg: d.leg,
        consignorPartyId: d.fromPartyId,
        pickupMassGrams: d.pickupMassGrams,
        disputed: d.disputed,
      };
    }
    case 'LotRelayed': {
      const l = from(s, e, 'IN_TRANSIT');
      if (l.manifestId !== e.data.manifestId || l.custodianPartyId !== e.data.fromCarrierPartyId)
        impossible(s, e.type);
      return {
        ...l,
        custodianPartyId: e.data.toCarrierPartyId,
        leg: e.data.leg,
        disputed: l.disputed || e.data.disputed,
      };
    }
    case 'LotDelivered': {
      const l = from(s, e, 'IN_TRANSIT');
      const d = e.data;
      if (l.manifestId !== d.manifestId || l.custodianPartyId !== d.carrierPartyId) impossible(s, e.type);
      return {
        ...common(l),
        status: 'DELIVERED',
        manifestId: l.manifestId,
        carrierPartyId: d.carrierPartyId,
        receiverPartyId: d.receiverPartyId,
        custodianPartyId: d.receiverPartyId,
        siteId: d.siteId,
        pickupMassGrams: l.pickupMassGrams,
        disputed: l.disputed,
      };
    }
    case 'LotReceived': {
      const l = from(s, e, 'DELIVERED');
      const d = e.data;
      if (l.manifestId !== d.manifestId || l.receiverPartyId !== d.receiverPartyId) impossible(s, e.type);
      if (d.acceptedMassGrams + d.rejectedMassGrams !== d.measuredMassGrams) impossible(s, e.type);
      const held = {
        ...common(l),
        custodianPartyId: d.receiverPartyId,
        siteId: d.siteId,
        facilityId: d.facilityId,
        openManifestId: null,
        clockStartsAt: d.at,
      };
      return d.decision === 'REJECTED'
        ? { ...held, status: 'REJECTED', massGrams: d.measuredMassGrams, rejectedOnManifestId: d.manifestId }
        : { ...held, status: 'STORED', massGrams: d.acceptedMassGrams };
    }
    case 'LotHandedOverExempt': {
      const l = from(s, e, 'GENERATED', 'STORED');
      const d = e.data;
      if (l.openManifestId !== null) impossible(s, e.type);
      return {
        ...l,
        status: 'STORED',
        custodianPartyId: d.toPartyId,
        siteId: d.toSiteId,
        facilityId: d.toFacilityId,
        clockStartsAt: d.at,
      };
    }
    case 'LotConsolidatedInto': {
      const l = from(s, e, 'STORED');
      if (l.massGrams !== e.data.massGrams) impossible(s, e.type);
      const at = { siteId: l.siteId, facilityId: l.facilityId, endedAt: e.data.at };
      return { ...common(l), ...at, status: 'CONSOLIDATED', targetLotId: e.data.targetLotId };
    }
    case 'LotSplit': {
      const l = from(s, e, 'STORED');
      if (l.massGrams !== e.data.massGrams) impossible(s, e.type);
      const at = { siteId: l.siteId, facilityId: l.facilityId, endedAt: e.data.at };
      return { ...common(l), ...at, status: 'SPLIT', parts: e.data.parts };
    }
    case 'LotTreated': {
      const l = from(s, e, 'GENERATED', 'STORED');
      const d = e.data;
      if (l.massGrams !== d.treatedMassGrams) impossible(s, e.type);
      const treated = {
        ...common(l),
        siteId: l.siteId,
        facilityId: l.facilityId,
        method: d.method,
        treatedMassGrams: d.treatedMassGrams,
        residueLotIds: d.residueLotIds,
        endedAt: d.at,
      };
      return d.mode === 'UTILISE' ? { ...treated, status: 'UTILISED' } : { ...treated, status: 'DISPOSED' };
    }
    case 'LotLossRecorded': {
      const l = from(s, e, 'GENERATED', 'STORED', 'IN_TRANSIT', 'DELIVERED', 'REJECTED');
      const d = e.data;
      if (d.remainingMassGrams !== l.massGrams - d.massGrams || d.total !== (d.remainingMassGrams === 0))
        impossible(s, e.type);
      if (!d.total) return { ...l, massGrams: d.remainingMassGrams };
      return {
        ...common(l),
        status: 'LOST',
        siteId: 'siteId' in l ? l.siteId : null,
        lossKind: d.kind,
        endedAt: d.at,
      };
    }
    default:
      return assertNever(e, 'lot event');
  }
}

/** The common fields of a lot, without its status-specific ones. */
function common(l: LotCommon): LotCommon {
  return {
    ...describe(l),
    lotId: l.lotId,
    origin: l.origin,
    originPartyId: l.originPartyId,
    producerPartyId: l.producerPartyId,
    custodianPartyId: l.custodianPartyId,
    massGrams: l.massGrams,
    clockStartsAt: l.clockStartsAt,
    exemptSource: l.exemptSource,
    emergency: l.emergency,
  };
}
