import { assertBusinessDate, type BusinessDate } from '../../parties/domain/business-date';
import type { Cmd, Decider } from '../../shared/domain/decider';
import { DomainError, assertNever } from '../../shared/domain/domain-error';
import {
  type AgencyFacts,
  assertEnvironmentAgency,
  dayBefore,
  regionWithinJurisdiction,
  todayOf,
} from './authority.policy';
import type { EpidemicEvent } from './licence.events';

export type EpidemicState =
  | { status: 'NONE' }
  | {
      status: 'DECLARED' | 'ENDED';
      epidemicId: string;
      regionPrefix: string;
      from: BusinessDate;
      to: BusinessDate | null;
    };

export type EpidemicCommand =
  | Cmd<
      'DeclareEpidemic',
      {
        epidemicId: string;
        name: string;
        regionPrefix: string;
        from: string;
        to: string | null;
        agency: AgencyFacts;
      }
    >
  | Cmd<'EndEpidemic', { to: string; agency: AgencyFacts }>;

function decide(c: EpidemicCommand, s: EpidemicState): EpidemicEvent[] {
  const today = todayOf(c.meta.occurredAt);
  switch (c.type) {
    case 'DeclareEpidemic': {
      if (s.status !== 'NONE') throw new DomainError('CONFLICT', 'epidemic already declared');
      const d = c.data;
      assertEnvironmentAgency(d.agency, 'declare an epidemic');
      const regionPrefix = regionWithinJurisdiction(d.agency, d.regionPrefix, 'regionPrefix');
      const name = d.name.trim();
      if (name.length < 2 || name.length > 200)
        throw DomainError.badInput('name', 'name: 2 to 200 characters');
      const from = assertBusinessDate(d.from, 'from');
      const to = d.to === null ? null : assertBusinessDate(d.to, 'to');
      if (to !== null && to < from) throw DomainError.badInput('to', `to: ${to} is before from ${from}`);
      if (to !== null && to < today) throw DomainError.badInput('to', `to: ${to} has already passed`);
      return [
        {
          type: 'EpidemicDeclared',
          data: { epidemicId: d.epidemicId, name, regionPrefix, from, to, agencyId: d.agency.agencyId },
        },
      ];
    }
    case 'EndEpidemic': {
      if (s.status === 'NONE') throw new DomainError('NOT_FOUND', 'epidemic not found');
      if (s.status === 'ENDED') {
        throw new DomainError('INVALID_TRANSITION', 'the epidemic has already ended', {
          currentState: 'ENDED',
          allowedFrom: ['DECLARED'],
        });
      }
      assertEnvironmentAgency(c.data.agency, 'end an epidemic');
      regionWithinJurisdiction(c.data.agency, s.regionPrefix, 'regionPrefix');
      const to = assertBusinessDate(c.data.to, 'to');
      if (to < s.from) throw DomainError.badInput('to', `to: ${to} is before the epidemic began (${s.from})`);
      // the last day may be yesterday (ended as of today), not earlier: an end is not backdated
      if (to < dayBefore(today))
        throw DomainError.badInput(
          'to',
          `to: ${to} lies in the past; the last day is yesterday at the earliest`,
        );
      return [
        { type: 'EpidemicEnded', data: { epidemicId: s.epidemicId, to, agencyId: c.data.agency.agencyId } },
      ];
    }
    default:
      return assertNever(c, 'epidemic command');
  }
}

function evolve(s: EpidemicState, e: EpidemicEvent): EpidemicState {
  switch (e.type) {
    case 'EpidemicDeclared':
      if (s.status !== 'NONE') throw new Error('EpidemicDeclared twice');
      return {
        status: 'DECLARED',
        epidemicId: e.data.epidemicId,
        regionPrefix: e.data.regionPrefix,
        from: e.data.from,
        to: e.data.to,
      };
    case 'EpidemicEnded':
      if (s.status !== 'DECLARED') throw new Error(`EpidemicEnded on a ${s.status} epidemic`);
      return { ...s, status: 'ENDED', to: e.data.to };
    default:
      return assertNever(e, 'epidemic event');
  }
}

/** 重大传染病疫情 — an environment agency declares a major epidemic for a region it oversees, and ends it. */
export const epidemicDecider: Decider<EpidemicState, EpidemicCommand, EpidemicEvent> = {
  initialState: () => ({ status: 'NONE' }),
  decide,
  evolve,
};
