import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../shared/auth/principal';
import { Clock } from '../shared/clock';
import { shanghaiDate, shanghaiDayEnd, shanghaiDayStart } from '../shared/domain/time';
import type { PlanContent, PlanSection } from './domain/management-plan';
import { FlowsAccess, type FlowSite } from './flows-access.service';
import { LedgerBookService } from './ledger-book.service';

/** Planned against actual for one line of the plan. */
export interface PlanDeviation {
  wasteCode: string;
  receiverPartyId: string | null;
  receiverName: string | null;
  method: string | null;
  planned: number;
  actual: number;
  deviation: number;
  /** (actual − planned) / planned in percent with one decimal, or null when nothing was planned. */
  deviationPercent: string | null;
}

export interface PlanRevisionView {
  revision: number;
  reason: string | null;
  managementClass: string;
  at: Date;
  recordedAt: Date;
  agentPartyId: string | null;
}

export interface PlanView {
  siteId: string;
  year: number;
  partyId: string;
  filingNumber: string;
  managementClass: string;
  requiredSections: PlanSection[];
  revision: number;
  dueDate: string;
  late: boolean;
  filedAt: Date;
  filedRecordedAt: Date;
  agentPartyId: string | null;
  lastAmendedAt: Date | null;
  lastReason: string | null;
  /** A.1 单位基本信息, from the party registry (never typed into the plan). */
  basicInfo: { partyName: string; uscc: string; siteName: string; address: string; divisionCode: string };
  content: PlanContent;
  revisions: PlanRevisionView[];
  /** The last business date the actual figures cover (today, or 31 December of a past year). */
  actualsAsOf: string;
  generation: PlanDeviation[];
  transfers: PlanDeviation[];
  ownTreatment: PlanDeviation[];
}

interface PlanRow {
  site_id: string;
  year: number;
  party_id: string;
  filing_number: string;
  management_class: string;
  required_sections: PlanSection[];
  content: PlanContent;
  revision: number;
  due_date: string;
  late: boolean;
  filed_at: Date;
  filed_recorded_at: Date;
  agent_party_id: string | null;
  last_amended_at: Date | null;
  last_reason: string | null;
}

/** `(actual − planned) / planned` in percent, one decimal, exact to the rounding; null without a plan figure. */
export function deviationPercent(actual: number, planned: number): string | null {
  if (planned === 0) return null;
  const tenths = Math.round(((actual - planned) * 1000) / planned);
  const abs = Math.abs(tenths);
  return `${tenths < 0 ? '-' : ''}${Math.trunc(abs / 10)}.${abs % 10}`;
}

const line = (
  wasteCode: string,
  planned: number,
  actual: number,
  extra: Partial<PlanDeviation> = {},
): PlanDeviation => ({
  wasteCode,
  receiverPartyId: null,
  receiverName: null,
  method: null,
  planned,
  actual,
  deviation: actual - planned,
  deviationPercent: deviationPercent(actual, planned),
  ...extra,
});

/**
 * 管理计划 as shown: the plan in force (latest revision), its revisions, basic information from
 * the registry, and per code planned against actual to date from the ledger book: generated,
 * transferred (declared masses on the manifests, as the declarations count them) and treated in
 * house. Transfers made outside the plan show with nothing planned.
 */
@Injectable()
export class PlanReadService {
  constructor(
    private readonly db: DataSource,
    private readonly access: FlowsAccess,
    private readonly books: LedgerBookService,
    private readonly clock: Clock,
  ) {}

  /** The years whose plan a site has filed. */
  async filedYears(siteId: string): Promise<number[]> {
    return (
      await this.db.query<{ year: number }[]>(`SELECT year FROM management_plan WHERE site_id = $1`, [siteId])
    ).map((r) => r.year);
  }

  async plan(who: Principal, siteId: string, year: number): Promise<PlanView | null> {
    const site = await this.access.readable(who, siteId, this.clock.now());
    const [row] = await this.db.query<PlanRow[]>(
      `SELECT site_id, year, party_id, filing_number, management_class, required_sections, content, revision,
              to_char(due_date, 'YYYY-MM-DD') AS due_date, late, filed_at, filed_recorded_at, agent_party_id, last_amended_at,
              last_reason
         FROM management_plan WHERE site_id = $1 AND year = $2`,
      [siteId, year],
    );
    return row ? this.view(site, row) : null;
  }

  private async view(site: FlowSite, row: PlanRow): Promise<PlanView> {
    const revisions = await this.db.query<PlanRevisionView[]>(
      `SELECT revision, reason, management_class AS "managementClass", at, recorded_at AS "recordedAt",
              agent_party_id AS "agentPartyId"
         FROM management_plan_revision WHERE site_id = $1 AND year = $2 ORDER BY revision`,
      [row.site_id, row.year],
    );
    const today = shanghaiDate(this.clock.now());
    const yearEnd = `${row.year}-12-31`;
    const asOf = today < yearEnd ? today : yearEnd;
    const start = shanghaiDayStart(`${row.year}-01-01`);
    const moves =
      asOf < `${row.year}-01-01` ? [] : await this.books.movements(row.site_id, start, shanghaiDayEnd(asOf));
    const sum = (
      pred: (m: (typeof moves)[number]) => boolean,
      value: (m: (typeof moves)[number]) => number,
    ) => moves.filter(pred).reduce((a, m) => a + value(m), 0);
    const c = row.content;
    const generation = (c.generation ?? []).map((g) =>
      line(
        g.wasteCode,
        g.expectedGrams,
        sum(
          (m) => m.kind === 'GENERATED' && m.wasteCode === g.wasteCode,
          (m) => m.bookedGrams,
        ),
      ),
    );
    for (const code of new Set(moves.filter((m) => m.kind === 'GENERATED').map((m) => m.wasteCode))) {
      if (!generation.some((g) => g.wasteCode === code))
        generation.push(
          line(
            code,
            0,
            sum(
              (m) => m.kind === 'GENERATED' && m.wasteCode === code,
              (m) => m.bookedGrams,
            ),
          ),
        );
    }
    const sentByKey = new Map<
      string,
      { wasteCode: string; receiverPartyId: string | null; method: string | null; grams: number }
    >();
    for (const m of moves.filter((x) => x.kind === 'SENT_OUT')) {
      const key = [m.wasteCode, m.counterpartyPartyId, m.method].join('|');
      const s = sentByKey.get(key) ?? {
        wasteCode: m.wasteCode,
        receiverPartyId: m.counterpartyPartyId,
        method: m.method,
        grams: 0,
      };
      s.grams += m.declaredGrams;
      sentByKey.set(key, s);
    }
    const transfers = (c.transfers ?? []).map((t) => {
      const key = [t.wasteCode, t.receiverPartyId, t.method].join('|');
      const actual = sentByKey.get(key)?.grams ?? 0;
      sentByKey.delete(key);
      return line(t.wasteCode, t.expectedGrams, actual, {
        receiverPartyId: t.receiverPartyId,
        method: t.method,
      });
    });
    // transfers made outside the plan (allowed under PLAN_ENFORCEMENT=ALERT): shown with nothing planned
    for (const s of sentByKey.values())
      transfers.push(line(s.wasteCode, 0, s.grams, { receiverPartyId: s.receiverPartyId, method: s.method }));
    const names = await this.db.query<{ party_id: string; name: string }[]>(
      `SELECT party_id, name FROM party WHERE party_id = ANY($1)`,
      [transfers.map((t) => t.receiverPartyId).filter((p): p is string => !!p)],
    );
    for (const t of transfers)
      t.receiverName = names.find((n) => n.party_id === t.receiverPartyId)?.name ?? null;
    const treatedKinds = ['UTILISED', 'DISPOSED'];
    const ownTreatment = (c.ownTreatment ?? []).map((o) =>
      line(
        o.wasteCode,
        o.expectedGrams,
        sum(
          (m) => treatedKinds.includes(m.kind) && m.wasteCode === o.wasteCode && m.method === o.method,
          (m) => m.bookedGrams,
        ),
        {
          method: o.method,
        },
      ),
    );
    return {
      siteId: row.site_id,
      year: row.year,
      partyId: row.party_id,
      filingNumber: row.filing_number,
      managementClass: row.management_class,
      requiredSections: row.required_sections,
      revision: row.revision,
      dueDate: row.due_date,
      late: row.late,
      filedAt: row.filed_at,
      filedRecordedAt: row.filed_recorded_at,
      agentPartyId: row.agent_party_id,
      lastAmendedAt: row.last_amended_at,
      lastReason: row.last_reason,
      basicInfo: {
        partyName: site.partyName,
        uscc: site.uscc,
        siteName: site.siteName,
        address: site.address,
        divisionCode: site.divisionCode,
      },
      content: c,
      revisions,
      actualsAsOf: asOf,
      generation,
      transfers,
      ownTreatment,
    };
  }
}
