import { withUsccCheckCharacter } from '../src/parties/domain/uscc';

/**
 * The demo world: a slice of Henan (河南) written through the public GraphQL API, exactly as its
 * users would, so that every record is a ledger event. Loaded by `npm start` on an empty
 * database outside production (SEED_DEMO). Logins and passwords are listed in the README.
 */
export type Gql = (
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
) => Promise<Record<string, unknown>>;

export const DEMO_PASSWORD = 'Demo-pass-2026';

interface PartySpec {
  key: string;
  name: string;
  types: string[];
  division: string;
  address: string;
  bedCount?: number;
  expected?: string;
  facilities: { type: string; name: string; maxStock?: string }[];
  admin: string;
  verifiedBy: string;
}

export const DEMO_AGENCIES = [
  {
    key: 'province',
    name: '河南省生态环境厅',
    level: 'PROVINCE',
    division: '410000',
    jurisdiction: ['41'],
    user: 'henan-regulator',
  },
  {
    key: 'city',
    name: '郑州市生态环境局',
    level: 'CITY',
    division: '410100',
    jurisdiction: ['4101'],
    user: 'zhengzhou-regulator',
  },
  {
    key: 'zhongyuan',
    name: '郑州市生态环境局中原分局',
    level: 'COUNTY',
    division: '410102',
    jurisdiction: ['410102'],
    user: 'zhongyuan-regulator',
  },
  {
    key: 'zhongmou',
    name: '郑州市生态环境局中牟分局',
    level: 'COUNTY',
    division: '410122',
    jurisdiction: ['410122'],
    user: 'zhongmou-regulator',
  },
  {
    key: 'police',
    name: '郑州市公安局交通警察支队',
    level: 'CITY',
    division: '410100',
    jurisdiction: ['4101'],
    user: 'zhengzhou-traffic-police',
    kind: 'POLICE',
  },
] as const;

export const DEMO_PARTIES: PartySpec[] = [
  {
    key: 'hospital',
    name: '郑州市第一人民医院',
    types: ['MEDICAL_INSTITUTION'],
    division: '410105',
    address: '郑州市金水区东明路1号',
    bedCount: 820,
    expected: '60000',
    facilities: [{ type: 'MEDICAL_TEMP_STORAGE', name: '医疗废物暂存间' }],
    admin: 'hospital-admin',
    verifiedBy: 'city',
  },
  {
    key: 'clinicA',
    name: '中牟县官渡镇西村卫生室',
    types: ['MEDICAL_INSTITUTION'],
    division: '410122',
    address: '中牟县官渡镇西村',
    bedCount: 4,
    expected: '150',
    facilities: [{ type: 'MEDICAL_TEMP_STORAGE', name: '暂存箱' }],
    admin: 'clinic-a-admin',
    verifiedBy: 'zhongmou',
  },
  {
    key: 'clinicB',
    name: '中牟县官渡镇东村卫生室',
    types: ['MEDICAL_INSTITUTION'],
    division: '410122',
    address: '中牟县官渡镇东村',
    bedCount: 2,
    expected: '120',
    facilities: [{ type: 'MEDICAL_TEMP_STORAGE', name: '暂存箱' }],
    admin: 'clinic-b-admin',
    verifiedBy: 'zhongmou',
  },
  {
    key: 'clinicC',
    name: '中牟县官渡镇南村卫生室',
    types: ['MEDICAL_INSTITUTION'],
    division: '410122',
    address: '中牟县官渡镇南村',
    bedCount: 6,
    expected: '180',
    facilities: [{ type: 'MEDICAL_TEMP_STORAGE', name: '暂存箱' }],
    admin: 'clinic-c-admin',
    verifiedBy: 'zhongmou',
  },
  {
    key: 'township',
    name: '中牟县官渡镇卫生院',
    types: ['MEDICAL_INSTITUTION'],
    division: '410122',
    address: '中牟县官渡镇中心街8号',
    bedCount: 40,
    expected: '3000',
    facilities: [{ type: 'MEDICAL_TEMP_STORAGE', name: '医疗废物暂存间' }],
    admin: 'township-admin',
    verifiedBy: 'zhongmou',
  },
  {
    key: 'repair',
    name: '郑州中原汽车维修有限公司',
    types: ['PRODUCER'],
    division: '410102',
    address: '郑州市中原区建设西路99号',
    expected: '2500',
    facilities: [
      { type: 'PRODUCTION', name: '维修车间' },
      { type: 'STORAGE_SPOT', name: '危废贮存点' },
    ],
    admin: 'repair-admin',
    verifiedBy: 'zhongyuan',
  },
  {
    key: 'lab',
    name: '郑州大学化学实验中心',
    types: ['PRODUCER'],
    division: '410102',
    address: '郑州市中原区科学大道100号',
    expected: '800',
    facilities: [
      { type: 'PRODUCTION', name: '实验楼' },
      { type: 'STORAGE_SPOT', name: '实验废物贮存点' },
    ],
    admin: 'lab-admin',
    verifiedBy: 'zhongyuan',
  },
  {
    key: 'collector',
    name: '河南绿源危废收集有限公司',
    types: ['COLLECTOR', 'STORAGE', 'TRANSPORTER'],
    division: '410122',
    address: '中牟县汽车产业集聚区',
    facilities: [
      { type: 'STORAGE_WAREHOUSE', name: '区域贮存库' },
      { type: 'STORAGE_SPOT', name: '中转贮存点', maxStock: '3000' },
    ],
    admin: 'collector-admin',
    verifiedBy: 'province',
  },
  {
    key: 'transporter',
    name: '郑州安运危险货物运输有限公司',
    types: ['TRANSPORTER'],
    division: '410102',
    address: '郑州市中原区物流园',
    facilities: [{ type: 'STORAGE_YARD', name: '停车场' }],
    admin: 'transporter-admin',
    verifiedBy: 'city',
  },
  {
    key: 'medDisposal',
    name: '郑州市医疗废物集中处置中心',
    types: ['DISPOSER'],
    division: '410122',
    address: '中牟县处置中心路1号',
    facilities: [
      { type: 'STORAGE_WAREHOUSE', name: '医废贮存库' },
      { type: 'OWN_TREATMENT', name: '高温蒸汽处理线' },
    ],
    admin: 'med-disposal-admin',
    verifiedBy: 'city',
  },
  {
    key: 'incinerator',
    name: '河南省危险废物综合处置中心',
    types: ['DISPOSER', 'STORAGE'],
    division: '410122',
    address: '中牟县焚烧厂路2号',
    facilities: [
      { type: 'STORAGE_WAREHOUSE', name: '危废贮存库' },
      { type: 'OWN_TREATMENT', name: '回转窑焚烧线' },
    ],
    admin: 'incinerator-admin',
    verifiedBy: 'province',
  },
  {
    key: 'recycler',
    name: '河南再生油科技有限公司',
    types: ['UTILISER'],
    division: '410122',
    address: '中牟县循环经济园3号',
    facilities: [
      { type: 'TANK', name: '废矿物油储罐' },
      { type: 'OWN_TREATMENT', name: '再生精制线' },
    ],
    admin: 'recycler-admin',
    verifiedBy: 'province',
  },
];

/** Ids and tokens of the demo world, for the scenarios that later capabilities add. */
export interface DemoWorld {
  gql: Gql;
  sysToken: string;
  agencies: Record<string, { id: string; token: string }>;
  parties: Record<string, { id: string; token: string; siteId: string; facilities: Record<string, string> }>;
}

const data = <T>(r: Record<string, unknown>, key: string): T => r[key] as T;

async function login(gql: Gql, username: string, password: string): Promise<string> {
  const r = await gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, {
    i: { username, password },
  });
  return data<{ accessToken: string }>(r, 'login').accessToken;
}

/** Agencies, regulators and the parties with their sites, facilities and ADMIN users, all verified. */
export async function seedDemoParties(
  gql: Gql,
  sys: { username: string; password: string },
): Promise<DemoWorld> {
  const sysToken = await login(gql, sys.username, sys.password);
  const world: DemoWorld = { gql, sysToken, agencies: {}, parties: {} };
  for (const a of DEMO_AGENCIES) {
    const created = await gql(
      `mutation($i: CreateAgencyInput!) { createAgency(input: $i) { id } }`,
      {
        i: {
          idempotencyKey: `demo-agency-${a.key}`,
          name: a.name,
          kind: 'kind' in a ? a.kind : 'ENVIRONMENT',
          level: a.level,
          divisionCode: a.division,
          jurisdiction: a.jurisdiction,
        },
      },
      sysToken,
    );
    const id = data<{ id: string }>(created, 'createAgency').id;
    await gql(
      `mutation($i: CreateAgencyUserInput!) { createAgencyUser(input: $i) { id } }`,
      {
        i: {
          idempotencyKey: `demo-agency-user-${a.key}`,
          agencyId: id,
          user: { username: a.user, password: DEMO_PASSWORD, displayName: a.name },
        },
      },
      sysToken,
    );
    world.agencies[a.key] = { id, token: await login(gql, a.user, DEMO_PASSWORD) };
  }
  let n = 0;
  for (const p of DEMO_PARTIES) {
    n += 1;
    const created = await gql(
      `mutation($i: RegisterPartyInput!) { registerParty(input: $i) { id sites { id facilities { id name } } } }`,
      {
        i: {
          idempotencyKey: `demo-party-${p.key}`,
          uscc: withUsccCheckCharacter(`91${p.division}MA${String(n).padStart(7, '0')}`),
          name: p.name,
          types: p.types,
          bedCount: p.bedCount,
          contacts: [{ name: `${p.name}环保负责人`, phone: '0371-6000' + String(1000 + n) }],
          sites: [
            {
              name: p.name,
              divisionCode: p.division,
              address: p.address,
              expectedAnnualAmount: p.expected,
              facilities: p.facilities,
            },
          ],
          admin: { username: p.admin, password: DEMO_PASSWORD, displayName: `${p.name}管理员` },
        },
      },
    );
    const party = data<{ id: string; sites: { id: string; facilities: { id: string; name: string }[] }[] }>(
      created,
      'registerParty',
    );
    await gql(
      `mutation($i: PartyRefInput!) { verifyParty(input: $i) { status } }`,
      { i: { idempotencyKey: `demo-verify-${p.key}`, partyId: party.id } },
      world.agencies[p.verifiedBy].token,
    );
    world.parties[p.key] = {
      id: party.id,
      token: await login(gql, p.admin, DEMO_PASSWORD),
      siteId: party.sites[0].id,
      facilities: Object.fromEntries(party.sites[0].facilities.map((f) => [f.name, f.id])),
    };
  }
  return world;
}
