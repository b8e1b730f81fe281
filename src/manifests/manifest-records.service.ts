import { Injectable } from '@nestjs/common';
import { Env } from '../config/env';
import type { LedgerTransaction } from '../ledger/ledger-transaction';
import { LedgerService } from '../ledger/ledger.service';
import { decide as decideLot, evolve as evolveLot, type LotCommand, type LotEvent } from '../lots/domain';
import type { Principal } from '../shared/auth/principal';
import { Clock } from '../shared/clock';
import type { Actor } from '../shared/domain/actor';
import type { CommandMeta } from '../shared/domain/decider';
import { DomainError } from '../shared/domain/domain-error';
import { uuidv7 } from '../shared/ids';
import type { ActiveManifest, CorrectionChangeInput as DomainChange, PaperManifestEntered } from './domain';
import {
  CORRECTION_FIELDS,
  type AnswerCorrectionInput,
  type EnterPaperManifestInput,
  type RequestCorrectionInput,
} from './graphql/manifest.inputs';
import { ManifestAccess } from './manifest-access';
import { ManifestContentService } from './manifest-content.service';
import { ManifestDraftingService } from './manifest-drafting.service';
import { ManifestFactsService } from './manifest-facts.service';
import { envelope, withInputFieldsAsync } from './manifest-input';
import { manifestAlert, ManifestLedger } from './manifest-ledger';
import { MANIFEST_ALERT_RULES } from './manifest-streams';

/** Paper back-entry limit (Transfer Measures art. 20): 10 working days after the trip ended. */
export const PAPER_ENTRY_WORKING_DAYS = 10;

/**
 * Records about a manifest that do not move waste by themselves: corrections after a signature
 * (更正: a request naming descriptive fields, the other parties approve or refuse within
 * `CORRECTION_RESPONSE_HOURS`, approval appends the correction, history keeps both versions) and
 * the paper fallback (纸质联单补录: a trip run on paper during an outage, entered afterwards,
 * marked, and alerted when later than 10 working days after the trip ended).
 */
@Injectable()
export class ManifestRecordsService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly manifests: ManifestLedger,
    private readonly facts: ManifestFactsService,
    private readonly content: ManifestContentService,
    private readonly drafting: ManifestDraftingService,
    private readonly access: ManifestAccess,
    private readonly env: Env,
    private readonly clock: Clock,
  ) {}

  async requestCorrection(who: Principal, input: RequestCorrectionInput): Promise<string> {
    const acting = await this.facts.acting(who, input.onBehalfOfPartyId, this.clock.now());
    await this.access.assertParty(acting, input.manifestId);
    const correctionId = uuidv7();
    const changes: DomainChange[] = input.changes.map((c) => {
      const field = CORRECTION_FIELDS[c.field];
      return {
        field,
        lotId: c.lotId ?? null,
        to: field === 'lot.hazards' ? (c.values ?? null) : (c.value ?? null),
      };
    });
    const r = await this.ledger.execute(envelope('requestCorrection', acting.actor, input), async (tx) => {
      const m = await this.manifests.existing(tx, input.manifestId);
      const respondBy = new Date(tx.now.getTime() + this.env.CORRECTION_RESPONSE_HOURS * 3_600_000);
      await withInputFieldsAsync(() =>
        this.manifests.decide(tx, m, {
          type: 'RequestCorrection',
          data: { manifestId: m.manifestId, correctionId, changes, reason: input.reason, respondBy },
          meta: tx.meta(),
        }),
      );
      return { correctionId };
    });
    return r.correctionId;
  }

  async answerCorrection(who: Principal, input: AnswerCorrectionInput, approve: boolean): Promise<void> {
    const acting = await this.facts.acting(who, input.onBehalfOfPartyId, this.clock.now());
    await this.access.assertParty(acting, input.manifestId);
    if (!approve && !input.reason)
      throw DomainError.badInput('input.reason', 'input.reason: say why the correction is refused');
    await this.ledger.execute(
      envelope(approve ? 'approveCorrection' : 'refuseCorrection', acting.actor, input),
      async (tx) => {
        const m = await this.manifests.existing(tx, input.manifestId);
        await withInputFieldsAsync(() =>
          this.manifests.decide(
            tx,
            m,
            approve
              ? {
                  type: 'ApproveCorrection',
                  data: { manifestId: m.manifestId, correctionId: input.correctionId },
                  meta: tx.meta(),
                }
              : {
                  type: 'RefuseCorrection',
                  data: {
                    manifestId: m.manifestId,
                    correctionId: input.correctionId,
                    reason: input.reason ?? '',
                  },
                  meta: tx.meta(),
                },
          ),
        );
        return null;
      },
    );
  }

  /**
   * 纸质联单补录 — what happened on paper is recorded (never refused unless malformed): the manifest
   * becomes DELIVERED at the trip's end, and its lots travel the paper's legs to the receiver, each
   * lot event dated when it happened on paper and decided as the party that signed the paper for
   * that step (the ledger names the user who entered it).
   */
  async enterPaperManifest(who: Principal, input: EnterPaperManifestInput): Promise<string> {
    const now = this.clock.now();
    const acting = await this.facts.acting(who, input.onBehalfOfPartyId, now);
    if ((input.manifestId === undefined) === (input.content === undefined)) {
      throw DomainError.badInput(
        'input.content',
        'input: name the manifest on the ledger, or give the paper’s content',
      );
    }
    if (input.manifestId) await this.access.assertParty(acting, input.manifestId);
    const content = input.content
      ? await this.content.build(acting.partyId, acting.ownPartyId, input.content, now, 'input.content')
      : null;
    const manifestId = input.manifestId ?? uuidv7();
    const deadline = this.facts.deadline(input.tripEndedAt, PAPER_ENTRY_WORKING_DAYS);
    const r = await this.ledger.execute(envelope('enterPaperManifest', acting.actor, input), async (tx) => {
      const m = await this.manifests.load(tx, manifestId);
      const full = content
        ? { ...content, hazledgerNumber: await this.drafting.nextNumber(tx, content.startPoint.divisionCode) }
        : null;
      const change = await withInputFieldsAsync(() =>
        this.manifests.decide(tx, m, {
          type: 'EnterPaperManifest',
          data: {
            manifestId,
            paperNumber: input.paperNumber,
            reason: input.reason ?? null,
            content: full,
            tripStartedAt: input.tripStartedAt,
            tripEndedAt: input.tripEndedAt,
            backEntryDeadline: deadline.endsAt,
          },
          meta: tx.meta(),
        }),
      );
      const entered = change.emitted.find(
        (e): e is PaperManifestEntered => e.type === 'PaperManifestEntered',
      );
      if (!entered || change.after.status === 'NONE') return { manifestId };
      await this.moveLots(tx, change.after, entered, acting.actor);
      await tx.sql.exec(
        `UPDATE manifest_handover_code SET superseded_at = $2 WHERE manifest_id = $1 AND superseded_at IS NULL`,
        [manifestId, tx.now],
      );
      if (entered.data.late) {
        await tx.raiseAlert(
          manifestAlert(change.after, MANIFEST_ALERT_RULES.PAPER_MANIFEST_LATE, deadline.date, 'WARNING', {
            paperNumber: entered.data.paperNumber,
            tripEndedAt: entered.data.tripEndedAt,
            deadline: entered.data.backEntryDeadline,
            deadlineDate: deadline.date,
            provisional: deadline.provisional,
            enteredAt: tx.now.toISOString(),
          }),
        );
      }
      return { manifestId };
    });
    return r.manifestId;
  }

  /** The paper trip's custody steps on each carried lot, from where the lot stands to DELIVERED. */
  private async moveLots(
    tx: LedgerTransaction,
    m: ActiveManifest,
    e: PaperManifestEntered,
    actor: Actor,
  ): Promise<void> {
    const d = e.data;
    const c = m.content;
    const userId =
      actor.kind === 'USER' ? actor.userId : actor.kind === 'DEVICE' ? actor.deviceId : actor.name;
    const signed = (partyId: string, at: string): CommandMeta => ({
      actor: { kind: 'USER', userId, partyId },
      occurredAt: new Date(at),
      now: tx.now,
    });
    const loaded = await this.manifests.loadLots(tx, d.carriedLotIds);
    const sourceEvents: { lotId: string; events: LotEvent[] }[] = [];
    for (const l of loaded.values()) {
      const steps: LotCommand[] = [];
      const id = { lotId: l.lotId, manifestId: d.manifestId };
      if (d.fromStatus === 'NONE' || d.fromStatus === 'DRAFT') {
        steps.push({
          type: 'ReserveLotOnManifest',
          data: id,
          meta: { ...signed(c.consignorId, d.tripStartedAt), actor },
        });
      }
      if (d.fromStatus !== 'IN_TRANSIT') {
        steps.push({
          type: 'TakeLotCustody',
          data: {
            ...id,
            pickupMassGrams: null,
            facts: { disputeReasons: [], namedCarrierPartyId: c.legs[0].carrierId },
          },
          meta: signed(c.legs[0].carrierId, d.tripStartedAt),
        });
      }
      const fromLeg = l.state.status === 'IN_TRANSIT' ? l.state.leg : 1;
      for (let leg = fromLeg; leg < c.legs.length; leg++) {
        const next = c.legs[leg].carrierId;
        steps.push({
          type: 'RelayLot',
          data: { ...id, place: null, facts: { disputeReasons: [], nextCarrierPartyId: next } },
          meta: signed(next, d.tripStartedAt),
        });
      }
      steps.push({
        type: 'DeliverLot',
        data: {
          ...id,
          receiverPartyId: c.receiverId,
          facts: { namedReceiverPartyId: c.receiverId, namedReceiverSiteId: c.endPoint.siteId },
        },
        meta: signed(c.receiverId, d.tripEndedAt),
      });
      let state = l.state;
      const events: LotEvent[] = [];
      for (const step of steps) {
        const out = decideLot(step, state);
        state = out.reduce(evolveLot, state);
        events.push(...out);
      }
      sourceEvents.push({ lotId: l.lotId, events });
    }
    await this.manifests.commitLots(tx, loaded, { sourceEvents, newLotEvents: [] });
  }
}
