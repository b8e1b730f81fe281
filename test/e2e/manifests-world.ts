/**
 * Helpers for the transfer-manifest e2e tests (电子转移联单), built on `test/support/world.ts`:
 * party users and devices, lots generated through the API, manifests drafted, submitted, carried,
 * received and closed through the API, and small readers of the ledger and read models.
 */
import type { PoolClient } from 'pg';
import { PgSql } from '../../src/database/sql';
import { LedgerService } from '../../src/ledger/ledger.service';
import { rebuildAndCompare } from '../../src/ledger/projections/rebuild';
import type { TestApp } from '../support/app';
import {
  addDays,
  type Agency,
  idem,
  item,
  login,
  ok,
  openWorld,
  type RegisteredParty,
  today,
  type World,
} from '../support/world';

export const MANIFEST = `id number nationalNumber status transferType plannedDate declaredMass version
  consignor { id name } agent { id } shipper { id } receiver { id name }
  legs { leg carrier { id } vehicleId operatingPermitNumber driverId escortId }
  lots { lotId labelCode wasteCode wasteName hazards declaredMass intendedMode method status pickupMass measuredMass
         acceptedMass rejectedMass decision rejectedLotId reason discrepancy late refusedReason }
  startPoint { siteId divisionCode address } endPoint { siteId divisionCode address }
  submittedAt handoverCodeExpiresAt currentLeg custodySteps { leg carrier { id } at place disputed }
  deliveredAt receiptDeadline { date endsAt provisional } receivedAt closedAt cancelledAt acceptedMass rejectedMass
  discrepancy disputed disputes { eventType act at reasons } paper { paperNumber late tripEndedAt }
  corrections { id status requestedByPartyId changes { field lotId from to } reason approvedBy refusalReason }
  precedingManifestId roundId crossProvinceApprovalId emergencyMeasures`;

export interface Lot {
  id: string;
  labelCode: string;
}

export interface Manifest {
  id: string;
  number: string;
  status: string;
  lots: { lotId: string; labelCode: string; status: string; [k: string]: unknown }[];
  [k: string]: unknown;
}

export async function manifestWorld(t: TestApp) {
  const w: World = await openWorld(t);
  let n = 0;
  const q = <T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, token: string) =>
    ok<T>(t, query, variables, token);
  const sql = async <T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> =>
    (await t.db.owner.query(text, params)).rows as T[];

  return {
    ...w,
    q,
    sql,

    /** A user of `party` with `role`, logged in. */
    async user(party: RegisteredParty, role: 'OPERATOR' | 'DRIVER' | 'VIEWER'): Promise<string> {
      const username = `${party.admin}-${role.toLowerCase()}-${++n}`;
      await q(
        `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: idem('user'),
            role,
            user: { username, password: 'Worker-pass-1', displayName: role },
          },
        },
        party.token,
      );
      return login(t, username, 'Worker-pass-1');
    },

    /** A device (scanner) of `party` allowed the operations, as a short-lived token. */
    async device(party: RegisteredParty, operations: string[]): Promise<string> {
      const reg = await q<{ registerDevice: { apiKey: string } }>(
        `mutation($i: RegisterDeviceInput!) { registerDevice(input: $i) { apiKey } }`,
        { i: { idempotencyKey: idem('device'), kind: 'SCANNER', label: `scanner ${++n}`, operations } },
        party.token,
      );
      const ex = await q<{ exchangeDeviceKey: { accessToken: string } }>(
        `mutation($i: ExchangeDeviceKeyInput!) { exchangeDeviceKey(input: $i) { accessToken } }`,
        { i: { apiKey: reg.registerDevice.apiKey } },
        '',
      );
      return ex.exchangeDeviceKey.accessToken;
    },

    /** `principal` delegates MANIFESTS to `agent` for a year. */
    async delegate(principal: RegisteredParty, agent: RegisteredParty): Promise<void> {
      await q(
        `mutation($i: GrantDelegationInput!) { grantDelegation(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: idem('delegation'),
            agentPartyId: agent.id,
            scope: ['MANIFESTS'],
            validFrom: addDays(today(), -30),
            validTo: addDays(today(), 365),
          },
        },
        principal.token,
      );
    },

    /** Generates one lot per container at the party's first facility. */
    async lots(
      party: RegisteredParty,
      containers: { wasteCode: string; mass: string; medicalClass?: string; form?: string }[],
      token = party.token,
      onBehalfOfPartyId?: string,
      occurredAt?: string,
    ): Promise<Lot[]> {
      const d = await q<{ generateLots: Lot[] }>(
        `mutation($i: GenerateLotsInput!) { generateLots(input: $i) { id labelCode } }`,
        {
          i: {
            idempotencyKey: idem('gen'),
            facilityId: party.facilityIds[0],
            onBehalfOfPartyId,
            occurredAt,
            containers: containers.map((c) => ({
              wasteCode: c.wasteCode,
              mass: c.mass,
              massBasis: 'WEIGHED',
              form: c.form ?? 'LIQUID',
              packaging: '200 L 钢桶',
              mainComponents: [],
              medicalClass: c.medicalClass,
            })),
          },
        },
        token,
      );
      return d.generateLots;
    },

    async draft(token: string, input: Record<string, unknown>): Promise<Manifest> {
      const d = await q<{ draftManifest: Manifest }>(
        `mutation($i: DraftManifestInput!) { draftManifest(input: $i) { ${MANIFEST} } }`,
        {
          i: { idempotencyKey: idem('draft'), emergencyMeasures: '泄漏时用吸附棉围堵，报告 12369', ...input },
        },
        token,
      );
      return d.draftManifest;
    },

    /** Submits; the payload's manifest is read again in full (a nested selection costs more). */
    async submit(token: string, manifestId: string, extra: Record<string, unknown> = {}) {
      const d = await q<{
        submitManifest: { manifest: { id: string }; handoverCode: { code: string; expiresAt: string } };
      }>(
        `mutation($i: SubmitManifestInput!) { submitManifest(input: $i) { manifest { id } handoverCode { code expiresAt } } }`,
        { i: { idempotencyKey: idem('submit'), manifestId, ...extra } },
        token,
      );
      const manifest = (
        await q<{ manifest: Manifest }>(
          `query($id: ID!) { manifest(id: $id) { ${MANIFEST} } }`,
          { id: manifestId },
          token,
        )
      ).manifest;
      return { manifest, handoverCode: d.submitManifest.handoverCode };
    },

    async takeCustody(
      token: string,
      m: Manifest,
      code: string,
      extra: Record<string, unknown> = {},
    ): Promise<Manifest> {
      const d = await q<{ takeCustody: Manifest }>(
        `mutation($i: TakeCustodyInput!) { takeCustody(input: $i) { ${MANIFEST} } }`,
        {
          i: {
            idempotencyKey: idem('custody'),
            manifestId: m.id,
            scannedLabels: m.lots.filter((l) => l.status !== 'REFUSED').map((l) => l.labelCode),
            handoverCode: code,
            shipperLoadingCheckPassed: true,
            place: 'loading bay',
            ...extra,
          },
        },
        token,
      );
      return d.takeCustody;
    },

    async deliver(token: string, manifestId: string, extra: Record<string, unknown> = {}): Promise<Manifest> {
      const d = await q<{ deliverManifest: Manifest }>(
        `mutation($i: DeliverManifestInput!) { deliverManifest(input: $i) { ${MANIFEST} } }`,
        { i: { idempotencyKey: idem('deliver'), manifestId, place: 'weighbridge', ...extra } },
        token,
      );
      return d.deliverManifest;
    },

    async receive(
      token: string,
      manifestId: string,
      facilityId: string,
      receipts: Record<string, unknown>[],
      extra: Record<string, unknown> = {},
    ): Promise<Manifest> {
      const d = await q<{ recordReceipt: Manifest }>(
        `mutation($i: RecordReceiptInput!) { recordReceipt(input: $i) { ${MANIFEST} } }`,
        { i: { idempotencyKey: idem('receipt'), manifestId, facilityId, receipts, ...extra } },
        token,
      );
      return d.recordReceipt;
    },

    async treat(party: RegisteredParty, lotIds: string[], method: string): Promise<void> {
      await q(
        `mutation($i: TreatLotsInput!) { treatLots(input: $i) { lots { id status } } }`,
        {
          i: {
            idempotencyKey: idem('treat'),
            lotIds,
            method,
            facilityId: party.facilityIds[0],
            residues: [],
          },
        },
        party.token,
      );
    },

    async close(token: string, manifestId: string): Promise<Manifest> {
      const d = await q<{ closeManifest: Manifest }>(
        `mutation($i: ManifestRefInput!) { closeManifest(input: $i) { ${MANIFEST} } }`,
        { i: { idempotencyKey: idem('close'), manifestId } },
        token,
      );
      return d.closeManifest;
    },

    async manifest(token: string, id: string): Promise<Manifest> {
      return (
        await q<{ manifest: Manifest }>(
          `query($id: ID!) { manifest(id: $id) { ${MANIFEST} } }`,
          { id },
          token,
        )
      ).manifest;
    },

    /** Event types of a stream, in order. */
    async events(streamId: string): Promise<string[]> {
      return (
        await sql<{ event_type: string }>(
          `SELECT event_type FROM ledger_event WHERE stream_id = $1 ORDER BY version`,
          [streamId],
        )
      ).map((r) => r.event_type);
    },

    async ledgerSize(): Promise<number> {
      return Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM ledger_event`))[0].n);
    },

    /** A counter's current value (0 when never adjusted). */
    async counter(counterId: string): Promise<number> {
      const [r] = await sql<{ value: string }>(
        `SELECT e.payload->>'value' AS value FROM ledger_stream s JOIN ledger_event e ON e.stream_id = s.stream_id AND e.version = s.version
          WHERE s.stream_id = $1`,
        [`counter:${counterId}`],
      );
      return r ? Number(r.value) : 0;
    },

    /** Replays the whole ledger into temporary tables and compares them with the live read models. */
    async rebuild() {
      const c: PoolClient = await t.db.owner.connect();
      try {
        await c.query('BEGIN');
        return await rebuildAndCompare(new PgSql(c), t.app.get(LedgerService).projections);
      } finally {
        await c.query('ROLLBACK');
        c.release();
      }
    },

    /**
     * The one-leg waste-oil route of the manifests suites, verified by `henan`: 中原区汽修厂 (the
     * shop), 中牟再生油厂 (a recycler licensed to store and utilise 900-214-08, 100 t/a), 豫危运输 (a
     * carrier with its crew) and a driver's token.
     */
    async oilRoute(henan: Agency) {
      const shop = await w.verifiedParty(henan, {
        name: '中原区汽修厂',
        types: ['PRODUCER'],
        divisionCode: '410102',
      });
      const recycler = await w.verifiedParty(henan, {
        name: '中牟再生油厂',
        types: ['UTILISER'],
        divisionCode: '410122',
      });
      const carrier = await w.verifiedParty(henan, {
        name: '豫危运输',
        types: ['TRANSPORTER'],
        divisionCode: '410105',
      });
      const licence = await w.issueLicence(henan, {
        holder: recycler,
        kind: 'COMPREHENSIVE',
        items: [item('900-214-08', ['STORE', 'UTILISE'], '100')],
      });
      const crew = await w.equipCarrier(henan, carrier);
      const driver = await this.user(carrier, 'DRIVER');
      return { shop, recycler, carrier, crew, driver, itemId: licence.itemIds['900-214-08'] };
    },

    /** One leg: the carrier with its vehicle, driver and escort. */
    leg(carrier: RegisteredParty, crew: { vehicleId: string; driverId: string; escortId: string }) {
      return {
        carrierPartyId: carrier.id,
        vehicleId: crew.vehicleId,
        driverId: crew.driverId,
        escortId: crew.escortId,
      };
    },

    async alerts(rule: string, subjectId?: string) {
      return sql<{
        alert_id: string;
        rule: string;
        subject_id: string;
        period: string;
        evidence: Record<string, unknown>;
        party_ids: string[];
      }>(
        `SELECT alert_id, rule, subject_id, period, evidence, party_ids FROM ledger_alert WHERE rule = $1 ${subjectId ? 'AND subject_id = $2' : ''}`,
        subjectId ? [rule, subjectId] : [rule],
      );
    },
  };
}

export type ManifestWorld = Awaited<ReturnType<typeof manifestWorld>>;
