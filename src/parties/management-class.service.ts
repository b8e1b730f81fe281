import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound } from '../shared/auth/access-policy';
import { grams } from '../shared/domain/mass';
import { type ManagementClassOverride, managementClassFor } from './domain/management-class';
import type { ManagementClassObject } from './graphql/party.types';

/**
 * 管理类别 of a producer site: from its declared expected amount while the ledger holds no full
 * year, then from the largest annual amount of the last three years; a regulator's override for
 * the year wins. The annual amounts come from the generation ledger once lots are recorded.
 */
@Injectable()
export class ManagementClassService {
  private annualAmounts: (siteId: string, years: number[]) => Promise<Record<number, number>> =
    async () => ({});

  constructor(private readonly db: DataSource) {}

  /** The lots capability provides the generated amount per full calendar year. */
  useAnnualAmounts(source: (siteId: string, years: number[]) => Promise<Record<number, number>>): void {
    this.annualAmounts = source;
  }

  async forSite(siteId: string, year: number): Promise<ManagementClassObject> {
    const [site] = await this.db.query<
      { expected_annual_grams: string | null; own_treatment: boolean; party_id: string }[]
    >(`SELECT expected_annual_grams, own_treatment, party_id FROM party_site WHERE site_id = $1`, [siteId]);
    if (!site) throw notFound('site');
    const overrides = await this.db.query<
      { class: ManagementClassOverride['class']; reason: string; year: number }[]
    >(`SELECT class, reason, year FROM management_class_override WHERE site_id = $1 AND year = $2`, [
      siteId,
      year,
    ]);
    const ledger = await this.annualAmounts(siteId, [year - 3, year - 2, year - 1]);
    const r = managementClassFor({
      year,
      // a site that declared nothing is taken as below 10 t/a until the ledger holds a year
      declaredAnnualGrams: grams(Number(site.expected_annual_grams ?? 0)),
      ledgerAnnualGrams: Object.fromEntries(Object.entries(ledger).map(([y, g]) => [y, grams(g)])),
      ownTreatmentFacility: site.own_treatment,
      override: overrides.map((o) => ({ class: o.class, reason: o.reason, year: o.year })),
    });
    return {
      siteId,
      year,
      managementClass: r.class,
      basis: r.basis,
      amount: r.amountGrams,
      reason: r.reason ?? null,
    };
  }
}
