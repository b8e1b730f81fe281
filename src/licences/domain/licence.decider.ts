import type { BusinessDate } from '../../parties/domain/business-date';
import { LICENCE_KINDS, type LicenceKind } from '../../parties/domain/licence';
import type { Cmd, Decider } from '../../shared/domain/decider';
import { DomainError, assertNever } from '../../shared/domain/domain-error';
import {
  type AgencyFacts,
  MAX_TERM_YEARS,
  type SiteFacts,
  assertChangeDate,
  assertMayIssueKind,
  assertReason,
  assertSitesInJurisdiction,
  assertValidity,
  todayOf,
} from './authority.policy';
import type { LicenceEvent } from './licence.events';
import {
  type CatalogueFacts,
  type LicenceItemData,
  type LicenceItemInput,
  validateItems,
} from './scope.policy';

/** The latest status issued for the licence (its status on a given day: `licenceStatusOn`). */
export type LicenceState =
  | { status: 'NONE' }
  | {
      status: 'ACTIVE' | 'SUSPENDED' | 'REVOKED';
      licenceId: string;
      holderPartyId: string;
      kind: LicenceKind;
      validFrom: BusinessDate;
      validTo: BusinessDate;
      facilitySiteIds: string[];
      items: LicenceItemData[];
      /** First day of the latest status change, or null. */
      lastChangeFrom: BusinessDate | null;
    };

type Issued = Exclude<LicenceState, { status: 'NONE' }>;

/** Facts the service looks up for every licence command: the acting agency and the holder's sites. */
export interface LicenceFacts {
  readonly agency: AgencyFacts;
  readonly holderSites: readonly SiteFacts[];
}

/** An amended item: an existing item's id (keeps its scope and counters), or null for a new one. */
export interface AmendedItemInput extends Omit<LicenceItemInput, 'itemId'> {
  readonly itemId: string | null;
  /** The id a new item gets (made by the service). */
  readonly newItemId: string;
}

export type LicenceCommand =
  | Cmd<
      'IssueLicence',
      {
        licenceId: string;
        number: string;
        holderPartyId: string;
        kind: LicenceKind;
        validFrom: string;
        validTo: string;
        facilitySiteIds: readonly string[];
        items: readonly LicenceItemInput[];
        facts: LicenceFacts & { catalogue: CatalogueFacts };
      }
    >
  | Cmd<
      'AmendLicence',
      {
        validFrom?: string;
        validTo?: string;
        facilitySiteIds?: readonly string[];
        items?: readonly AmendedItemInput[];
        reason: string;
        facts: LicenceFacts & { catalogue: CatalogueFacts };
      }
    >
  | Cmd<'SuspendLicence', { from: string; reason: string; facts: LicenceFacts }>
  | Cmd<'ReinstateLicence', { from: string; reason: string; facts: LicenceFacts }>
  | Cmd<'RevokeLicence', { from: string; reason: string; facts: LicenceFacts }>;

const issued = (s: LicenceState): Issued => {
  if (s.status === 'NONE') throw new DomainError('NOT_FOUND', 'licence not found');
  return s;
};

const invalid = (s: Issued, allowed: Issued['status'][], act: string) =>
  new DomainError('INVALID_TRANSITION', `cannot ${act} a licence that is ${s.status}`, {
    currentState: s.status,
    allowedFrom: allowed,
  });

/** The facility sites, each a site of the holder, named once, and inside the agency's jurisdiction. */
function facilitySites(ids: readonly string[], facts: LicenceFacts): string[] {
  if (ids.length === 0) throw DomainError.badInput('facilitySiteIds', 'facilitySiteIds: at least one site');
  if (new Set(ids).size !== ids.length)
    throw DomainError.badInput('facilitySiteIds', 'facilitySiteIds: a site is repeated');
  const sites = ids.map((id, i) => {
    const site = facts.holderSites.find((s) => s.siteId === id);
    if (!site)
      throw DomainError.badInput(
        `facilitySiteIds.${i}`,
        `facilitySiteIds.${i}: ${id} is not a site of the holder`,
      );
    return site;
  });
  assertSitesInJurisdiction(facts.agency, sites, 'facilitySiteIds');
  return [...ids];
}

/** The agency may act on this licence: a level that issues its kind, with the facility sites in its jurisdiction. */
function assertMayActOn(s: Issued, facts: LicenceFacts): void {
  assertMayIssueKind(facts.agency, s.kind);
  assertSitesInJurisdiction(
    facts.agency,
    facts.holderSites.filter((x) => s.facilitySiteIds.includes(x.siteId)),
    'facilitySiteIds',
  );
}

function decideIssue(c: Extract<LicenceCommand, { type: 'IssueLicence' }>, s: LicenceState): LicenceEvent[] {
  if (s.status !== 'NONE') throw new DomainError('CONFLICT', 'licence already issued');
  const d = c.data;
  if (!LICENCE_KINDS.includes(d.kind))
    throw DomainError.badInput('kind', `kind: one of ${LICENCE_KINDS.join(', ')}`);
  assertMayIssueKind(d.facts.agency, d.kind);
  const number = d.number.trim();
  if (number.length < 1 || number.length > 100)
    throw DomainError.badInput('number', 'number: 1 to 100 characters');
  const sites = facilitySites(d.facilitySiteIds, d.facts);
  const validity = assertValidity(d.validFrom, d.validTo, todayOf(c.meta.occurredAt), {
    maxMonths: MAX_TERM_YEARS[d.kind] * 12,
    what: `a ${d.kind} licence`,
  });
  const items = validateItems(d.kind, d.items, d.facts.catalogue);
  return [
    {
      type: 'LicenceIssued',
      data: {
        licenceId: d.licenceId,
        number,
        holderPartyId: d.holderPartyId,
        kind: d.kind,
        ...validity,
        facilitySiteIds: sites,
        items,
        agencyId: d.facts.agency.agencyId,
      },
    },
  ];
}

function decideAmend(
  c: Extract<LicenceCommand, { type: 'AmendLicence' }>,
  state: LicenceState,
): LicenceEvent[] {
  const s = issued(state);
  if (s.status === 'REVOKED') throw invalid(s, ['ACTIVE', 'SUSPENDED'], 'amend');
  const d = c.data;
  assertMayActOn(s, d.facts);
  const reason = assertReason(d.reason);
  const sites = d.facilitySiteIds ? facilitySites(d.facilitySiteIds, d.facts) : s.facilitySiteIds;
  const validity = assertValidity(
    d.validFrom ?? s.validFrom,
    d.validTo ?? s.validTo,
    todayOf(c.meta.occurredAt),
    {
      maxMonths: MAX_TERM_YEARS[s.kind] * 12,
      what: `a ${s.kind} licence`,
    },
  );
  let items = s.items;
  if (d.items) {
    const inputs = d.items.map((item, i): LicenceItemInput => {
      if (item.itemId === null) return { ...item, itemId: item.newItemId };
      const existing = s.items.find((x) => x.itemId === item.itemId);
      if (!existing)
        throw DomainError.badInput(`items.${i}.itemId`, `items.${i}.itemId: not an item of this licence`);
      if (existing.scope !== item.scope.trim()) {
        throw DomainError.badInput(
          `items.${i}.scope`,
          `items.${i}.scope: an item keeps its scope (${existing.scope}); add a new item instead`,
        );
      }
      return { ...item, itemId: item.itemId };
    });
    items = validateItems(s.kind, inputs, d.facts.catalogue);
  }
  return [
    {
      type: 'LicenceAmended',
      data: {
        licenceId: s.licenceId,
        ...validity,
        facilitySiteIds: sites,
        items,
        reason,
        agencyId: d.facts.agency.agencyId,
      },
    },
  ];
}

type StatusCommand = Extract<
  LicenceCommand,
  { type: 'SuspendLicence' | 'ReinstateLicence' | 'RevokeLicence' }
>;

const STATUS_CHANGE: Record<
  StatusCommand['type'],
  {
    from: Issued['status'][];
    event: 'LicenceSuspended' | 'LicenceReinstated' | 'LicenceRevoked';
    act: string;
  }
> = {
  SuspendLicence: { from: ['ACTIVE'], event: 'LicenceSuspended', act: 'suspend' },
  ReinstateLicence: { from: ['SUSPENDED'], event: 'LicenceReinstated', act: 'reinstate' },
  RevokeLicence: { from: ['ACTIVE', 'SUSPENDED'], event: 'LicenceRevoked', act: 'revoke' },
};

function decideStatus(c: StatusCommand, state: LicenceState): LicenceEvent[] {
  const s = issued(state);
  const rule = STATUS_CHANGE[c.type];
  if (!rule.from.includes(s.status)) throw invalid(s, rule.from, rule.act);
  assertMayActOn(s, c.data.facts);
  const reason = assertReason(c.data.reason);
  const from = assertChangeDate(c.data.from, todayOf(c.meta.occurredAt), s.lastChangeFrom);
  if (c.type === 'ReinstateLicence' && s.lastChangeFrom !== null && from <= s.lastChangeFrom) {
    throw DomainError.badInput(
      'from',
      `from: a reinstatement takes effect after the suspension (${s.lastChangeFrom})`,
    );
  }
  const event: LicenceEvent = {
    type: rule.event,
    data: { licenceId: s.licenceId, from, reason, agencyId: c.data.facts.agency.agencyId },
  };
  return [event];
}

function decide(c: LicenceCommand, s: LicenceState): LicenceEvent[] {
  switch (c.type) {
    case 'IssueLicence':
      return decideIssue(c, s);
    case 'AmendLicence':
      return decideAmend(c, s);
    case 'SuspendLicence':
    case 'ReinstateLicence':
    case 'RevokeLicence':
      return decideStatus(c, s);
    default:
      return assertNever(c, 'licence command');
  }
}

function evolve(s: LicenceState, e: LicenceEvent): LicenceState {
  if (e.type === 'LicenceIssued') {
    if (s.status !== 'NONE') throw new Error('LicenceIssued on an issued licence');
    const { number: _number, agencyId: _agencyId, ...d } = e.data;
    return { status: 'ACTIVE', ...d, lastChangeFrom: null };
  }
  if (s.status === 'NONE') throw new Error(`${e.type} before LicenceIssued`);
  switch (e.type) {
    case 'LicenceAmended':
      return {
        ...s,
        validFrom: e.data.validFrom,
        validTo: e.data.validTo,
        facilitySiteIds: e.data.facilitySiteIds,
        items: e.data.items,
      };
    case 'LicenceSuspended':
      if (s.status !== 'ACTIVE') throw new Error(`LicenceSuspended on a ${s.status} licence`);
      return { ...s, status: 'SUSPENDED', lastChangeFrom: e.data.from };
    case 'LicenceReinstated':
      if (s.status !== 'SUSPENDED') throw new Error(`LicenceReinstated on a ${s.status} licence`);
      return { ...s, status: 'ACTIVE', lastChangeFrom: e.data.from };
    case 'LicenceRevoked':
      if (s.status === 'REVOKED') throw new Error('LicenceRevoked on a revoked licence');
      return { ...s, status: 'REVOKED', lastChangeFrom: e.data.from };
    default:
      return assertNever(e, 'licence event');
  }
}

/** 许可证 — issue, amend, suspend, reinstate and revoke a hazardous-waste operating licence. */
export const licenceDecider: Decider<LicenceState, LicenceCommand, LicenceEvent> = {
  initialState: () => ({ status: 'NONE' }),
  decide,
  evolve,
};
