import { DomainError } from '../../shared/domain/domain-error';
import { medicalClassOfCode } from '../../catalogue/domain/medical-waste';
import type { ConsolidateLots, SplitLot, TreatLots } from './lot.commands';
import type { LotDecision, LotEvent, LotStreamEvents } from './lot.events';
import {
  businessTime,
  checkForm,
  checkMassBasis,
  checkMedicalClass,
  checkNewLot,
  checkWasteCode,
  earliest,
  expectLotStatus,
  modeOfMethod,
  requireCustodian,
  requireDistinct,
  requireFacility,
  requireFree,
  requireList,
  requireMass,
  requireSameLot,
  requireText,
  requireTolerance,
  union,
  withinTolerance,
} from './lot.policy';
import { descriptionOf, type LotState } from './lot.state';

/**
 * Acts over several lots' streams, where custody becomes a directed acyclic graph: 合并 consolidation
 * (several lots → one), 分装 split (one → several), 利用/处置 treatment (lots → residues). Each
 * returns the events of the existing streams and the opening events of the new ones. Mass is
 * conserved to the gram: a weighing difference within the tolerance is booked as a gain or loss.
 */
export interface LotSource {
  readonly lotId: string;
  readonly state: LotState;
}

/** The supplied states, in the order the command names the lots (a missing one is a service bug). */
function statesOf(ids: readonly string[], sources: readonly LotSource[]): LotSource[] {
  return ids.map((lotId) => {
    const found = sources.find((s) => s.lotId === lotId);
    if (!found) throw new Error(`state of lot ${lotId} was not supplied`);
    return found;
  });
}

function massMismatch(
  what: string,
  actual: number,
  expected: number,
  toleranceBasisPoints: number,
): DomainError {
  return new DomainError('MASS_MISMATCH', `${what}: ${actual} g is not within tolerance of ${expected} g`, {
    actualGrams: actual,
    expectedGrams: expected,
    toleranceBasisPoints,
  });
}

/** 合并、重新包装 — merge STORED lots held by the actor at one site into one new STORED lot. */
export function decideConsolidation(c: ConsolidateLots, sources: readonly LotSource[]): LotDecision {
  const d = c.data;
  requireDistinct(requireList(d.sourceLotIds, 'sourceLotIds'), 'sourceLotIds');
  if (d.sourceLotIds.length < 2)
    throw DomainError.badInput('sourceLotIds', 'sourceLotIds: at least two lots');
  const lots = statesOf(d.sourceLotIds, sources).map(({ lotId, state }) => {
    const l = expectLotStatus(state, 'STORED');
    requireSameLot({ data: { lotId } }, l);
    requireCustodian(l, c.meta);
    requireFree(l);
    return l;
  });
  if (!d.facts.licensedToConsolidate) {
    throw new DomainError(
      'LICENCE_MODE_MISSING',
      'no licence item allows this party to consolidate this code',
      { mode: 'STORE' },
    );
  }
  const n = d.newLot;
  const lotId = requireText(n.lotId, 'newLot.lotId');
  if (d.sourceLotIds.includes(lotId))
    throw DomainError.badInput('newLot.lotId', 'newLot.lotId: a new lot id is required');
  const category = checkWasteCode(n.wasteCode, d.facts.code, 'newLot.wasteCode');
  const mergeable = new Set([n.wasteCode, ...d.facts.mergeAllowedCodes]);
  const foreign = lots.filter((l) => !mergeable.has(l.wasteCode));
  if (foreign.length > 0) {
    throw DomainError.badInput(
      'sourceLotIds',
      `sourceLotIds: no licence item allows merging ${foreign[0].wasteCode} into ${n.wasteCode}`,
      {
        lotIds: foreign.map((l) => l.lotId),
      },
    );
  }
  const facility = requireFacility(d.facts.facility, d.facilityId, 'facilityId');
  if (facility.partyId !== lots[0].custodianPartyId || lots.some((l) => l.siteId !== facility.siteId)) {
    throw DomainError.badInput(
      'facilityId',
      'facilityId: the lots and the facility must be at one site of the acting party',
    );
  }
  const mass = requireMass(n.massGrams, 'newLot.massGrams', d.facts.maxLotMassGrams);
  const tolerance = requireTolerance(d.facts.toleranceBasisPoints, 'facts.toleranceBasisPoints');
  const sum = lots.reduce((a, l) => a + l.massGrams, 0);
  if (!withinTolerance(mass, sum, tolerance)) throw massMismatch('newLot.massGrams', mass, sum, tolerance);
  const at = businessTime(c.meta);

  const created: LotEvent = {
    type: 'LotCreatedByConsolidation',
    data: {
      lotId,
      labelCode: requireText(n.labelCode, 'newLot.labelCode'),
      batchCode: requireText(n.batchCode, 'newLot.batchCode'),
      wasteCode: n.wasteCode,
      category,
      medicalClass: checkMedicalClass(
        n.wasteCode,
        category,
        medicalClassOfCode(n.wasteCode) ?? null,
        'newLot.wasteCode',
      ),
      form: checkForm(n.form, 'newLot.form'),
      packaging: requireText(n.packaging, 'newLot.packaging'),
      mainComponents: union(lots.map((l) => l.mainComponents)),
      hazards: union(lots.map((l) => l.hazards)),
      massBasis: checkMassBasis(n.massBasis, 'newLot.massBasis'),
      originPartyId: lots[0].custodianPartyId,
      siteId: facility.siteId,
      facilityId: facility.facilityId,
      sources: lots.map((l) => ({ lotId: l.lotId, massGrams: l.massGrams })),
      massGrams: mass,
      gainOrLossGrams: mass - sum,
      toleranceBasisPoints: tolerance,
      clockStartsAt: earliest(lots.map((l) => l.clockStartsAt)),
      emergency: d.facts.emergency === true || lots.some((l) => l.emergency),
      at,
    },
  };
  return {
    sourceEvents: lots.map((l) => ({
      lotId: l.lotId,
      events: [
        {
          type: 'LotConsolidatedInto',
          data: { lotId: l.lotId, targetLotId: lotId, massGrams: l.massGrams, at },
        },
      ],
    })),
    newLotEvents: [{ lotId, events: [created] }],
  };
}

/** 分装 — split a STORED lot into new STORED lots at its facility; they inherit its code, lineage and clock. */
export function decideSplit(c: SplitLot, s: LotState): LotDecision {
  const l = expectLotStatus(s, 'STORED');
  requireSameLot(c, l);
  const by = requireCustodian(l, c.meta);
  requireFree(l);
  const d = c.data;
  if (requireList(d.parts, 'parts').length < 2) throw DomainError.badInput('parts', 'parts: at least two');
  requireDistinct(
    d.parts.map((p) => p.lotId),
    'parts',
  );
  const parts = d.parts.map((p, i) => {
    if (p.lotId === l.lotId)
      throw DomainError.badInput(`parts.${i}.lotId`, `parts.${i}.lotId: a new lot id is required`);
    return {
      lotId: p.lotId,
      labelCode: requireText(p.labelCode, `parts.${i}.labelCode`),
      packaging: requireText(p.packaging, `parts.${i}.packaging`),
      massGrams: requireMass(p.massGrams, `parts.${i}.massGrams`, d.facts.maxLotMassGrams),
    };
  });
  const tolerance = requireTolerance(d.facts.toleranceBasisPoints, 'facts.toleranceBasisPoints');
  const sum = parts.reduce((a, p) => a + p.massGrams, 0);
  if (!withinTolerance(sum, l.massGrams, tolerance)) throw massMismatch('parts', sum, l.massGrams, tolerance);
  const at = businessTime(c.meta);
  const split: LotEvent = {
    type: 'LotSplit',
    data: {
      lotId: l.lotId,
      massGrams: l.massGrams,
      parts: parts.map((p) => ({ lotId: p.lotId, massGrams: p.massGrams })),
      gainOrLossGrams: sum - l.massGrams,
      toleranceBasisPoints: tolerance,
      at,
    },
  };
  const newLotEvents = parts.map((p): LotStreamEvents => ({
    lotId: p.lotId,
    events: [
      {
        type: 'LotCreatedBySplit',
        data: {
          ...descriptionOf(l),
          labelCode: p.labelCode,
          packaging: p.packaging,
          lotId: p.lotId,
          sourceLotId: l.lotId,
          producerPartyId: l.producerPartyId,
          originPartyId: by,
          siteId: l.siteId,
          facilityId: l.facilityId,
          massGrams: p.massGrams,
          clockStartsAt: l.clockStartsAt,
          exemptSource: l.exemptSource,
          emergency: l.emergency,
          at,
        },
      },
    ],
  }));
  return { sourceEvents: [{ lotId: l.lotId, events: [split] }], newLotEvents };
}

/**
 * 利用 / 处置 — treat whole lots held by the actor at its facility: each under a licence item (or
 * emergency authorisation) whose modes include the method's mode for the lot's code, or at the
 * producer's own treatment facility for its own waste. Residues are new lots, generated by the
 * treater, with their own chain linked to the sources.
 */
export function decideTreatment(c: TreatLots, sources: readonly LotSource[]): LotDecision {
  const d = c.data;
  requireDistinct(requireList(d.lotIds, 'lotIds'), 'lotIds');
  if (d.lotIds.length === 0) throw DomainError.badInput('lotIds', 'lotIds: at least one lot');
  const lots = statesOf(d.lotIds, sources).map(({ lotId, state }) => {
    const l = expectLotStatus(state, 'GENERATED', 'STORED');
    requireSameLot({ data: { lotId } }, l);
    requireCustodian(l, c.meta);
    requireFree(l);
    return l;
  });
  const treater = requireCustodian(lots[0], c.meta);
  const mode = modeOfMethod(d.method);
  const facility = requireFacility(d.facts.facility, d.facilityId, 'facilityId');
  if (facility.partyId !== treater || lots.some((l) => l.siteId !== facility.siteId)) {
    throw DomainError.badInput(
      'facilityId',
      'facilityId: the lots must be at a facility of the treating party, on its site',
    );
  }
  const own = (l: (typeof lots)[number]) =>
    facility.type === 'OWN_TREATMENT' && l.producerPartyId === treater;
  for (const l of lots) {
    if (own(l)) continue;
    const modes = d.facts.licensedModes[l.wasteCode] ?? [];
    if (!modes.includes(mode)) {
      throw new DomainError('LICENCE_MODE_MISSING', `no licence item allows ${mode} of ${l.wasteCode}`, {
        lotId: l.lotId,
        wasteCode: l.wasteCode,
        mode,
      });
    }
  }
  const residues = requireList(d.residues, 'residues').map((r, i) => {
    const checked = checkNewLot(
      r,
      d.facts.residueCodes[r.wasteCode],
      d.facts.maxLotMassGrams,
      `residues.${i}`,
    );
    if (d.lotIds.includes(checked.lotId))
      throw DomainError.badInput(`residues.${i}.lotId`, `residues.${i}.lotId: a new lot id is required`);
    return checked;
  });
  requireDistinct(
    residues.map((r) => r.lotId),
    'residues',
  );
  const at = businessTime(c.meta);
  const emergency = d.facts.emergency === true;
  const residueLotIds = residues.map((r) => r.lotId);
  return {
    sourceEvents: lots.map((l) => ({
      lotId: l.lotId,
      events: [
        {
          type: 'LotTreated',
          data: {
            lotId: l.lotId,
            method: d.method,
            mode,
            treatedMassGrams: l.massGrams,
            residueLotIds,
            treaterPartyId: treater,
            siteId: facility.siteId,
            facilityId: facility.facilityId,
            ownFacility: own(l),
            emergency,
            at,
          },
        },
      ],
    })),
    newLotEvents: residues.map((r) => ({
      lotId: r.lotId,
      events: [
        {
          type: 'LotCreatedAsResidue',
          data: {
            ...r,
            sourceLotIds: [...d.lotIds],
            producerPartyId: treater,
            siteId: facility.siteId,
            facilityId: facility.facilityId,
            emergency,
            at,
          },
        },
      ],
    })),
  };
}
