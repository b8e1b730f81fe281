import type { Actor } from '../../shared/domain/actor';
import { replay, type CommandMeta } from '../../shared/domain/decider';
import { isDomainError, type DomainError } from '../../shared/domain/domain-error';
import { manifestDecider } from './manifest.decider';
import type {
  CloseManifest,
  DeliverManifest,
  DraftManifest,
  EnterPaperManifest,
  LotReceiptInput,
  ManifestCommand,
  RecordReceipt,
  RelayCustody,
  RequestCorrection,
  SubmitManifest,
  TakeCustody,
} from './manifest.commands';
import type { ManifestEvent } from './manifest.events';
import type { SubmitChecks } from './manifest.facts';
import type { ManifestState } from './manifest.state';
import type { CarrierLeg, ManifestContent, ManifestLot } from './manifest.types';

/**
 * Test data for the manifest specs (no test framework here: the specs assert). One producer in
 * Zhengzhou ships two lots to a licensed disposer, on one leg or relayed over two.
 * Times are minutes after T0, Monday 2 March 2026, 09:00 Asia/Shanghai.
 */

export const T0 = new Date('2026-03-02T01:00:00.000Z');
export const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);
export const DAY = 24 * 60;

export const MANIFEST_ID = 'mf-0001';
export const CONSIGNOR = 'party-producer';
export const AGENT = 'party-collector';
export const CARRIER_1 = 'party-carrier-1';
export const CARRIER_2 = 'party-carrier-2';
export const RECEIVER = 'party-disposer';
export const STRANGER = 'party-stranger';

export const actors = {
  consignor: { kind: 'USER', userId: 'u-producer', partyId: CONSIGNOR },
  agent: { kind: 'USER', userId: 'u-collector', partyId: AGENT, onBehalfOfPartyId: CONSIGNOR },
  carrier1: { kind: 'DEVICE', deviceId: 'dev-scanner-1', partyId: CARRIER_1 },
  carrier2: { kind: 'USER', userId: 'u-driver-2', partyId: CARRIER_2 },
  receiver: { kind: 'USER', userId: 'u-disposer', partyId: RECEIVER },
  stranger: { kind: 'USER', userId: 'u-stranger', partyId: STRANGER },
  system: { kind: 'SYSTEM', name: 'national-sync' },
} satisfies Record<string, Actor>;
export type ActorName = keyof typeof actors;

export const meta = (actor: Actor, minutes: number, extra: Partial<CommandMeta> = {}): CommandMeta => ({
  actor,
  occurredAt: at(minutes),
  now: at(minutes),
  ...extra,
});

/** An act made offline at `minutes`, synced at `syncedAt` minutes. */
export const offlineMeta = (actor: Actor, minutes: number, syncedAt: number): CommandMeta => ({
  actor,
  occurredAt: at(minutes),
  now: at(syncedAt),
  offline: true,
});

export const LOT_A: ManifestLot = {
  lotId: 'lot-a',
  labelCode: 'LBL-A',
  wasteCode: '900-214-08',
  wasteName: '废矿物油',
  hazards: ['T', 'I'],
  form: 'LIQUID',
  packaging: '200 L steel drum',
  declaredGrams: 100_000,
  intendedMode: 'UTILISE',
  method: 'R9',
};
export const LOT_B: ManifestLot = {
  lotId: 'lot-b',
  labelCode: 'LBL-B',
  wasteCode: '900-041-49',
  wasteName: '含油抹布',
  hazards: ['T', 'In'],
  form: 'SOLID',
  packaging: 'bag in turnover box',
  declaredGrams: 50_000,
  intendedMode: 'DISPOSE',
  method: 'D10',
};
export const LABELS = [LOT_A.labelCode, LOT_B.labelCode];

export const LEG_1: CarrierLeg = {
  carrierId: CARRIER_1,
  vehicleId: 'veh-1',
  operatingPermitNumber: '豫A-410100001',
  driverId: 'drv-1',
  escortId: 'esc-1',
};
export const LEG_2: CarrierLeg = {
  carrierId: CARRIER_2,
  vehicleId: 'veh-2',
  operatingPermitNumber: '豫B-410200002',
  driverId: 'drv-2',
  escortId: 'esc-2',
};

export function content(over: Partial<ManifestContent> = {}): ManifestContent {
  return {
    hazledgerNumber: 'HL-2026-4101-000001',
    transferType: 'INTRA_PROVINCE',
    consignorId: CONSIGNOR,
    shipperId: CONSIGNOR,
    legs: [LEG_1],
    receiverId: RECEIVER,
    lots: [LOT_A, LOT_B],
    emergencyMeasures: '泄漏时用吸附棉围堵，报告 12369',
    startPoint: { siteId: 'site-producer', divisionCode: '410102', address: '郑州市中原区建设路 1 号' },
    endPoint: { siteId: 'site-disposer', divisionCode: '410122', address: '中牟县 处置中心' },
    plannedDate: '2026-03-03',
    precedingManifest: null,
    roundId: null,
    ...over,
  };
}
export const twoLegs = (over: Partial<ManifestContent> = {}): ManifestContent =>
  content({ legs: [LEG_1, LEG_2], ...over });

export function okChecks(over: Partial<SubmitChecks> = {}): SubmitChecks {
  return {
    lots: [
      { lotId: 'lot-a', inConsignorCustody: true, openManifestId: null },
      { lotId: 'lot-b', inConsignorCustody: true, openManifestId: null },
    ],
    receiverLicence: { ok: true },
    capacity: {
      ok: true,
      level: 'NORMAL',
      reservations: [
        { reservationId: 'cap-1', licenceItemId: 'item-hw08', year: 2026, lotIds: ['lot-a'], grams: 100_000 },
        { reservationId: 'cap-2', licenceItemId: 'item-hw49', year: 2026, lotIds: ['lot-b'], grams: 50_000 },
      ],
    },
    carrier: { ok: true },
    plan: { ok: true },
    crossProvince: null,
    ...over,
  };
}

export const CODE_EXPIRES = at(DAY);

export const cmd = {
  draft: (c: ManifestContent = content(), actor: Actor = actors.consignor): DraftManifest => ({
    type: 'DraftManifest',
    data: { manifestId: MANIFEST_ID, content: c },
    meta: meta(actor, 0),
  }),
  submit: (
    checks: SubmitChecks = okChecks(),
    actor: Actor = actors.consignor,
    minutes = 10,
  ): SubmitManifest => ({
    type: 'SubmitManifest',
    data: {
      manifestId: MANIFEST_ID,
      checks,
      handoverCode: { handoverCodeId: 'hc-1', expiresAt: CODE_EXPIRES },
    },
    meta: meta(actor, minutes),
  }),
  issueCode: (handoverCodeId = 'hc-2', actor: Actor = actors.consignor, minutes = 30): ManifestCommand => ({
    type: 'IssueHandoverCode',
    data: { manifestId: MANIFEST_ID, handoverCodeId, expiresAt: at(minutes + DAY) },
    meta: meta(actor, minutes),
  }),
  takeCustody: (
    over: Partial<TakeCustody['data']> = {},
    m: CommandMeta = meta(actors.carrier1, 60),
  ): TakeCustody => ({
    type: 'TakeCustody',
    data: {
      manifestId: MANIFEST_ID,
      scannedLabels: LABELS,
      shipperLoadingCheckPassed: true,
      handoverCode: { result: 'VALID', handoverCodeId: 'hc-1' },
      carrierCheck: { ok: true },
      place: '郑州市中原区建设路 1 号',
      ...over,
    },
    meta: m,
  }),
  refuse: (lotId = 'lot-b', m: CommandMeta = meta(actors.carrier1, 50)): ManifestCommand => ({
    type: 'RefuseContainer',
    data: { manifestId: MANIFEST_ID, lotId, reason: 'drum leaking at the seam' },
    meta: m,
  }),
  relay: (
    over: Partial<RelayCustody['data']> = {},
    m: CommandMeta = meta(actors.carrier2, 120),
  ): RelayCustody => ({
    type: 'RelayCustody',
    data: {
      manifestId: MANIFEST_ID,
      scannedLabels: LABELS,
      place: '郑州东 转运站',
      carrierCheck: { ok: true },
      ...over,
    },
    meta: m,
  }),
  deliver: (
    over: Partial<DeliverManifest['data']> = {},
    m: CommandMeta = meta(actors.carrier1, 180),
  ): DeliverManifest => ({
    type: 'DeliverManifest',
    data: { manifestId: MANIFEST_ID, receiverId: RECEIVER, place: '处置中心 地磅', ...over },
    meta: m,
  }),
  receipt: (
    receipts: LotReceiptInput[] = [
      { lotId: 'lot-a', measuredGrams: 100_000, decision: 'ACCEPTED' },
      { lotId: 'lot-b', measuredGrams: 50_000, decision: 'ACCEPTED' },
    ],
    over: Partial<RecordReceipt['data']> = {},
    m: CommandMeta = meta(actors.receiver, 240),
  ): RecordReceipt => ({
    type: 'RecordReceipt',
    data: { manifestId: MANIFEST_ID, receipts, receiptDeadline: at(7 * DAY), ...over },
    meta: m,
  }),
  close: (
    facts: CloseManifest['data']['facts'] = {
      accepted: [
        { lotId: 'lot-a', terminalState: 'UTILISED', leftOnManifestId: null },
        { lotId: 'lot-b', terminalState: 'DISPOSED', leftOnManifestId: null },
      ],
      rejected: [],
    },
    actor: Actor = actors.receiver,
  ): CloseManifest => ({
    type: 'CloseManifest',
    data: { manifestId: MANIFEST_ID, facts },
    meta: meta(actor, 10 * DAY),
  }),
  cancel: (actor: Actor = actors.consignor, minutes = 40): ManifestCommand => ({
    type: 'CancelManifest',
    data: { manifestId: MANIFEST_ID, reason: 'the carrier cannot come this week' },
    meta: meta(actor, minutes),
  }),
  requestCorrection: (
    over: Partial<RequestCorrection['data']> = {},
    actor: Actor = actors.consignor,
    minutes = 11 * DAY,
  ): RequestCorrection => ({
    type: 'RequestCorrection',
    data: {
      manifestId: MANIFEST_ID,
      correctionId: 'corr-1',
      changes: [{ field: 'lot.packaging', lotId: 'lot-a', to: '200 L plastic drum' }],
      reason: 'the packaging was entered wrongly',
      respondBy: at(minutes + 3 * DAY),
      ...over,
    },
    meta: meta(actor, minutes),
  }),
  approve: (actor: Actor, minutes = 11 * DAY + 60, correctionId = 'corr-1'): ManifestCommand => ({
    type: 'ApproveCorrection',
    data: { manifestId: MANIFEST_ID, correctionId },
    meta: meta(actor, minutes),
  }),
  refuseCorrection: (actor: Actor, minutes = 11 * DAY + 60, correctionId = 'corr-1'): ManifestCommand => ({
    type: 'RefuseCorrection',
    data: { manifestId: MANIFEST_ID, correctionId, reason: 'the drums were steel' },
    meta: meta(actor, minutes),
  }),
  nationalNumber: (nationalNumber = '20264101000123', actor: Actor = actors.system): ManifestCommand => ({
    type: 'ReportNationalNumber',
    data: { manifestId: MANIFEST_ID, nationalNumber },
    meta: meta(actor, 12 * DAY),
  }),
  paper: (
    over: Partial<EnterPaperManifest['data']> = {},
    actor: Actor = actors.consignor,
    minutes = 5 * DAY,
  ): EnterPaperManifest => ({
    type: 'EnterPaperManifest',
    data: {
      manifestId: MANIFEST_ID,
      paperNumber: 'PAPER-4101-0042',
      reason: 'provincial system outage',
      tripStartedAt: at(60),
      tripEndedAt: at(180),
      backEntryDeadline: at(14 * DAY),
      ...over,
    },
    meta: meta(actor, minutes),
  }),
};

/** Runs commands from the empty state and returns every event they produced (a history). */
export function history(...commands: ManifestCommand[]): ManifestEvent[] {
  const events: ManifestEvent[] = [];
  for (const c of commands) events.push(...manifestDecider.decide(c, stateOf(events)));
  return events;
}

export const stateOf = (events: readonly ManifestEvent[]): ManifestState => replay(manifestDecider, events);

/** given(events).when(command): the events decided, or the refusal. */
export function decideAfter(events: readonly ManifestEvent[], c: ManifestCommand): ManifestEvent[] {
  return manifestDecider.decide(c, stateOf(events));
}

/** The DomainError an act throws; fails loudly when it succeeds or throws anything else. */
export function refusal(events: readonly ManifestEvent[], c: ManifestCommand): DomainError {
  let out: ManifestEvent[];
  try {
    out = decideAfter(events, c);
  } catch (e) {
    if (isDomainError(e)) return e;
    throw e;
  }
  throw new Error(`expected a refusal, got ${JSON.stringify(out.map((e) => e.type))}`);
}

/** Histories that reach each state (one leg unless said otherwise). */
export const H = {
  drafted: (c: ManifestContent = content()) => history(cmd.draft(c)),
  submitted: (c: ManifestContent = content()) => history(cmd.draft(c), cmd.submit()),
  inTransit: (c: ManifestContent = content()) => history(cmd.draft(c), cmd.submit(), cmd.takeCustody()),
  delivered: () => history(cmd.draft(), cmd.submit(), cmd.takeCustody(), cmd.deliver()),
  received: () => history(cmd.draft(), cmd.submit(), cmd.takeCustody(), cmd.deliver(), cmd.receipt()),
  closed: () =>
    history(cmd.draft(), cmd.submit(), cmd.takeCustody(), cmd.deliver(), cmd.receipt(), cmd.close()),
  cancelled: () => history(cmd.draft(), cmd.submit(), cmd.cancel()),
};

/** True for plain JSON as the ledger stores it: no undefined, Dates, floats or unsafe integers. */
export function isPlainJson(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isSafeInteger(v);
  if (Array.isArray(v)) return v.every(isPlainJson);
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.values(v as Record<string, unknown>).every(isPlainJson);
  }
  return false;
}
