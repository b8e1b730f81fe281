import type { Sql } from '../../database/sql';
import type { StoredEvent } from '../../ledger/ledger.types';
import type { Projection } from '../../ledger/projections/projection';
import type { DeclarationSubmitted, ManagementPlanEvent } from '../domain/flows.events';
import { DECLARATION_EVENT_TYPES, PLAN_EVENT_TYPES } from '../flows-streams';

/** The agent that acted, when an agent acted for the unit (the actor names both). */
function agentOf(e: StoredEvent): string | null {
  const a = e.actor;
  return a.kind === 'USER' && a.onBehalfOfPartyId && a.partyId && a.partyId !== a.onBehalfOfPartyId
    ? a.partyId
    : null;
}

/**
 * 管理计划 — `management_plan` (the plan in force: latest content, filing number, class) and
 * `management_plan_revision` (every version with its reason). Deterministic from the events.
 */
export const planProjection: Projection = {
  name: 'management-plans',
  tables: ['management_plan', 'management_plan_revision'],
  eventTypes: PLAN_EVENT_TYPES,
  async apply(sql: Sql, e: StoredEvent): Promise<void> {
    const ev = { type: e.type, data: e.data } as unknown as ManagementPlanEvent;
    const d = ev.data;
    const agent = agentOf(e);
    if (ev.type === 'ManagementPlanFiled') {
      const f = ev.data;
      await sql.exec(
        `INSERT INTO management_plan (site_id, year, stream_id, party_id, filing_number, management_class, required_sections,
           content, revision, due_date, late, filed_at, filed_recorded_at, agent_party_id, last_amended_at, last_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $11, $12, $13, NULL, NULL)`,
        [
          f.siteId,
          f.year,
          e.streamId,
          f.partyId,
          f.filingNumber,
          f.managementClass,
          f.requiredSections,
          JSON.stringify(f.content),
          f.dueDate,
          f.late,
          f.at,
          e.recordedAt,
          agent,
        ],
      );
    } else {
      const a = ev.data;
      await sql.exec(
        `UPDATE management_plan SET content = $3, revision = $4, management_class = $5, required_sections = $6,
                last_amended_at = $7, last_reason = $8
          WHERE site_id = $1 AND year = $2`,
        [
          a.siteId,
          a.year,
          JSON.stringify(a.content),
          a.revision,
          a.managementClass,
          a.requiredSections,
          a.at,
          a.reason,
        ],
      );
    }
    await sql.exec(
      `INSERT INTO management_plan_revision (site_id, year, revision, content, reason, management_class, at, recorded_at,
         agent_party_id, position)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        d.siteId,
        d.year,
        ev.type === 'ManagementPlanFiled' ? 1 : ev.data.revision,
        JSON.stringify(d.content),
        ev.type === 'ManagementPlanFiled' ? null : ev.data.reason,
        d.managementClass,
        d.at,
        e.recordedAt,
        agent,
        e.position,
      ],
    );
  },
};

/** 申报 — `declaration_submission`: every submission with its frozen figures and hash. */
export const declarationProjection: Projection = {
  name: 'declarations',
  tables: ['declaration_submission'],
  eventTypes: DECLARATION_EVENT_TYPES,
  async apply(sql: Sql, e: StoredEvent): Promise<void> {
    const d = e.data as unknown as DeclarationSubmitted['data'];
    await sql.exec(
      `INSERT INTO declaration_submission (site_id, kind, period, submission_no, stream_id, party_id, agent_party_id,
         management_class, period_start, period_end, due_date, figures, figures_hash, corrects_submission_no, reason, late,
         at, submitted_at, position)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
      [
        d.siteId,
        d.kind,
        d.period,
        d.submissionNo,
        e.streamId,
        d.partyId,
        agentOf(e),
        d.managementClass,
        d.periodStart,
        d.periodEnd,
        d.dueDate,
        JSON.stringify(d.figures),
        d.figuresHash,
        d.correctsSubmissionNo,
        d.reason,
        d.late,
        d.at,
        e.recordedAt,
        e.position,
      ],
    );
  },
};
