import { OversightScheduler } from '../../src/oversight/oversight-scheduler';
import { createTestApp, type TestApp } from '../support/app';
import { type Agency, AUTH_ENV, type RegisteredParty, today } from '../support/world';
import { type Manifest, manifestWorld, type ManifestWorld } from './manifests-world';

jest.setTimeout(120_000);

/**
 * 自动办结 — a received manifest whose lots are all settled is CLOSED by the system on the oversight
 * scheduler's next run, without the receiver having to ask (SPEC section 6); one whose lot still
 * lies at the receiver stays RECEIVED, with nothing written, until that lot is treated.
 */
describe('manifests: closed by the system once every lot is settled', () => {
  let t: TestApp;
  let w: ManifestWorld;
  let henan: Agency;
  let shop: RegisteredParty;
  let recycler: RegisteredParty;
  let carrier: RegisteredParty;
  let driver: string;
  let crew: { vehicleId: string; driverId: string; escortId: string };

  /** Ships one lot of waste oil from the shop to the recycler, received and accepted. */
  async function shipped(mass: string): Promise<{ m: Manifest; lotId: string }> {
    const [lot] = await w.lots(shop, [{ wasteCode: '900-214-08', mass }]);
    let m = await w.draft(shop.token, {
      receiverPartyId: recycler.id,
      legs: [w.leg(carrier, crew)],
      lots: [{ lotId: lot.id, intendedMode: 'UTILISE', method: 'R9' }],
      plannedDate: today(),
    });
    const s = await w.submit(shop.token, m.id);
    m = await w.takeCustody(driver, s.manifest, s.handoverCode.code);
    await w.deliver(driver, m.id);
    m = await w.receive(recycler.token, m.id, recycler.facilityIds[0], [
      { lotId: lot.id, measuredMass: mass, decision: 'ACCEPTED' },
    ]);
    expect(m.status).toBe('RECEIVED');
    return { m, lotId: lot.id };
  }

  const status = async (id: string) =>
    (await w.sql<{ status: string }>(`SELECT status FROM manifest WHERE manifest_id = $1`, [id]))[0].status;
  const closings = (id: string) =>
    w.sql<{ actor: { kind: string; name: string } }>(
      `SELECT actor FROM ledger_event WHERE stream_id = $1 AND event_type = 'ManifestClosed'`,
      [`manifest-${id}`],
    );
  const run = () => t.app.get(OversightScheduler).runOnce(new Date());

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    w = await manifestWorld(t);
    henan = await w.regulator({ level: 'PROVINCE', divisionCode: '410000', jurisdiction: ['41'] });
    ({ shop, recycler, carrier, crew, driver } = await w.oilRoute(henan));
  });
  afterAll(() => t.close());

  it('closes the settled manifest as the system, leaves the unsettled one untouched, then closes it once its lot is treated', async () => {
    const settled = await shipped('100.000');
    const waiting = await shipped('50.000');
    await w.treat(recycler, [settled.lotId], 'R9');
    const waitingEvents = await w.events(`manifest-${waiting.m.id}`);

    const first = await run();
    expect(first.find((r) => r.name === 'ManifestAutoClose')).toMatchObject({
      skipped: false,
      result: { examined: 2, closed: [settled.m.id] },
    });
    expect(await status(settled.m.id)).toBe('CLOSED');
    expect(await closings(settled.m.id)).toEqual([
      { actor: { kind: 'SYSTEM', name: 'manifest-auto-close' } },
    ]);
    expect(await status(waiting.m.id)).toBe('RECEIVED');
    expect(await w.events(`manifest-${waiting.m.id}`)).toEqual(waitingEvents);
    // the parties see it closed
    expect((await w.manifest(shop.token, settled.m.id)).status).toBe('CLOSED');

    await w.treat(recycler, [waiting.lotId], 'R9');
    const second = await run();
    expect(second.find((r) => r.name === 'ManifestAutoClose')?.result).toEqual({
      examined: 1,
      closed: [waiting.m.id],
    });
    expect(await status(waiting.m.id)).toBe('CLOSED');
    // nothing twice
    const third = await run();
    expect(third.find((r) => r.name === 'ManifestAutoClose')?.result).toEqual({ examined: 0, closed: [] });
    expect(await closings(settled.m.id)).toHaveLength(1);
    expect(await closings(waiting.m.id)).toHaveLength(1);
  });
});
