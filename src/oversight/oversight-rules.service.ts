import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AlertInput } from '../ledger/alerts/alert';
import { LedgerService } from '../ledger/ledger.service';
import { CalendarService } from '../lots/clock/calendar.service';
import { documentExpiryAlerts } from './rules/document-expiry.rule';
import { receiptConfirmationAlerts } from './rules/receipt-confirmation.rule';
import { refusedAttemptAlerts } from './rules/refused-attempts.rule';
import type { ScheduledRuleSet } from './scheduled-rules';

/** What one run found and raised. */
export interface OversightRun {
  /** Records looked at, per rule. */
  readonly evaluated: Readonly<Record<string, number>>;
  /** Alerts the rules returned (raised before or now). */
  readonly alertIds: readonly string[];
  /** Alerts raised by this run. */
  readonly raised: number;
}

const SYSTEM_ACTOR = { kind: 'SYSTEM' as const, name: 'oversight-rules' };

/**
 * 预警规则 owned by the regulator workspace, evaluated at `now` and raised through the ledger in
 * one transaction: documents expiring within 40 working days (licences, transport permits, vehicle
 * and crew certificates: LICENCE_EXPIRING, PERMIT_EXPIRING, VEHICLE_CERTIFICATE_EXPIRING,
 * CREW_CERTIFICATE_EXPIRING), receipts not confirmed within 5 working days of delivery
 * (RECEIPT_NOT_CONFIRMED) and refused custody attempts (CUSTODY_ATTEMPT_REFUSED). The other rules
 * of SPEC section 10 are raised by the capability whose act or clock they concern (lots, manifests,
 * licences, flows); the scheduler runs every such rule set.
 */
@Injectable()
export class OversightRulesService implements ScheduledRuleSet {
  constructor(
    private readonly db: DataSource,
    private readonly ledger: LedgerService,
    private readonly calendars: CalendarService,
  ) {}

  async runOnce(now: Date): Promise<OversightRun> {
    const calendar = this.calendars.calendar();
    const results = {
      documents: await documentExpiryAlerts(this.db, calendar, now),
      receipts: await receiptConfirmationAlerts(this.db, calendar, now),
      attempts: await refusedAttemptAlerts(this.db, now),
    };
    const evaluated = Object.fromEntries(Object.entries(results).map(([k, r]) => [k, r.evaluated]));
    const alerts: AlertInput[] = Object.values(results).flatMap((r) => r.alerts);
    if (alerts.length === 0) return { evaluated, alertIds: [], raised: 0 };
    return this.ledger.execute({ act: 'evaluateOversightRules', actor: SYSTEM_ACTOR }, async (tx) => {
      const alertIds: string[] = [];
      let raised = 0;
      for (const a of alerts) {
        const r = await tx.raiseAlert(a);
        alertIds.push(r.alertId);
        if (r.raised) raised += 1;
      }
      return { evaluated, alertIds, raised };
    });
  }
}
