import { Injectable } from '@nestjs/common';
import { Env } from '../config/env';
import { LedgerService } from '../ledger/ledger.service';
import type { Principal } from '../shared/auth/principal';
import { DomainError } from '../shared/domain/domain-error';
import { uuidv7 } from '../shared/ids';
import {
  decideConsolidation,
  decideSplit,
  decideTreatment,
  type ExistingLotState,
  type LotSource,
  modeOfMethod,
  type NewLotInput,
  type TreatmentMode,
  type WasteCodeFact,
} from './domain';
import type { ConsolidateLotsInput, SplitLotInput, TreatLotsInput } from './graphql/lot.inputs';
import { LotFactsService } from './lot-facts.service';
import { checkMass, inputField, newBatchCode, newLabelCode, withFields } from './lot-input';
import { LotLedger } from './lot-ledger';
import { mergeableSourceCodes } from './lot-rules';
import { LotsService } from './lots.service';

/**
 * Acts where custody becomes a graph (SPEC section 5): 合并 consolidation, 分装 split and
 * 利用/处置 treatment with residues. Each locks every lot it touches, decides over all of them, and
 * appends the source streams at the versions read and the new lots at version 0, in one
 * transaction. Licence facts (modes, merge lists, emergency authorisations) come from the licence
 * read model at the business time.
 */
@Injectable()
export class LotLineageService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly lots: LotLedger,
    private readonly facts: LotFactsService,
    private readonly base: LotsService,
    private readonly env: Env,
  ) {}

  private get toleranceBasisPoints(): number {
    return Math.round(this.env.LOT_CONSOLIDATION_TOLERANCE_PERCENT * 100);
  }

  /** 合并 — licensed STORE for the new code, or a medical institution gathering exempt medical waste. */
  async consolidateLots(who: Principal, input: ConsolidateLotsInput): Promise<string> {
    const { at, acting } = await this.base.begin(who, input);
    const facility = await this.facts.ownFacility(input.facilityId, acting.partyId, 'input.facilityId');
    const party = (await this.facts.party(acting.partyId))!;
    const mass = checkMass(input.mass, 'input.mass', this.base.maxLotGrams);
    const lotId = uuidv7();
    const labelCode = newLabelCode(at);
    const batchCode = newBatchCode(at);
    const r = await this.ledger.execute(
      this.base.envelope('consolidateLots', acting, input, at),
      async (tx) => {
        const loaded = await this.lots.load(tx, input.sourceLotIds, { mustExist: true });
        const sources: LotSource[] = input.sourceLotIds.map((id) => ({
          lotId: id,
          state: loaded.get(id)!.state,
        }));
        const states = sources.map((s) => s.state).filter((s): s is ExistingLotState => s.status !== 'NONE');
        const codes = [...new Set(states.map((s) => s.wasteCode))];
        const wasteCode = input.wasteCode ?? (codes.length === 1 ? codes[0] : null);
        if (!wasteCode)
          throw DomainError.badInput(
            'input.wasteCode',
            'wasteCode: the sources have several codes; name the new one',
          );
        const forms = [...new Set(states.map((s) => s.form))];
        const form = input.form ?? (forms.length === 1 ? forms[0] : null);
        if (!form)
          throw DomainError.badInput('input.form', 'form: the sources have several forms; name the new one');
        const code = await this.facts.code(wasteCode, at, 'input.wasteCode');
        const origin = await this.facts.siteDivision(facility.siteId);
        const cover = await this.facts.coverage({
          partyId: acting.partyId,
          siteId: facility.siteId,
          wasteCode,
          at,
          originDivisionCode: origin,
        });
        const exemptGathering =
          party.types.includes('MEDICAL_INSTITUTION') &&
          states.length > 0 &&
          states.every((s) => s.exemptSource);
        const licensedToConsolidate =
          cover.licensed.has('STORE') || cover.emergencyOnly.has('STORE') || exemptGathering;
        const decision = withFields(
          (f) => inputField('input', f),
          () =>
            decideConsolidation(
              {
                type: 'ConsolidateLots',
                meta: tx.meta(),
                data: {
                  sourceLotIds: input.sourceLotIds,
                  newLot: {
                    lotId,
                    labelCode,
                    batchCode,
                    wasteCode,
                    massGrams: mass,
                    massBasis: input.massBasis,
                    form,
                    packaging: input.packaging,
                  },
                  facilityId: facility.facilityId,
                  facts: {
                    code: code.fact,
                    facility,
                    licensedToConsolidate,
                    mergeAllowedCodes: mergeableSourceCodes(cover.items, wasteCode, codes),
                    toleranceBasisPoints: this.toleranceBasisPoints,
                    maxLotMassGrams: this.base.maxLotGrams,
                    emergency:
                      !cover.licensed.has('STORE') && cover.emergencyOnly.has('STORE') && !exemptGathering,
                  },
                },
              },
              sources,
            ),
        );
        await this.lots.commit(tx, loaded, decision);
        return { lotId };
      },
    );
    return r.lotId;
  }

  /** 分装 — parts inherit the source's code, producer, lineage and clock. */
  async splitLot(who: Principal, input: SplitLotInput): Promise<string[]> {
    const { at, acting } = await this.base.begin(who, input);
    const parts = input.parts.map((p, i) => ({
      lotId: uuidv7(),
      labelCode: newLabelCode(at),
      massGrams: checkMass(p.mass, `input.parts.${i}.mass`, this.base.maxLotGrams),
      packaging: p.packaging,
    }));
    const r = await this.ledger.execute(this.base.envelope('splitLot', acting, input, at), async (tx) => {
      const loaded = await this.lots.load(tx, [input.lotId], { mustExist: true });
      const state = loaded.get(input.lotId)!.state;
      const packaging = state.status === 'NONE' ? '' : state.packaging;
      const decision = withFields(
        (f) => inputField('input', f),
        () =>
          decideSplit(
            {
              type: 'SplitLot',
              meta: tx.meta(),
              data: {
                lotId: input.lotId,
                parts: parts.map((p) => ({ ...p, packaging: p.packaging ?? packaging })),
                facts: {
                  toleranceBasisPoints: this.toleranceBasisPoints,
                  maxLotMassGrams: this.base.maxLotGrams,
                },
              },
            },
            state,
          ),
      );
      await this.lots.commit(tx, loaded, decision);
      return { lotIds: parts.map((p) => p.lotId) };
    });
    return r.lotIds;
  }

  /**
   * 利用 / 处置 — whole lots by a Basel method at a facility of the treating party: each lot's code
   * needs a licence item (or emergency authorisation) with the method's mode, unless the producer
   * treats its own waste at its own treatment facility. Records relying on an emergency
   * authorisation are marked. Returns the treated lots' ids and the residues'.
   */
  async treatLots(
    who: Principal,
    input: TreatLotsInput,
  ): Promise<{ lotIds: string[]; residueLotIds: string[] }> {
    const { at, acting } = await this.base.begin(who, input);
    const mode = withFields(
      (f) => inputField('input', f),
      () => modeOfMethod(input.method),
    );
    const facility = await this.facts.ownFacility(input.facilityId, acting.partyId, 'input.facilityId');
    const batchCode = newBatchCode(at);
    const residues: NewLotInput[] = [];
    const residueCodes: Record<string, WasteCodeFact> = {};
    for (const [i, c] of input.residues.entries()) {
      const lot = await this.base.newLot(c, at, `input.residues.${i}`, batchCode);
      residueCodes[lot.wasteCode] = { codeExists: true, category: `HW${lot.wasteCode.slice(-2)}` };
      residues.push(lot);
    }
    return this.ledger.execute(this.base.envelope('treatLots', acting, input, at), async (tx) => {
      const loaded = await this.lots.load(tx, input.lotIds, { mustExist: true });
      const sources: LotSource[] = input.lotIds.map((id) => ({ lotId: id, state: loaded.get(id)!.state }));
      const licensedModes: Record<string, TreatmentMode[]> = {};
      let emergency = false;
      for (const s of sources) {
        if (s.state.status === 'NONE' || licensedModes[s.state.wasteCode]) continue;
        const origin = await this.facts.originDivision(s.lotId);
        const cover = await this.facts.coverage({
          partyId: acting.partyId,
          siteId: facility.siteId,
          wasteCode: s.state.wasteCode,
          at,
          originDivisionCode: origin,
        });
        const modes = (['UTILISE', 'DISPOSE'] as const).filter(
          (m) => cover.licensed.has(m) || cover.emergencyOnly.has(m),
        );
        licensedModes[s.state.wasteCode] = [...modes];
        if (!cover.licensed.has(mode) && cover.emergencyOnly.has(mode)) emergency = true;
      }
      const decision = withFields(
        (f) => inputField('input', f),
        () =>
          decideTreatment(
            {
              type: 'TreatLots',
              meta: tx.meta(),
              data: {
                lotIds: input.lotIds,
                method: input.method,
                facilityId: facility.facilityId,
                residues,
                facts: {
                  facility,
                  licensedModes,
                  residueCodes,
                  maxLotMassGrams: this.base.maxLotGrams,
                  emergency,
                },
              },
            },
            sources,
          ),
      );
      await this.lots.commit(tx, loaded, decision);
      return { lotIds: input.lotIds, residueLotIds: residues.map((r) => r.lotId) };
    });
  }
}
