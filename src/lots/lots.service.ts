import { Injectable } from '@nestjs/common';
import { Env } from '../config/env';
import { AttemptLogService } from '../ledger/attempt-log.service';
import type { LedgerTransaction } from '../ledger/ledger-transaction';
import { LedgerService } from '../ledger/ledger.service';
import type { CommandEnvelope } from '../ledger/ledger.types';
import type { Principal } from '../shared/auth/principal';
import { Clock } from '../shared/clock';
import { DomainError, isDomainError } from '../shared/domain/domain-error';
import { uuidv7 } from '../shared/ids';
import { decide, type LotCommand, type LotDecision, type LotEvent, type NewLotInput } from './domain';
import type {
  ContainerInput,
  GenerateLotsInput,
  HandOverExemptInput,
  RecordLossInput,
  StoreLotInput,
} from './graphql/lot.inputs';
import { type Acting, LotFactsService, type PartyInfo } from './lot-facts.service';
import {
  checkMass,
  checkMedicalClass,
  inputField,
  newBatchCode,
  newLabelCode,
  requestOf,
  withFields,
} from './lot-input';
import { type LoadedLot, LotLedger } from './lot-ledger';
import { exemptionCovers } from './lot-rules';

/** What every lot act carries besides its own fields. */
export interface LotActFields {
  idempotencyKey: string;
  occurredAt?: Date;
  offline?: boolean;
  onBehalfOfPartyId?: string;
}

/**
 * 批次 — turns GraphQL input into lot commands and runs them through the ledger, one transaction
 * per request: generation (产生), storage (贮存), exempt handover (豁免交接) and loss (损失).
 * Consolidation, split and treatment are in `lot-lineage.service.ts`. Facts are looked up here,
 * at the business time, and handed to the pure deciders; every write goes through `LotLedger`.
 */
@Injectable()
export class LotsService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly lots: LotLedger,
    private readonly facts: LotFactsService,
    private readonly clock: Clock,
    private readonly env: Env,
    private readonly attempts: AttemptLogService,
  ) {}

  get maxLotGrams(): number {
    return this.env.LOT_MAX_MASS_KG * 1000;
  }

  /** The business time of an act, and who acts for which party. */
  async begin(who: Principal, input: LotActFields): Promise<{ at: Date; acting: Acting }> {
    const at = input.occurredAt ?? this.clock.now();
    return { at, acting: await this.facts.acting(who, input.onBehalfOfPartyId, at) };
  }

  envelope(act: string, acting: Acting, input: LotActFields, at: Date): CommandEnvelope {
    return {
      act,
      actor: acting.actor,
      idempotencyKey: input.idempotencyKey,
      request: requestOf(input),
      occurredAt: at,
      offline: input.offline ?? false,
    };
  }

  /** A one-stream command on an existing lot: load it locked, decide, commit. */
  async onLot(
    tx: LedgerTransaction,
    lotId: string,
    command: (meta: LotCommand['meta']) => LotCommand,
  ): Promise<LotEvent[]> {
    const loaded = await this.lots.load(tx, [lotId], { mustExist: true });
    const l = loaded.get(lotId)!;
    const events = withFields(
      (f) => inputField('input', f),
      () => decide(command(tx.meta()), l.state),
    );
    await this.lots.commit(tx, loaded, { sourceEvents: [{ lotId, events }], newLotEvents: [] });
    return events;
  }

  /**
   * A container's label fields checked against the catalogue in force at `at`, with new ids.
   * Shared by generation and treatment residues.
   */
  async newLot(c: ContainerInput, at: Date, field: string, batchCode: string): Promise<NewLotInput> {
    const code = await this.facts.code(c.wasteCode, at, `${field}.wasteCode`, c.category);
    const category = code.fact.category!;
    return {
      lotId: uuidv7(),
      labelCode: newLabelCode(at),
      batchCode,
      wasteCode: c.wasteCode,
      massGrams: checkMass(c.mass, `${field}.mass`, this.maxLotGrams),
      massBasis: c.massBasis,
      form: c.form,
      packaging: c.packaging,
      mainComponents: c.mainComponents ?? [],
      hazards: c.hazards ?? [...code.hazards],
      medicalClass: checkMedicalClass(c.wasteCode, category, c.medicalClass, `${field}.medicalClass`),
    };
  }

  /** 产生 — one lot per container, one batch code; exemption #2 and epidemics are facts of the producer's site. */
  async generateLots(who: Principal, input: GenerateLotsInput): Promise<string[]> {
    const { at, acting } = await this.begin(who, input);
    const { facility, producer, epidemic } = await this.facts.generationFacts(
      input.facilityId,
      acting.partyId,
      'input.facilityId',
      at,
    );
    const batchCode = newBatchCode(at);
    const lots: { lot: NewLotInput; exempt: boolean; field: string }[] = [];
    for (const [i, c] of input.containers.entries()) {
      const field = `input.containers.${i}`;
      const lot = await this.newLot(c, at, field, batchCode);
      lots.push({ lot, exempt: await this.exemptAtGeneration(producer, lot, epidemic), field });
    }
    const r = await this.ledger.execute(this.envelope('generateLots', acting, input, at), async (tx) => {
      const decision: LotDecision = {
        sourceEvents: [],
        newLotEvents: lots.map(({ lot, exempt, field }) => {
          const command: LotCommand = {
            type: 'GenerateLot',
            meta: tx.meta(),
            data: {
              ...lot,
              producerPartyId: acting.partyId,
              facilityId: facility.facilityId,
              facts: {
                code: { codeExists: true, category: `HW${lot.wasteCode.slice(-2)}` },
                facility,
                maxLotMassGrams: this.maxLotGrams,
                exemptSource: exempt,
                // 疫情期间产生的医疗废物 is handled under the emergency plan (exemption list #2)
                emergency: epidemic && lot.medicalClass !== null,
              },
            },
          };
          const rename = (f: string) => (f === 'facilityId' ? 'input.facilityId' : inputField(field, f));
          return { lotId: lot.lotId, events: withFields(rename, () => decide(command, { status: 'NONE' })) };
        }),
      };
      await this.lots.commit(tx, new Map(), decision);
      return { lotIds: lots.map((l) => l.lot.lotId) };
    });
    return r.lotIds;
  }

  /** Exemption list entries for the collection stage cover the producer and the waste, and no epidemic suspends them. */
  private async exemptAtGeneration(
    producer: PartyInfo,
    lot: NewLotInput,
    epidemic: boolean,
  ): Promise<boolean> {
    const category = `HW${lot.wasteCode.slice(-2)}`;
    const entries = await this.facts.exemptions('COLLECTION', lot.wasteCode, category);
    const subject = {
      wasteCode: lot.wasteCode,
      category,
      producerTypes: producer.types,
      bedCount: producer.bedCount,
    };
    return entries.some((x) => exemptionCovers(x, subject) && !(x.suspendedDuringEpidemic && epidemic));
  }

  /** 贮存 — store in, or move within the site; the storage clock keeps running. */
  async storeLot(who: Principal, input: StoreLotInput): Promise<string> {
    const { at, acting } = await this.begin(who, input);
    const facility = await this.facts.facility(input.facilityId);
    await this.ledger.execute(this.envelope('storeLot', acting, input, at), (tx) =>
      this.onLot(tx, input.lotId, (meta) => ({
        type: 'StoreLot',
        meta,
        data: { lotId: input.lotId, facilityId: input.facilityId, facts: { facility } },
      })),
    );
    return input.lotId;
  }

  /**
   * 豁免交接 — exemption #2, without a manifest: the producing clinic (≤ 19 beds, from the exemption
   * list data) hands its medical waste to a verified medical institution of the same county (its
   * township health centre); suspended while a major epidemic is declared there. Refusals are
   * written to the attempt log (a refused custody act).
   */
  async handOverExempt(who: Principal, input: HandOverExemptInput): Promise<string[]> {
    const { at, acting } = await this.begin(who, input);
    const receiver = await this.facts.party(input.toPartyId);
    const toFacility = await this.facts.facility(input.toFacilityId);
    try {
      if (!receiver) throw DomainError.badInput('input.toPartyId', 'toPartyId: no such party');
      if (receiver.status !== 'VERIFIED') {
        throw new DomainError(
          'PARTY_NOT_VERIFIED',
          'the receiving institution has not been verified by a regulator',
          {
            field: 'input.toPartyId',
          },
        );
      }
      if (toFacility && toFacility.partyId !== receiver.partyId)
        throw DomainError.badInput(
          'input.toFacilityId',
          'toFacilityId: not a facility of the receiving party',
        );
      const producer = (await this.facts.party(acting.partyId))!;
      await this.ledger.execute(this.envelope('handOverExempt', acting, input, at), async (tx) => {
        const loaded = await this.lots.load(tx, input.lotIds, { mustExist: true });
        const sourceEvents = [];
        for (const [i, lotId] of input.lotIds.entries()) {
          const l = loaded.get(lotId)!;
          const facts = await this.handoverFacts(l, producer, receiver, toFacility, at);
          const command: LotCommand = {
            type: 'HandOverLotExempt',
            meta: tx.meta(),
            data: { lotId, toPartyId: input.toPartyId, toFacilityId: input.toFacilityId, facts },
          };
          const rename = (f: string) => (f.startsWith('to') ? `input.${f}` : `input.lotIds.${i}`);
          sourceEvents.push({ lotId, events: withFields(rename, () => decide(command, l.state)) });
        }
        await this.lots.commit(tx, loaded, { sourceEvents, newLotEvents: [] });
      });
    } catch (e) {
      if (isDomainError(e) && e.code !== 'BAD_USER_INPUT' && e.code !== 'IDEMPOTENCY_KEY_REUSED') {
        await this.attempts.record({
          actor: acting.actor,
          act: 'handOverExempt',
          targetType: 'lot',
          targetId: input.lotIds.join(','),
          error: e,
          occurredAt: at,
          partyIds: [acting.partyId, input.toPartyId],
          region: toFacility?.divisionCode ?? null,
        });
      }
      throw e;
    }
    return input.lotIds;
  }

  private async handoverFacts(
    l: LoadedLot,
    producer: PartyInfo,
    receiver: PartyInfo,
    toFacility: Awaited<ReturnType<LotFactsService['facility']>>,
    at: Date,
  ) {
    const s = l.state;
    if (s.status === 'NONE') throw new DomainError('NOT_FOUND', `lot ${l.lotId} not found`);
    const siteDivision = 'siteId' in s && s.siteId ? await this.facts.siteDivision(s.siteId) : null;
    const entries = await this.facts.exemptions('COLLECTION', s.wasteCode, s.category);
    const subject = {
      wasteCode: s.wasteCode,
      category: s.category,
      producerTypes: producer.types,
      bedCount: producer.bedCount,
      receiverTypes: receiver.types,
    };
    const covering = entries.filter((x) => exemptionCovers(x, subject));
    const ownWaste = s.producerPartyId === producer.partyId;
    const sameCounty =
      toFacility !== null && siteDivision !== null && toFacility.divisionCode === siteDivision;
    const epidemic = siteDivision !== null && (await this.facts.epidemic(siteDivision, at));
    return {
      toFacility,
      exemptionApplies: covering.length > 0 && ownWaste && sameCounty,
      epidemicSuspendsExemption:
        covering.length > 0 && covering.every((x) => x.suspendedDuringEpidemic) && epidemic,
    };
  }

  /** 损失 — always recorded when well formed, always alerted (LOT_LOSS). */
  async recordLoss(who: Principal, input: RecordLossInput): Promise<string> {
    const { at, acting } = await this.begin(who, input);
    await this.ledger.execute(this.envelope('recordLoss', acting, input, at), (tx) =>
      this.onLot(tx, input.lotId, (meta) => ({
        type: 'RecordLotLoss',
        meta,
        data: { lotId: input.lotId, kind: input.kind, massGrams: input.mass ?? null, reason: input.reason },
      })),
    );
    return input.lotId;
  }
}
