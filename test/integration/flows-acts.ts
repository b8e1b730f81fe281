import { randomUUID } from 'node:crypto';
import {
  decide,
  decideConsolidation,
  decideReceipt,
  decideSplit,
  decideTreatment,
  initialLotState,
  type FacilityFact,
  type LotCommand,
  type LotDecision,
  type NewLotInput,
  type ReceiptDecision,
} from '../../src/lots/domain';
import type { LoadedLot } from '../../src/lots/lot-ledger';

/**
 * The lot acts of the flows property test as decisions of the pure lot deciders, with the facts a
 * service would look up made up for synthetic sites: each site has one party and two facilities
 * (0 PRODUCTION, 1 STORAGE_WAREHOUSE); every party may treat, consolidate and hand over.
 */
export type Meta = LotCommand['meta'];
/** Builds a decision from the lots loaded (locked) in the ledger transaction. */
export type Build = (loaded: Map<string, LoadedLot>, meta: Meta) => LotDecision;

const MAX = 40_000_000;
const code = (wasteCode: string) => ({ codeExists: true, category: `HW${wasteCode.slice(-2)}` });

export const partyOf = (site: string): string => `party-${site}`;
export const facility = (site: string, k: 0 | 1): FacilityFact => ({
  facilityId: `fac-${site}-${k}`,
  siteId: site,
  partyId: partyOf(site),
  type: k === 0 ? 'PRODUCTION' : 'STORAGE_WAREHOUSE',
});

export const newLot = (
  wasteCode: string,
  massGrams: number,
  form: 'LIQUID' | 'SOLID' = 'LIQUID',
): NewLotInput => ({
  lotId: randomUUID(),
  labelCode: `P-${randomUUID()}`,
  batchCode: 'B-PROPERTY',
  wasteCode,
  massGrams,
  massBasis: 'WEIGHED',
  form,
  packaging: 'drum',
  mainComponents: [],
  hazards: ['T'],
  medicalClass: null,
});

/** A command on one existing lot. */
const one =
  (lotId: string, command: (meta: Meta) => LotCommand): Build =>
  (loaded, meta) => ({
    sourceEvents: [{ lotId, events: decide(command(meta), loaded.get(lotId)!.state) }],
    newLotEvents: [],
  });

export const generate =
  (lot: NewLotInput, site: string): Build =>
  (_, meta) => {
    const f = facility(site, 0);
    const data = { ...lot, producerPartyId: partyOf(site), facilityId: f.facilityId };
    const facts = {
      code: code(lot.wasteCode),
      facility: f,
      maxLotMassGrams: MAX,
      exemptSource: false,
      emergency: false,
    };
    return {
      sourceEvents: [],
      newLotEvents: [
        {
          lotId: lot.lotId,
          events: decide({ type: 'GenerateLot', meta, data: { ...data, facts } }, initialLotState()),
        },
      ],
    };
  };

export const store = (lotId: string, to: FacilityFact): Build =>
  one(lotId, (meta) => ({
    type: 'StoreLot',
    meta,
    data: { lotId, facilityId: to.facilityId, facts: { facility: to } },
  }));

export const reserve = (lotId: string, manifestId: string): Build =>
  one(lotId, (meta) => ({ type: 'ReserveLotOnManifest', meta, data: { lotId, manifestId } }));

export const takeCustody = (lotId: string, manifestId: string, carrier: string): Build =>
  one(lotId, (meta) => ({
    type: 'TakeLotCustody',
    meta,
    data: {
      lotId,
      manifestId,
      pickupMassGrams: null,
      facts: { namedCarrierPartyId: carrier, disputeReasons: [] },
    },
  }));

export const deliver = (lotId: string, manifestId: string, dest: string): Build =>
  one(lotId, (meta) => ({
    type: 'DeliverLot',
    meta,
    data: {
      lotId,
      manifestId,
      receiverPartyId: partyOf(dest),
      facts: { namedReceiverPartyId: partyOf(dest), namedReceiverSiteId: dest },
    },
  }));

export const receive =
  (
    lotId: string,
    manifestId: string,
    dest: string,
    decision: ReceiptDecision,
    measured: number,
    rejected: number | null,
  ): Build =>
  (loaded, meta) => {
    const f = facility(dest, 1);
    const part =
      decision === 'PARTIALLY_ACCEPTED' ? { lotId: randomUUID(), labelCode: `R-${randomUUID()}` } : null;
    const data = {
      lotId,
      manifestId,
      decision,
      measuredMassGrams: measured,
      rejectedMassGrams: part ? rejected : null,
      rejectedPart: part,
      reason: decision === 'ACCEPTED' ? null : '不符',
      facilityId: f.facilityId,
      facts: { facility: f, discrepancyToleranceBasisPoints: 500 },
    };
    return decideReceipt({ type: 'RecordLotReceipt', meta, data }, loaded.get(lotId)!.state);
  };

export const handOver = (lotId: string, dest: string): Build => {
  const to = facility(dest, 1);
  return one(lotId, (meta) => ({
    type: 'HandOverLotExempt',
    meta,
    data: {
      lotId,
      toPartyId: partyOf(dest),
      toFacilityId: to.facilityId,
      facts: { toFacility: to, exemptionApplies: true, epidemicSuspendsExemption: false },
    },
  }));
};

export const consolidate =
  (sources: string[], target: NewLotInput, site: string): Build =>
  (loaded, meta) => {
    const f = facility(site, 1);
    const facts = {
      code: code(target.wasteCode),
      facility: f,
      licensedToConsolidate: true,
      mergeAllowedCodes: [],
      toleranceBasisPoints: 100,
      maxLotMassGrams: MAX,
      emergency: false,
    };
    return decideConsolidation(
      {
        type: 'ConsolidateLots',
        meta,
        data: { sourceLotIds: sources, newLot: target, facilityId: f.facilityId, facts },
      },
      sources.map((id) => ({ lotId: id, state: loaded.get(id)!.state })),
    );
  };

export const split =
  (lotId: string, into: { lotId: string; massGrams: number }[]): Build =>
  (loaded, meta) => {
    const parts = into.map((p) => ({ ...p, labelCode: `S-${randomUUID()}`, packaging: 'jerrican' }));
    const facts = { toleranceBasisPoints: 100, maxLotMassGrams: MAX };
    return decideSplit({ type: 'SplitLot', meta, data: { lotId, parts, facts } }, loaded.get(lotId)!.state);
  };

export const treat =
  (lotId: string, wasteCode: string, site: string, method: string, residue: NewLotInput | null): Build =>
  (loaded, meta) => {
    const f = facility(site, 1);
    const facts = {
      facility: f,
      licensedModes: { [wasteCode]: ['DISPOSE' as const, 'UTILISE' as const] },
      residueCodes: { '772-002-18': code('772-002-18') },
      maxLotMassGrams: MAX,
      emergency: false,
    };
    const data = {
      lotIds: [lotId],
      method,
      facilityId: f.facilityId,
      residues: residue ? [residue] : [],
      facts,
    };
    return decideTreatment({ type: 'TreatLots', meta, data }, [{ lotId, state: loaded.get(lotId)!.state }]);
  };

export const loss = (lotId: string, massGrams: number | null): Build =>
  one(lotId, (meta) => ({
    type: 'RecordLotLoss',
    meta,
    data: { lotId, kind: 'SPILL', massGrams, reason: '洒落' },
  }));
