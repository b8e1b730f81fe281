import jwt from 'jsonwebtoken';
import { createTestApp, type TestApp } from '../support/app';
import {
  AUTH_ENV,
  createAgency,
  errorCode,
  idem,
  login,
  newUscc,
  ok,
  registerParty,
  type Agency,
  type RegisteredParty,
  verify,
} from '../support/auth';

describe('parties, identity and access over GraphQL', () => {
  let t: TestApp;
  let sys: string;
  let province: Agency;
  let district: Agency;
  let otherProvince: Agency;
  let clinic: RegisteredParty;
  let recycler: RegisteredParty;

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    sys = await login(t, AUTH_ENV.SYSTEM_ADMIN_USERNAME, AUTH_ENV.SYSTEM_ADMIN_PASSWORD);
    province = await createAgency(t, sys, {
      name: '河南省生态环境厅',
      level: 'PROVINCE',
      divisionCode: '410000',
      jurisdiction: ['41'],
      username: 'henan-reg',
    });
    district = await createAgency(t, sys, {
      name: '中原区分局',
      level: 'COUNTY',
      divisionCode: '410102',
      jurisdiction: ['410102'],
      username: 'zhongyuan-reg',
    });
    otherProvince = await createAgency(t, sys, {
      name: '河北省生态环境厅',
      level: 'PROVINCE',
      divisionCode: '130000',
      jurisdiction: ['13'],
      username: 'hebei-reg',
    });
    clinic = await registerParty(t, {
      name: '西三村卫生室',
      types: ['MEDICAL_INSTITUTION'],
      bedCount: 6,
      admin: 'clinic-admin',
      facilities: [{ type: 'MEDICAL_TEMP_STORAGE', name: '暂存间' }],
    });
    recycler = await registerParty(t, {
      name: '废油再生公司',
      types: ['UTILISER'],
      divisionCode: '410122',
      admin: 'recycler-admin',
    });
  });
  afterAll(() => t.close());

  it('registers a party pending, through the ledger, without secrets or personal data in the events', async () => {
    const { me } = await ok<{
      me: {
        role: string;
        party: { status: string; sites: { divisionCode: string; provinceCode: string; cityCode: string }[] };
      };
    }>(
      t,
      `{ me { role party { status sites { divisionCode provinceCode cityCode } } } }`,
      undefined,
      clinic.token,
    );
    expect(me.role).toBe('ADMIN');
    expect(me.party.status).toBe('PENDING');
    expect(me.party.sites[0]).toEqual({ divisionCode: '410102', provinceCode: '410000', cityCode: '410100' });
    const events = await t.db.owner.query(
      `SELECT event_type, payload::text AS p FROM ledger_event WHERE stream_id = $1 ORDER BY version`,
      [`party-${clinic.id}`],
    );
    expect(events.rows.map((r) => r.event_type)).toEqual([
      'PartyRegistered',
      'SiteAdded',
      'FacilityAdded',
      'UserAdded',
    ]);
    const all = await t.db.owner.query(`SELECT payload::text AS p FROM ledger_event`);
    expect(all.rows.some((r) => /scrypt\$|Party-pass-1|clinic-admin/.test(r.p))).toBe(false);
  });

  it('refuses a bad USCC, an unknown division, an unlisted Henan county and a taken username, appending nothing', async () => {
    const before = (await t.db.owner.query(`SELECT count(*)::int AS n FROM ledger_event`)).rows[0].n;
    const reg = (over: Record<string, unknown>) =>
      errorCode(t, `mutation($i: RegisterPartyInput!) { registerParty(input: $i) { id } }`, {
        i: {
          idempotencyKey: idem('bad'),
          uscc: newUscc(),
          name: 'Bad Co',
          types: ['PRODUCER'],
          sites: [{ name: 's', divisionCode: '410102', address: 'a', facilities: [] }],
          admin: {
            username: `u${Math.random().toString(36).slice(2, 8)}`,
            password: 'Party-pass-1',
            displayName: 'x',
          },
          ...over,
        },
      });
    expect(await reg({ uscc: '91410100MA00000010' })).toBe('INVALID_USCC');
    expect(await reg({ sites: [{ name: 's', divisionCode: '410199', address: 'a', facilities: [] }] })).toBe(
      'BAD_USER_INPUT',
    );
    expect(await reg({ sites: [{ name: 's', divisionCode: '999999', address: 'a', facilities: [] }] })).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      await reg({ admin: { username: 'clinic-admin', password: 'Party-pass-1', displayName: 'x' } }),
    ).toBe('BAD_USER_INPUT');
    expect(await reg({ uscc: clinic.uscc })).toBe('BAD_USER_INPUT');
    const res = await t.gql(`mutation($i: RegisterPartyInput!) { registerParty(input: $i) { id } }`, {
      i: {
        idempotencyKey: idem('bad'),
        uscc: newUscc(),
        name: 'Bad Co',
        types: ['PRODUCER'],
        sites: [{ name: 's', divisionCode: '410199', address: 'a', facilities: [] }],
        admin: { username: 'zz-new', password: 'Party-pass-1', displayName: 'x' },
      },
    });
    expect(res.body.errors[0].extensions.field).toBe('input.sites.0.divisionCode');
    const after = (await t.db.owner.query(`SELECT count(*)::int AS n FROM ledger_event`)).rows[0].n;
    expect(after).toBe(before);
  });

  it('lets only a regulator whose jurisdiction covers a site see and verify a party', async () => {
    const q = `query($id: ID!) { party(id: $id) { id status } }`;
    expect(await errorCode(t, q, { id: clinic.id }, otherProvince.token)).toBe('NOT_FOUND');
    expect(await errorCode(t, q, { id: clinic.id }, recycler.token)).toBe('NOT_FOUND');
    expect(
      await errorCode(
        t,
        `mutation($i: PartyRefInput!) { verifyParty(input: $i) { status } }`,
        { i: { idempotencyKey: idem('v'), partyId: clinic.id } },
        otherProvince.token,
      ),
    ).toBe('NOT_FOUND');
    expect(
      await errorCode(
        t,
        `mutation($i: PartyRefInput!) { verifyParty(input: $i) { status } }`,
        { i: { idempotencyKey: idem('v'), partyId: clinic.id } },
        clinic.token,
      ),
    ).toBe('FORBIDDEN');
    await verify(t, district.token, clinic.id);
    const seen = await ok<{ party: { status: string } }>(t, q, { id: clinic.id }, province.token);
    expect(seen.party.status).toBe('VERIFIED');
    // the district regulator does not see a party of another district
    expect(await errorCode(t, q, { id: recycler.id }, district.token)).toBe('NOT_FOUND');
  });

  it('lists verified operators as a directory for other parties, but never another producer', async () => {
    await verify(t, province.token, recycler.id);
    const { parties } = await ok<{ parties: { nodes: { id: string }[] } }>(
      t,
      `{ parties { nodes { id } } }`,
      undefined,
      clinic.token,
    );
    const ids = parties.nodes.map((p) => p.id);
    expect(ids).toContain(recycler.id);
    expect(ids).toContain(clinic.id);
    const fromRecycler = await ok<{ parties: { nodes: { id: string }[] } }>(
      t,
      `{ parties { nodes { id } } }`,
      undefined,
      recycler.token,
    );
    expect(fromRecycler.parties.nodes.map((p) => p.id)).not.toContain(clinic.id);
  });

  it('lets a party ADMIN manage users, refuses it to other roles, and refuses a revoked user at once', async () => {
    const create = (role: string, username: string, token: string) =>
      t.gql(
        `mutation($i: CreateUserInput!) { createUser(input: $i) { id role } }`,
        {
          i: {
            idempotencyKey: idem('user'),
            role,
            user: { username, password: 'Worker-pass-1', displayName: username },
          },
        },
        token,
      );
    const op = await create('OPERATOR', 'clinic-op', clinic.token);
    expect(op.body.data.createUser.role).toBe('OPERATOR');
    const opToken = await login(t, 'clinic-op', 'Worker-pass-1');
    expect((await create('VIEWER', 'clinic-v', opToken)).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(
      await errorCode(
        t,
        `mutation($i: UserRefInput!) { revokeUser(input: $i) { id } }`,
        { i: { idempotencyKey: idem('r'), userId: op.body.data.createUser.id } },
        recycler.token,
      ),
    ).toBe('NOT_FOUND');
    await ok(
      t,
      `mutation($i: UserRefInput!) { revokeUser(input: $i) { status } }`,
      { i: { idempotencyKey: idem('r'), userId: op.body.data.createUser.id } },
      clinic.token,
    );
    expect(await errorCode(t, `{ me { id } }`, undefined, opToken)).toBe('UNAUTHENTICATED');
  });

  it('refuses a delegation to an unverified agent, and accepts one to a verified agent', async () => {
    const collector = await registerParty(t, {
      name: '收集试点公司',
      types: ['COLLECTOR'],
      admin: 'collector-admin',
    });
    const grant = () =>
      t.gql(
        `mutation($i: GrantDelegationInput!) { grantDelegation(input: $i) { id status scope } }`,
        {
          i: {
            idempotencyKey: idem('d'),
            agentPartyId: collector.id,
            scope: ['MANIFESTS', 'PLANS'],
            validFrom: '2026-01-01',
            validTo: '2026-12-31',
          },
        },
        clinic.token,
      );
    expect((await grant()).body.errors[0].extensions.code).toBe('PARTY_NOT_VERIFIED');
    await verify(t, district.token, collector.id);
    expect((await grant()).body.data.grantDelegation.status).toBe('ACTIVE');
  });

  it('registers a device whose key is shown once and buys a token for its listed operations only', async () => {
    const { registerDevice } = await ok<{ registerDevice: { apiKey: string; device: { id: string } } }>(
      t,
      `mutation($i: RegisterDeviceInput!) { registerDevice(input: $i) { apiKey device { id } } }`,
      { i: { idempotencyKey: idem('dev'), kind: 'SCANNER', label: 'scanner 1', operations: ['me'] } },
      clinic.token,
    );
    const stored = await t.db.owner.query(`SELECT key_hash FROM device_credential WHERE device_id = $1`, [
      registerDevice.device.id,
    ]);
    expect(stored.rows[0].key_hash.toString('hex')).not.toContain(registerDevice.apiKey);
    const exchange = await ok<{ exchangeDeviceKey: { accessToken: string; me: { role: string } } }>(
      t,
      `mutation($i: ExchangeDeviceKeyInput!) { exchangeDeviceKey(input: $i) { accessToken me { role } } }`,
      { i: { apiKey: registerDevice.apiKey } },
    );
    const deviceToken = exchange.exchangeDeviceKey.accessToken;
    expect(exchange.exchangeDeviceKey.me.role).toBe('DEVICE');
    expect(await errorCode(t, `{ me { id } }`, undefined, deviceToken)).toBe('NO_ERROR');
    expect(await errorCode(t, `{ partyUsers { id } }`, undefined, deviceToken)).toBe('FORBIDDEN');
    await ok(
      t,
      `mutation($i: RefInput!) { revokeDevice(input: $i) { status } }`,
      { i: { idempotencyKey: idem('rv'), id: registerDevice.device.id } },
      clinic.token,
    );
    expect(await errorCode(t, `{ me { id } }`, undefined, deviceToken)).toBe('UNAUTHENTICATED');
    expect(
      await errorCode(
        t,
        `mutation($i: ExchangeDeviceKeyInput!) { exchangeDeviceKey(input: $i) { accessToken } }`,
        { i: { apiKey: registerDevice.apiKey } },
      ),
    ).toBe('UNAUTHENTICATED');
  });

  describe('tokens', () => {
    const sub = () => jwt.decode(clinic.token) as { sub: string; kid?: string };
    const header = () => (jwt.decode(clinic.token, { complete: true }) as { header: { kid: string } }).header;
    const me = (token: string) => errorCode(t, `{ me { id } }`, undefined, token);

    it('accepts a valid token', async () => {
      expect(await me(clinic.token)).toBe('NO_ERROR');
    });

    it.each([
      [
        'expired',
        () =>
          jwt.sign({ typ: 'user' }, AUTH_ENV.JWT_SECRET, {
            algorithm: 'HS256',
            keyid: header().kid,
            subject: sub().sub,
            issuer: 'hazledger',
            audience: 'hazledger-api',
            expiresIn: -10,
          }),
      ],
      [
        'wrong signature',
        () =>
          jwt.sign({ typ: 'user' }, 'another-secret', {
            algorithm: 'HS256',
            keyid: header().kid,
            subject: sub().sub,
            issuer: 'hazledger',
            audience: 'hazledger-api',
            expiresIn: 60,
          }),
      ],
      [
        'alg none',
        () =>
          `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid: header().kid })).toString('base64url')}.${Buffer.from(JSON.stringify({ sub: sub().sub, typ: 'user', iss: 'hazledger', aud: 'hazledger-api', exp: 9e9 })).toString('base64url')}.`,
      ],
      [
        'unknown kid',
        () =>
          jwt.sign({ typ: 'user' }, AUTH_ENV.JWT_SECRET, {
            algorithm: 'HS256',
            keyid: 'nope',
            subject: sub().sub,
            issuer: 'hazledger',
            audience: 'hazledger-api',
            expiresIn: 60,
          }),
      ],
      [
        'tampered payload',
        () => {
          const [h, , s] = clinic.token.split('.');
          return `${h}.${Buffer.from(JSON.stringify({ sub: recycler.id, typ: 'user', iss: 'hazledger', aud: 'hazledger-api', exp: 9e9 })).toString('base64url')}.${s}`;
        },
      ],
      ['garbage', () => 'not-a-token'],
    ])('refuses a %s token with UNAUTHENTICATED', async (_what, forge) => {
      expect(await me(forge())).toBe('UNAUTHENTICATED');
    });

    it('rotates refresh tokens and revokes the family when an old one is reused', async () => {
      const first = await ok<{ login: { refreshToken: string } }>(
        t,
        `mutation { login(input: {username: "recycler-admin", password: "Party-pass-1"}) { refreshToken } }`,
      );
      const r1 = first.login.refreshToken;
      const second = await ok<{ refreshToken: { refreshToken: string; accessToken: string } }>(
        t,
        `mutation($i: RefreshTokenInput!) { refreshToken(input: $i) { refreshToken accessToken } }`,
        { i: { refreshToken: r1 } },
      );
      const r2 = second.refreshToken.refreshToken;
      expect(
        await errorCode(t, `mutation($i: RefreshTokenInput!) { refreshToken(input: $i) { accessToken } }`, {
          i: { refreshToken: r1 },
        }),
      ).toBe('UNAUTHENTICATED');
      // the reuse revoked the whole family: the newer token is dead too
      expect(
        await errorCode(t, `mutation($i: RefreshTokenInput!) { refreshToken(input: $i) { accessToken } }`, {
          i: { refreshToken: r2 },
        }),
      ).toBe('UNAUTHENTICATED');
    });
  });

  it('rate-limits failed logins per account', async () => {
    await registerParty(t, { name: 'Lab', types: ['PRODUCER'], admin: 'lab-admin' });
    const attempt = (password: string) =>
      errorCode(t, `mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, {
        i: { username: 'lab-admin', password },
      });
    for (let i = 0; i < 5; i++) expect(await attempt('wrong-password-1')).toBe('UNAUTHENTICATED');
    expect(await attempt('Party-pass-1')).toBe('RATE_LIMITED');
  });

  it('derives the management class from the declared amount, and lets a regulator override it with a reason', async () => {
    const site = clinic.siteIds[0];
    const q = `query($s: ID!) { managementClass(siteId: $s, year: 2026) { managementClass basis amount } }`;
    expect((await ok<{ managementClass: unknown }>(t, q, { s: site }, clinic.token)).managementClass).toEqual(
      { managementClass: 'REGISTRATION', basis: 'DECLARED', amount: '5000.000' },
    );
    const override = `mutation($i: OverrideManagementClassInput!) { overrideManagementClass(input: $i) { managementClass basis reason } }`;
    const input = { idempotencyKey: idem('o'), siteId: site, year: 2026, managementClass: 'KEY', reason: '' };
    expect(await errorCode(t, override, { i: input }, district.token)).toBe('BAD_USER_INPUT');
    expect(
      await errorCode(
        t,
        override,
        { i: { ...input, reason: 'inspection found own incinerator' } },
        otherProvince.token,
      ),
    ).toBe('NOT_FOUND');
    const r = await ok<{ overrideManagementClass: unknown }>(
      t,
      override,
      { i: { ...input, reason: 'inspection found own incinerator' } },
      district.token,
    );
    expect(r.overrideManagementClass).toEqual({
      managementClass: 'KEY',
      basis: 'OVERRIDE',
      reason: 'inspection found own incinerator',
    });
  });
});
