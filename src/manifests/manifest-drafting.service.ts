import { Injectable } from '@nestjs/common';
import { sqlConstraint, sqlState } from '../database/sql';
import { adjustCounter, readCounters } from '../ledger/counters';
import type { LedgerTransaction } from '../ledger/ledger-transaction';
import { LedgerService } from '../ledger/ledger.service';
import type { Principal } from '../shared/auth/principal';
import { Clock } from '../shared/clock';
import { DomainError } from '../shared/domain/domain-error';
import { uuidv7 } from '../shared/ids';
import { shanghaiDate } from '../shared/domain/time';
import type { LotCustodyFact, ManifestContent, ManifestCommand, SubmitChecks } from './domain';
import type {
  AmendManifestDraftInput,
  CancelManifestInput,
  DraftManifestInput,
  ManifestRefInput,
  ReportNationalNumberInput,
  SubmitManifestInput,
} from './graphql/manifest.inputs';
import { HandoverCodeService, type IssuedHandoverCode } from './handover-code.service';
import { ManifestAccess } from './manifest-access';
import { ManifestContentService } from './manifest-content.service';
import { ManifestFactsService } from './manifest-facts.service';
import { envelope, withInputFieldsAsync } from './manifest-input';
import { manifestAlert, ManifestLedger } from './manifest-ledger';
import { ManifestPlanCheck } from './manifest-plan-check';
import { ManifestReservations } from './manifest-reservations';
import { formatManifestNumber, MANIFEST_ALERT_RULES, manifestNumberCounter } from './manifest-streams';

const HOLDING = ['GENERATED', 'STORED', 'REJECTED'];

/** Facts for a submission the decider refuses on its state before reading them. */
const NO_CHECKS: SubmitChecks = {
  lots: [],
  receiverLicence: null,
  capacity: null,
  carrier: { ok: true },
  plan: null,
  crossProvince: null,
};

/** A submission's answer: the manifest and, on the first run only, the code to give the driver. */
export interface SubmitOutcome {
  readonly manifestId: string;
  readonly handoverCode: IssuedHandoverCode | null;
}

/**
 * 联单 — the 移出人's acts (consignor, or its agent): draft, amend, submit (with every check of
 * SPEC section 6.1 and the lots reserved, in one ledger transaction), reissue the handover code,
 * cancel before custody (lots and reservations released), report the national number.
 */
@Injectable()
export class ManifestDraftingService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly manifests: ManifestLedger,
    private readonly facts: ManifestFactsService,
    private readonly content: ManifestContentService,
    private readonly access: ManifestAccess,
    private readonly reservations: ManifestReservations,
    private readonly codes: HandoverCodeService,
    private readonly plans: ManifestPlanCheck,
    private readonly clock: Clock,
  ) {}

  async draft(who: Principal, input: DraftManifestInput): Promise<string> {
    const now = this.clock.now();
    const acting = await this.facts.acting(who, input.onBehalfOfPartyId, now);
    const content = await this.content.build(acting.partyId, acting.ownPartyId, input, now);
    const manifestId = uuidv7();
    const r = await this.ledger.execute(envelope('draftManifest', acting.actor, input), async (tx) => {
      const m = await this.manifests.load(tx, manifestId);
      const hazledgerNumber = await this.nextNumber(tx, content.startPoint.divisionCode);
      await withInputFieldsAsync(() =>
        this.manifests.decide(tx, m, {
          type: 'DraftManifest',
          data: { manifestId, content: { ...content, hazledgerNumber } },
          meta: tx.meta(),
        }),
      );
      return { manifestId };
    });
    return r.manifestId;
  }

  /** `HL-<year>-<city>-<serial>` from a ledger counter per year and city, drawn in the drafting transaction. */
  async nextNumber(tx: LedgerTransaction, divisionCode: string): Promise<string> {
    const year = shanghaiDate(tx.now).slice(0, 4);
    const city = divisionCode.slice(0, 4);
    const id = manifestNumberCounter(year, city);
    const counter = (await readCounters(tx, [id])).get(id)!;
    const next = await adjustCounter(tx, counter, 1, 'MANIFEST_NUMBER', `${year}:${city}`);
    return formatManifestNumber(year, city, next.value);
  }

  async amend(who: Principal, input: AmendManifestDraftInput): Promise<void> {
    const now = this.clock.now();
    const acting = await this.facts.acting(who, input.onBehalfOfPartyId, now);
    await this.access.assertParty(acting, input.manifestId);
    await this.ledger.execute(envelope('amendManifestDraft', acting.actor, input), async (tx) => {
      const m = await this.manifests.existing(tx, input.manifestId);
      const changes = await this.content.changes(m.state.content, input, tx.occurredAt);
      await withInputFieldsAsync(() =>
        this.manifests.decide(tx, m, {
          type: 'AmendManifestDraft',
          data: { manifestId: input.manifestId, changes },
          meta: tx.meta(),
        }),
      );
      return null;
    });
  }

  /**
   * 提交 — every check of SPEC section 6.1 in one transaction: lots in the consignor's custody and
   * on no other open manifest (each lot reserved on its stream, so two submissions of one lot
   * cannot both pass), receiver verified, licensed and with capacity (reserved), carriers' permits,
   * vehicles and certificates on the planned date, the management plan, the cross-province
   * approval (reserved). Issues the first handover code.
   */
  async submit(who: Principal, input: SubmitManifestInput): Promise<SubmitOutcome> {
    const now = this.clock.now();
    const acting = await this.facts.acting(who, input.onBehalfOfPartyId, now);
    await this.access.assertParty(acting, input.manifestId);
    let issued: IssuedHandoverCode | null = null;
    const r = await this.ledger.execute(envelope('submitManifest', acting.actor, input), async (tx) => {
      issued = null;
      const m = await this.manifests.existing(tx, input.manifestId);
      const submit = (
        checks: SubmitChecks,
        code: { handoverCodeId: string; expiresAt: Date },
      ): ManifestCommand => ({
        type: 'SubmitManifest',
        data: { manifestId: input.manifestId, checks, handoverCode: code },
        meta: tx.meta(),
      });
      if (m.state.status !== 'DRAFT') {
        // the decider refuses with the state and the acts allowed in it
        await this.manifests.decide(tx, m, submit(NO_CHECKS, { handoverCodeId: '-', expiresAt: tx.now }));
      }
      const c = m.state.content;
      await this.assertPartiesVerified(c);
      const lots = await this.manifests.loadLots(
        tx,
        c.lots.map((l) => l.lotId),
      );
      const lotFacts: LotCustodyFact[] = c.lots.map((l) => {
        const s = lots.get(l.lotId)!.state;
        const held =
          HOLDING.includes(s.status) && 'custodianPartyId' in s && s.custodianPartyId === c.consignorId;
        return {
          lotId: l.lotId,
          inConsignorCustody: held,
          openManifestId: 'openManifestId' in s ? s.openManifestId : null,
        };
      });
      const reserved = await this.reservations.reserve(tx, m.manifestId, c, input.crossProvinceApprovalId);
      const carrier = await this.carrierCheck(c);
      const plan =
        c.transferType === 'RETURN'
          ? null
          : await this.plans.check({
              consignorPartyId: c.consignorId,
              consignorSiteId: c.startPoint.siteId,
              receiverPartyId: c.receiverId,
              lots: c.lots.map((l) => ({ lotId: l.lotId, wasteCode: l.wasteCode })),
              plannedDate: c.plannedDate,
            });
      const code = await this.codes.issue(tx, m.manifestId);
      const change = await withInputFieldsAsync(() =>
        this.manifests.decide(tx, m, submit({ lots: lotFacts, carrier, plan, ...reserved }, code)),
      );
      await this.manifests.onLots(tx, lots, (l, meta) => ({
        type: 'ReserveLotOnManifest',
        data: { lotId: l.lotId, manifestId: m.manifestId },
        meta,
      }));
      const submitted = change.emitted.find((e) => e.type === 'ManifestSubmitted');
      if (
        submitted?.type === 'ManifestSubmitted' &&
        submitted.data.planAlert &&
        change.after.status !== 'NONE'
      ) {
        await tx.raiseAlert(
          manifestAlert(change.after, MANIFEST_ALERT_RULES.NOT_IN_PLAN, 'submit', 'WARNING', {
            reason: submitted.data.planAlert.reason,
            lotIds: [...submitted.data.planAlert.lotIds],
          }),
        );
      }
      issued = code;
      return { manifestId: m.manifestId };
    });
    return { manifestId: r.manifestId, handoverCode: issued };
  }

  /** 交接码 — the consignor issues a new code (the previous one stops working); shown once. */
  async reissueHandoverCode(who: Principal, input: ManifestRefInput): Promise<SubmitOutcome> {
    const acting = await this.facts.acting(who, input.onBehalfOfPartyId, this.clock.now());
    await this.access.assertParty(acting, input.manifestId);
    let issued: IssuedHandoverCode | null = null;
    await this.ledger.execute(envelope('reissueHandoverCode', acting.actor, input), async (tx) => {
      issued = null;
      const m = await this.manifests.existing(tx, input.manifestId);
      const code = await this.codes.issue(tx, m.manifestId);
      await this.manifests.decide(tx, m, {
        type: 'IssueHandoverCode',
        data: { manifestId: m.manifestId, handoverCodeId: code.handoverCodeId, expiresAt: code.expiresAt },
        meta: tx.meta(),
      });
      issued = code;
      return null;
    });
    return { manifestId: input.manifestId, handoverCode: issued };
  }

  /** 作废 — before custody: the lots go back to the consignor's storage, reservations are released. */
  async cancel(who: Principal, input: CancelManifestInput): Promise<void> {
    const acting = await this.facts.acting(who, input.onBehalfOfPartyId, this.clock.now());
    await this.access.assertParty(acting, input.manifestId);
    await this.ledger.execute(envelope('cancelManifest', acting.actor, input), async (tx) => {
      const m = await this.manifests.existing(tx, input.manifestId);
      await this.manifests.decide(tx, m, {
        type: 'CancelManifest',
        data: { manifestId: m.manifestId, reason: input.reason ?? null },
        meta: tx.meta(),
      });
      if (m.state.status === 'SUBMITTED') {
        const held = m.state.content.lots;
        const lots = await this.manifests.loadLots(
          tx,
          held.map((l) => l.lotId),
        );
        await this.manifests.onLots(tx, lots, (l, meta) =>
          'openManifestId' in l.state && l.state.openManifestId === m.manifestId
            ? {
                type: 'ReleaseLotFromManifest',
                data: {
                  lotId: l.lotId,
                  manifestId: m.manifestId,
                  reason: input.reason ?? 'manifest cancelled',
                },
                meta,
              }
            : null,
        );
        await this.reservations.release(tx, m.state, held);
        await tx.sql.exec(
          `UPDATE manifest_handover_code SET superseded_at = $2 WHERE manifest_id = $1 AND superseded_at IS NULL`,
          [m.manifestId, tx.now],
        );
      }
      return null;
    });
  }

  /** The 14-digit number the national system gave the manifest (once; unique). */
  async reportNationalNumber(who: Principal, input: ReportNationalNumberInput): Promise<void> {
    const acting = await this.facts.acting(who, input.onBehalfOfPartyId, this.clock.now());
    await this.access.assertParty(acting, input.manifestId);
    try {
      await this.ledger.execute(envelope('reportNationalNumber', acting.actor, input), async (tx) => {
        const m = await this.manifests.existing(tx, input.manifestId);
        await withInputFieldsAsync(() =>
          this.manifests.decide(tx, m, {
            type: 'ReportNationalNumber',
            data: { manifestId: m.manifestId, nationalNumber: input.nationalNumber },
            meta: tx.meta(),
          }),
        );
        return null;
      });
    } catch (e) {
      if (sqlState(e) === '23505' && sqlConstraint(e) === 'manifest_national_number_key') {
        throw DomainError.badInput(
          'input.nationalNumber',
          'input.nationalNumber: already reported for another manifest',
        );
      }
      throw e;
    }
  }

  /** Receiver and carriers must be verified by a regulator before they can be named (PARTY_NOT_VERIFIED). */
  private async assertPartiesVerified(c: ManifestContent): Promise<void> {
    await this.facts.verifiedParty(c.receiverId, 'receiverPartyId', 'receiver (接受人)');
    for (const [i, l] of c.legs.entries()) {
      await this.facts.verifiedParty(
        l.carrierId,
        `legs.${i}.carrierPartyId`,
        `carrier (承运人) of leg ${i + 1}`,
      );
    }
  }

  /** Every leg's carrier, vehicle and crew on the planned date: the first failure. */
  private async carrierCheck(c: ManifestContent) {
    const codes = c.lots.map((l) => l.wasteCode);
    for (const [i, leg] of c.legs.entries()) {
      const r = await this.facts.carrierCheck(leg, i + 1, codes, c.plannedDate);
      if (!r.ok) return r;
    }
    return { ok: true as const };
  }
}
