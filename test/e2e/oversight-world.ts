/**
 * A world for the regulator-workspace tests (监管), built through the GraphQL API on
 * `manifests-world.ts`: a province agency (Henan, 41) that verifies and licenses, two district
 * regulators (中原区 410102, 金水区 410105) and another province's (Hubei, 42); a collector in
 * 金水区 that produces and consolidates waste mineral oil (900-214-08) under a COLLECTION licence; a
 * disposer in 中原区 licensed to store and dispose of it; a carrier with its permit, vehicle, crew
 * and driver; and small verbs (generate, store, consolidate, ship on a manifest, treat).
 */
import type { TestApp } from '../support/app';
import { registerParty, verify } from '../support/auth';
import { idem, item, type RegisteredParty, today } from '../support/world';
import { type Manifest, manifestWorld } from './manifests-world';

export const OIL = '900-214-08';

export interface Actor extends RegisteredParty {
  facility: Record<string, string>;
}

let seq = 0;

export async function oversightWorld(t: TestApp) {
  const w = await manifestWorld(t);
  const prefix = `ov${process.pid}-${++seq}`;
  let n = 0;
  const henan = await w.regulator({ level: 'PROVINCE', divisionCode: '410000', jurisdiction: ['41'] });
  const zhongyuan = await w.regulator({ level: 'COUNTY', divisionCode: '410102', jurisdiction: ['410102'] });
  const jinshui = await w.regulator({ level: 'COUNTY', divisionCode: '410105', jurisdiction: ['410105'] });
  const hubei = await w.regulator({ level: 'PROVINCE', divisionCode: '420000', jurisdiction: ['42'] });

  /** A verified party with one site in `divisionCode` and named facilities. */
  const party = async (
    name: string,
    types: string[],
    divisionCode: string,
    facilities: [string, string][],
  ) => {
    const p = await registerParty(t, {
      name,
      types,
      divisionCode,
      facilities: facilities.map(([type, fname]) => ({ type, name: fname })),
      admin: `${prefix}-admin-${++n}`,
    });
    await verify(t, henan.token, p.id);
    const rows = await w.sql<{ facility_id: string; name: string }>(
      `SELECT facility_id, name FROM facility WHERE party_id = $1`,
      [p.id],
    );
    const actor: Actor = { ...p, facility: Object.fromEntries(rows.map((r) => [r.name, r.facility_id])) };
    return actor;
  };

  const collector = await party('金水区汽修回收站', ['PRODUCER', 'COLLECTOR'], '410105', [
    ['PRODUCTION', 'workshop'],
    ['STORAGE_WAREHOUSE', 'warehouse'],
  ]);
  const disposer = await party('中原区危废处置中心', ['PRODUCER', 'DISPOSER'], '410102', [
    ['PRODUCTION', 'workshop'],
    ['STORAGE_WAREHOUSE', 'warehouse'],
    ['OWN_TREATMENT', 'kiln'],
  ]);
  const carrier = await party('豫危运输', ['TRANSPORTER'], '410105', [['PRODUCTION', 'depot']]);
  await w.issueLicence(henan, {
    holder: collector,
    kind: 'COLLECTION',
    items: [item(OIL, ['COLLECT', 'STORE'], '500')],
  });
  await w.issueLicence(henan, {
    holder: disposer,
    kind: 'COMPREHENSIVE',
    items: [item(OIL, ['COLLECT', 'STORE', 'DISPOSE'], '500')],
  });
  const crew = await w.equipCarrier(henan, carrier);
  const driver = await w.user(carrier, 'DRIVER');

  const lotIds = (d: { id: string }[]) => d.map((l) => l.id);

  return {
    ...w,
    henan,
    zhongyuan,
    jinshui,
    hubei,
    collector,
    disposer,
    carrier,
    crew,
    driver,
    party,

    /** Generates one lot per mass (kg strings) at the party's workshop. */
    async generate(
      p: Actor,
      masses: string[],
      occurredAt?: string,
    ): Promise<{ id: string; labelCode: string }[]> {
      const d = await w.q<{ generateLots: { id: string; labelCode: string }[] }>(
        `mutation($i: GenerateLotsInput!) { generateLots(input: $i) { id labelCode } }`,
        {
          i: {
            idempotencyKey: idem('gen'),
            facilityId: p.facility.workshop,
            occurredAt,
            containers: masses.map((mass) => ({
              wasteCode: OIL,
              mass,
              massBasis: 'WEIGHED',
              form: 'LIQUID',
              packaging: '200 L 钢桶',
              mainComponents: ['废机油'],
            })),
          },
        },
        p.token,
      );
      return d.generateLots;
    },

    async store(p: Actor, ids: string[], facility = 'warehouse'): Promise<void> {
      for (const lotId of ids) {
        await w.q(
          `mutation($i: StoreLotInput!) { storeLot(input: $i) { id } }`,
          { i: { idempotencyKey: idem('store'), lotId, facilityId: p.facility[facility] } },
          p.token,
        );
      }
    },

    async consolidate(
      p: Actor,
      sourceLotIds: string[],
      mass: string,
    ): Promise<{ id: string; labelCode: string }> {
      const d = await w.q<{ consolidateLots: { id: string; labelCode: string } }>(
        `mutation($i: ConsolidateLotsInput!) { consolidateLots(input: $i) { id labelCode } }`,
        {
          i: {
            idempotencyKey: idem('merge'),
            sourceLotIds,
            facilityId: p.facility.warehouse,
            mass,
            massBasis: 'WEIGHED',
            packaging: 'IBC 吨桶',
          },
        },
        p.token,
      );
      return d.consolidateLots;
    },

    /** Ships lots from `from` to `to` on one manifest and records the receipt at the measured masses. */
    async ship(
      from: Actor,
      to: Actor,
      lots: { id: string; labelCode: string; measured: string }[],
    ): Promise<Manifest> {
      let m = await w.draft(from.token, {
        receiverPartyId: to.id,
        legs: [
          {
            carrierPartyId: carrier.id,
            vehicleId: crew.vehicleId,
            driverId: crew.driverId,
            escortId: crew.escortId,
          },
        ],
        lots: lots.map((l) => ({ lotId: l.id, intendedMode: 'DISPOSE', method: 'D10' })),
        plannedDate: today(),
      });
      const s = await w.submit(from.token, m.id);
      m = await w.takeCustody(driver, s.manifest, s.handoverCode.code);
      await w.deliver(driver, m.id);
      return w.receive(
        to.token,
        m.id,
        to.facility.warehouse,
        lots.map((l) => ({ lotId: l.id, measuredMass: l.measured, decision: 'ACCEPTED' })),
      );
    },

    async treat(p: Actor, ids: string[], method = 'D10'): Promise<void> {
      await w.q(
        `mutation($i: TreatLotsInput!) { treatLots(input: $i) { lots { id } } }`,
        {
          i: {
            idempotencyKey: idem('treat'),
            lotIds: ids,
            method,
            facilityId: p.facility.kiln ?? p.facility.workshop,
          },
        },
        p.token,
      );
    },

    lotIds,
  };
}

export type OversightWorld = Awaited<ReturnType<typeof oversightWorld>>;
