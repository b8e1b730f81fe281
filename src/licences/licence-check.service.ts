import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { adjustCounter, type CounterValue, counterStreamId, readCounters } from '../ledger/counters';
import type { LedgerTransaction } from '../ledger/ledger-transaction';
import { businessYear, toBusinessDate } from '../parties/domain/business-date';
import { sameProvince } from '../parties/domain/divisions';
import {
  bestScopeMatch,
  capacityLevelOf,
  checkCarrier,
  checkCrossProvince,
  checkReceiverLicence,
  type CarrierOk,
  type EmergencyAuthorisation,
  isMedicalWasteCode,
  itemMatch,
  type Licence,
  type ReceiverLicenceOk,
} from '../parties/domain/licence-check';
import { DomainError } from '../shared/domain/domain-error';
import { type Grams, tonnesToGrams } from '../shared/domain/mass';
import {
  approvalCounterId,
  CAPACITY_ALERT_RULES,
  capacityAlertsFor,
  capacityCounterId,
} from './domain/capacity.policy';
import type {
  ApprovalQuery,
  ApprovalReservation,
  CapacityReservation,
  CarrierCheckQuery,
  ReceiverCapacityQuery,
} from './licence-check.types';
import { LicenceReadService } from './licence-read.service';

export type {
  ApprovalQuery,
  ApprovalReservation,
  CapacityReservation,
  CarrierCheckQuery,
  ReceiverCapacityQuery,
} from './licence-check.types';

const SEVERITY = {
  [CAPACITY_ALERT_RULES.WARNING_90]: 'WARNING',
  [CAPACITY_ALERT_RULES.OVER_100]: 'CRITICAL',
} as const;

/**
 * 许可核查 — the checks later flows (manifests, receipts) run inside their ledger transaction:
 * receiver licence and capacity (reserved on a per-item, per-year ledger counter read LOCKED, so
 * that two acts cannot both spend the last tonne), carrier permit, vehicle and crew, and
 * cross-province approvals (reserved on a counter too). Capacity alerts (90 %, over 100 %) are
 * raised in the same transaction with a deterministic identity per item and year.
 */
@Injectable()
export class LicenceCheckService {
  constructor(
    private readonly read: LicenceReadService,
    private readonly db: DataSource,
  ) {}

  /**
   * Checks the receiver's licence for the act and reserves the mass on the chosen item's counter
   * for the year of the business date. Refuses with `RECEIVER_NOT_LICENSED`, `LICENCE_MODE_MISSING`
   * or `LICENCE_CAPACITY_EXCEEDED` (above 120 %); above 100 % and from 90 % it raises alerts.
   */
  async reserveReceiverCapacity(
    tx: LedgerTransaction,
    q: ReceiverCapacityQuery & { readonly ref: string },
  ): Promise<CapacityReservation> {
    const { licences, authorisations } = await this.receiverDocuments(q.receiverPartyId);
    const year = businessYear(toBusinessDate(q.businessDate, 'businessDate'));
    const counterIds = candidateItemIds(licences, authorisations, q.wasteCode).map((id) =>
      capacityCounterId(id, year),
    );
    const counters = await readCounters(tx, counterIds);
    const ok = checkReceiverLicence({
      ...this.receiverQuery(q, licences, authorisations),
      usedGrams: (itemId, y) => (counters.get(capacityCounterId(itemId, y))?.value ?? 0) as Grams,
    });
    const counterId = capacityCounterId(ok.itemId, ok.year);
    await adjustCounter(tx, counters.get(counterId)!, q.massGrams, 'RESERVED', q.ref);
    const reservation: CapacityReservation = {
      counterId,
      grams: q.massGrams,
      itemId: ok.itemId,
      licenceId: ok.licenceId,
      licenceNumber: ok.licenceNumber,
      emergency: ok.emergency,
      emergencyAuthorisationId: ok.emergencyAuthorisationId,
      capacityLevel: ok.capacityLevel,
      year: ok.year,
      receiverPartyId: q.receiverPartyId,
      ref: q.ref,
    };
    await this.raiseCapacityAlerts(tx, reservation, ok.afterGrams, ok.capacityGrams, q.siteId);
    return reservation;
  }

  /** Gives a reservation back (cancelled or rejected manifest). */
  async releaseReservation(tx: LedgerTransaction, r: CapacityReservation): Promise<void> {
    const counter = (await readCounters(tx, [r.counterId])).get(r.counterId)!;
    if (r.grams !== 0) await adjustCounter(tx, counter, -r.grams, 'RELEASED', r.ref);
  }

  /**
   * At receipt: releases the reservation and books the accepted mass (authoritative from
   * receipt on) in the year of receipt, on the same item. A receipt is a fact: it is never
   * refused, but crossing 90 % or 100 % raises the alerts.
   */
  async settleReservation(
    tx: LedgerTransaction,
    r: CapacityReservation,
    acceptedGrams: number,
    receiptYear: number,
  ): Promise<void> {
    if (!Number.isSafeInteger(acceptedGrams) || acceptedGrams < 0) {
      throw DomainError.badInput('acceptedMass', 'acceptedMass: a non-negative integer number of grams');
    }
    const settleId = capacityCounterId(r.itemId, receiptYear);
    const counters = await readCounters(tx, [r.counterId, settleId]);
    let reserved = counters.get(r.counterId)!;
    if (r.grams !== 0) reserved = await adjustCounter(tx, reserved, -r.grams, 'RELEASED', r.ref);
    let settle: CounterValue = settleId === r.counterId ? reserved : counters.get(settleId)!;
    if (acceptedGrams !== 0) settle = await adjustCounter(tx, settle, acceptedGrams, 'SETTLED', r.ref);
    const capacity = await this.capacityOf(r.receiverPartyId, r.itemId);
    if (capacity !== null)
      await this.raiseCapacityAlerts(tx, { ...r, year: receiptYear }, settle.value, capacity);
  }

  /** The receiver check alone, on the committed counters, reserving nothing (a producer choosing a receiver). */
  async evaluateReceiver(q: ReceiverCapacityQuery): Promise<ReceiverLicenceOk> {
    const { licences, authorisations } = await this.receiverDocuments(q.receiverPartyId);
    const year = businessYear(toBusinessDate(q.businessDate, 'businessDate'));
    const ids = candidateItemIds(licences, authorisations, q.wasteCode).map((id) =>
      capacityCounterId(id, year),
    );
    const used = await this.counterValues(ids);
    return checkReceiverLicence({
      ...this.receiverQuery(q, licences, authorisations),
      usedGrams: (itemId, y) => (used.get(capacityCounterId(itemId, y)) ?? 0) as Grams,
    });
  }

  /**
   * 承运人核查 — the carrier's verified permit, its verified vehicle (a medical-waste vehicle for
   * HW01) and the crew's certificates on the date; returns the permit and vehicle or throws
   * `CARRIER_NOT_LICENSED`, `VEHICLE_NOT_AUTHORISED`, `CERTIFICATE_EXPIRED` or `BAD_USER_INPUT`.
   */
  async checkCarrier(q: CarrierCheckQuery): Promise<CarrierOk> {
    const vehicle = q.vehicleId ? await this.read.vehicle(q.vehicleId) : null;
    const permits = await this.read.permitsOf(q.carrierPartyId);
    const date = toBusinessDate(q.businessDate, 'businessDate');
    const permitId = q.permitId ?? vehicle?.permitId;
    const permit =
      (permitId ? ((await this.read.permit(permitId)) ?? null) : null) ??
      permits.find((p) => p.verified && date <= p.validTo && (p.validFrom ?? date) <= date) ??
      permits[0] ??
      null;
    const crew = async (id: string | null, role: 'DRIVER' | 'ESCORT', field: string) => {
      if (id === null) return null;
      const person = await this.read.person(id);
      if (!person || person.partyId !== q.carrierPartyId || person.role !== role) {
        throw DomainError.badInput(field, `${field}: not a ${role.toLowerCase()} registered by the carrier`);
      }
      return person;
    };
    const driver = await crew(q.driverId, 'DRIVER', 'driverId');
    const escort = await crew(q.escortId, 'ESCORT', 'escortId');
    // the permit lists only verified vehicles: an unverified one is named as such
    const unverified =
      vehicle !== null && !vehicle.verified && permit !== null && vehicle.permitId === permit.id;
    try {
      return checkCarrier({
        permit,
        vehicle,
        driver,
        escort,
        businessDate: date,
        isMedical: q.wasteCodes.some(isMedicalWasteCode),
        carrierPartyId: q.carrierPartyId,
      });
    } catch (e) {
      if (
        unverified &&
        e instanceof DomainError &&
        e.code === 'VEHICLE_NOT_AUTHORISED' &&
        !e.details.reason
      ) {
        throw new DomainError(
          'VEHICLE_NOT_AUTHORISED',
          `vehicle ${vehicle.plate} has not been verified by a regulator`,
          {
            ...e.details,
            reason: 'VEHICLE_NOT_VERIFIED',
          },
        );
      }
      throw e;
    }
  }

  /**
   * 跨省转移 — null when consignor and receiver are in the same province; otherwise reserves the
   * mass on a valid approval (the one expiring first with enough left) or throws
   * `CROSS_PROVINCE_APPROVAL_REQUIRED`.
   */
  async reserveApproval(tx: LedgerTransaction, q: ApprovalQuery): Promise<ApprovalReservation | null> {
    const six = /^\d{6}$/;
    if (six.test(q.consignorDivisionCode) && six.test(q.receiverDivisionCode)) {
      if (sameProvince(q.consignorDivisionCode, q.receiverDivisionCode)) return null;
    }
    const approvals = (await this.read.approvalsBetween(q.consignorPartyId, q.receiverPartyId)).filter((a) =>
      a.wasteCodes.includes(q.wasteCode),
    );
    const counters = await readCounters(
      tx,
      approvals.map((a) => approvalCounterId(a.id)),
    );
    const result = checkCrossProvince({
      consignorDivision: q.consignorDivisionCode,
      receiverDivision: q.receiverDivisionCode,
      consignorPartyId: q.consignorPartyId,
      receiverPartyId: q.receiverPartyId,
      approvals,
      approvalId: q.approvalId,
      wasteCode: q.wasteCode,
      massGrams: q.massGrams as Grams,
      businessDate: q.businessDate,
      reservedGrams: (id) => (counters.get(approvalCounterId(id))?.value ?? 0) as Grams,
    });
    if (!result.required) return null;
    const counterId = approvalCounterId(result.approvalId);
    await adjustCounter(tx, counters.get(counterId)!, q.massGrams, 'RESERVED', q.ref);
    return { counterId, approvalId: result.approvalId, grams: q.massGrams, ref: q.ref };
  }

  /** Gives an approval reservation back. */
  async releaseApproval(tx: LedgerTransaction, r: ApprovalReservation): Promise<void> {
    const counter = (await readCounters(tx, [r.counterId])).get(r.counterId)!;
    if (r.grams !== 0) await adjustCounter(tx, counter, -r.grams, 'RELEASED', r.ref);
  }

  /** At receipt: releases the reservation and books the accepted mass on the approval. */
  async settleApproval(tx: LedgerTransaction, r: ApprovalReservation, acceptedGrams: number): Promise<void> {
    let counter = (await readCounters(tx, [r.counterId])).get(r.counterId)!;
    if (r.grams !== 0) counter = await adjustCounter(tx, counter, -r.grams, 'RELEASED', r.ref);
    if (acceptedGrams !== 0) await adjustCounter(tx, counter, acceptedGrams, 'SETTLED', r.ref);
  }

  /** Committed values of counters (0 for a counter never adjusted), without locking. */
  async counterValues(counterIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.db.query<{ stream_id: string; value: string }[]>(
      `SELECT s.stream_id, e.payload->>'value' AS value FROM ledger_stream s
         JOIN ledger_event e ON e.stream_id = s.stream_id AND e.version = s.version
        WHERE s.stream_id = ANY($1)`,
      [counterIds.map(counterStreamId)],
    );
    const byStream = new Map(rows.map((r) => [r.stream_id, Number(r.value)]));
    return new Map(counterIds.map((id) => [id, byStream.get(counterStreamId(id)) ?? 0]));
  }

  private async receiverDocuments(partyId: string) {
    const [licences, authorisations] = await Promise.all([
      this.read.licencesOf(partyId),
      this.read.emergencyAuthorisationsOf(partyId),
    ]);
    return { licences, authorisations };
  }

  private receiverQuery(
    q: ReceiverCapacityQuery,
    licences: Licence[],
    authorisations: EmergencyAuthorisation[],
  ) {
    return {
      licences,
      emergencyAuthorisations: authorisations,
      partyId: q.receiverPartyId,
      siteId: q.siteId,
      originDivisionCode: q.originDivisionCode,
      wasteCode: q.wasteCode,
      mode: q.mode,
      businessDate: q.businessDate,
      massGrams: q.massGrams as Grams,
    };
  }

  private async capacityOf(partyId: string, itemId: string): Promise<number | null> {
    const { licences, authorisations } = await this.receiverDocuments(partyId);
    const item = licences.flatMap((l) => l.items).find((i) => i.itemId === itemId);
    if (item) return tonnesToGrams(item.annualCapacityTonnes);
    const auth = authorisations.find((a) => a.id === itemId);
    return auth ? tonnesToGrams(auth.capacityTonnes) : null;
  }

  private async raiseCapacityAlerts(
    tx: LedgerTransaction,
    r: CapacityReservation,
    afterGrams: number,
    capacityGrams: number,
    siteId?: string,
  ): Promise<void> {
    const rules = capacityAlertsFor(capacityLevelOf(afterGrams, capacityGrams));
    if (rules.length === 0) return;
    const region = await this.regionOf(tx, r, siteId);
    for (const rule of rules) {
      await tx.raiseAlert({
        rule,
        subjectType: r.emergency ? 'emergency-authorisation' : 'licence-item',
        subjectId: r.itemId,
        period: String(r.year),
        severity: SEVERITY[rule],
        region,
        evidence: {
          licenceId: r.licenceId,
          licenceNumber: r.licenceNumber,
          emergencyAuthorisationId: r.emergencyAuthorisationId,
          itemId: r.itemId,
          year: r.year,
          afterGrams,
          capacityGrams,
          ref: r.ref,
        },
        partyIds: [r.receiverPartyId],
      });
    }
  }

  /** The division code an alert is filed under: the receiving site, else the licence's first facility site, else the holder's region. */
  private async regionOf(
    tx: LedgerTransaction,
    r: CapacityReservation,
    siteId?: string,
  ): Promise<string | null> {
    const row = await tx.sql.one<{ division_code: string }>(
      `SELECT coalesce(
         (SELECT division_code FROM party_site WHERE site_id = $1),
         (SELECT s.division_code FROM licence l JOIN party_site s ON s.site_id = l.facility_site_ids[1] WHERE l.licence_id = $2),
         (SELECT nullif(region, '') FROM party WHERE party_id = $3)) AS division_code`,
      [siteId ?? null, r.licenceId, r.receiverPartyId],
    );
    return row?.division_code ?? null;
  }
}

/** Items and authorisations whose scope covers the code: the only counters the check can touch. */
function candidateItemIds(
  licences: readonly Licence[],
  authorisations: readonly EmergencyAuthorisation[],
  wasteCode: string,
): string[] {
  return [
    ...licences.flatMap((l) =>
      l.items.filter((i) => itemMatch(l.kind, i, wasteCode) !== null).map((i) => i.itemId),
    ),
    ...authorisations.filter((a) => bestScopeMatch(a.scope, wasteCode) !== null).map((a) => a.id),
  ];
}
