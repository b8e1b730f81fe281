import type { ManifestCommandType } from './manifest.commands';
import type { ManifestStateStatus, ManifestStatus } from './manifest.types';

/**
 * The manifest's state machine as data (电子转移联单, SPEC section 6): which act may be done in
 * which state, by whom, and the state it leads to. `decide` enforces it (a spec checks decide
 * against every state × act), `allowedActions` reads it, the README prints it.
 */

export const MANIFEST_ACTS = [
  'draft',
  'amendDraft',
  'submit',
  'issueHandoverCode',
  'takeCustody',
  'refuseContainer',
  'relay',
  'deliver',
  'recordReceipt',
  'close',
  'cancel',
  'requestCorrection',
  'approveCorrection',
  'refuseCorrection',
  'reportNationalNumber',
  'enterPaperManifest',
] as const;
export type ManifestAct = (typeof MANIFEST_ACTS)[number];

/** The command that carries each act. */
export const ACT_COMMANDS: { readonly [A in ManifestAct]: ManifestCommandType } = {
  draft: 'DraftManifest',
  amendDraft: 'AmendManifestDraft',
  submit: 'SubmitManifest',
  issueHandoverCode: 'IssueHandoverCode',
  takeCustody: 'TakeCustody',
  refuseContainer: 'RefuseContainer',
  relay: 'RelayCustody',
  deliver: 'DeliverManifest',
  recordReceipt: 'RecordReceipt',
  close: 'CloseManifest',
  cancel: 'CancelManifest',
  requestCorrection: 'RequestCorrection',
  approveCorrection: 'ApproveCorrection',
  refuseCorrection: 'RefuseCorrection',
  reportNationalNumber: 'ReportNationalNumber',
  enterPaperManifest: 'EnterPaperManifest',
};

/** An actor's roles towards one manifest. */
export const MANIFEST_ROLES = [
  'CONSIGNOR',
  'CONSIGNOR_AGENT',
  'FIRST_CARRIER',
  'NEXT_CARRIER',
  'LAST_CARRIER',
  'RECEIVER',
  'PARTY',
  'APPROVER',
  'SYSTEM',
] as const;
export type ManifestRole = (typeof MANIFEST_ROLES)[number];

export const ROLE_NAMES: { readonly [R in ManifestRole]: string } = {
  CONSIGNOR: 'the consignor (移出人)',
  CONSIGNOR_AGENT: "the consignor's agent",
  FIRST_CARRIER: 'the carrier of leg 1 (承运人)',
  NEXT_CARRIER: "the next leg's carrier (承运人)",
  LAST_CARRIER: 'the carrier of the last leg, holding the waste (承运人)',
  RECEIVER: 'the named receiver (接受人)',
  PARTY: 'a party on the manifest',
  APPROVER: 'another party on the manifest that has not answered the pending correction',
  SYSTEM: 'the system',
};

/** Who may do each act (the same in every state the act is allowed in). */
export const ACT_ACTORS: { readonly [A in ManifestAct]: readonly ManifestRole[] } = {
  draft: ['CONSIGNOR', 'CONSIGNOR_AGENT'],
  amendDraft: ['CONSIGNOR', 'CONSIGNOR_AGENT'],
  submit: ['CONSIGNOR', 'CONSIGNOR_AGENT'],
  // the code proves the consignor itself was present: never its agent (often the carrier too)
  issueHandoverCode: ['CONSIGNOR'],
  takeCustody: ['FIRST_CARRIER'],
  refuseContainer: ['FIRST_CARRIER'],
  relay: ['NEXT_CARRIER'],
  deliver: ['LAST_CARRIER', 'RECEIVER'],
  recordReceipt: ['RECEIVER'],
  close: ['RECEIVER', 'SYSTEM'],
  cancel: ['CONSIGNOR', 'CONSIGNOR_AGENT'],
  requestCorrection: ['PARTY'],
  approveCorrection: ['APPROVER'],
  refuseCorrection: ['APPROVER'],
  reportNationalNumber: ['CONSIGNOR', 'CONSIGNOR_AGENT', 'SYSTEM'],
  enterPaperManifest: ['CONSIGNOR', 'CONSIGNOR_AGENT'],
};

export interface ManifestTransition {
  readonly from: ManifestStateStatus;
  readonly act: ManifestAct;
  readonly to: ManifestStatus;
  readonly by: readonly ManifestRole[];
  /** Conditions beyond state and role, and what happens offline. */
  readonly note?: string;
}

const row = (
  from: ManifestStateStatus,
  act: ManifestAct,
  to: ManifestStatus,
  note?: string,
): ManifestTransition =>
  note === undefined ? { from, act, to, by: ACT_ACTORS[act] } : { from, act, to, by: ACT_ACTORS[act], note };

const AFTER_SIGNATURE = ['SUBMITTED', 'IN_TRANSIT', 'DELIVERED', 'RECEIVED', 'CLOSED'] as const;
const OFFLINE = 'offline: a rule broken at sync is recorded as disputed, not refused';

export const MANIFEST_TRANSITIONS: readonly ManifestTransition[] = [
  row('NONE', 'draft', 'DRAFT'),
  row(
    'NONE',
    'enterPaperManifest',
    'DELIVERED',
    'paper trip entered with its content; late after 10 working days',
  ),
  row('DRAFT', 'amendDraft', 'DRAFT'),
  row(
    'DRAFT',
    'submit',
    'SUBMITTED',
    'lots, receiver licence and capacity, carrier, plan, cross-province approval',
  ),
  row('DRAFT', 'cancel', 'CANCELLED'),
  row('DRAFT', 'enterPaperManifest', 'DELIVERED', 'late after 10 working days'),
  row('SUBMITTED', 'issueHandoverCode', 'SUBMITTED', 'the previous code stops working'),
  row(
    'SUBMITTED',
    'takeCustody',
    'IN_TRANSIT',
    `loading check, labels, handover code, carrier re-check; ${OFFLINE}`,
  ),
  row('SUBMITTED', 'refuseContainer', 'SUBMITTED', 'before departure; the lot leaves the manifest'),
  row('SUBMITTED', 'cancel', 'CANCELLED', 'before custody is taken; releases reservations'),
  row('SUBMITTED', 'enterPaperManifest', 'DELIVERED', 'late after 10 working days'),
  row('IN_TRANSIT', 'relay', 'IN_TRANSIT', `when a further leg exists; labels, carrier re-check; ${OFFLINE}`),
  row('IN_TRANSIT', 'deliver', 'DELIVERED', 'on the last leg, to the named receiver only'),
  row('IN_TRANSIT', 'enterPaperManifest', 'DELIVERED', 'late after 10 working days'),
  row(
    'DELIVERED',
    'recordReceipt',
    'RECEIVED',
    'per lot; stays DELIVERED until every carried lot has a receipt',
  ),
  row(
    'RECEIVED',
    'close',
    'CLOSED',
    'every accepted lot terminal or re-shipped, every rejected lot on a manifest',
  ),
  ...AFTER_SIGNATURE.flatMap((s) => [
    row(s, 'requestCorrection', s, 'descriptive fields only; at most one pending'),
    row(s, 'approveCorrection', s, 'the last approval appends the correction'),
    row(s, 'refuseCorrection', s),
  ]),
  ...[...AFTER_SIGNATURE, 'CANCELLED' as const].map((s) => row(s, 'reportNationalNumber', s, 'once')),
];

/** The transition for a state and an act, if the act is allowed in that state. */
export const transitionFor = (from: ManifestStateStatus, act: ManifestAct): ManifestTransition | undefined =>
  MANIFEST_TRANSITIONS.find((t) => t.from === from && t.act === act);

/** The acts allowed in a state (for `INVALID_TRANSITION` details). */
export const actsAllowedIn = (from: ManifestStateStatus): ManifestAct[] =>
  MANIFEST_TRANSITIONS.filter((t) => t.from === from).map((t) => t.act);

/** The states an act is allowed in. */
export const statesAllowingAct = (act: ManifestAct): ManifestStateStatus[] =>
  MANIFEST_TRANSITIONS.filter((t) => t.act === act).map((t) => t.from);

/** The table as Markdown, for the README. */
export function transitionsAsMarkdown(): string {
  const lines = ['| state | act | next | who | conditions |', '|---|---|---|---|---|'];
  for (const t of MANIFEST_TRANSITIONS) {
    const next = t.to === t.from ? 'same' : t.to;
    lines.push(
      `| ${t.from} | ${t.act} | ${next} | ${t.by.map((r) => ROLE_NAMES[r]).join(', ')} | ${t.note ?? ''} |`,
    );
  }
  return lines.join('\n');
}
