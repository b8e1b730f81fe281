import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { medicalClassOfCode } from '../catalogue/domain/medical-waste';
import { Env } from '../config/env';
import { LedgerService } from '../ledger/ledger.service';
import { decide, evolve, initialLotState, type LotCommand, type NewLotInput } from '../lots/domain';
import { LotFactsService } from '../lots/lot-facts.service';
import { checkMass, checkMedicalClass, newBatchCode, newLabelCode, withFields } from '../lots/lot-input';
import { LotLedger } from '../lots/lot-ledger';
import type { Principal } from '../shared/auth/principal';
import { Clock } from '../shared/clock';
import { DomainError, isDomainError } from '../shared/domain/domain-error';
import { uuidv7 } from '../shared/ids';
import type { OpeningStockLot } from './domain/flows.events';
import { decideGoLive } from './domain/go-live';
import { FlowsAccess } from './flows-access.service';
import { GO_LIVE_STREAM, goLiveStream, PLAN_SCOPE } from './flows-streams';
import type { ImportGoLiveInput } from './graphql/go-live.inputs';
import { LedgerBookService } from './ledger-book.service';

export interface GoLiveView {
  siteId: string;
  partyId: string;
  goLiveAt: Date;
  openingStock: {
    lotId: string;
    labelCode: string;
    wasteCode: string;
    facilityId: string;
    mass: number;
    storedSince: Date;
  }[];
  pastAnnualAmounts: { year: number; amount: number }[];
}

/**
 * 上线导入 — a unit joining mid-year imports, once, its opening stock and its past three years'
 * amounts (SPEC section 9.2). Each container of opening stock becomes a lot generated and stored
 * at its facility with its real storage date (the storage clock runs from there), all in one
 * transaction after a `GoLiveImported` event that marks them: the ledger book books them as
 * OPENING_STOCK at the go-live instant, never as generated, and the past amounts feed the
 * management class.
 */
@Injectable()
export class GoLiveService {
  constructor(
    private readonly db: DataSource,
    private readonly ledger: LedgerService,
    private readonly access: FlowsAccess,
    private readonly facts: LotFactsService,
    private readonly lots: LotLedger,
    private readonly books: LedgerBookService,
    private readonly clock: Clock,
    private readonly env: Env,
  ) {}

  async importGoLive(
    who: Principal,
    input: ImportGoLiveInput,
  ): Promise<{ siteId: string; lotIds: string[] }> {
    const now = this.clock.now();
    const goLiveAt = input.goLiveAt ?? now;
    const { site, acting } = await this.access.acting(who, input.siteId, null, PLAN_SCOPE, now);
    const batchCode = newBatchCode(goLiveAt);
    const maxGrams = this.env.LOT_MAX_MASS_KG * 1000;
    const lines: {
      lot: NewLotInput;
      facility: { facilityId: string; siteId: string; partyId: string; type: string };
      storedSince: Date;
    }[] = [];
    for (const [i, l] of (input.openingStock ?? []).entries()) {
      const field = `input.openingStock.${i}`;
      const facility = await this.facts.ownFacility(l.facilityId, site.partyId, `${field}.facilityId`);
      if (facility.siteId !== site.siteId)
        throw DomainError.badInput(`${field}.facilityId`, `${field}.facilityId: not a facility of this site`);
      const code = await this.facts.code(l.wasteCode, l.storedSince, `${field}.wasteCode`, l.category);
      const category = code.fact.category!;
      lines.push({
        facility,
        storedSince: l.storedSince,
        lot: {
          lotId: uuidv7(),
          labelCode: newLabelCode(l.storedSince),
          batchCode,
          wasteCode: l.wasteCode,
          massGrams: checkMass(l.mass, `${field}.mass`, maxGrams),
          massBasis: l.massBasis,
          form: l.form,
          packaging: l.packaging,
          mainComponents: l.mainComponents ?? [],
          hazards: l.hazards ?? [...code.hazards],
          medicalClass: checkMedicalClass(
            l.wasteCode,
            category,
            l.medicalClass ?? medicalClassOfCode(l.wasteCode) ?? null,
            `${field}.medicalClass`,
          ),
        },
      });
    }
    const openingStock: OpeningStockLot[] = lines.map((x) => ({
      lotId: x.lot.lotId,
      labelCode: x.lot.labelCode,
      wasteCode: x.lot.wasteCode,
      facilityId: x.facility.facilityId,
      massGrams: x.lot.massGrams,
      storedSince: x.storedSince.toISOString(),
    }));
    return this.ledger.execute(
      {
        act: 'importGoLive',
        actor: acting.actor,
        idempotencyKey: input.idempotencyKey,
        request: JSON.parse(JSON.stringify(input)),
        occurredAt: goLiveAt,
      },
      async (tx) => {
        const stream = goLiveStream(site.siteId);
        const existing = await tx.readStream(stream);
        const siteHasEntries = existing.version === 0 && (await this.books.hasEntries(site.siteId, tx.sql));
        const event = this.renamed(() =>
          decideGoLive(
            {
              siteId: site.siteId,
              partyId: site.partyId,
              goLiveAt,
              openingStock,
              pastAnnualAmounts: (input.pastAnnualAmounts ?? []).map((a) => ({
                year: a.year,
                grams: a.amount,
              })),
            },
            { alreadyImported: existing.version > 0, siteHasEntries, now: tx.now },
          ),
        );
        await tx.append(stream, GO_LIVE_STREAM, existing.version, [event]);
        const newLotEvents = lines.map(({ lot, facility, storedSince }, i) => {
          // the lot's own events carry its real storage date: its clock runs from there
          const meta = { ...tx.meta(), occurredAt: storedSince };
          const generate: LotCommand = {
            type: 'GenerateLot',
            meta,
            data: {
              ...lot,
              producerPartyId: site.partyId,
              facilityId: facility.facilityId,
              facts: {
                code: { codeExists: true, category: `HW${lot.wasteCode.slice(-2)}` },
                facility,
                maxLotMassGrams: maxGrams,
                exemptSource: false,
                emergency: false,
              },
            },
          };
          const rename = (f: string) => `input.openingStock.${i}.${f.replace(/massGrams$/, 'mass')}`;
          const generated = withFields(rename, () => decide(generate, initialLotState()));
          const state = generated.reduce(evolve, initialLotState());
          const store: LotCommand = {
            type: 'StoreLot',
            meta,
            data: { lotId: lot.lotId, facilityId: facility.facilityId, facts: { facility } },
          };
          return {
            lotId: lot.lotId,
            events: [...generated, ...withFields(rename, () => decide(store, state))],
          };
        });
        await this.lots.commit(tx, new Map(), { sourceEvents: [], newLotEvents });
        return { siteId: site.siteId, lotIds: lines.map((l) => l.lot.lotId) };
      },
    );
  }

  private renamed<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (isDomainError(e) && typeof e.details.field === 'string' && !e.details.field.startsWith('input.'))
        throw new DomainError(e.code, e.message, { ...e.details, field: `input.${e.details.field}` });
      throw e;
    }
  }

  async view(who: Principal, siteId: string): Promise<GoLiveView | null> {
    await this.access.readable(who, siteId, this.clock.now());
    const [s] = await this.db.query<{ site_id: string; party_id: string; go_live_at: Date }[]>(
      `SELECT site_id, party_id, go_live_at FROM flow_site WHERE site_id = $1`,
      [siteId],
    );
    if (!s) return null;
    const stock = await this.db.query<
      {
        lot_id: string;
        label_code: string;
        waste_code: string;
        facility_id: string;
        mass: string;
        stored_since: Date;
      }[]
    >(
      `SELECT g.lot_id, l.label_code, l.waste_code, l.initial_grams AS mass, l.clock_starts_at AS stored_since,
              e.facility_id
         FROM flow_golive_lot g JOIN lot l ON l.lot_id = g.lot_id
         JOIN ledger_book_entry e ON e.lot_id = g.lot_id AND e.kind = 'OPENING_STOCK'
        WHERE g.site_id = $1 ORDER BY l.label_code`,
      [siteId],
    );
    const years = await this.db.query<{ year: number; grams: string }[]>(
      `SELECT year, grams FROM flow_site_year_amount WHERE site_id = $1 ORDER BY year`,
      [siteId],
    );
    return {
      siteId: s.site_id,
      partyId: s.party_id,
      goLiveAt: s.go_live_at,
      openingStock: stock.map((r) => ({
        lotId: r.lot_id,
        labelCode: r.label_code,
        wasteCode: r.waste_code,
        facilityId: r.facility_id,
        mass: Number(r.mass),
        storedSince: r.stored_since,
      })),
      pastAnnualAmounts: years.map((y) => ({ year: y.year, amount: Number(y.grams) })),
    };
  }
}
