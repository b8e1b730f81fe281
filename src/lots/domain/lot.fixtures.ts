import type { CommandMeta } from '../../shared/domain/decider';
import { isDomainError } from '../../shared/domain/domain-error';
import type {
  ConsolidateLots,
  FacilityFact,
  GenerateLot,
  LotCommand,
  RecordLotReceipt,
  SplitLot,
  TreatLots,
} from './lot.commands';
import { decide, evolve } from './lot.decider';
import type { LotDecision, LotEvent } from './lot.events';
import { initialLotState, type LotState } from './lot.state';

/**
 * Test fixtures for the lot deciders (used by the `*.spec.ts` files beside it): parties,
 * facilities, command builders with sensible defaults, and a given/when/then that returns the
 * outcome as data (events, or the error's code and details). Pure, no test framework.
 */

export const PRODUCER = 'party-clinic';
export const CENTRE = 'party-township-centre';
export const CARRIER = 'party-carrier';
export const CARRIER_2 = 'party-carrier-2';
export const RECEIVER = 'party-disposer';
export const OUTSIDER = 'party-outsider';

export const LOT = 'lot-1';
export const MANIFEST = 'man-1';
export const CODE = '900-041-49';
export const MEDICAL_CODE = '841-001-01';

const facility = (
  facilityId: string,
  siteId: string,
  partyId: string,
  type = 'STORAGE_WAREHOUSE',
): FacilityFact => ({
  facilityId,
  siteId,
  partyId,
  type,
});
export const FACILITIES = {
  production: facility('fac-prod', 'site-clinic', PRODUCER, 'PRODUCTION'),
  store: facility('fac-store', 'site-clinic', PRODUCER),
  store2: facility('fac-store-2', 'site-clinic', PRODUCER),
  own: facility('fac-own', 'site-clinic', PRODUCER, 'OWN_TREATMENT'),
  centre: facility('fac-centre', 'site-centre', CENTRE, 'MEDICAL_TEMP_STORAGE'),
  receiver: facility('fac-recv', 'site-disposer', RECEIVER),
  receiverKiln: facility('fac-kiln', 'site-disposer', RECEIVER, 'DISPOSAL'),
  elsewhere: facility('fac-far', 'site-far', PRODUCER),
} as const;

export const T0 = Date.parse('2025-03-03T01:00:00.000Z');
/** The instant `minutes` after T0, as the ledger writes it. */
export const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

/** Command meta for a user of `partyId`, acting at T0 + `minutes`. */
export const by = (partyId: string, minutes = 0, offline = false): CommandMeta => ({
  actor: { kind: 'USER', userId: `user-of-${partyId}`, partyId },
  occurredAt: new Date(T0 + minutes * 60_000),
  now: new Date(T0 + minutes * 60_000 + 1_000),
  offline,
});

export const MAX_LOT = 1_000_000; // 1 t per container in these tests

export function generateLot(over: Partial<GenerateLot['data']> = {}, meta = by(PRODUCER)): GenerateLot {
  return {
    type: 'GenerateLot',
    meta,
    data: {
      lotId: LOT,
      labelCode: 'LBL-1',
      batchCode: 'B-2025-001',
      producerPartyId: PRODUCER,
      facilityId: FACILITIES.production.facilityId,
      wasteCode: CODE,
      massGrams: 12_345,
      massBasis: 'WEIGHED',
      form: 'LIQUID',
      packaging: '25 L HDPE jerrican',
      mainComponents: ['acetone', 'methanol'],
      hazards: ['T', 'I'],
      medicalClass: null,
      facts: {
        code: { codeExists: true, category: 'HW49' },
        facility: FACILITIES.production,
        maxLotMassGrams: MAX_LOT,
        exemptSource: false,
        emergency: false,
      },
      ...over,
    },
  };
}

/** Folds a history into a state. */
export const replay = (events: readonly LotEvent[]): LotState => events.reduce(evolve, initialLotState());

/** The outcome of a decision, as data: its result, or the refusal's code and details. */
export type Outcome<R> =
  { readonly result: R } | { readonly error: string; readonly details: Record<string, unknown> };

export function outcome<R>(f: () => R): Outcome<R> {
  try {
    return { result: f() };
  } catch (e) {
    if (isDomainError(e)) return { error: e.code, details: e.details };
    throw e;
  }
}

/** given(history).when(command) → { result: events } or { error: code }. */
export const given = (...history: LotEvent[]) => ({
  when: (c: LotCommand): Outcome<LotEvent[]> => outcome(() => decide(c, replay(history))),
});

/** Applies commands in turn (each must be allowed) and returns the whole history. */
export function play(history: readonly LotEvent[], ...commands: LotCommand[]): LotEvent[] {
  return commands.reduce<LotEvent[]>((h, c) => [...h, ...decide(c, replay(h))], [...history]);
}

/** The events a multi-lot decision appends to one stream. */
export const eventsOf = (d: LotDecision, lotId: string): LotEvent[] =>
  [...d.sourceEvents, ...d.newLotEvents].filter((s) => s.lotId === lotId).flatMap((s) => s.events);

export const store = (
  lotId = LOT,
  fac: FacilityFact = FACILITIES.store,
  meta = by(PRODUCER, 10),
): LotCommand => ({
  type: 'StoreLot',
  meta,
  data: { lotId, facilityId: fac.facilityId, facts: { facility: fac } },
});
export const reserve = (manifestId = MANIFEST, meta = by(PRODUCER, 20), lotId = LOT): LotCommand => ({
  type: 'ReserveLotOnManifest',
  meta,
  data: { lotId, manifestId },
});
export const release = (manifestId = MANIFEST, meta = by(PRODUCER, 25), lotId = LOT): LotCommand => ({
  type: 'ReleaseLotFromManifest',
  meta,
  data: { lotId, manifestId, reason: 'manifest cancelled' },
});
export const takeCustody = (
  over: {
    manifestId?: string;
    pickupMassGrams?: number | null;
    disputeReasons?: string[];
    named?: string;
  } = {},
  meta = by(CARRIER, 30),
): LotCommand => ({
  type: 'TakeLotCustody',
  meta,
  data: {
    lotId: LOT,
    manifestId: over.manifestId ?? MANIFEST,
    pickupMassGrams: over.pickupMassGrams ?? null,
    facts: { namedCarrierPartyId: over.named ?? CARRIER, disputeReasons: over.disputeReasons ?? [] },
  },
});
export const refuseAtLoading = (manifestId = MANIFEST, meta = by(CARRIER, 30)): LotCommand => ({
  type: 'RefuseLotAtLoading',
  meta,
  data: { lotId: LOT, manifestId, reason: 'drum leaking', facts: { namedCarrierPartyId: CARRIER } },
});
export const relay = (
  meta = by(CARRIER_2, 40),
  next: string | null = CARRIER_2,
  manifestId = MANIFEST,
): LotCommand => ({
  type: 'RelayLot',
  meta,
  data: {
    lotId: LOT,
    manifestId,
    place: 'Zhengzhou ring road depot',
    facts: { nextCarrierPartyId: next, disputeReasons: [] },
  },
});
export const deliver = (
  meta = by(CARRIER, 50),
  receiverPartyId = RECEIVER,
  manifestId = MANIFEST,
): LotCommand => ({
  type: 'DeliverLot',
  meta,
  data: {
    lotId: LOT,
    manifestId,
    receiverPartyId,
    facts: { namedReceiverPartyId: RECEIVER, namedReceiverSiteId: FACILITIES.receiver.siteId },
  },
});
export const loss = (massGrams: number | null, meta = by(PRODUCER, 60), lotId = LOT): LotCommand => ({
  type: 'RecordLotLoss',
  meta,
  data: { lotId, kind: 'SPILL', massGrams, reason: 'drum tipped over' },
});
export const handOverExempt = (
  facts: { exemptionApplies?: boolean; epidemicSuspendsExemption?: boolean } = {},
  meta = by(PRODUCER, 15),
): LotCommand => ({
  type: 'HandOverLotExempt',
  meta,
  data: {
    lotId: LOT,
    toPartyId: CENTRE,
    toFacilityId: FACILITIES.centre.facilityId,
    facts: {
      toFacility: FACILITIES.centre,
      exemptionApplies: facts.exemptionApplies ?? true,
      epidemicSuspendsExemption: facts.epidemicSuspendsExemption ?? false,
    },
  },
});

export function receipt(
  over: Partial<RecordLotReceipt['data']> = {},
  meta = by(RECEIVER, 70),
): RecordLotReceipt {
  return {
    type: 'RecordLotReceipt',
    meta,
    data: {
      lotId: LOT,
      manifestId: MANIFEST,
      decision: 'ACCEPTED',
      measuredMassGrams: 12_345,
      rejectedMassGrams: null,
      rejectedPart: null,
      reason: null,
      facilityId: FACILITIES.receiver.facilityId,
      facts: { facility: FACILITIES.receiver, discrepancyToleranceBasisPoints: 500 },
      ...over,
    },
  };
}

export function consolidate(
  sourceLotIds: string[],
  massGrams: number,
  over: Partial<ConsolidateLots['data']['facts']> = {},
  meta = by(PRODUCER, 80),
  newLotId = 'lot-merged',
  fac: FacilityFact = FACILITIES.store,
): ConsolidateLots {
  return {
    type: 'ConsolidateLots',
    meta,
    data: {
      sourceLotIds,
      newLot: {
        lotId: newLotId,
        labelCode: `LBL-${newLotId}`,
        batchCode: 'B-MERGE',
        wasteCode: CODE,
        massGrams,
        massBasis: 'WEIGHED',
        form: 'LIQUID',
        packaging: '200 L steel drum',
      },
      facilityId: fac.facilityId,
      facts: {
        code: { codeExists: true, category: 'HW49' },
        facility: fac,
        licensedToConsolidate: true,
        mergeAllowedCodes: [],
        toleranceBasisPoints: 100,
        maxLotMassGrams: MAX_LOT,
        emergency: false,
        ...over,
      },
    },
  };
}

export function split(
  parts: [string, number][],
  meta = by(PRODUCER, 90),
  lotId = LOT,
  toleranceBasisPoints = 100,
): SplitLot {
  return {
    type: 'SplitLot',
    meta,
    data: {
      lotId,
      parts: parts.map(([id, massGrams]) => ({
        lotId: id,
        labelCode: `LBL-${id}`,
        massGrams,
        packaging: '25 L jerrican',
      })),
      facts: { toleranceBasisPoints, maxLotMassGrams: MAX_LOT },
    },
  };
}

export function treat(
  lotIds: string[],
  over: Partial<Omit<TreatLots['data'], 'facts'>> & { facts?: Partial<TreatLots['data']['facts']> } = {},
  meta = by(PRODUCER, 100),
): TreatLots {
  const { facts, ...data } = over;
  return {
    type: 'TreatLots',
    meta,
    data: {
      lotIds,
      method: 'D10',
      facilityId: FACILITIES.store.facilityId,
      residues: [],
      ...data,
      facts: {
        facility: FACILITIES.store,
        licensedModes: { [CODE]: ['DISPOSE', 'UTILISE'] },
        residueCodes: { '772-002-18': { codeExists: true, category: 'HW18' } },
        maxLotMassGrams: MAX_LOT,
        emergency: false,
        ...facts,
      },
    },
  };
}

/** A fly-ash residue of treatment. */
export const flyAsh = (lotId: string, massGrams: number) => ({
  lotId,
  labelCode: `LBL-${lotId}`,
  batchCode: 'B-ASH',
  wasteCode: '772-002-18',
  massGrams,
  massBasis: 'WEIGHED' as const,
  form: 'SOLID' as const,
  packaging: 'ton bag',
  mainComponents: ['fly ash'],
  hazards: ['T' as const],
  medicalClass: null,
});

/** Standard histories of lot-1 (12 345 g of HW49 at the clinic). */
export const H = {
  generated: () => play([], generateLot()),
  stored: () => play(H.generated(), store()),
  reserved: () => play(H.stored(), reserve()),
  inTransit: () => play(H.reserved(), takeCustody()),
  delivered: () => play(H.inTransit(), deliver()),
};
