import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { DomainError } from '../../shared/domain/domain-error';
import {
  type DivisionRow,
  DivisionTable,
  divisionTable,
  jurisdictionMatches,
  normaliseJurisdictionPrefix,
  provinceCodeOf,
  sameProvince,
} from './divisions';

/** The real reference data, read in the spec (domain code gets tables as data). */
function loadRows(): DivisionRow[] {
  const text = readFileSync(join(__dirname, '../../../seeds/cn-divisions.csv'), 'utf8');
  const records = parse<Record<string, string>>(text, { columns: true, skip_empty_lines: true });
  return records.map((r) => ({
    code: r.code,
    name: r.name,
    level: r.level as DivisionRow['level'],
    parentCode: r.parent_code,
  }));
}

const rows = loadRows();
const table = divisionTable(rows);

function refusal(code: string, field?: string): DomainError {
  try {
    table.resolve(code, field);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error(`expected ${code} to be refused`);
}

describe('行政区划代码 (GB/T 2260) against seeds/cn-divisions.csv', () => {
  it('loads every row', () => {
    expect(rows.length).toBeGreaterThan(500);
    expect(table.size).toBe(rows.length);
    expect(table.get('410102')?.name).toBe('中原区');
  });

  it('resolves 410102 中原区 under 郑州市, 河南省', () => {
    expect(table.resolve('410102')).toEqual({
      code: '410102',
      level: 'county',
      provinceCode: '410000',
      provinceName: '河南省',
      cityCode: '410100',
      cityName: '郑州市',
      countyName: '中原区',
      listed: true,
    });
  });

  it('refuses an unlisted Henan county (410199), naming the field', () => {
    const e = refusal('410199', 'input.site.divisionCode');
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.details.field).toBe('input.site.divisionCode');
    expect(e.message).toMatch(/河南省/);
  });

  it('accepts 419001 济源市, a county run directly by Henan, and refuses 419002', () => {
    expect(table.resolve('419001')).toMatchObject({
      provinceName: '河南省',
      cityCode: null,
      cityName: null,
      countyName: '济源市',
      listed: true,
    });
    expect(refusal('419002').code).toBe('BAD_USER_INPUT');
  });

  it('accepts 110105 (朝阳区) under 北京市, a municipality without city rows', () => {
    expect(table.resolve('110105')).toEqual({
      code: '110105',
      level: 'county',
      provinceCode: '110000',
      provinceName: '北京市',
      cityCode: null,
      cityName: null,
      countyName: null,
      listed: false,
    });
    expect(table.resolve('500230').provinceName).toBe('重庆市'); // a Chongqing county
    expect(table.resolve('310115').provinceName).toBe('上海市');
    expect(table.resolve('120101').provinceName).toBe('天津市');
  });

  it('accepts 130102 by its shape under 石家庄市', () => {
    expect(table.resolve('130102')).toMatchObject({
      provinceCode: '130000',
      provinceName: '河北省',
      cityCode: '130100',
      cityName: '石家庄市',
      countyName: null,
      listed: false,
    });
  });

  it('accepts province-run counties elsewhere by the PP90DD shape (仙桃 429004, 五指山 469001, 石河子 659001)', () => {
    for (const [code, province] of [
      ['429004', '湖北省'],
      ['469001', '海南省'],
      ['659001', '新疆维吾尔自治区'],
    ]) {
      expect(table.resolve(code)).toMatchObject({ provinceName: province, cityCode: null, listed: false });
    }
  });

  it('resolves listed provinces and cities', () => {
    expect(table.resolve('410000')).toMatchObject({ level: 'province', cityCode: null, listed: true });
    expect(table.resolve('410100')).toMatchObject({ level: 'city', cityCode: '410100', cityName: '郑州市' });
    expect(table.resolve('110000')).toMatchObject({ provinceName: '北京市', level: 'province' });
    expect(table.resolve(' 410102 ').code).toBe('410102');
  });

  it.each([
    ['999999', 'unknown province'],
    ['41010', 'five digits'],
    ['4101020', 'seven digits'],
    ['41010a', 'a letter'],
    ['', 'empty'],
    ['000000', 'province 00'],
  ])('refuses %j (%s)', (code) => {
    expect(refusal(code).code).toBe('BAD_USER_INPUT');
    expect(refusal(code).details.field).toBe('divisionCode');
  });

  it.each([
    ['419900', 'an unlisted city-shaped code in Henan'],
    ['139900', 'an unlisted city in Hebei'],
    ['110100', 'a city-shaped code in a municipality (no city rows)'],
    ['419000', 'the province-run pseudo-city'],
    ['410001', 'county digits without a city'],
    ['139901', 'a county under an unlisted city'],
    ['411799', 'an unlisted county of 驻马店市'],
  ])('refuses %s (%s)', (code) => {
    expect(table.isAccepted(code)).toBe(false);
    expect(refusal(code).code).toBe('BAD_USER_INPUT');
  });

  it('accepts every listed row and resolves it consistently', () => {
    for (const row of rows) {
      const r = table.resolve(row.code);
      expect(r.listed).toBe(true);
      expect(r.level).toBe(row.level);
      expect(r.provinceCode).toBe(provinceCodeOf(row.code));
      if (row.level === 'city') expect(r.cityName).toBe(row.name);
      if (row.level === 'county') expect(r.countyName).toBe(row.name);
    }
  });

  it('accepts any county shape under a listed city outside Henan, and refuses unlisted Henan counties (property)', () => {
    const cities = rows.filter((r) => r.level === 'city');
    const listed = new Set(rows.map((r) => r.code));
    fc.assert(
      fc.property(fc.constantFrom(...cities), fc.integer({ min: 1, max: 99 }), (city, n) => {
        const code = city.code.slice(0, 4) + String(n).padStart(2, '0');
        const accepted = table.isAccepted(code);
        if (city.code.startsWith('41')) expect(accepted).toBe(listed.has(code));
        else expect(accepted).toBe(true);
      }),
    );
  });

  it('lets the caller name the county-complete provinces', () => {
    const loose = DivisionTable.fromRows(rows, { countyCompleteProvinces: [] });
    expect(loose.resolve('410199')).toMatchObject({ cityName: '郑州市', listed: false });
    const strict = DivisionTable.fromRows(rows, { countyCompleteProvinces: ['410000', '13'] });
    expect(strict.isAccepted('130102')).toBe(false);
    expect(() => DivisionTable.fromRows(rows, { countyCompleteProvinces: ['99'] })).toThrow(/not listed/);
  });

  describe('table consistency', () => {
    const p: DivisionRow = { code: '410000', name: '河南省', level: 'province', parentCode: '' };
    const c: DivisionRow = { code: '410100', name: '郑州市', level: 'city', parentCode: '410000' };
    const cases: [string, DivisionRow[]][] = [
      ['duplicate code', [p, p]],
      ['bad code', [{ ...p, code: '4100' }]],
      ['province with a parent', [{ ...p, parentCode: '410000' }]],
      ['missing parent', [c]],
      ['city-shaped county', [p, c, { code: '410200', name: 'x', level: 'county', parentCode: '410100' }]],
      [
        'county under a foreign city',
        [p, c, { code: '410201', name: 'x', level: 'county', parentCode: '410100' }],
      ],
      ['city under a city', [p, c, { code: '410200', name: 'x', level: 'city', parentCode: '410100' }]],
      ['empty name', [{ ...p, name: ' ' }]],
      ['unknown level', [{ ...p, level: 'town' as DivisionRow['level'] }]],
    ];
    it.each(cases)('refuses %s', (_what, bad) => {
      expect(() => DivisionTable.fromRows(bad, { countyCompleteProvinces: [] })).toThrow(Error);
    });
  });
});

describe('regulator jurisdiction by code prefix (管辖范围)', () => {
  it.each([
    ['410102', ['41'], true],
    ['410102', ['4101'], true],
    ['410102', ['410102'], true],
    ['410103', ['410102'], false],
    ['410102', ['4102'], false],
    ['410102', ['42', '4101'], true],
    ['419001', ['41'], true],
    ['410102', ['410000'], true],
    ['410102', ['410100'], true],
    ['411102', ['410100'], false],
    ['110105', ['11'], true],
    ['410102', [], false],
    ['410102', [''], false],
    ['410102', ['4'], false],
    ['410102', ['000000'], false],
    ['410102', ['41x1'], false],
    ['41010', ['41'], false],
  ])('%s in %j → %s', (code, prefixes, expected) => {
    expect(jurisdictionMatches(code, prefixes)).toBe(expected);
  });

  it('normalises prefixes', () => {
    expect(normaliseJurisdictionPrefix('410000')).toBe('41');
    expect(normaliseJurisdictionPrefix('4100')).toBe('41');
    expect(normaliseJurisdictionPrefix('410100')).toBe('4101');
    expect(normaliseJurisdictionPrefix(' 410102 ')).toBe('410102');
    expect(normaliseJurisdictionPrefix('41010')).toBeNull();
    expect(normaliseJurisdictionPrefix('00')).toBeNull();
  });

  it('compares provinces', () => {
    expect(sameProvince('410102', '419001')).toBe(true);
    expect(sameProvince('410102', '420102')).toBe(false);
    expect(provinceCodeOf('410102')).toBe('410000');
  });
});
