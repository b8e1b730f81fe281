import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Env } from '../config/env';
import type { AlertInput } from '../ledger/alerts/alert';
import { ManifestAccess } from '../manifests/manifest-access';
import type { Principal } from '../shared/auth/principal';
import { formatKg } from '../shared/domain/mass';
import { apportion, TELEMETRY_ALERT_RULES, weighbridgeShortfall } from './domain/telemetry-rules';
import { TelemetryFacts } from './telemetry-facts.service';
import { manifestTelemetryAlert } from './telemetry-settings';

/** One weighbridge reading (地磅) as linked to a manifest. */
export interface Weighing {
  readonly stage: 'PICKUP' | 'RECEIPT';
  readonly deviceId: string;
  readonly siteId: string;
  readonly vehicleId: string;
  readonly at: Date;
  readonly grossGrams: number;
  readonly tareGrams: number;
  readonly netGrams: number;
  /** Other manifests weighed by the same reading (a collection round's load). */
  readonly sharedWithManifestIds: string[];
}

/** A mass suggested for one lot from a weighing, for the act that records it. */
export interface LotMassSuggestion {
  readonly lotId: string;
  readonly labelCode: string;
  readonly grams: number;
  /** WHOLE: the weighing's net is this lot's; APPORTIONED: split by declared mass over the lots weighed together. */
  readonly basis: 'WHOLE' | 'APPORTIONED';
}

export interface ManifestWeighings {
  readonly manifestId: string;
  /** The latest pickup weighing, if any. */
  readonly pickup: Weighing | null;
  /** The latest receipt weighing, if any. */
  readonly receipt: Weighing | null;
  readonly declaredGrams: number;
  /** Sum of the per-lot pickup masses recorded at custody (null when none were). */
  readonly recordedPickupGrams: number | null;
  /** Sum of the masses the receiver measured (null before receipt). */
  readonly measuredGrams: number | null;
  /** Receipt net − pickup net (null without both, or when either is shared). */
  readonly receiptMinusPickupGrams: number | null;
  /** Pickup net − declared (null without a pickup weighing, or when it is shared). */
  readonly pickupMinusDeclaredGrams: number | null;
  /** Measured − receipt net (null before receipt, without a receipt weighing, or when it is shared). */
  readonly measuredMinusReceiptGrams: number | null;
  /** For `takeCustody.pickupMasses`: the pickup net over the manifest's lots. */
  readonly pickupPrefill: LotMassSuggestion[];
  /** For `recordReceipt.receipts[].measuredMass`: the receipt net over the lots; the receiver confirms. */
  readonly receiptPrefill: LotMassSuggestion[];
}

/** Basis points as a percent string (`500` → `"5"`, `250` → `"2.5"`). */
const percentText = (bp: number): string =>
  `${Math.trunc(bp / 100)}${
    bp % 100
      ? `.${String(bp % 100)
          .padStart(2, '0')
          .replace(/0$/, '')}`
      : ''
  }`;

interface LinkRow {
  manifest_id: string;
  stage: 'PICKUP' | 'RECEIPT';
  device_id: string;
  site_id: string;
  vehicle_id: string;
  at: Date;
  gross_grams: string;
  tare_grams: string;
  net_grams: string;
  shared: string[];
}

/**
 * 地磅 — weighbridge readings linked to manifests: the PICKUP weighing is the pickup weighing that
 * receipt discrepancies are measured against (SPEC section 0), the RECEIPT weighing pre-fills the
 * receiver's measured masses (the receiver confirms them in `recordReceipt`); both are shown with
 * their differences, and WEIGHBRIDGE_SHORTFALL compares them per manifest (a weighbridge weighs
 * the vehicle: a receipt weighing shared by a round's manifests is compared with the sum of their
 * pickup weighings).
 */
@Injectable()
export class WeighingsService {
  constructor(
    private readonly db: DataSource,
    private readonly access: ManifestAccess,
    private readonly facts: TelemetryFacts,
    private readonly env: Env,
  ) {}

  async weighings(who: Principal, manifestId: string): Promise<ManifestWeighings> {
    await this.access.assertVisible(who, manifestId);
    return this.weighingsOf(manifestId);
  }

  /**
   * Hook for the manifests capability (unscoped: the caller checks access): the latest pickup
   * weighing linked to a manifest, or null. Its net is the manifest's load when `sharedWith…` is
   * empty.
   */
  async pickupWeighing(manifestId: string): Promise<Weighing | null> {
    return (await this.links([manifestId])).find((w) => w.stage === 'PICKUP') ?? null;
  }

  /** As `pickupWeighing`, at receipt: the net pre-fills the receiver's measured mass. */
  async receiptWeighing(manifestId: string): Promise<Weighing | null> {
    return (await this.links([manifestId])).find((w) => w.stage === 'RECEIPT') ?? null;
  }

  /** Unscoped: the caller checks access. */
  async weighingsOf(manifestId: string): Promise<ManifestWeighings> {
    const links = await this.links([manifestId]);
    const pickup = links.find((w) => w.stage === 'PICKUP') ?? null;
    const receipt = links.find((w) => w.stage === 'RECEIPT') ?? null;
    const lots = await this.db.query<
      {
        manifest_id: string;
        lot_id: string;
        label_code: string;
        declared_grams: string;
        pickup_grams: string | null;
        measured_grams: string | null;
        status: string;
      }[]
    >(
      `SELECT manifest_id, lot_id, label_code, declared_grams, pickup_grams, measured_grams, status FROM manifest_lot
        WHERE manifest_id = ANY($1) AND status <> 'REFUSED' ORDER BY manifest_id, position`,
      [[manifestId, ...(pickup?.sharedWithManifestIds ?? []), ...(receipt?.sharedWithManifestIds ?? [])]],
    );
    const own = lots.filter((l) => l.manifest_id === manifestId);
    const sum = (xs: (string | null)[]) =>
      xs.some((x) => x === null) || xs.length === 0 ? null : xs.reduce((a, x) => a + Number(x), 0);
    const declaredGrams = own.reduce((a, l) => a + Number(l.declared_grams), 0);
    const measuredGrams = sum(own.map((l) => l.measured_grams));
    const recordedPickupGrams = own.some((l) => l.pickup_grams !== null)
      ? own.reduce((a, l) => a + Number(l.pickup_grams ?? 0), 0)
      : null;
    const prefill = (w: Weighing | null): LotMassSuggestion[] => {
      if (!w) return [];
      const weighed = lots.filter(
        (l) => l.manifest_id === manifestId || w.sharedWithManifestIds.includes(l.manifest_id),
      );
      const parts = apportion(
        w.netGrams,
        weighed.map((l) => ({ id: `${l.manifest_id}|${l.lot_id}`, weight: Number(l.declared_grams) })),
      );
      const basis = weighed.length === 1 ? 'WHOLE' : 'APPORTIONED';
      return own.map((l) => ({
        lotId: l.lot_id,
        labelCode: l.label_code,
        grams: parts.get(`${manifestId}|${l.lot_id}`)!,
        basis,
      }));
    };
    const alone = (w: Weighing | null) => (w && w.sharedWithManifestIds.length === 0 ? w : null);
    const [p, r] = [alone(pickup), alone(receipt)];
    return {
      manifestId,
      pickup,
      receipt,
      declaredGrams,
      recordedPickupGrams,
      measuredGrams,
      receiptMinusPickupGrams: p && r ? r.netGrams - p.netGrams : null,
      pickupMinusDeclaredGrams: p ? p.netGrams - declaredGrams : null,
      measuredMinusReceiptGrams: r && measuredGrams !== null ? measuredGrams - r.netGrams : null,
      pickupPrefill: prefill(pickup),
      receiptPrefill: prefill(receipt),
    };
  }

  /** WEIGHBRIDGE_SHORTFALL alerts for the receipt weighings of these manifests. */
  async shortfalls(manifestIds: readonly string[]): Promise<AlertInput[]> {
    if (manifestIds.length === 0) return [];
    const receipts = (await this.links(manifestIds)).filter((w) => w.stage === 'RECEIPT');
    const seen = new Set<string>();
    const alerts: AlertInput[] = [];
    const tolerance = Math.round(this.env.TELEMETRY_WEIGHING_TOLERANCE_PERCENT * 100);
    for (const r of receipts) {
      const key = `${r.deviceId}|${r.at.toISOString()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const weighed = await this.manifestsOfReading(r.deviceId, r.at, 'RECEIPT');
      const pickups = (await this.links(weighed)).filter((w) => w.stage === 'PICKUP');
      if (weighed.some((id) => !pickups.some((p) => p.manifestId === id))) continue; // not every load was weighed at pickup
      const pickupNetGrams = pickups.reduce((a, p) => a + p.netGrams, 0);
      const found = weighbridgeShortfall({
        pickupNetGrams,
        receiptNetGrams: r.netGrams,
        toleranceBasisPoints: tolerance,
      });
      if (!found) continue;
      const facts = await this.facts.manifests(weighed);
      for (const id of weighed) {
        const m = facts.get(id);
        if (!m) continue;
        alerts.push(
          manifestTelemetryAlert(
            m,
            TELEMETRY_ALERT_RULES.WEIGHBRIDGE_SHORTFALL,
            `weighing:${key}`,
            'WARNING',
            {
              pickupNetKg: formatKg(pickupNetGrams),
              receiptNetKg: formatKg(r.netGrams),
              differenceKg: formatKg(found.differenceGrams),
              allowedKg: formatKg(found.allowedGrams),
              tolerancePercent: percentText(tolerance),
              vehicleId: r.vehicleId,
              receiptWeighing: { deviceId: r.deviceId, siteId: r.siteId, at: r.at.toISOString() },
              pickupWeighings: pickups.map((p) => ({
                manifestId: p.manifestId,
                deviceId: p.deviceId,
                siteId: p.siteId,
                at: p.at.toISOString(),
                netKg: formatKg(p.netGrams),
              })),
              weighedTogether: weighed,
            },
          ),
        );
      }
    }
    return alerts;
  }

  private async manifestsOfReading(deviceId: string, at: Date, stage: string): Promise<string[]> {
    const rows = await this.db.query<{ manifest_id: string }[]>(
      `SELECT manifest_id FROM telemetry_weighing_link WHERE device_id = $1 AND at = $2 AND stage = $3 ORDER BY manifest_id`,
      [deviceId, at, stage],
    );
    return rows.map((r) => r.manifest_id);
  }

  /** The latest weighing per manifest and stage, newest first, with the manifests sharing it. */
  private async links(manifestIds: readonly string[]): Promise<(Weighing & { manifestId: string })[]> {
    const rows = await this.db.query<LinkRow[]>(
      `SELECT DISTINCT ON (k.manifest_id, k.stage) k.manifest_id, k.stage, w.device_id, w.site_id, w.vehicle_id, w.at,
              w.gross_grams, w.tare_grams, w.net_grams,
              coalesce((SELECT array_agg(o.manifest_id ORDER BY o.manifest_id) FROM telemetry_weighing_link o
                         WHERE o.device_id = k.device_id AND o.at = k.at AND o.stage = k.stage
                           AND o.manifest_id <> k.manifest_id), '{}') AS shared
         FROM telemetry_weighing_link k
         JOIN telemetry_weighing w ON w.device_id = k.device_id AND w.at = k.at
        WHERE k.manifest_id = ANY($1)
        ORDER BY k.manifest_id, k.stage, k.at DESC`,
      [[...manifestIds]],
    );
    return rows.map((r) => ({
      manifestId: r.manifest_id,
      stage: r.stage,
      deviceId: r.device_id,
      siteId: r.site_id,
      vehicleId: r.vehicle_id,
      at: r.at,
      grossGrams: Number(r.gross_grams),
      tareGrams: Number(r.tare_grams),
      netGrams: Number(r.net_grams),
      sharedWithManifestIds: r.shared,
    }));
  }
}
