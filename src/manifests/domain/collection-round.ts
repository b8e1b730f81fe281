import { actingPartyId } from '../../shared/domain/actor';
import type { Cmd, Decider, Ev } from '../../shared/domain/decider';
import { expectStatus, impossible } from '../../shared/domain/decider';
import { assertNever, DomainError } from '../../shared/domain/domain-error';
import { isLocalDate } from '../../shared/domain/time';
import { requireText } from './manifest.validation';

/**
 * 集中收集 — a collection round (SPEC section 8): one vehicle trip of a collector (收集单位, usually
 * a PILOT_COLLECTION licensee acting as agent of its small producers) visiting producers in order.
 * The round names the vehicle and crew and the stops; each stop's producer gets its own transfer
 * manifest (转移联单), drafted by the collector as its agent with the round's id, so that the
 * driver's device can pull the whole trip before leaving.
 */

/** The most stops one round may plan. */
export const MAX_ROUND_STOPS = 100;

export interface RoundStop {
  /** 1-based position in the trip. */
  readonly stopNo: number;
  /** The producer (移出人) visited. */
  readonly consignorPartyId: string;
  /** The site the waste is collected from. */
  readonly siteId: string;
}

export interface RoundPlan {
  readonly roundId: string;
  /** The collector that plans the round and acts as agent of the producers. */
  readonly collectorPartyId: string;
  /** 承运人 — the carrier whose vehicle runs the round (often the collector itself). */
  readonly carrierPartyId: string;
  readonly vehicleId: string;
  readonly driverId: string;
  readonly escortId: string;
  /** The receiving site the waste is taken to (the collector's storage facility, 贮存设施). */
  readonly receiverPartyId: string;
  readonly receiverSiteId: string;
  /** `YYYY-MM-DD`, Asia/Shanghai. */
  readonly plannedDate: string;
  readonly stops: readonly RoundStop[];
}

export type CollectionRoundPlanned = Ev<'CollectionRoundPlanned', RoundPlan & { readonly at: string }>;
export type CollectionRoundEvent = CollectionRoundPlanned;
export const COLLECTION_ROUND_EVENT_TYPES = ['CollectionRoundPlanned'] as const;

export type PlanCollectionRound = Cmd<
  'PlanCollectionRound',
  Omit<RoundPlan, 'stops'> & {
    readonly stops: readonly { readonly consignorPartyId: string; readonly siteId: string }[];
  }
>;
export type CollectionRoundCommand = PlanCollectionRound;

export type CollectionRoundState = { readonly status: 'NONE' } | (RoundPlan & { readonly status: 'PLANNED' });

function plan(c: PlanCollectionRound, s: CollectionRoundState): CollectionRoundEvent[] {
  expectStatus(s, 'NONE');
  const d = c.data;
  const collectorPartyId = requireText(d.collectorPartyId, 'collectorPartyId');
  if (actingPartyId(c.meta.actor) !== collectorPartyId) {
    throw new DomainError('FORBIDDEN', 'planCollectionRound: only the collector plans its rounds');
  }
  if (typeof d.plannedDate !== 'string' || !isLocalDate(d.plannedDate)) {
    throw DomainError.badInput('plannedDate', 'plannedDate: not a date YYYY-MM-DD');
  }
  const given: unknown = d.stops;
  const stops: PlanCollectionRound['data']['stops'] = Array.isArray(given) ? d.stops : [];
  if (stops.length === 0 || stops.length > MAX_ROUND_STOPS) {
    throw DomainError.badInput('stops', `stops: from 1 to ${MAX_ROUND_STOPS} producers to visit`);
  }
  const seen = new Set<string>();
  const planned = stops.map((st, i): RoundStop => {
    const consignorPartyId = requireText(st.consignorPartyId, `stops[${i}].consignorPartyId`);
    const siteId = requireText(st.siteId, `stops[${i}].siteId`);
    if (seen.has(siteId)) {
      throw DomainError.badInput(`stops[${i}].siteId`, `stops[${i}].siteId: one stop per site and round`);
    }
    if (consignorPartyId === d.receiverPartyId) {
      throw DomainError.badInput(`stops[${i}].consignorPartyId`, `stops[${i}]: the receiver is not a stop`);
    }
    seen.add(siteId);
    return { stopNo: i + 1, consignorPartyId, siteId };
  });
  return [
    {
      type: 'CollectionRoundPlanned',
      data: {
        roundId: requireText(d.roundId, 'roundId'),
        collectorPartyId,
        carrierPartyId: requireText(d.carrierPartyId, 'carrierPartyId'),
        vehicleId: requireText(d.vehicleId, 'vehicleId'),
        driverId: requireText(d.driverId, 'driverId'),
        escortId: requireText(d.escortId, 'escortId'),
        receiverPartyId: requireText(d.receiverPartyId, 'receiverPartyId'),
        receiverSiteId: requireText(d.receiverSiteId, 'receiverSiteId'),
        plannedDate: d.plannedDate,
        stops: planned,
        at: c.meta.occurredAt.toISOString(),
      },
    },
  ];
}

export function decideCollectionRound(
  c: CollectionRoundCommand,
  s: CollectionRoundState,
): CollectionRoundEvent[] {
  switch (c.type) {
    case 'PlanCollectionRound':
      return plan(c, s);
    default:
      return assertNever(c.type, 'collection round command');
  }
}

export function evolveCollectionRound(
  s: CollectionRoundState,
  e: CollectionRoundEvent,
): CollectionRoundState {
  switch (e.type) {
    case 'CollectionRoundPlanned': {
      if (s.status !== 'NONE') impossible(s, e.type);
      const { at: _at, ...plan } = e.data;
      return { ...plan, status: 'PLANNED' };
    }
    default:
      return assertNever(e.type, 'collection round event');
  }
}

export const collectionRoundDecider: Decider<
  CollectionRoundState,
  CollectionRoundCommand,
  CollectionRoundEvent
> = {
  initialState: () => ({ status: 'NONE' }),
  decide: decideCollectionRound,
  evolve: evolveCollectionRound,
};
