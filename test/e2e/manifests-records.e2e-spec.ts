import { CalendarService } from '../../src/lots/clock/calendar.service';
import { Clock } from '../../src/shared/clock';
import { createTestApp, type TestApp } from '../support/app';
import {
  addDays,
  type Agency,
  AUTH_ENV,
  errorCode,
  idem,
  item,
  type RegisteredParty,
  today,
} from '../support/world';
import { type Manifest, manifestWorld, type ManifestWorld } from './manifests-world';

jest.setTimeout(180_000);

const PAPER = `mutation($i: EnterPaperManifestInput!) { enterPaperManifest(input: $i) { id number status deliveredAt
  paper { paperNumber late } lots { lotId status } receiptDeadline { date provisional } } }`;

/**
 * Records about a manifest: the paper fallback (纸质联单 entered after an outage; later than 10
 * working days after the trip ended it is accepted and alerted), a receipt confirmed more than 5
 * working days after delivery (recorded and alerted), and corrections after a signature (one pending
 * at a time, the other parties approve or refuse, history keeps both versions).
 */
describe('manifests: paper fallback, late receipt, corrections', () => {
  let t: TestApp;
  let w: ManifestWorld;
  let henan: Agency;
  let producer: RegisteredParty;
  let recycler: RegisteredParty;
  let carrier: RegisteredParty;
  let leg: Record<string, string>;
  let paper: Manifest;
  let carrierDriver: string;
  const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    w = await manifestWorld(t);
    henan = await w.regulator({ level: 'PROVINCE', divisionCode: '410000', jurisdiction: ['41'] });
    producer = await w.verifiedParty(henan, { types: ['PRODUCER'], divisionCode: '410102' });
    recycler = await w.verifiedParty(henan, { types: ['UTILISER'], divisionCode: '410122' });
    carrier = await w.verifiedParty(henan, { types: ['TRANSPORTER'], divisionCode: '410105' });
    await w.issueLicence(henan, {
      holder: recycler,
      kind: 'COMPREHENSIVE',
      validFrom: addDays(today(), -60),
      items: [item('HW08', ['UTILISE'], '100')],
    });
    const crew = await w.equipCarrier(henan, carrier);
    leg = {
      carrierPartyId: carrier.id,
      vehicleId: crew.vehicleId,
      driverId: crew.driverId,
      escortId: crew.escortId,
    };
    carrierDriver = await w.user(carrier, 'DRIVER');
  });
  afterAll(() => t.close());

  it('a paper trip that ended 20 days ago is entered: marked, DELIVERED, its lot at the recycler, alerted as late', async () => {
    const [lot] = await w.lots(
      producer,
      [{ wasteCode: '900-214-08', mass: '55.000' }],
      producer.token,
      undefined,
      daysAgo(25),
    );
    const d = await w.q<{ enterPaperManifest: Manifest & { paper: { paperNumber: string; late: boolean } } }>(
      PAPER,
      {
        i: {
          idempotencyKey: idem('paper'),
          paperNumber: 'ZZ-PAPER-0042',
          reason: '省固废平台停机',
          tripStartedAt: daysAgo(20.2),
          tripEndedAt: daysAgo(20),
          content: {
            receiverPartyId: recycler.id,
            legs: [leg],
            lots: [{ lotId: lot.id, intendedMode: 'UTILISE', method: 'R9' }],
            plannedDate: daysAgo(20).slice(0, 10),
            emergencyMeasures: '吸附棉围堵',
          },
        },
      },
      producer.token,
    );
    paper = d.enterPaperManifest;
    expect(paper).toMatchObject({ status: 'DELIVERED', paper: { paperNumber: 'ZZ-PAPER-0042', late: true } });
    expect(paper.lots).toEqual([{ lotId: lot.id, status: 'CARRIED' }]);
    expect(await w.events(`manifest-${paper.id}`)).toEqual(['PaperManifestEntered']);
    expect(await w.events(`lot-${lot.id}`)).toEqual([
      'LotGenerated',
      'LotReservedOnManifest',
      'LotCustodyTaken',
      'LotDelivered',
    ]);
    const [taken] = await w.sql<{ payload: { at: string; carrierPartyId: string } }>(
      `SELECT payload FROM ledger_event WHERE stream_id = $1 AND event_type = 'LotCustodyTaken'`,
      [`lot-${lot.id}`],
    );
    expect(taken.payload.carrierPartyId).toBe(carrier.id);
    expect(Date.parse(taken.payload.at)).toBeLessThan(Date.now() - 19 * 86_400_000);
    const [alert] = await w.alerts('PAPER_MANIFEST_LATE', paper.id);
    expect(alert.evidence).toMatchObject({ paperNumber: 'ZZ-PAPER-0042' });
    const [row] = await w.sql(
      `SELECT status, paper_number, paper_late FROM manifest WHERE manifest_id = $1`,
      [paper.id],
    );
    expect(row).toEqual({ status: 'DELIVERED', paper_number: 'ZZ-PAPER-0042', paper_late: true });
  });

  it('its receipt, confirmed now, is more than 5 working days after delivery: recorded, flagged late and alerted', async () => {
    const deadline = paper.receiptDeadline as { date: string; provisional: boolean };
    expect(deadline.date < today()).toBe(true);
    const m = await w.receive(recycler.token, paper.id, recycler.facilityIds[0], [
      { lotId: paper.lots[0].lotId, measuredMass: '55.000', decision: 'ACCEPTED' },
    ]);
    expect(m).toMatchObject({ status: 'RECEIVED' });
    expect(m.lots[0]).toMatchObject({ late: true, discrepancy: false });
    const [alert] = await w.alerts('RECEIPT_LATE', paper.id);
    expect(alert).toMatchObject({
      period: deadline.date,
      evidence: { deadlineDate: deadline.date, lotIds: [paper.lots[0].lotId] },
    });
    const [event] = await w.sql<{ payload: { late: boolean; deadline: string } }>(
      `SELECT payload FROM ledger_event WHERE stream_id = $1 AND event_type = 'LotReceiptRecorded'`,
      [`manifest-${paper.id}`],
    );
    expect(event.payload.late).toBe(true);
  });

  it('a manifest interrupted by an outage after submission is completed from paper within the limit: not late', async () => {
    const [lot] = await w.lots(producer, [{ wasteCode: '900-214-08', mass: '12.000' }]);
    const m = await w.draft(producer.token, {
      receiverPartyId: recycler.id,
      legs: [leg],
      lots: [{ lotId: lot.id, intendedMode: 'UTILISE', method: 'R9' }],
      plannedDate: today(),
    });
    await w.submit(producer.token, m.id);
    const d = await w.q<{ enterPaperManifest: Manifest }>(
      PAPER,
      {
        i: {
          idempotencyKey: idem('paper'),
          manifestId: m.id,
          paperNumber: 'ZZ-PAPER-0043',
          tripStartedAt: new Date(Date.now() - 60_000).toISOString(),
          tripEndedAt: new Date(Date.now() - 30_000).toISOString(),
        },
      },
      producer.token,
    );
    expect(d.enterPaperManifest).toMatchObject({ status: 'DELIVERED', paper: { late: false } });
    expect(await w.alerts('PAPER_MANIFEST_LATE', m.id)).toEqual([]);
    const [code] = await w.sql(
      `SELECT superseded_at IS NOT NULL AS superseded FROM manifest_handover_code WHERE manifest_id = $1`,
      [m.id],
    );
    expect(code).toEqual({ superseded: true });
    const [l] = await w.sql(`SELECT status, custodian_party_id FROM lot WHERE lot_id = $1`, [lot.id]);
    expect(l).toEqual({ status: 'DELIVERED', custodian_party_id: recycler.id });
  });

  it('a delivery near the end of the last loaded calendar year: the receipt deadline is marked provisional', async () => {
    const years = t.app.get(CalendarService).calendar().loadedYears;
    const last = years[years.length - 1];
    const deliveredAt = new Date(`${last}-12-29T10:00:00+08:00`);
    if (deliveredAt.getTime() <= Date.now()) return; // the calendar data is older than the test clock: nothing to show
    const [lot] = await w.lots(producer, [{ wasteCode: '900-214-08', mass: '8.000' }]);
    const m = await w.draft(producer.token, {
      receiverPartyId: recycler.id,
      legs: [leg],
      lots: [{ lotId: lot.id, intendedMode: 'UTILISE', method: 'R9' }],
      plannedDate: today(),
    });
    const r = await w.submit(producer.token, m.id);
    const clock = t.app.get(Clock);
    const real = clock.now.bind(clock);
    clock.now = () => new Date(deliveredAt.getTime() + (real().getTime() - Date.now()));
    try {
      const code = await w.q<{ reissueHandoverCode: { handoverCode: { code: string } } }>(
        `mutation($i: ManifestRefInput!) { reissueHandoverCode(input: $i) { handoverCode { code } } }`,
        { i: { idempotencyKey: idem('code'), manifestId: m.id } },
        producer.token,
      );
      await w.takeCustody(carrierDriver, r.manifest, code.reissueHandoverCode.handoverCode.code);
      const delivered = await w.deliver(carrierDriver, m.id);
      const deadline = delivered.receiptDeadline as { date: string; provisional: boolean };
      expect(deadline.provisional).toBe(true);
      expect(deadline.date > `${last}-12-31`).toBe(true);
    } finally {
      clock.now = real;
    }
  });

  describe('corrections (更正)', () => {
    const REQUEST = `mutation($i: RequestCorrectionInput!) { requestCorrection(input: $i) { id corrections { id status } } }`;
    const answer = (
      op: 'approveCorrection' | 'refuseCorrection',
      token: string,
      correctionId: string,
      reason?: string,
    ) =>
      t.gql(
        `mutation($i: AnswerCorrectionInput!) { ${op}(input: $i) { id emergencyMeasures lots { lotId packaging } corrections { id status approvedBy } } }`,
        { i: { idempotencyKey: idem('answer'), manifestId: paper.id, correctionId, reason } },
        token,
      );

    it('the consignor asks to correct a lot’s packaging; a second request while it is pending is refused (CONFLICT)', async () => {
      const d = await w.q<{ requestCorrection: { corrections: { id: string; status: string }[] } }>(
        REQUEST,
        {
          i: {
            idempotencyKey: idem('corr'),
            manifestId: paper.id,
            reason: '包装方式录入错误',
            changes: [{ field: 'LOT_PACKAGING', lotId: paper.lots[0].lotId, value: '200 L 塑料桶' }],
          },
        },
        producer.token,
      );
      expect(d.requestCorrection.corrections).toEqual([{ id: expect.any(String), status: 'PENDING' }]);
      const again = await errorCode(
        t,
        REQUEST,
        {
          i: {
            idempotencyKey: idem('corr'),
            manifestId: paper.id,
            reason: '再改一次措施',
            changes: [{ field: 'EMERGENCY_MEASURES', value: '新措施' }],
          },
        },
        recycler.token,
      );
      expect(again).toBe('CONFLICT');
    });

    it('the requester may not approve its own request; the recycler refuses it with a reason', async () => {
      const [c] = (await w.manifest(producer.token, paper.id)).corrections as { id: string }[];
      expect((await answer('approveCorrection', producer.token, c.id)).body.errors[0].extensions.code).toBe(
        'FORBIDDEN',
      );
      expect((await answer('refuseCorrection', recycler.token, c.id)).body.errors[0].extensions.code).toBe(
        'BAD_USER_INPUT',
      );
      const res = await answer('refuseCorrection', recycler.token, c.id, '现场确认为钢桶');
      expect(res.body.data.refuseCorrection.corrections).toEqual([
        { id: c.id, status: 'REFUSED', approvedBy: [] },
      ]);
    });

    it('a new request approved by every other party appends the correction; history keeps both versions', async () => {
      const d = await w.q<{ requestCorrection: { corrections: { id: string; status: string }[] } }>(
        REQUEST,
        {
          i: {
            idempotencyKey: idem('corr'),
            manifestId: paper.id,
            reason: '补充应急联系方式',
            changes: [{ field: 'EMERGENCY_MEASURES', value: '吸附棉围堵，报告 12369，联系 0371-1234567' }],
          },
        },
        producer.token,
      );
      const pending = d.requestCorrection.corrections.find((c) => c.status === 'PENDING')!;
      const first = await answer('approveCorrection', recycler.token, pending.id);
      expect(first.body.data.approveCorrection.emergencyMeasures).toBe('吸附棉围堵');
      const last = await answer('approveCorrection', carrier.token, pending.id);
      expect(last.body.data.approveCorrection.emergencyMeasures).toBe(
        '吸附棉围堵，报告 12369，联系 0371-1234567',
      );
      const m = await w.manifest(henan.token, paper.id);
      expect(m.corrections).toEqual([
        expect.objectContaining({
          status: 'REFUSED',
          refusalReason: '现场确认为钢桶',
          changes: [expect.objectContaining({ field: 'lot.packaging', to: '200 L 塑料桶' })],
        }),
        expect.objectContaining({
          status: 'APPROVED',
          changes: [
            {
              field: 'emergencyMeasures',
              lotId: null,
              from: '吸附棉围堵',
              to: '吸附棉围堵，报告 12369，联系 0371-1234567',
            },
          ],
        }),
      ]);
      const history = await w.events(`manifest-${paper.id}`);
      expect(history.slice(-6)).toEqual([
        'CorrectionRequested',
        'CorrectionRefused',
        'CorrectionRequested',
        'CorrectionApproved',
        'CorrectionApproved',
        'ManifestCorrected',
      ]);
    });

    it('custody facts are not correctable fields, a bad value is refused, a party not on the manifest gets NOT_FOUND', async () => {
      const request = (change: Record<string, unknown>) =>
        t.gql(
          REQUEST,
          {
            i: {
              idempotencyKey: idem('corr'),
              manifestId: paper.id,
              reason: '方法代码更正',
              changes: [change],
            },
          },
          producer.token,
        );
      const custody = await request({ field: 'MEASURED_MASS', lotId: paper.lots[0].lotId, value: '1' });
      expect(custody.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      const bad = await request({ field: 'LOT_METHOD', lotId: paper.lots[0].lotId, value: 'R99' });
      expect(bad.body.errors[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.changes.0.to',
      });
      const stranger = await w.verifiedParty(henan, { types: ['PRODUCER'], divisionCode: '410102' });
      expect(
        (await answer('approveCorrection', stranger.token, 'whatever')).body.errors[0].extensions.code,
      ).toBe('NOT_FOUND');
    });
  });

  it('the read models rebuild from the ledger alone', async () => {
    expect((await w.rebuild()).differences).toEqual([]);
  });
});
