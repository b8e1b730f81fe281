import { LedgerService } from '../../src/ledger/ledger.service';
import { LicenceCheckService } from '../../src/licences/licence-check.service';
import { LicenceReadService } from '../../src/licences/licence-read.service';
import type { LicenceMode } from '../../src/parties/domain/licence';
import { createTestApp, type TestApp } from '../support/app';
import {
  addDays,
  type Agency,
  AUTH_ENV,
  errorCode,
  idem,
  item,
  type IssuedLicence,
  ok,
  openWorld,
  type RegisteredParty,
  today,
  type World,
} from '../support/world';

const CHECK = `query($p: ID!, $c: String!, $m: LicenceMode!, $mass: Mass!, $d: LocalDate, $at: DateTime, $s: ID, $o: String) {
  licenceCheck(partyId: $p, wasteCode: $c, mode: $m, mass: $mass, date: $d, at: $at, siteId: $s, originDivisionCode: $o) {
    allowed capacityLevel refusalCode emergency used after capacity licenceId itemId year } }`;
const ISSUE = `mutation($i: IssueLicenceInput!) { issueLicence(input: $i) { id kind status standingToday items { id scope annualCapacityTonnes annualCapacity } } }`;
const STATUS = (op: string) =>
  `mutation($i: ChangeLicenceStatusInput!) { ${op}(input: $i) { id status statusChanges { status from } } }`;

interface CheckResult {
  allowed: boolean;
  capacityLevel: string | null;
  refusalCode: string | null;
  emergency: boolean;
  used: string | null;
  after: string | null;
  capacity: string | null;
  licenceId: string | null;
  itemId: string | null;
  year: number | null;
}

// a world of five agencies and several parties takes a few seconds to build on a busy machine
jest.setTimeout(60_000);

describe('licences and authorisations over GraphQL', () => {
  let t: TestApp;
  let w: World;
  let henan: Agency; // 河南省 — province
  let zhengzhou: Agency; // 郑州市 — city
  let zhongyuan: Agency; // 中原区 — county
  let luoyang: Agency; // 洛阳市 — another city
  let hubei: Agency; // 湖北省 — another province
  let disposer: RegisteredParty;
  let producerA: RegisteredParty;
  let producerB: RegisteredParty;
  const Y = Number(today().slice(0, 4));
  const FIRST = `${Y}-01-01`;
  const LAST = `${Y + 4}-12-31`;
  let licence: IssuedLicence;

  const check = async (
    token: string,
    v: {
      p: string;
      c: string;
      m: LicenceMode;
      mass: string;
      d?: string;
      at?: string;
      s?: string;
      o?: string;
    },
  ) => {
    const res = await t.gql(CHECK, v, token);
    if (res.body.errors) return { error: res.body.errors[0].extensions.code as string };
    return res.body.data.licenceCheck as CheckResult;
  };
  const issueVars = (over: Record<string, unknown> = {}) => ({
    i: {
      idempotencyKey: idem('issue'),
      number: idem('豫环许可'),
      holderPartyId: disposer.id,
      kind: 'COMPREHENSIVE',
      validFrom: FIRST,
      validTo: LAST,
      facilitySiteIds: [disposer.siteIds[0]],
      items: [item('HW08', ['UTILISE'], '1')],
      ...over,
    },
  });
  const eventsOf = async (type: string) =>
    (
      await t.db.owner.query(
        `SELECT stream_id, payload FROM ledger_event WHERE event_type = $1 ORDER BY position`,
        [type],
      )
    ).rows as { stream_id: string; payload: Record<string, unknown> }[];

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    w = await openWorld(t);
    henan = await w.regulator({ level: 'PROVINCE', divisionCode: '410000', jurisdiction: ['41'] });
    zhengzhou = await w.regulator({ level: 'CITY', divisionCode: '410100', jurisdiction: ['4101'] });
    zhongyuan = await w.regulator({ level: 'COUNTY', divisionCode: '410102', jurisdiction: ['410102'] });
    luoyang = await w.regulator({ level: 'CITY', divisionCode: '410300', jurisdiction: ['4103'] });
    hubei = await w.regulator({ level: 'PROVINCE', divisionCode: '420000', jurisdiction: ['42'] });
    disposer = await w.verifiedParty(zhengzhou, {
      name: 'Zhengzhou disposer',
      types: ['DISPOSER', 'UTILISER'],
      divisionCode: '410102',
    });
    producerA = await w.verifiedParty(zhengzhou, {
      name: 'Producer A',
      types: ['PRODUCER'],
      divisionCode: '410105',
    });
    producerB = await w.verifiedParty(zhengzhou, {
      name: 'Producer B',
      types: ['PRODUCER'],
      divisionCode: '410103',
    });
    licence = await w.issueLicence(henan, {
      holder: disposer,
      kind: 'COMPREHENSIVE',
      validFrom: FIRST,
      validTo: LAST,
      items: [item('HW08', ['UTILISE'], '1'), item('HW49', ['STORE', 'DISPOSE'], '500')],
    });
  });
  afterAll(() => t.close());

  describe('issuing: the agency level decides the kind', () => {
    it('records a province’s COMPREHENSIVE licence on the ledger, capacity as a tonnes string, and shows it', async () => {
      const [issued] = (await eventsOf('LicenceIssued')).filter(
        (e) => e.stream_id === `licence-${licence.id}`,
      );
      expect(issued.payload).toMatchObject({
        holderPartyId: disposer.id,
        kind: 'COMPREHENSIVE',
        validFrom: FIRST,
        validTo: LAST,
        agencyId: henan.id,
        items: [
          { scope: 'HW08', modes: ['UTILISE'], annualCapacityTonnes: '1' },
          { scope: 'HW49', modes: ['STORE', 'DISPOSE'], annualCapacityTonnes: '500' },
        ],
      });
      const { licence: read } = await ok<{
        licence: { status: string; standingToday: string; items: unknown[] };
      }>(
        t,
        `query($id: ID!) { licence(id: $id) { status standingToday items { scope annualCapacityTonnes annualCapacity modes } } }`,
        { id: licence.id },
        disposer.token,
      );
      expect(read).toEqual({
        status: 'ACTIVE',
        standingToday: 'IN_FORCE',
        items: [
          { scope: 'HW08', annualCapacityTonnes: '1', annualCapacity: '1000.000', modes: ['UTILISE'] },
          {
            scope: 'HW49',
            annualCapacityTonnes: '500',
            annualCapacity: '500000.000',
            modes: ['STORE', 'DISPOSE'],
          },
        ],
      });
    });

    it('refuses a wrong-level agency with FORBIDDEN and appends nothing', async () => {
      const before = (await eventsOf('LicenceIssued')).length;
      expect(await errorCode(t, ISSUE, issueVars(), zhengzhou.token)).toBe('FORBIDDEN');
      expect(
        await errorCode(
          t,
          ISSUE,
          issueVars({ kind: 'PILOT_COLLECTION', items: [item('HW49', ['COLLECT'], '1')] }),
          zhengzhou.token,
        ),
      ).toBe('FORBIDDEN');
      expect(
        await errorCode(
          t,
          ISSUE,
          issueVars({ kind: 'MEDICAL_DISPOSAL', items: [item('HW01', ['DISPOSE'], '10')] }),
          zhongyuan.token,
        ),
      ).toBe('FORBIDDEN');
      expect((await eventsOf('LicenceIssued')).length).toBe(before);
    });

    it('lets a city issue MEDICAL_DISPOSAL and a county COLLECTION (its two codes only), each capped in years', async () => {
      const medical = await t.gql(
        ISSUE,
        issueVars({
          kind: 'MEDICAL_DISPOSAL',
          validTo: addDays(`${Y + 5}-01-01`, -1),
          items: [item('HW01', ['STORE', 'DISPOSE'], '3650')],
        }),
        zhengzhou.token,
      );
      expect(medical.body.errors).toBeUndefined();
      expect(medical.body.data.issueLicence.kind).toBe('MEDICAL_DISPOSAL');
      const collection = issueVars({
        kind: 'COLLECTION',
        validTo: addDays(`${Y + 3}-01-01`, -1),
        items: [item('900-214-08', ['COLLECT', 'STORE'], '200')],
      });
      expect(await errorCode(t, ISSUE, collection, zhongyuan.token)).toBe('NO_ERROR');
      const tooLong = issueVars({
        kind: 'COLLECTION',
        validTo: `${Y + 3}-01-01`,
        items: [item('900-214-08', ['COLLECT'], '1')],
      });
      const res = await t.gql(ISSUE, tooLong, zhongyuan.token);
      expect(res.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'validTo' });
      const oil = issueVars({
        kind: 'COLLECTION',
        validTo: `${Y + 1}-12-31`,
        items: [item('HW08', ['COLLECT'], '1')],
      });
      expect((await t.gql(ISSUE, oil, zhongyuan.token)).body.errors[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'items.0.scope',
      });
    });

    it('names the field of a bad scope or capacity, and refuses an unknown code with UNKNOWN_WASTE_CODE', async () => {
      const bad = async (items: unknown[]) =>
        (await t.gql(ISSUE, issueVars({ items }), henan.token)).body.errors[0].extensions;
      expect(await bad([item('HW8', ['UTILISE'], '1')])).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'items.0.scope',
      });
      expect(await bad([item('999-999-08', ['UTILISE'], '1')])).toMatchObject({
        code: 'UNKNOWN_WASTE_CODE',
        field: 'items.0.scope',
      });
      expect(await bad([item('HW08', ['UTILISE'], '0')])).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'items.0.annualCapacityTonnes',
      });
      expect(await bad([item('HW08', ['UTILISE'], '1.5e3')])).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(await bad([item('HW08', [], '1')])).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'items.0.modes',
      });
      expect(await bad([item('HW08', ['BURN'], '1')])).toMatchObject({ code: 'BAD_USER_INPUT' });
      const number = await t.gql(ISSUE, issueVars({ number: licence.number }), henan.token);
      expect(number.body.errors[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.number',
      });
    });

    it('answers a regulator outside the jurisdiction with NOT_FOUND, when issuing and when suspending', async () => {
      expect(
        await errorCode(
          t,
          ISSUE,
          issueVars({ kind: 'MEDICAL_DISPOSAL', items: [item('HW01', ['DISPOSE'], '1')] }),
          luoyang.token,
        ),
      ).toBe('NOT_FOUND');
      expect(await errorCode(t, ISSUE, issueVars(), hubei.token)).toBe('NOT_FOUND');
      const suspend = {
        i: {
          idempotencyKey: idem('s'),
          licenceId: licence.id,
          from: addDays(today(), 1),
          reason: 'inspection',
        },
      };
      expect(await errorCode(t, STATUS('suspendLicence'), suspend, hubei.token)).toBe('NOT_FOUND');
      expect(await errorCode(t, STATUS('suspendLicence'), suspend, zhengzhou.token)).toBe('FORBIDDEN');
      expect(await errorCode(t, STATUS('suspendLicence'), suspend, producerA.token)).toBe('FORBIDDEN');
    });

    it('returns the first result to a retry with the same idempotency key, issuing once', async () => {
      const vars = issueVars({ number: idem('retry'), items: [item('HW49', ['DISPOSE'], '1')] });
      const [a, b] = await Promise.all([t.gql(ISSUE, vars, henan.token), t.gql(ISSUE, vars, henan.token)]);
      expect(a.body.data.issueLicence.id).toBe(b.body.data.issueLicence.id);
      const streams = (await eventsOf('LicenceIssued')).filter((e) => e.payload.number === vars.i.number);
      expect(streams).toHaveLength(1);
    });
  });

  describe('validity, at the first and last valid day in Asia/Shanghai', () => {
    const oil = (d: { d?: string; at?: string }) =>
      check(producerA.token, { p: disposer.id, c: '900-249-08', m: 'UTILISE', mass: '1', ...d });

    it('allows the first and the last valid day, and refuses the day before and the day after', async () => {
      expect(await oil({ d: addDays(FIRST, -1) })).toMatchObject({
        allowed: false,
        refusalCode: 'RECEIVER_NOT_LICENSED',
      });
      expect(await oil({ d: FIRST })).toMatchObject({
        allowed: true,
        capacityLevel: 'NORMAL',
        licenceId: licence.id,
      });
      expect(await oil({ d: LAST })).toMatchObject({ allowed: true, year: Y + 4 });
      expect(await oil({ d: addDays(LAST, 1) })).toMatchObject({
        allowed: false,
        refusalCode: 'RECEIVER_NOT_LICENSED',
      });
    });

    it('takes an instant as its Shanghai day: 23:59:59.999 on the last day passes, midnight after (16:00 UTC) does not', async () => {
      expect(await oil({ at: `${LAST}T23:59:59.999+08:00` })).toMatchObject({ allowed: true });
      expect(await oil({ at: `${LAST}T16:00:00.000Z` })).toMatchObject({
        allowed: false,
        refusalCode: 'RECEIVER_NOT_LICENSED',
      });
      expect(await oil({ at: `${addDays(FIRST, -1)}T16:00:00.000Z` })).toMatchObject({ allowed: true });
      expect(await oil({ at: `${addDays(FIRST, -1)}T15:59:59.999Z` })).toMatchObject({ allowed: false });
    });

    it('answers a covered code without the mode with LICENCE_MODE_MISSING, an unknown code with UNKNOWN_WASTE_CODE', async () => {
      expect(
        await check(producerA.token, { p: disposer.id, c: '900-249-08', m: 'DISPOSE', mass: '1', d: FIRST }),
      ).toMatchObject({
        allowed: false,
        refusalCode: 'LICENCE_MODE_MISSING',
      });
      expect(
        await check(producerA.token, { p: disposer.id, c: '999-249-08', m: 'UTILISE', mass: '1', d: FIRST }),
      ).toEqual({ error: 'UNKNOWN_WASTE_CODE' });
      expect(
        await check(producerA.token, { p: disposer.id, c: '900-249-08', m: 'UTILISE', mass: '1' }),
      ).toEqual({ error: 'BAD_USER_INPUT' });
    });

    it('is refused while suspended, and allowed again from the reinstatement day', async () => {
      const S = addDays(today(), 10);
      const R = addDays(today(), 20);
      const change = (op: string, from: string) =>
        ok<Record<string, { status: string; statusChanges: { status: string; from: string }[] }>>(
          t,
          STATUS(op),
          { i: { idempotencyKey: idem(op), licenceId: licence.id, from, reason: 'rectification ordered' } },
          henan.token,
        );
      await change('suspendLicence', S);
      expect(
        await errorCode(
          t,
          STATUS('suspendLicence'),
          { i: { idempotencyKey: idem('x'), licenceId: licence.id, from: R, reason: 'again' } },
          henan.token,
        ),
      ).toBe('INVALID_TRANSITION');
      const { reinstateLicence } = await change('reinstateLicence', R);
      expect(reinstateLicence).toEqual({
        id: licence.id,
        status: 'ACTIVE',
        statusChanges: [
          { status: 'SUSPENDED', from: S },
          { status: 'ACTIVE', from: R },
        ],
      });
      expect(await oil({ d: addDays(S, -1) })).toMatchObject({ allowed: true });
      expect(await oil({ d: S })).toMatchObject({ allowed: false, refusalCode: 'RECEIVER_NOT_LICENSED' });
      expect(await oil({ d: addDays(R, -1) })).toMatchObject({
        allowed: false,
        refusalCode: 'RECEIVER_NOT_LICENSED',
      });
      expect(await oil({ d: R })).toMatchObject({ allowed: true });
      const backdated = {
        i: { idempotencyKey: idem('b'), licenceId: licence.id, from: addDays(today(), -1), reason: 'late' },
      };
      expect(
        (await t.gql(STATUS('revokeLicence'), backdated, henan.token)).body.errors[0].extensions,
      ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
      expect((await eventsOf('LicenceSuspended')).map((e) => e.payload)).toEqual([
        { licenceId: licence.id, from: S, reason: 'rectification ordered', agencyId: henan.id },
      ]);
    });
  });

  describe('capacity: 90 %, 100 % and 120 % of 1 t, and one kilogram over each', () => {
    let ledger: LedgerService;
    let checks: LicenceCheckService;
    beforeAll(() => {
      ledger = t.app.get(LedgerService);
      checks = t.app.get(LicenceCheckService);
    });
    const date = FIRST; // before any suspension day
    const probe = (mass: string) =>
      check(producerA.token, { p: disposer.id, c: '900-249-08', m: 'UTILISE', mass, d: date });
    const reserve = (kg: number, ref: string) =>
      ledger.execute({ act: 'testReserve', actor: { kind: 'SYSTEM', name: 'e2e' }, request: { ref } }, (tx) =>
        checks.reserveReceiverCapacity(tx, {
          receiverPartyId: disposer.id,
          siteId: disposer.siteIds[0],
          wasteCode: '900-249-08',
          mode: 'UTILISE',
          businessDate: date,
          massGrams: kg * 1000,
          ref,
        }),
      );
    const alerts = async () =>
      (
        await t.db.owner.query(
          `SELECT rule, severity, period, region FROM ledger_alert WHERE subject_id = $1 ORDER BY rule`,
          [licence.itemIds.HW08],
        )
      ).rows;

    it('answers each level without reserving anything', async () => {
      expect(await probe('899.999')).toMatchObject({ allowed: true, capacityLevel: 'NORMAL' });
      expect(await probe('900')).toMatchObject({
        allowed: true,
        capacityLevel: 'WARNING_90',
        after: '900.000',
        capacity: '1000.000',
      });
      expect(await probe('901')).toMatchObject({ allowed: true, capacityLevel: 'WARNING_90' });
      expect(await probe('1000')).toMatchObject({ allowed: true, capacityLevel: 'WARNING_90' });
      expect(await probe('1001')).toMatchObject({ allowed: true, capacityLevel: 'OVER_100' });
      expect(await probe('1200')).toMatchObject({ allowed: true, capacityLevel: 'OVER_100' });
      expect(await probe('1201')).toMatchObject({
        allowed: false,
        refusalCode: 'LICENCE_CAPACITY_EXCEEDED',
        used: '0.000',
        after: '1201.000',
      });
      expect(await alerts()).toEqual([]);
    });

    it('reserves up to exactly 120 %, alerting once at 90 % and once above 100 %, and refuses one kilogram more', async () => {
      expect(await reserve(900, 'm-1')).toMatchObject({
        capacityLevel: 'WARNING_90',
        itemId: licence.itemIds.HW08,
        year: Y,
        emergency: false,
      });
      expect(await alerts()).toEqual([
        { rule: 'LICENCE_CAPACITY_90', severity: 'WARNING', period: String(Y), region: '410102' },
      ]);
      expect(await probe('100')).toMatchObject({
        capacityLevel: 'WARNING_90',
        used: '900.000',
        after: '1000.000',
      });
      expect(await probe('101')).toMatchObject({ capacityLevel: 'OVER_100' });

      expect(await reserve(100, 'm-2')).toMatchObject({ capacityLevel: 'WARNING_90' }); // exactly 100 %
      expect((await alerts()).map((a) => a.rule)).toEqual(['LICENCE_CAPACITY_90']);
      expect(await reserve(1, 'm-3')).toMatchObject({ capacityLevel: 'OVER_100' }); // 100 % + 1 kg
      expect(await alerts()).toEqual([
        { rule: 'LICENCE_CAPACITY_90', severity: 'WARNING', period: String(Y), region: '410102' },
        { rule: 'LICENCE_CAPACITY_OVER_100', severity: 'CRITICAL', period: String(Y), region: '410102' },
      ]);
      expect(await probe('199')).toMatchObject({
        allowed: true,
        capacityLevel: 'OVER_100',
        after: '1200.000',
      });
      expect(await probe('200')).toMatchObject({ allowed: false, refusalCode: 'LICENCE_CAPACITY_EXCEEDED' });
      expect(await reserve(199, 'm-4')).toMatchObject({ capacityLevel: 'OVER_100' }); // exactly 120 %
      await expect(reserve(1, 'm-5')).rejects.toMatchObject({ code: 'LICENCE_CAPACITY_EXCEEDED' }); // 120 % + 1 kg
      const counter = await t.db.owner.query(
        `SELECT payload->>'value' AS value, payload->>'reason' AS reason FROM ledger_event WHERE stream_id = $1 ORDER BY version`,
        [`counter:licence-capacity:${licence.itemIds.HW08}:${Y}`],
      );
      expect(counter.rows.map((r) => Number(r.value))).toEqual([900_000, 1_000_000, 1_001_000, 1_200_000]);
      expect((await alerts()).length).toBe(2);
      // an amendment keeps the item, and its use: 1 200 kg of a new 2 t capacity
      await ok(
        t,
        `mutation($i: AmendLicenceInput!) { amendLicence(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: idem('amend'),
            licenceId: licence.id,
            reason: 'capacity expansion approved',
            items: [
              { itemId: licence.itemIds.HW08, scope: 'HW08', modes: ['UTILISE'], annualCapacityTonnes: '2' },
              {
                itemId: licence.itemIds.HW49,
                scope: 'HW49',
                modes: ['STORE', 'DISPOSE'],
                annualCapacityTonnes: '500',
              },
            ],
          },
        },
        henan.token,
      );
      expect(await probe('600')).toMatchObject({
        capacityLevel: 'WARNING_90',
        used: '1200.000',
        capacity: '2000.000',
      });
      // another year has its own counter
      expect(
        await check(producerA.token, {
          p: disposer.id,
          c: '900-249-08',
          m: 'UTILISE',
          mass: '1',
          d: `${Y + 1}-01-01`,
        }),
      ).toMatchObject({
        capacityLevel: 'NORMAL',
        used: '0.000',
      });
    });
  });

  describe('privacy: parties see their own, the directory, and nothing else', () => {
    let ownLicence: IssuedLicence;
    beforeAll(async () => {
      // a producer with its own utilisation facility holds a licence, but is not a public operator
      ownLicence = await w.issueLicence(henan, {
        holder: producerA,
        kind: 'COMPREHENSIVE',
        items: [item('HW49', ['UTILISE'], '5')],
      });
    });

    it('shows a producer its own licence and a verified operator’s, and hides another producer’s (NOT_FOUND)', async () => {
      const read = (id: string, token: string) =>
        errorCode(t, `query($id: ID!) { licence(id: $id) { id } }`, { id }, token);
      expect(await read(ownLicence.id, producerA.token)).toBe('NO_ERROR');
      expect(await read(licence.id, producerB.token)).toBe('NO_ERROR');
      expect(await read(ownLicence.id, producerB.token)).toBe('NOT_FOUND');
      expect(await read(ownLicence.id, luoyang.token)).toBe('NOT_FOUND');
      expect(await read(ownLicence.id, zhengzhou.token)).toBe('NO_ERROR');
      const list = await ok<{ licences: { totalCount: number } }>(
        t,
        `query($f: LicenceFilter) { licences(filter: $f) { totalCount } }`,
        { f: { holderPartyId: producerA.id } },
        producerB.token,
      );
      expect(list.licences.totalCount).toBe(0);
      expect(
        await check(producerB.token, {
          p: producerA.id,
          c: '900-041-49',
          m: 'UTILISE',
          mass: '1',
          d: today(),
        }),
      ).toEqual({ error: 'NOT_FOUND' });
    });

    it('lists licences by waste code for a producer choosing a receiver (category items match)', async () => {
      const { licences } = await ok<{ licences: { nodes: { id: string }[] } }>(
        t,
        `query($f: LicenceFilter) { licences(filter: $f) { nodes { id } } }`,
        { f: { wasteCode: '900-249-08', validOn: today() } },
        producerB.token,
      );
      expect(licences.nodes.map((n) => n.id)).toContain(licence.id);
      expect(licences.nodes.map((n) => n.id)).not.toContain(ownLicence.id);
    });

    it('answers PARTY_NOT_VERIFIED for a pending receiver its own users check', async () => {
      const pending = await w.pendingParty({ types: ['DISPOSER'], divisionCode: '410102' });
      await w.issueLicence(henan, {
        holder: pending,
        kind: 'COMPREHENSIVE',
        items: [item('HW08', ['UTILISE'], '5')],
      });
      expect(
        await check(pending.token, { p: pending.id, c: '900-249-08', m: 'UTILISE', mass: '1', d: today() }),
      ).toMatchObject({
        allowed: false,
        refusalCode: 'PARTY_NOT_VERIFIED',
      });
      expect(
        await check(producerB.token, { p: pending.id, c: '900-249-08', m: 'UTILISE', mass: '1', d: today() }),
      ).toEqual({ error: 'NOT_FOUND' });
    });
  });

  describe('transport permits, vehicles and crew', () => {
    let carrier: RegisteredParty;
    beforeAll(async () => {
      carrier = await w.verifiedParty(zhengzhou, {
        name: 'Carrier',
        types: ['TRANSPORTER'],
        divisionCode: '410102',
      });
    });

    it('are registered by the carrier, verified by its regulator, refused to others', async () => {
      const permit = `mutation($i: RegisterTransportPermitInput!) { registerTransportPermit(input: $i) { id verified } }`;
      expect(
        await errorCode(
          t,
          permit,
          { i: { idempotencyKey: idem('p'), number: 'XYZ-001', validTo: addDays(today(), 30) } },
          producerA.token,
        ),
      ).toBe('FORBIDDEN');
      const equipped = await w.equipCarrier(zhengzhou, carrier, { medicalWasteVehicle: true });
      const { transportPermits } = await ok<{
        transportPermits: { verified: boolean; vehicles: { plate: string; verified: boolean }[] }[];
      }>(
        t,
        `query($p: ID!) { transportPermits(partyId: $p) { verified vehicles { plate verified } } }`,
        { p: carrier.id },
        producerA.token,
      );
      expect(transportPermits).toEqual([
        { verified: true, vehicles: [{ plate: equipped.plate, verified: true }] },
      ]);

      // a regulator of another city does not see the carrier's permit
      const other = await ok<{ registerTransportPermit: { id: string } }>(
        t,
        permit,
        { i: { idempotencyKey: idem('p'), number: 'ZZ-002', validTo: addDays(today(), 30) } },
        carrier.token,
      );
      const verify = `mutation($i: RefInput!) { verifyTransportPermit(input: $i) { id verified } }`;
      expect(
        await errorCode(
          t,
          verify,
          { i: { idempotencyKey: idem('v'), id: other.registerTransportPermit.id } },
          luoyang.token,
        ),
      ).toBe('NOT_FOUND');
      expect(
        await errorCode(
          t,
          verify,
          { i: { idempotencyKey: idem('v'), id: equipped.permitId } },
          zhengzhou.token,
        ),
      ).toBe('INVALID_TRANSITION');

      // the carrier check used by manifests
      const checks = t.app.get(LicenceCheckService);
      const q = {
        carrierPartyId: carrier.id,
        vehicleId: equipped.vehicleId,
        driverId: equipped.driverId,
        escortId: equipped.escortId,
        businessDate: today(),
      };
      await expect(checks.checkCarrier({ ...q, wasteCodes: ['841-001-01'] })).resolves.toMatchObject({
        ok: true,
        plate: equipped.plate,
      });
      await expect(
        checks.checkCarrier({ ...q, businessDate: addDays(today(), 400), wasteCodes: ['900-249-08'] }),
      ).rejects.toMatchObject({
        code: 'CARRIER_NOT_LICENSED',
      });
      await expect(
        checks.checkCarrier({ ...q, escortId: equipped.driverId, wasteCodes: ['900-249-08'] }),
      ).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
      });
      const plain = await w.equipCarrier(zhengzhou, carrier, { medicalWasteVehicle: false });
      await expect(
        checks.checkCarrier({ ...q, vehicleId: plain.vehicleId, wasteCodes: ['841-001-01'] }),
      ).rejects.toMatchObject({
        code: 'VEHICLE_NOT_AUTHORISED',
      });
      // registered under the verified permit, but not verified itself
      const { registerVehicle } = await ok<{ registerVehicle: { id: string; verified: boolean } }>(
        t,
        `mutation($i: RegisterVehicleInput!) { registerVehicle(input: $i) { id verified } }`,
        {
          i: {
            idempotencyKey: idem('v'),
            permitId: equipped.permitId,
            plate: '豫A8888D',
            certificateNumber: 'CERT-8888',
            certificateValidTo: addDays(today(), 100),
            medicalWasteVehicle: true,
          },
        },
        carrier.token,
      );
      expect(registerVehicle.verified).toBe(false);
      await expect(
        checks.checkCarrier({ ...q, vehicleId: registerVehicle.id, wasteCodes: ['900-249-08'] }),
      ).rejects.toMatchObject({
        code: 'VEHICLE_NOT_AUTHORISED',
        details: { reason: 'VEHICLE_NOT_VERIFIED' },
      });
      const { vehicles } = await ok<{ vehicles: { plate: string }[] }>(
        t,
        `query($p: String) { vehicles(plate: $p) { plate } }`,
        { p: '豫a8888d' },
        zhengzhou.token,
      );
      expect(vehicles).toEqual([{ plate: '豫A8888D' }]);
    });

    it('keeps crew names and certificate numbers off the ledger, readable by the carrier and its regulator only', async () => {
      const payloads = (await eventsOf('CrewMemberRegistered')).map((e) => JSON.stringify(e.payload));
      expect(payloads.length).toBeGreaterThan(0);
      expect(payloads.join()).not.toMatch(/DRIVER \d|qual/);
      const query = `query($p: ID!) { crewMembers(partyId: $p) { role name certificateNumber } }`;
      const mine = await ok<{ crewMembers: { name: string; certificateNumber: string }[] }>(
        t,
        query,
        { p: carrier.id },
        carrier.token,
      );
      expect(mine.crewMembers[0].name).toMatch(/DRIVER|ESCORT/);
      expect(await errorCode(t, query, { p: carrier.id }, zhengzhou.token)).toBe('NO_ERROR');
      expect(await errorCode(t, query, { p: carrier.id }, producerA.token)).toBe('NOT_FOUND');
      expect(await errorCode(t, query, { p: carrier.id }, luoyang.token)).toBe('NOT_FOUND');
    });
  });

  describe('epidemic mode and emergency authorisations', () => {
    it('declares an epidemic for a region, grants an emergency route, and ends it', async () => {
      const declare = `mutation($i: DeclareEpidemicInput!) { declareEpidemic(input: $i) { id regionPrefix status } }`;
      const vars = {
        i: {
          idempotencyKey: idem('e'),
          name: '重大传染病疫情',
          regionPrefix: '4101',
          from: addDays(today(), -7),
        },
      };
      expect(await errorCode(t, declare, { i: { ...vars.i, regionPrefix: '4103' } }, zhengzhou.token)).toBe(
        'FORBIDDEN',
      );
      const { declareEpidemic } = await ok<{ declareEpidemic: { id: string; status: string } }>(
        t,
        declare,
        vars,
        zhengzhou.token,
      );
      expect(declareEpidemic.status).toBe('DECLARED');
      const read = t.app.get(LicenceReadService);
      expect(await read.epidemicDeclaredAt('410102', new Date())).toBe(true);
      expect(await read.epidemicDeclaredAt('410302', new Date())).toBe(false);

      const kiln = await w.verifiedParty(zhengzhou, {
        name: 'Cement kiln',
        types: ['UTILISER'],
        divisionCode: '410102',
      });
      const grant = `mutation($i: GrantEmergencyAuthorisationInput!) { grantEmergencyAuthorisation(input: $i) { id capacityTonnes scope } }`;
      const g = await ok<{ grantEmergencyAuthorisation: { id: string; capacityTonnes: string } }>(
        t,
        grant,
        {
          i: {
            idempotencyKey: idem('g'),
            holderPartyId: kiln.id,
            scope: ['HW01'],
            modes: ['DISPOSE'],
            capacityTonnes: '10',
            regionPrefixes: ['4101'],
            validFrom: today(),
            validTo: addDays(today(), 90),
            epidemicId: declareEpidemic.id,
          },
        },
        zhengzhou.token,
      );
      expect(g.grantEmergencyAuthorisation.capacityTonnes).toBe('10');
      expect(
        await check(producerA.token, { p: kiln.id, c: '841-001-01', m: 'DISPOSE', mass: '100', d: today() }),
      ).toMatchObject({
        allowed: true,
        emergency: true,
        itemId: g.grantEmergencyAuthorisation.id,
        licenceId: null,
      });
      expect(
        await check(producerA.token, {
          p: kiln.id,
          c: '841-001-01',
          m: 'DISPOSE',
          mass: '100',
          d: today(),
          o: '410302',
        }),
      ).toMatchObject({
        allowed: false,
        refusalCode: 'RECEIVER_NOT_LICENSED',
      });

      const end = `mutation($i: EndEpidemicInput!) { endEpidemic(input: $i) { status to } }`;
      expect(
        await errorCode(
          t,
          end,
          { i: { idempotencyKey: idem('x'), epidemicId: declareEpidemic.id, to: today() } },
          luoyang.token,
        ),
      ).toBe('FORBIDDEN');
      const ended = await ok<{ endEpidemic: { status: string; to: string } }>(
        t,
        end,
        { i: { idempotencyKey: idem('x'), epidemicId: declareEpidemic.id, to: addDays(today(), -1) } },
        henan.token,
      );
      expect(ended.endEpidemic).toEqual({ status: 'ENDED', to: addDays(today(), -1) });
      expect(await read.epidemicDeclaredAt('410102', new Date())).toBe(false);

      // the authorisation served that epidemic: it ends with it (from the day after its last day)
      expect(
        await check(producerA.token, { p: kiln.id, c: '841-001-01', m: 'DISPOSE', mass: '100', d: today() }),
      ).toMatchObject({ allowed: false, refusalCode: 'RECEIVER_NOT_LICENSED' });
      const list = `query($f: AuthorisationFilter) { emergencyAuthorisations(filter: $f) { id epidemicId epidemicEndedFrom } }`;
      const listed = await ok<{
        emergencyAuthorisations: { id: string; epidemicId: string; epidemicEndedFrom: string }[];
      }>(t, list, { f: { partyId: kiln.id } }, zhengzhou.token);
      expect(listed.emergencyAuthorisations).toEqual([
        { id: g.grantEmergencyAuthorisation.id, epidemicId: declareEpidemic.id, epidemicEndedFrom: today() },
      ]);
      const inForce = await ok<{ emergencyAuthorisations: unknown[] }>(
        t,
        list,
        { f: { partyId: kiln.id, validOn: today() } },
        zhengzhou.token,
      );
      expect(inForce.emergencyAuthorisations).toEqual([]);
    });
  });

  describe('cross-province approvals', () => {
    it('are issued by the exporting province, capped by the receiver’s licence, and spent through reservations', async () => {
      const wuhan = await w.verifiedParty(hubei, {
        name: 'Wuhan disposer',
        types: ['DISPOSER'],
        divisionCode: '420102',
      });
      const licenceTo = addDays(today(), 200);
      await w.issueLicence(hubei, {
        holder: wuhan,
        kind: 'COMPREHENSIVE',
        validTo: licenceTo,
        items: [item('HW08', ['UTILISE'], '100')],
      });
      const issue = `mutation($i: IssueCrossProvinceApprovalInput!) { issueCrossProvinceApproval(input: $i) {
        id validTo approvedQuantity usedQuantity remainingQuantity } }`;
      const vars = {
        i: {
          idempotencyKey: idem('a'),
          number: '豫环转移〔2026〕1号',
          consignorPartyId: producerA.id,
          consignorSiteId: producerA.siteIds[0],
          receiverPartyId: wuhan.id,
          receiverSiteId: wuhan.siteIds[0],
          wasteCodes: ['900-249-08'],
          approvedQuantity: '2000',
          validFrom: today(),
        },
      };
      expect(await errorCode(t, issue, vars, zhengzhou.token)).toBe('FORBIDDEN');
      expect(await errorCode(t, issue, vars, hubei.token)).toBe('NOT_FOUND');
      expect(await errorCode(t, issue, { i: { ...vars.i, wasteCodes: ['900-041-49'] } }, henan.token)).toBe(
        'RECEIVER_NOT_LICENSED',
      );
      const { issueCrossProvinceApproval: approval } = await ok<{
        issueCrossProvinceApproval: {
          id: string;
          validTo: string;
          approvedQuantity: string;
          remainingQuantity: string;
        };
      }>(t, issue, vars, henan.token);
      expect(approval).toMatchObject({
        validTo: licenceTo,
        approvedQuantity: '2000.000',
        remainingQuantity: '2000.000',
      });

      const ledger = t.app.get(LedgerService);
      const checks = t.app.get(LicenceCheckService);
      const reserve = (kg: number, ref: string) =>
        ledger.execute(
          { act: 'testApproval', actor: { kind: 'SYSTEM', name: 'e2e' }, request: { ref } },
          (tx) =>
            checks.reserveApproval(tx, {
              consignorPartyId: producerA.id,
              receiverPartyId: wuhan.id,
              consignorDivisionCode: '410105',
              receiverDivisionCode: '420102',
              wasteCode: '900-249-08',
              massGrams: kg * 1000,
              businessDate: today(),
              ref,
            }),
        );
      expect(await reserve(1500, 'x-1')).toMatchObject({ approvalId: approval.id, grams: 1_500_000 });
      await expect(reserve(501, 'x-2')).rejects.toMatchObject({ code: 'CROSS_PROVINCE_APPROVAL_REQUIRED' });
      const same = await ledger.execute(
        { act: 'testApproval', actor: { kind: 'SYSTEM', name: 'e2e' } },
        (tx) =>
          checks.reserveApproval(tx, {
            consignorPartyId: producerA.id,
            receiverPartyId: disposer.id,
            consignorDivisionCode: '410105',
            receiverDivisionCode: '410102',
            wasteCode: '900-249-08',
            massGrams: 1,
            businessDate: today(),
            ref: 'same-province',
          }),
      );
      expect(same).toBeNull();

      const list = `query { crossProvinceApprovals { id usedQuantity remainingQuantity } }`;
      expect(
        (await ok<{ crossProvinceApprovals: unknown[] }>(t, list, {}, producerA.token))
          .crossProvinceApprovals,
      ).toEqual([{ id: approval.id, usedQuantity: '1500.000', remainingQuantity: '500.000' }]);
      expect(
        (await ok<{ crossProvinceApprovals: unknown[] }>(t, list, {}, hubei.token)).crossProvinceApprovals,
      ).toHaveLength(1);
      expect(
        (await ok<{ crossProvinceApprovals: unknown[] }>(t, list, {}, producerB.token))
          .crossProvinceApprovals,
      ).toEqual([]);
      expect(
        (await ok<{ crossProvinceApprovals: unknown[] }>(t, list, {}, luoyang.token)).crossProvinceApprovals,
      ).toEqual([]);
    });
  });
});
