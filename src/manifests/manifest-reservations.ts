import { Injectable } from '@nestjs/common';
import { approvalCounterId, capacityCounterId } from '../licences/domain/capacity.policy';
import {
  type ApprovalReservation,
  type CapacityReservation as LicenceReservation,
  LicenceCheckService,
} from '../licences/licence-check.service';
import { LicenceReadService } from '../licences/licence-read.service';
import type { LedgerTransaction } from '../ledger/ledger-transaction';
import { isDomainError } from '../shared/domain/domain-error';
import { shanghaiDate } from '../shared/domain/time';
import {
  crossesProvinces,
  type ActiveManifest,
  type CapacityCheck,
  type CapacityLevel,
  type CapacityReservation,
  type CrossProvinceCheck,
  type ManifestContent,
  type ManifestLot,
  type ReceiverLicenceCheck,
} from './domain';

const LEVEL_RANK: Record<CapacityLevel, number> = { NORMAL: 0, EARLY_WARNING: 1, OVER_CAPACITY: 2 };
const LEVEL_OF: Record<LicenceReservation['capacityLevel'], CapacityLevel> = {
  NORMAL: 'NORMAL',
  WARNING_90: 'EARLY_WARNING',
  OVER_100: 'OVER_CAPACITY',
};

/** The submission facts that reserve mass on counters: receiver licence and capacity, cross-province approval. */
export interface SubmitReservations {
  readonly receiverLicence: ReceiverLicenceCheck | null;
  readonly capacity: CapacityCheck | null;
  readonly crossProvince: CrossProvinceCheck | null;
}

const ref = (manifestId: string, lotId: string): string => `manifest:${manifestId}:lot:${lotId}`;

/**
 * Mass reserved for a manifest on ledger counters (SPEC section 3), one share per lot so that a
 * refused container, a cancellation or a receipt gives back exactly its lot's declared mass:
 * - capacity of the receiver's most specific licence item, per item and year of the planned date
 *   (released on cancel or refusal at loading; settled at receipt on the accepted mass, in the
 *   year of receipt — the rejected part is released);
 * - the remaining quantity of a cross-province approval (跨省转移审批), reserved, released or
 *   settled the same way.
 * The counters are read locked and adjusted with compare-and-set in the command's transaction, so
 * that two submissions cannot both spend the last tonne.
 */
@Injectable()
export class ManifestReservations {
  constructor(
    private readonly checks: LicenceCheckService,
    private readonly read: LicenceReadService,
  ) {}

  /** Reserves what a submission needs, as facts for the decider (a failure is an outcome, not a throw). */
  async reserve(
    tx: LedgerTransaction,
    manifestId: string,
    c: ManifestContent,
    approvalId: string | undefined,
  ): Promise<SubmitReservations> {
    return {
      ...(c.transferType === 'RETURN'
        ? { receiverLicence: null, capacity: null }
        : await this.reserveCapacity(tx, manifestId, c)),
      crossProvince: crossesProvinces(c) ? await this.reserveApproval(tx, manifestId, c, approvalId) : null,
    };
  }

  private async reserveCapacity(
    tx: LedgerTransaction,
    manifestId: string,
    c: ManifestContent,
  ): Promise<{ receiverLicence: ReceiverLicenceCheck; capacity: CapacityCheck }> {
    const reservations: CapacityReservation[] = [];
    const refused: {
      lotId: string;
      code: 'RECEIVER_NOT_LICENSED' | 'LICENCE_MODE_MISSING';
      reason: string;
    }[] = [];
    const full: { lotId: string; reason: string }[] = [];
    let level: CapacityLevel = 'NORMAL';
    for (const lot of c.lots) {
      try {
        const r = await this.checks.reserveReceiverCapacity(tx, {
          receiverPartyId: c.receiverId,
          siteId: c.endPoint.siteId,
          originDivisionCode: c.startPoint.divisionCode,
          wasteCode: lot.wasteCode,
          mode: lot.intendedMode,
          businessDate: c.plannedDate,
          massGrams: lot.declaredGrams,
          ref: ref(manifestId, lot.lotId),
        });
        reservations.push({
          reservationId: `${r.counterId}#${lot.lotId}`,
          licenceItemId: r.itemId,
          year: r.year,
          lotIds: [lot.lotId],
          grams: lot.declaredGrams,
        });
        const l = LEVEL_OF[r.capacityLevel];
        if (LEVEL_RANK[l] > LEVEL_RANK[level]) level = l;
      } catch (e) {
        if (!isDomainError(e)) throw e;
        if (e.code === 'RECEIVER_NOT_LICENSED' || e.code === 'LICENCE_MODE_MISSING') {
          refused.push({ lotId: lot.lotId, code: e.code, reason: e.message });
        } else if (e.code === 'LICENCE_CAPACITY_EXCEEDED') {
          full.push({ lotId: lot.lotId, reason: e.message });
        } else throw e;
      }
    }
    const first = refused[0];
    const receiverLicence: ReceiverLicenceCheck = first
      ? {
          ok: false,
          code: first.code,
          reason: first.reason,
          lotIds: refused.filter((r) => r.code === first.code).map((r) => r.lotId),
        }
      : { ok: true };
    const capacity: CapacityCheck =
      full.length > 0
        ? {
            ok: false,
            code: 'LICENCE_CAPACITY_EXCEEDED',
            reason: full[0].reason,
            lotIds: full.map((f) => f.lotId),
          }
        : { ok: true, reservations, level };
    return { receiverLicence, capacity };
  }

  private async reserveApproval(
    tx: LedgerTransaction,
    manifestId: string,
    c: ManifestContent,
    approvalId: string | undefined,
  ): Promise<CrossProvinceCheck> {
    let chosen = approvalId;
    for (const lot of c.lots) {
      try {
        const r = await this.checks.reserveApproval(tx, {
          consignorPartyId: c.consignorId,
          receiverPartyId: c.receiverId,
          consignorDivisionCode: c.startPoint.divisionCode,
          receiverDivisionCode: c.endPoint.divisionCode,
          approvalId: chosen,
          wasteCode: lot.wasteCode,
          massGrams: lot.declaredGrams,
          businessDate: c.plannedDate,
          ref: ref(manifestId, lot.lotId),
        });
        if (r) chosen = r.approvalId;
      } catch (e) {
        if (isDomainError(e) && e.code === 'CROSS_PROVINCE_APPROVAL_REQUIRED') {
          return { ok: false, code: e.code, reason: e.message };
        }
        throw e;
      }
    }
    if (!chosen)
      return {
        ok: false,
        code: 'CROSS_PROVINCE_APPROVAL_REQUIRED',
        reason: 'no approval covers the transfer',
      };
    return { ok: true, approvalId: chosen, reservationId: approvalCounterId(chosen) };
  }

  /** Gives back the lots' shares (a refused container, or a cancellation before custody). */
  async release(tx: LedgerTransaction, m: ActiveManifest, lots: readonly ManifestLot[]): Promise<void> {
    const sub = m.submission;
    if (!sub || lots.length === 0) return;
    for (const lot of lots) {
      const r = sub.capacityReservations.find((x) => x.lotIds.includes(lot.lotId));
      if (r) await this.checks.releaseReservation(tx, await this.licenceReservation(m, r, lot));
    }
    const approval = this.approvalShare(m, lots);
    if (approval) await this.checks.releaseApproval(tx, approval);
  }

  /** At receipt: books the accepted mass (in the year of receipt) and releases the lot's whole share. */
  async settle(
    tx: LedgerTransaction,
    m: ActiveManifest,
    lot: ManifestLot,
    acceptedGrams: number,
    at: Date,
  ): Promise<void> {
    const sub = m.submission;
    if (!sub) return;
    const r = sub.capacityReservations.find((x) => x.lotIds.includes(lot.lotId));
    if (r) {
      const year = Number(shanghaiDate(at).slice(0, 4));
      await this.checks.settleReservation(tx, await this.licenceReservation(m, r, lot), acceptedGrams, year);
    }
    const approval = this.approvalShare(m, [lot]);
    if (approval) await this.checks.settleApproval(tx, approval, acceptedGrams);
  }

  private approvalShare(m: ActiveManifest, lots: readonly ManifestLot[]): ApprovalReservation | null {
    const cp = m.submission?.crossProvince;
    if (!cp) return null;
    return {
      counterId: approvalCounterId(cp.approvalId),
      approvalId: cp.approvalId,
      grams: lots.reduce((s, l) => s + l.declaredGrams, 0),
      ref: lots.length === 1 ? ref(m.manifestId, lots[0].lotId) : `manifest:${m.manifestId}`,
    };
  }

  /** The licence service's view of one lot's share, rebuilt from the submission event. */
  private async licenceReservation(
    m: ActiveManifest,
    r: CapacityReservation,
    lot: ManifestLot,
  ): Promise<LicenceReservation> {
    const licences = await this.read.licencesOf(m.content.receiverId);
    const licence = licences.find((l) => l.items.some((i) => i.itemId === r.licenceItemId)) ?? null;
    return {
      counterId: capacityCounterId(r.licenceItemId, r.year),
      grams: lot.declaredGrams,
      itemId: r.licenceItemId,
      licenceId: licence?.id ?? null,
      licenceNumber: licence?.number ?? null,
      emergency: licence === null,
      emergencyAuthorisationId: licence === null ? r.licenceItemId : null,
      capacityLevel: 'NORMAL',
      year: r.year,
      receiverPartyId: m.content.receiverId,
      ref: ref(m.manifestId, lot.lotId),
    };
  }
}
