import type { CommandMeta } from '../../shared/domain/decider';
import type { AgencyFacts, SiteFacts } from './authority.policy';
import type { CatalogueFacts } from './scope.policy';

/** Fixtures shared by the licence deciders' specs: a business day of 2025-06-15 in Shanghai. */
export const meta: CommandMeta = {
  actor: { kind: 'USER', userId: 'regulator-1', agencyId: 'agency' },
  occurredAt: new Date('2025-06-15T02:00:00Z'),
  now: new Date('2025-06-15T02:00:00Z'),
};
export const TODAY = '2025-06-15';

const agency = (
  agencyId: string,
  level: AgencyFacts['level'],
  jurisdiction: string[],
  kind: AgencyFacts['kind'] = 'ENVIRONMENT',
): AgencyFacts => ({
  agencyId,
  kind,
  level,
  jurisdiction,
});
/** 河南省生态环境厅 */
export const HENAN = agency('henan', 'PROVINCE', ['41']);
/** 郑州市生态环境局 */
export const ZHENGZHOU = agency('zhengzhou', 'CITY', ['4101']);
/** 中原区 */
export const ZHONGYUAN = agency('zhongyuan', 'COUNTY', ['410102']);
/** 洛阳市 — a city outside Zhengzhou */
export const LUOYANG = agency('luoyang', 'CITY', ['4103']);
/** 湖北省生态环境厅 */
export const HUBEI = agency('hubei', 'PROVINCE', ['42']);
/** 河南省交通运输厅 — an inspection body, not a regulator */
export const HENAN_TRANSPORT = agency('henan-transport', 'PROVINCE', ['41'], 'TRANSPORT');

export const SITE_ZY: SiteFacts = { siteId: 'site-zy', divisionCode: '410102' };
export const SITE_JS: SiteFacts = { siteId: 'site-js', divisionCode: '410105' };
export const SITE_LY: SiteFacts = { siteId: 'site-ly', divisionCode: '410302' };
export const SITE_WH: SiteFacts = { siteId: 'site-wh', divisionCode: '420102' };

export const CATALOGUE: CatalogueFacts = {
  knownCodes: new Set([
    '900-214-08',
    '900-044-49',
    '841-001-01',
    '841-002-01',
    '900-041-49',
    '772-002-18',
    '900-249-08',
  ]),
  knownCategories: new Set(['HW01', 'HW08', 'HW18', 'HW49']),
};

/** The error code a call throws, or 'no error'. */
export const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'no error';
  } catch (e) {
    return (e as { code?: string }).code ?? `not a DomainError: ${String(e)}`;
  }
};

/** The error's details (field…), or undefined. */
export const detailsOf = (f: () => unknown): Record<string, unknown> | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as { details?: Record<string, unknown> }).details;
  }
};
