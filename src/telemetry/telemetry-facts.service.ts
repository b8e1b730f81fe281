import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ManifestAlertFacts } from './telemetry-settings';

export interface DeviceRow {
  device_id: string;
  party_id: string;
  kind: string;
  status: string;
  operations: string[];
}

export interface VehicleRow {
  vehicle_id: string;
  party_id: string;
  plate: string;
  gps_device_id: string | null;
}

export interface SiteRow {
  site_id: string;
  party_id: string;
  division_code: string;
  latitude: string | null;
  longitude: string | null;
  geofence_radius_m: number | null;
}

/** Plates compare without spaces or dots, upper case (`豫A·12345` = `豫a12345`). */
export const normalisePlate = (plate: string): string => plate.replace(/[\s·.-]/g, '').toUpperCase();

/**
 * What the telemetry reads from the other capabilities' read models: devices (parties), vehicles
 * (licences), sites (parties) and manifests (manifests), by id, in one query each.
 */
@Injectable()
export class TelemetryFacts {
  constructor(private readonly db: DataSource) {}

  async devices(ids: readonly string[]): Promise<Map<string, DeviceRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.query<DeviceRow[]>(
      `SELECT device_id, party_id, kind, status, operations FROM device WHERE device_id = ANY($1)`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.device_id, r]));
  }

  /** Vehicles by id, and by the GPS device fitted to them. */
  async vehicles(ids: readonly string[], gpsDeviceIds: readonly string[]): Promise<VehicleRow[]> {
    if (ids.length === 0 && gpsDeviceIds.length === 0) return [];
    return this.db.query<VehicleRow[]>(
      `SELECT vehicle_id, party_id, plate, gps_device_id FROM vehicle WHERE vehicle_id = ANY($1) OR gps_device_id = ANY($2)`,
      [[...new Set(ids)], [...new Set(gpsDeviceIds)]],
    );
  }

  /** Vehicles by plate (normalised), for weighbridges that read plates. */
  async vehiclesByPlate(plates: readonly string[]): Promise<Map<string, VehicleRow[]>> {
    const out = new Map<string, VehicleRow[]>();
    if (plates.length === 0) return out;
    const wanted = [...new Set(plates.map(normalisePlate))];
    const rows = await this.db.query<VehicleRow[]>(
      `SELECT vehicle_id, party_id, plate, gps_device_id FROM vehicle
        WHERE upper(translate(plate, ' ·.-', '')) = ANY($1)`,
      [wanted],
    );
    for (const r of rows) {
      const k = normalisePlate(r.plate);
      out.set(k, [...(out.get(k) ?? []), r]);
    }
    return out;
  }

  async sites(ids: readonly string[]): Promise<Map<string, SiteRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.query<SiteRow[]>(
      `SELECT site_id, party_id, division_code, latitude, longitude, geofence_radius_m FROM party_site WHERE site_id = ANY($1)`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.site_id, r]));
  }

  /** Number, status, region and parties of manifests, for their alerts. */
  async manifests(ids: readonly string[]): Promise<Map<string, ManifestAlertFacts>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.query<
      {
        manifest_id: string;
        hazledger_number: string;
        status: string;
        start_division_code: string;
        party_ids: string[];
      }[]
    >(
      `SELECT m.manifest_id, m.hazledger_number, m.status, m.start_division_code,
              coalesce((SELECT array_agg(DISTINCT p.party_id ORDER BY p.party_id) FROM manifest_party p
                         WHERE p.manifest_id = m.manifest_id), '{}') AS party_ids
         FROM manifest m WHERE m.manifest_id = ANY($1)`,
      [[...new Set(ids)]],
    );
    return new Map(
      rows.map((r) => [
        r.manifest_id,
        {
          manifestId: r.manifest_id,
          number: r.hazledger_number,
          status: r.status,
          startDivisionCode: r.start_division_code,
          partyIds: r.party_ids,
        },
      ]),
    );
  }
}
