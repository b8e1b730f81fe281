import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LedgerQueryService } from '../ledger/ledger-query.service';
import type { StoredEvent } from '../ledger/ledger.types';
import { ManifestAccess } from '../manifests/manifest-access';
import { ManifestReadService } from '../manifests/manifest-read.service';
import { manifestStream } from '../manifests/manifest-streams';
import { notFound } from '../shared/auth/access-policy';
import type { Principal } from '../shared/auth/principal';
import { Clock } from '../shared/clock';
import type { ManifestObject } from '../manifests/graphql/manifest.objects';
import type {
  DocumentLeg,
  DocumentParty,
  DocumentPerson,
  ManifestDocument,
  PartyRole,
} from './domain/manifest-document';
import { signatureSteps, type StepEvent } from './domain/signature-steps';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

interface PartyRow {
  party_id: string;
  name: string;
  uscc: string;
  address: string | null;
  contact: string | null;
}

interface VehicleRow {
  vehicle_id: string;
  plate: string;
  certificate_number: string;
  medical_waste_vehicle: boolean;
  permit_number: string;
}

/**
 * 转移联单（打印件） — the printable manifest's content, read each time from the manifest's stream
 * state and read models (`ManifestReadService`), the registry (parties' USCC, licences, carriers'
 * permits, vehicles, crew) and the ledger (each signed step with its time and actor): never a copy
 * that could drift from the ledger. `forCaller` is scoped like `manifest` (NOT_FOUND otherwise);
 * `build` is for the signed inspection link, whose signature is the authority.
 */
@Injectable()
export class ManifestDocumentService {
  constructor(
    private readonly db: DataSource,
    private readonly manifests: ManifestReadService,
    private readonly access: ManifestAccess,
    private readonly ledger: LedgerQueryService,
    private readonly clock: Clock,
  ) {}

  async forCaller(who: Principal, manifestId: string, inspectionUrl: string): Promise<ManifestDocument> {
    await this.access.assertVisible(who, manifestId);
    return this.build(manifestId, inspectionUrl, true);
  }

  /** The manifest as it reads now (no caller check), or NOT_FOUND. Steps are read only when asked for. */
  async build(manifestId: string, inspectionUrl: string, withSteps: boolean): Promise<ManifestDocument> {
    const state = await this.manifests.state(manifestId);
    if (!state) throw notFound('manifest');
    const [m] = await this.manifests.toObjects([state]);
    const [parties, legs, steps] = await Promise.all([
      this.parties(m),
      this.legs(m),
      withSteps ? this.steps(manifestId) : Promise.resolve([]),
    ]);
    return {
      manifestId: m.id,
      number: m.number,
      nationalNumber: m.nationalNumber,
      status: m.status,
      transferType: m.transferType,
      plannedDate: m.plannedDate,
      currentLeg: m.currentLeg,
      times: {
        submittedAt: iso(m.submittedAt),
        deliveredAt: iso(m.deliveredAt),
        receivedAt: iso(m.receivedAt),
        closedAt: iso(m.closedAt),
        cancelledAt: iso(m.cancelledAt),
      },
      parties,
      legs,
      lots: m.lots.map((l) => ({
        labelCode: l.labelCode,
        wasteCode: l.wasteCode,
        wasteName: l.wasteName,
        hazards: l.hazards,
        form: l.form,
        packaging: l.packaging,
        intendedMode: l.intendedMode,
        method: l.method,
        status: l.status,
        declaredGrams: l.declaredMass,
        pickupGrams: l.pickupMass,
        measuredGrams: l.measuredMass,
        acceptedGrams: l.acceptedMass,
        rejectedGrams: l.rejectedMass,
        decision: l.decision,
        reason: l.reason,
        discrepancy: l.discrepancy,
        late: l.late,
        refusedReason: l.refusedReason,
      })),
      startPoint: { divisionCode: m.startPoint.divisionCode, address: m.startPoint.address },
      endPoint: { divisionCode: m.endPoint.divisionCode, address: m.endPoint.address },
      emergencyMeasures: m.emergencyMeasures,
      steps,
      declaredGrams: m.declaredMass,
      acceptedGrams: m.acceptedMass,
      rejectedGrams: m.rejectedMass,
      discrepancy: m.discrepancy,
      disputes: m.disputes.map((d) => ({
        act: d.act,
        at: d.at.toISOString(),
        reasons: (d.reasons as { message?: string; code?: string }[]).map((r) => r.message ?? r.code ?? ''),
      })),
      paper: m.paper ? { paperNumber: m.paper.paperNumber, late: m.paper.late } : null,
      correctionCount: m.corrections.filter((c) => c.status === 'APPROVED').length,
      inspectionUrl,
      printedAt: this.clock.now().toISOString(),
    };
  }

  /** Every party named on the manifest once, with its roles, USCC, first contact and entitling documents. */
  private async parties(m: ManifestObject): Promise<DocumentParty[]> {
    const roles = new Map<string, PartyRole[]>();
    const add = (id: string | undefined, role: PartyRole) => {
      if (!id) return;
      const r = roles.get(id) ?? [];
      if (!r.includes(role)) r.push(role);
      roles.set(id, r);
    };
    add(m.consignor.id, 'CONSIGNOR');
    add(m.agent?.id, 'AGENT');
    add(m.shipper.id, 'SHIPPER');
    for (const l of m.legs) add(l.carrier.id, 'CARRIER');
    add(m.receiver.id, 'RECEIVER');
    const ids = [...roles.keys()];
    const rows = await this.db.query<PartyRow[]>(
      `SELECT p.party_id, p.name, p.uscc,
              (SELECT s.address FROM party_site s WHERE s.party_id = p.party_id ORDER BY s.site_id LIMIT 1) AS address,
              (SELECT concat_ws(' ', c.name, c.phone) FROM party_contact c WHERE c.party_id = p.party_id
                ORDER BY c.contact_id LIMIT 1) AS contact
         FROM party p WHERE p.party_id = ANY($1)`,
      [ids],
    );
    const licences = await this.db.query<
      { holder_party_id: string; number: string; kind: string; valid_to: string }[]
    >(
      `SELECT holder_party_id, number, kind, to_char(valid_to, 'YYYY-MM-DD') AS valid_to FROM licence
        WHERE holder_party_id = ANY($1) AND status <> 'REVOKED' AND valid_from <= $2::date AND valid_to >= $2::date
        ORDER BY holder_party_id, number`,
      [ids, m.plannedDate],
    );
    const permits = await this.db.query<{ party_id: string; number: string; valid_to: string }[]>(
      `SELECT party_id, number, to_char(valid_to, 'YYYY-MM-DD') AS valid_to FROM transport_permit
        WHERE party_id = ANY($1) AND verified ORDER BY party_id, number`,
      [m.legs.map((l) => l.carrier.id)],
    );
    const site = (id: string, fallback: string | null) =>
      id === m.consignor.id ? m.startPoint.address : id === m.receiver.id ? m.endPoint.address : fallback;
    return ids.map((id) => {
      const r = rows.find((x) => x.party_id === id);
      return {
        roles: roles.get(id)!,
        partyId: id,
        name: r?.name ?? id,
        uscc: r?.uscc ?? null,
        address: site(id, r?.address ?? null),
        contact: r?.contact || null,
        licences: licences
          .filter((l) => l.holder_party_id === id)
          .map((l) => ({ number: l.number, kind: l.kind, validTo: l.valid_to })),
        permits: roles.get(id)!.includes('CARRIER')
          ? permits.filter((p) => p.party_id === id).map((p) => ({ number: p.number, validTo: p.valid_to }))
          : [],
      };
    });
  }

  /** Each leg with its vehicle (plate, certificate, permit) and crew (personal data, kept off the ledger). */
  private async legs(m: ManifestObject): Promise<DocumentLeg[]> {
    const vehicles = await this.db.query<VehicleRow[]>(
      `SELECT v.vehicle_id, v.plate, v.certificate_number, v.medical_waste_vehicle, p.number AS permit_number
         FROM vehicle v JOIN transport_permit p ON p.permit_id = v.permit_id WHERE v.vehicle_id = ANY($1)`,
      [m.legs.map((l) => l.vehicleId)],
    );
    const people = await this.db.query<{ person_id: string; name: string; certificate_number: string }[]>(
      `SELECT person_id, name, certificate_number FROM crew_member_personal WHERE person_id = ANY($1)`,
      [m.legs.flatMap((l) => [l.driverId, l.escortId])],
    );
    const person = (id: string): DocumentPerson => {
      const p = people.find((x) => x.person_id === id);
      return { name: p?.name ?? null, certificateNumber: p?.certificate_number ?? null };
    };
    return m.legs.map((l) => {
      const v = vehicles.find((x) => x.vehicle_id === l.vehicleId);
      return {
        leg: l.leg,
        carrierId: l.carrier.id,
        carrierName: l.carrier.name ?? l.carrier.id,
        plate: v?.plate ?? null,
        vehicleCertificateNumber: v?.certificate_number ?? null,
        operatingPermitNumber: l.operatingPermitNumber,
        permitNumber: v?.permit_number ?? null,
        medicalWasteVehicle: v?.medical_waste_vehicle ?? null,
        driver: person(l.driverId),
        escort: person(l.escortId),
      };
    });
  }

  /** The manifest stream from the ledger, each event's actor resolved to a printable name. */
  private async steps(manifestId: string) {
    const events: StoredEvent[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.ledger.streamEvents(manifestStream(manifestId), 500, after);
      events.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor ?? undefined;
    }
    const actors = await this.actorNames(events);
    return signatureSteps(
      events.map((e): StepEvent => ({
        position: e.position,
        type: e.type,
        data: e.data,
        occurredAt: e.occurredAt.toISOString(),
        recordedAt: e.recordedAt.toISOString(),
        offline: e.offline,
        ...actors(e),
      })),
    );
  }

  private async actorNames(events: readonly StoredEvent[]) {
    const userIds = events.flatMap((e) => (e.actor.kind === 'USER' ? [e.actor.userId] : []));
    const deviceIds = events.flatMap((e) => (e.actor.kind === 'DEVICE' ? [e.actor.deviceId] : []));
    const partyIds = events.flatMap((e) =>
      e.actor.kind === 'SYSTEM'
        ? []
        : [e.actor.kind === 'USER' ? (e.actor.onBehalfOfPartyId ?? e.actor.partyId) : e.actor.partyId],
    );
    const [users, devices, parties] = await Promise.all([
      this.db.query<{ id: string; name: string }[]>(
        `SELECT user_id AS id, display_name AS name FROM user_account WHERE user_id = ANY($1)`,
        [userIds],
      ),
      this.db.query<{ id: string; name: string }[]>(
        `SELECT device_id AS id, label AS name FROM device WHERE device_id = ANY($1)`,
        [deviceIds],
      ),
      this.db.query<{ id: string; name: string }[]>(
        `SELECT party_id AS id, name FROM party WHERE party_id = ANY($1)`,
        [partyIds.filter((p): p is string => !!p)],
      ),
    ]);
    const name = (rows: { id: string; name: string }[], id: string | undefined) =>
      rows.find((r) => r.id === id)?.name;
    return (e: StoredEvent): { actor: string; partyName: string | null } => {
      const a = e.actor;
      if (a.kind === 'SYSTEM') return { actor: `系统 ${a.name}`, partyName: null };
      if (a.kind === 'DEVICE')
        return {
          actor: `设备 ${name(devices, a.deviceId) ?? a.deviceId.slice(0, 8)}`,
          partyName: name(parties, a.partyId) ?? null,
        };
      const party = a.onBehalfOfPartyId ?? a.partyId;
      return {
        // a name erased from the registry leaves the user's id: the chain stays whole
        actor: name(users, a.userId) ?? `用户 ${a.userId.slice(0, 8)}`,
        partyName: name(parties, party) ?? null,
      };
    };
  }
}
