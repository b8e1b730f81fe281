import { Injectable } from '@nestjs/common';
import {
  checkPoint,
  checkWeighing,
  type Checked,
  type ReadingLimits,
  type RawPoint,
  type RawWeighing,
  type SkipReason,
} from './domain/readings';
import type { PointToStore, WeighingToStore } from './reading-store';
import { type DeviceRow, normalisePlate, TelemetryFacts, type VehicleRow } from './telemetry-facts.service';
import { POINT_DEVICE_KINDS, SUBMIT_READINGS, WEIGHING_DEVICE_KINDS } from './telemetry-settings';

/**
 * Who sends a batch: a device for itself (its token over GraphQL, or its own topic over MQTT), or
 * a party's fleet platform (a signed-in ADMIN or OPERATOR) forwarding the readings of its devices.
 */
export type ReadingSender =
  | { readonly kind: 'DEVICE'; readonly deviceId: string }
  | { readonly kind: 'PARTY'; readonly partyId: string; readonly userId: string };

export interface Skipped {
  readonly kind: 'POINT' | 'WEIGHING';
  readonly index: number;
  readonly reason: SkipReason;
  readonly message: string;
}

export interface Screened {
  readonly points: (PointToStore & { readonly index: number })[];
  readonly weighings: (WeighingToStore & { readonly index: number })[];
  readonly skipped: Skipped[];
}

const no = <T>(reason: SkipReason, message: string): Checked<T> => ({ ok: false, reason, message });

/**
 * 读数筛查 — checks each reading against the read models: the device (known to the sender, not
 * revoked, allowed to send readings, of the right kind), the vehicle (for a point: the device's
 * party's, or the vehicle the GPS unit is fitted to; for a weighing: any registered vehicle, by id
 * or plate) and the weighbridge's site (its owner's). Each refusal is a reason, never an error.
 */
@Injectable()
export class ReadingScreen {
  constructor(private readonly facts: TelemetryFacts) {}

  async screen(
    sender: ReadingSender,
    rawPoints: readonly RawPoint[],
    rawWeighings: readonly RawWeighing[],
    limits: ReadingLimits,
  ): Promise<Screened> {
    const skipped: Skipped[] = [];
    const deviceIdOf = (raw: { deviceId?: unknown }) =>
      typeof raw === 'object' && raw !== null && typeof raw.deviceId === 'string' ? raw.deviceId : null;
    const named = [...rawPoints, ...rawWeighings].map(deviceIdOf).filter((d): d is string => d !== null);
    const devices = await this.facts.devices(sender.kind === 'DEVICE' ? [sender.deviceId, ...named] : named);

    const device = (raw: { deviceId?: unknown }, kinds: string[]): Checked<DeviceRow> => {
      if (typeof raw !== 'object' || raw === null) return no('MALFORMED', 'a reading is an object');
      const given = raw.deviceId;
      if (given !== undefined && given !== null && typeof given !== 'string')
        return no('MALFORMED', 'deviceId is an id');
      let d: DeviceRow | undefined;
      if (sender.kind === 'DEVICE') {
        if (given && given !== sender.deviceId)
          return no('UNKNOWN_DEVICE', 'a device sends its own readings only');
        d = devices.get(sender.deviceId);
        if (d && d.status === 'ACTIVE' && !d.operations.includes(SUBMIT_READINGS))
          return no('DEVICE_NOT_ALLOWED', `the device's key does not list ${SUBMIT_READINGS}`);
      } else {
        if (!given) return no('MALFORMED', 'deviceId: which of your devices made the reading');
        d = devices.get(given);
        if (d && d.party_id !== sender.partyId) d = undefined;
      }
      if (!d) return no('UNKNOWN_DEVICE', 'unknown device');
      if (d.status !== 'ACTIVE') return no('REVOKED_DEVICE', 'the device was revoked');
      if (!kinds.includes(d.kind))
        return no('WRONG_DEVICE_KIND', `a ${d.kind} device cannot send this reading`);
      return { ok: true, value: d };
    };

    const points: {
      index: number;
      device: DeviceRow;
      p: Extract<ReturnType<typeof checkPoint>, { ok: true }>['value'];
    }[] = [];
    rawPoints.forEach((raw, index) => {
      const d = device(raw, POINT_DEVICE_KINDS);
      const c = d.ok ? checkPoint(raw, limits) : d;
      if (!c.ok) skipped.push({ kind: 'POINT', index, reason: c.reason, message: c.message });
      else if (d.ok) points.push({ index, device: d.value, p: c.value });
    });
    const weighings: {
      index: number;
      device: DeviceRow;
      w: Extract<ReturnType<typeof checkWeighing>, { ok: true }>['value'];
    }[] = [];
    rawWeighings.forEach((raw, index) => {
      const d = device(raw, WEIGHING_DEVICE_KINDS);
      const c = d.ok ? checkWeighing(raw, limits) : d;
      if (!c.ok) skipped.push({ kind: 'WEIGHING', index, reason: c.reason, message: c.message });
      else if (d.ok) weighings.push({ index, device: d.value, w: c.value });
    });

    const vehicles = await this.facts.vehicles(
      [
        ...points.flatMap((x) => (x.p.vehicleId ? [x.p.vehicleId] : [])),
        ...weighings.flatMap((x) => (x.w.vehicleId ? [x.w.vehicleId] : [])),
      ],
      points.filter((x) => !x.p.vehicleId).map((x) => x.device.device_id),
    );
    const byId = new Map(vehicles.map((v) => [v.vehicle_id, v]));
    const fitted = new Map(vehicles.filter((v) => v.gps_device_id).map((v) => [v.gps_device_id!, v]));
    const byPlate = await this.facts.vehiclesByPlate(
      weighings.flatMap((x) => (x.w.plate && !x.w.vehicleId ? [x.w.plate] : [])),
    );
    const sites = await this.facts.sites(weighings.map((x) => x.w.siteId));

    const out: Screened = { points: [], weighings: [], skipped };
    for (const { index, device: d, p } of points) {
      const v: VehicleRow | undefined = p.vehicleId ? byId.get(p.vehicleId) : fitted.get(d.device_id);
      if (!v || (v.party_id !== d.party_id && v.gps_device_id !== d.device_id)) {
        skipped.push({
          kind: 'POINT',
          index,
          reason: 'UNKNOWN_VEHICLE',
          message: 'not a vehicle of the device’s party',
        });
        continue;
      }
      out.points.push({ ...p, index, deviceId: d.device_id, vehicleId: v.vehicle_id, partyId: d.party_id });
    }
    for (const { index, device: d, w } of weighings) {
      const matches = w.vehicleId
        ? [byId.get(w.vehicleId)].filter((v) => v !== undefined)
        : (byPlate.get(normalisePlate(w.plate!)) ?? []);
      if (matches.length !== 1) {
        skipped.push({
          kind: 'WEIGHING',
          index,
          reason: 'UNKNOWN_VEHICLE',
          message: 'no single registered vehicle matches',
        });
        continue;
      }
      const site = sites.get(w.siteId);
      if (!site || site.party_id !== d.party_id) {
        skipped.push({
          kind: 'WEIGHING',
          index,
          reason: 'UNKNOWN_SITE',
          message: 'not a site of the weighbridge’s party',
        });
        continue;
      }
      out.weighings.push({
        ...w,
        index,
        deviceId: d.device_id,
        vehicleId: matches[0].vehicle_id,
        partyId: d.party_id,
      });
    }
    return out;
  }
}
