import { Injectable } from '@nestjs/common';
import { CatalogueService } from '../catalogue/catalogue.service';
import { adjustCounter, readCounters } from '../ledger/counters';
import type { LedgerTransaction } from '../ledger/ledger-transaction';
import { LedgerService } from '../ledger/ledger.service';
import { ManagementClassService } from '../parties/management-class.service';
import type { Principal } from '../shared/auth/principal';
import { Clock } from '../shared/clock';
import { DomainError, isDomainError } from '../shared/domain/domain-error';
import { shanghaiDayStart } from '../shared/domain/time';
import { DataSource } from 'typeorm';
import { formatFilingNumber, planDecider, type PlanContent, type PlanFacts } from './domain/management-plan';
import type { ManagementPlanEvent } from './domain/flows.events';
import type { ManagementClass } from './domain/reporting-periods';
import { type FlowSite, FlowsAccess, PRODUCER_TYPES } from './flows-access.service';
import { PLAN_SCOPE, PLAN_STREAM, planFilingCounter, planStream } from './flows-streams';
import type {
  AmendManagementPlanInput,
  FileManagementPlanInput,
  PlanContentInput,
} from './graphql/plan.inputs';

/** Turns the GraphQL content (masses already in grams) into the domain's, with `null` for absent sections. */
export function planContentOf(c: PlanContentInput): PlanContent {
  return {
    facilities: c.facilities?.map((l) => ({ facilityId: l.facilityId, description: l.description })) ?? null,
    generation:
      c.generation?.map((l) => ({
        wasteCode: l.wasteCode,
        expectedGrams: l.expectedAmount,
        process: l.process,
        internalName: l.internalName ?? null,
      })) ?? null,
    storage:
      c.storage?.map((l) => ({
        facilityId: l.facilityId,
        wasteCodes: l.wasteCodes,
        packaging: l.packaging,
        expectedYearEndStockGrams: l.expectedYearEndStock,
      })) ?? null,
    ownTreatment:
      c.ownTreatment?.map((l) => ({
        facilityId: l.facilityId,
        wasteCode: l.wasteCode,
        method: l.method,
        expectedGrams: l.expectedAmount,
      })) ?? null,
    reduction:
      c.reduction?.map((l) => ({
        measure: l.measure,
        wasteCodes: l.wasteCodes ?? [],
        expectedReductionGrams: l.expectedReduction ?? null,
      })) ?? null,
    transfers:
      c.transfers?.map((l) => ({
        wasteCode: l.wasteCode,
        receiverPartyId: l.receiverPartyId,
        method: l.method,
        expectedGrams: l.expectedAmount,
        transferType: l.transferType,
      })) ?? null,
  };
}

/** Runs a decision; a refused field (`content.transfers.0.method`) is named as the input names it. */
function renamed<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isDomainError(e) && typeof e.details.field === 'string' && !e.details.field.startsWith('input.'))
      throw new DomainError(e.code, e.message, { ...e.details, field: `input.${e.details.field}` });
    throw e;
  }
}

/**
 * 管理计划 — files and amends management plans through the ledger. The plan's facts (the site's
 * class for the year, its facilities, the catalogue in force on 1 January, the receivers'
 * verification) are looked up here and handed to the pure decider; the filing number is drawn from
 * a ledger counter per year and city, so that two filings never share one.
 */
@Injectable()
export class PlansService {
  constructor(
    private readonly db: DataSource,
    private readonly ledger: LedgerService,
    private readonly access: FlowsAccess,
    private readonly classes: ManagementClassService,
    private readonly catalogue: CatalogueService,
    private readonly clock: Clock,
  ) {}

  private async facts(site: FlowSite, year: number, content: PlanContent): Promise<PlanFacts> {
    if (!site.partyTypes.some((t) => PRODUCER_TYPES.includes(t)))
      throw DomainError.badInput(
        'input.siteId',
        'siteId: management plans are filed for the sites of producers (产废单位)',
      );
    const managementClass = (await this.classes.forSite(site.siteId, year))
      .managementClass as ManagementClass;
    const facilities = await this.db.query<{ facility_id: string }[]>(
      `SELECT facility_id FROM facility WHERE site_id = $1 AND status = 'ACTIVE'`,
      [site.siteId],
    );
    const codes = new Set<string>();
    for (const l of content.generation ?? []) codes.add(l.wasteCode);
    for (const l of content.transfers ?? []) codes.add(l.wasteCode);
    for (const l of content.ownTreatment ?? []) codes.add(l.wasteCode);
    const knownCodes: string[] = [];
    const jan1 = shanghaiDayStart(`${year}-01-01`);
    for (const c of codes)
      if (/^\d{3}-\d{3}-\d{2}$/.test(c) && (await this.catalogue.findCode(c, jan1))) knownCodes.push(c);
    const receiverIds = [...new Set((content.transfers ?? []).map((t) => t.receiverPartyId))];
    const receivers = await this.db.query<{ party_id: string; status: string }[]>(
      `SELECT party_id, status FROM party WHERE party_id = ANY($1)`,
      [receiverIds],
    );
    return {
      siteId: site.siteId,
      partyId: site.partyId,
      managementClass,
      siteOwnTreatment: site.ownTreatment,
      siteFacilityIds: facilities.map((f) => f.facility_id),
      knownCodes,
      receivers: Object.fromEntries(receivers.map((r) => [r.party_id, { status: r.status }])),
    };
  }

  private checkYear(year: number): number {
    if (!Number.isSafeInteger(year) || year < 2000 || year > 9998)
      throw DomainError.badInput('input.year', 'input.year: a calendar year');
    return year;
  }

  /** 管理计划备案 — files the plan of a site for a year; returns the filing number. */
  async file(
    who: Principal,
    input: FileManagementPlanInput,
  ): Promise<{ siteId: string; year: number; filingNumber: string }> {
    return this.onPlan(who, input, 'fileManagementPlan', async (tx, p) => {
      if (p.state.status !== 'NONE')
        throw new DomainError(
          'INVALID_TRANSITION',
          `the ${p.year} plan is filed (${p.state.filingNumber}): amend it`,
          {
            currentState: p.state.status,
            allowedFrom: ['NONE'],
          },
        );
      const city = p.site.cityCode ?? p.site.divisionCode;
      const counterId = planFilingCounter(p.year, city);
      const counter = (await readCounters(tx, [counterId])).get(counterId)!;
      const next = await adjustCounter(tx, counter, 1, 'ManagementPlanFiled', p.stream);
      const filingNumber = formatFilingNumber(p.year, city, next.value);
      return {
        command: {
          type: 'FileManagementPlan',
          data: { year: p.year, filingNumber, content: p.content, facts: p.facts },
          meta: tx.meta(),
        },
        result: { siteId: p.site.siteId, year: p.year, filingNumber },
      };
    });
  }

  /** 管理计划变更 — a new version of the plan's content, with the reason. */
  async amend(who: Principal, input: AmendManagementPlanInput): Promise<{ siteId: string; year: number }> {
    return this.onPlan(who, input, 'amendManagementPlan', (tx, p) =>
      Promise.resolve({
        command: {
          type: 'AmendManagementPlan',
          data: { year: p.year, reason: input.reason, content: p.content, facts: p.facts },
          meta: tx.meta(),
        },
        result: { siteId: p.site.siteId, year: p.year },
      }),
    );
  }

  /**
   * The one path of both plan acts: year and access checked, content and facts read, then in the
   * ledger transaction the plan's stream loaded, `decide` builds the command, the decider's events
   * are appended (input fields renamed for errors).
   */
  private async onPlan<R>(
    who: Principal,
    input: FileManagementPlanInput | AmendManagementPlanInput,
    act: 'fileManagementPlan' | 'amendManagementPlan',
    decide: (
      tx: LedgerTransaction,
      p: {
        site: FlowSite;
        year: number;
        stream: string;
        state: ReturnType<typeof planDecider.initialState>;
        content: PlanContent;
        facts: PlanFacts;
      },
    ) => Promise<{ command: Parameters<typeof planDecider.decide>[0]; result: R }>,
  ): Promise<R> {
    const now = this.clock.now();
    const year = this.checkYear(input.year);
    const { site, acting } = await this.access.acting(
      who,
      input.siteId,
      input.onBehalfOfPartyId,
      PLAN_SCOPE,
      now,
    );
    const content = planContentOf(input.content);
    const facts = await this.facts(site, year, content);
    return this.ledger.execute(
      {
        act,
        actor: acting.actor,
        idempotencyKey: input.idempotencyKey,
        request: JSON.parse(JSON.stringify(input)),
      },
      async (tx) => {
        const stream = planStream(site.siteId, year);
        const { state, version } = await tx.load<
          ReturnType<typeof planDecider.initialState>,
          ManagementPlanEvent
        >(stream, planDecider);
        const { command, result } = await decide(tx, { site, year, stream, state, content, facts });
        const events = renamed(() => planDecider.decide(command, state));
        await tx.append(stream, PLAN_STREAM, version, events);
        return result;
      },
    );
  }
}
