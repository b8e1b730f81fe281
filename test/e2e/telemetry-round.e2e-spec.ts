import { TelemetryRulesService } from '../../src/telemetry/telemetry-rules.service';
import { createTestApp, type TestApp } from '../support/app';
import { type Agency, AUTH_ENV, idem, item, type RegisteredParty } from '../support/world';
import { type Lot, type Manifest, manifestWorld, type ManifestWorld } from './manifests-world';
import { device, type Device, drive, sitedParty, withClockAt } from './telemetry-world';

jest.setTimeout(180_000);

const MIN = 60_000;
const SHOP1 = { lat: 34.7466, lon: 113.6253 };
const SHOP2 = { lat: 34.76, lon: 113.7 };
const RECYCLER = { lat: 34.719, lon: 113.976 };

const SUBMIT = `mutation($i: SubmitReadingsInput!) { submitReadings(input: $i) { received storedPoints storedWeighings skipped
  skippedByReason { reason count } alertIds } }`;

/**
 * One vehicle, several manifests (集中收集: a collection trip picks up from two small producers):
 * each point is attached to every manifest the vehicle carries at that instant; the second
 * pickup was synced late (its custody act recorded after the points arrived), and the scheduler
 * attaches those points again. The receiver's weighbridge weighs the whole load: the shortfall is
 * measured against the sum of both pickup weighings, and the receipt masses to pre-fill are
 * apportioned over the lots by declared mass.
 */
describe('telemetry (物联网): one vehicle carrying several manifests', () => {
  let t: TestApp;
  let w: ManifestWorld;
  let henan: Agency;
  let shops: RegisteredParty[];
  let recycler: RegisteredParty;
  let carrier: RegisteredParty;
  let crew: { vehicleId: string; driverId: string; escortId: string };
  let driver: string;
  let gps: Device;
  let scales: Device[];
  let recyclerScale: Device;
  let lots: Lot[];
  let ms: Manifest[];
  const codes: string[] = [];
  let T0: number;
  const at = (minute: number) => new Date(T0 + minute * MIN).toISOString();

  const asOf = <T>(minute: number, fn: () => Promise<T>) => withClockAt(t, T0 + minute * MIN, fn);
  const attached = async () =>
    w.sql<{ minute: number; ids: string[] }>(
      `SELECT round(extract(epoch FROM at - $1::timestamptz) / 60)::int AS minute, manifest_ids AS ids
         FROM telemetry_gps_point WHERE vehicle_id = $2 ORDER BY at`,
      [new Date(T0), crew.vehicleId],
    );

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    w = await manifestWorld(t);
    henan = await w.regulator({ level: 'PROVINCE', divisionCode: '410000', jurisdiction: ['41'] });
    const place = (p: { lat: number; lon: number }) => ({
      latitude: p.lat.toFixed(6),
      longitude: p.lon.toFixed(6),
    });
    shops = [
      await sitedParty(t, henan, {
        name: '汽修店一',
        types: ['PRODUCER'],
        divisionCode: '410102',
        place: place(SHOP1),
      }),
      await sitedParty(t, henan, {
        name: '汽修店二',
        types: ['PRODUCER'],
        divisionCode: '410105',
        place: place(SHOP2),
      }),
    ];
    recycler = await sitedParty(t, henan, {
      name: '再生油厂',
      types: ['UTILISER'],
      divisionCode: '410122',
      place: place(RECYCLER),
    });
    carrier = await sitedParty(t, henan, {
      name: '收集运输',
      types: ['TRANSPORTER'],
      divisionCode: '410105',
      place: { latitude: '34.8', longitude: '113.68' },
    });
    await w.issueLicence(henan, {
      holder: recycler,
      kind: 'COMPREHENSIVE',
      items: [item('900-214-08', ['STORE', 'UTILISE'], '100')],
    });
    crew = await w.equipCarrier(henan, carrier);
    driver = await w.user(carrier, 'DRIVER');
    gps = await device(t, carrier, 'GPS');
    scales = [await device(t, shops[0], 'WEIGHBRIDGE'), await device(t, shops[1], 'WEIGHBRIDGE')];
    recyclerScale = await device(t, recycler, 'WEIGHBRIDGE');
    T0 = Math.floor((Date.now() - 2 * 60 * MIN) / MIN) * MIN;
    lots = await asOf(-10, async () => [
      (await w.lots(shops[0], [{ wasteCode: '900-214-08', mass: '100' }]))[0],
      (await w.lots(shops[1], [{ wasteCode: '900-214-08', mass: '200' }]))[0],
    ]);
    ms = [];
    for (const [i, shop] of shops.entries()) {
      const m = await asOf(0, () =>
        w.draft(shop.token, {
          receiverPartyId: recycler.id,
          legs: [
            {
              carrierPartyId: carrier.id,
              vehicleId: crew.vehicleId,
              driverId: crew.driverId,
              escortId: crew.escortId,
            },
          ],
          lots: [{ lotId: lots[i].id, intendedMode: 'UTILISE', method: 'R9' }],
          plannedDate: new Date(T0 + 8 * 60 * MIN).toISOString().slice(0, 10),
        }),
      );
      const r = await asOf(1, () => w.submit(shop.token, m.id));
      ms.push(r.manifest);
      codes.push(r.handoverCode.code);
    }
  });
  afterAll(() => t.close());

  it('each producer’s weighbridge weighs its own load: a PICKUP weighing per manifest', async () => {
    for (const [i, net] of [
      [0, '100'],
      [1, '200'],
    ] as const) {
      const r = await w.q<{ submitReadings: { storedWeighings: number } }>(
        SUBMIT,
        {
          i: {
            idempotencyKey: idem('pickup'),
            weighings: [
              {
                siteId: shops[i].siteIds[0],
                vehicleId: crew.vehicleId,
                at: at(3 + i * 15),
                grossMass: `${12000 + Number(net)}`,
                tareMass: '12000',
                netMass: net,
              },
            ],
          },
        },
        scales[i].token,
      );
      expect(r.submitReadings.storedWeighings).toBe(1);
    }
    const links = await w.sql<{ manifest_id: string; stage: string }>(
      `SELECT manifest_id, stage FROM telemetry_weighing_link ORDER BY manifest_id`,
    );
    expect(links).toEqual(
      [ms[0].id, ms[1].id].sort().map((manifest_id) => ({ manifest_id, stage: 'PICKUP' })),
    );
  });

  it('points are attached to every manifest on board; a pickup synced late is attached by the scheduler', async () => {
    await asOf(5, () => w.takeCustody(driver, ms[0], codes[0]));
    const trip = [...drive(SHOP1, SHOP2, 6, 20), ...drive(SHOP2, RECYCLER, 21, 60)];
    const r = await w.q<{ submitReadings: { storedPoints: number; skipped: number } }>(
      SUBMIT,
      {
        i: {
          idempotencyKey: idem('trip'),
          points: trip.map((p) => ({
            vehicleId: crew.vehicleId,
            at: at(p.minute),
            latitude: p.lat,
            longitude: p.lon,
            speedKmh: p.speed,
          })),
        },
      },
      gps.token,
    );
    expect(r.submitReadings).toMatchObject({ storedPoints: trip.length, skipped: 0 });
    // the second pickup (minute 20) reaches the ledger only now, as if synced late
    await asOf(20, () => w.takeCustody(driver, ms[1], codes[1]));
    const before = await attached();
    expect(before.every((p) => p.ids.length === 1 && p.ids[0] === ms[0].id)).toBe(true);
    const run = await t.app.get(TelemetryRulesService).runOnce(new Date());
    expect(run.reattachedVehicles).toBe(1);
    const after = await attached();
    const both = [ms[0].id, ms[1].id].sort();
    // custody of the second load was taken just after minute 20
    expect(after.filter((p) => p.minute <= 20).every((p) => p.ids.length === 1)).toBe(true);
    expect(
      after.filter((p) => p.minute > 20).every((p) => JSON.stringify(p.ids) === JSON.stringify(both)),
    ).toBe(true);
    const track = await w.q<{ manifest: { track: { legs: { pointCount: number }[] } } }>(
      `query($id: ID!) { manifest(id: $id) { track(precisionMeters: 0) { legs { pointCount } } } }`,
      { id: ms[1].id },
      shops[1].token,
    );
    expect(track.manifest.track.legs[0].pointCount).toBe(40); // minutes 21 to 60
  });

  it('the receipt weighing of the whole load is compared with the sum of the pickups, per manifest', async () => {
    const r = await w.q<{ submitReadings: { storedWeighings: number; alertIds: string[] } }>(
      SUBMIT,
      {
        i: {
          idempotencyKey: idem('receipt'),
          weighings: [
            {
              siteId: recycler.siteIds[0],
              vehicleId: crew.vehicleId,
              at: at(65),
              grossMass: '12250',
              tareMass: '12000',
              netMass: '250',
            },
          ],
        },
      },
      recyclerScale.token,
    );
    expect(r.submitReadings.storedWeighings).toBe(1);
    expect(r.submitReadings.alertIds).toHaveLength(2);
    for (const m of ms) {
      const [a] = await w.alerts('WEIGHBRIDGE_SHORTFALL', m.id);
      expect(a.evidence).toMatchObject({
        pickupNetKg: '300.000',
        receiptNetKg: '250.000',
        differenceKg: '-50.000',
        weighedTogether: [ms[0].id, ms[1].id].sort(),
      });
    }
    const view = await w.q<{ manifest: { weighings: Record<string, unknown> } }>(
      `query($id: ID!) { manifest(id: $id) { weighings { receipt { netMass sharedWithManifestIds } receiptMinusPickup
         receiptPrefill { lotId mass basis } } } }`,
      { id: ms[1].id },
      recycler.token,
    );
    expect(view.manifest.weighings).toEqual({
      receipt: { netMass: '250.000', sharedWithManifestIds: [ms[0].id] },
      receiptMinusPickup: null, // a shared weighing is not this manifest's alone
      receiptPrefill: [{ lotId: lots[1].id, mass: '166.667', basis: 'APPORTIONED' }],
    });
  });
});
