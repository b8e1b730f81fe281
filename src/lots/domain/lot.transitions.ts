import type { LotCommand, MultiLotCommand } from './lot.commands';
import type { LotStatus } from './lot.state';

/**
 * The lot state machine as data (SPEC section 5): for each act, the states it may start from, the
 * states the lot may end in (`SAME`: status unchanged), the states of any lots it creates, and who
 * may act. The README prints it; `lot.transitions.spec.ts` checks that `decide` allows exactly this.
 */
export type LotAct =
  | 'GENERATE'
  | 'STORE'
  | 'RESERVE_ON_MANIFEST'
  | 'RELEASE_FROM_MANIFEST'
  | 'TAKE_CUSTODY'
  | 'REFUSE_AT_LOADING'
  | 'HAND_OVER_EXEMPT'
  | 'CONSOLIDATE'
  | 'SPLIT'
  | 'TREAT'
  | 'RELAY'
  | 'DELIVER'
  | 'RECEIVE'
  | 'RECORD_LOSS';

/** Who may do an act. */
export const LOT_ACTORS = {
  PRODUCER: 'the producer generating the lot (or its agent)',
  CUSTODIAN: 'the party holding the lot (or its agent)',
  NAMED_CARRIER: 'the first carrier named on the manifest',
  NEXT_CARRIER: 'the carrier named on the manifest for the next leg',
  CUSTODIAN_OR_NAMED_RECEIVER: 'the carrier holding the lot, or the receiver named on the manifest',
  NAMED_RECEIVER: 'the receiver named on the manifest the lot was delivered on',
} as const;
export type LotActor = keyof typeof LOT_ACTORS;

export interface LotTransition {
  readonly act: LotAct;
  /** The term a regulator looks for. */
  readonly zh: string;
  readonly command: LotCommand['type'] | MultiLotCommand['type'];
  readonly from: readonly LotStatus[];
  readonly to: readonly (LotStatus | 'SAME')[];
  readonly creates: readonly LotStatus[];
  readonly by: LotActor;
  readonly note: string;
}

const HELD = ['GENERATED', 'STORED'] as const satisfies readonly LotStatus[];
const ON_SITE = ['GENERATED', 'STORED', 'REJECTED'] as const satisfies readonly LotStatus[];

export const LOT_TRANSITIONS: readonly LotTransition[] = [
  {
    act: 'GENERATE',
    zh: '产生',
    command: 'GenerateLot',
    from: ['NONE'],
    to: ['GENERATED'],
    creates: [],
    by: 'PRODUCER',
    note: 'known code of the catalogue in force; HW01 needs its medical class; 0 < mass ≤ maximum per lot',
  },
  {
    act: 'STORE',
    zh: '贮存',
    command: 'StoreLot',
    from: HELD,
    to: ['STORED'],
    creates: [],
    by: 'CUSTODIAN',
    note: 'store in, or move between facilities of the same site; the storage clock keeps running',
  },
  {
    act: 'RESERVE_ON_MANIFEST',
    zh: '列入转移联单',
    command: 'ReserveLotOnManifest',
    from: ON_SITE,
    to: ['SAME'],
    creates: [],
    by: 'CUSTODIAN',
    note: 'on manifest submission; a lot is on at most one open manifest',
  },
  {
    act: 'RELEASE_FROM_MANIFEST',
    zh: '撤出转移联单',
    command: 'ReleaseLotFromManifest',
    from: ON_SITE,
    to: ['SAME'],
    creates: [],
    by: 'CUSTODIAN',
    note: 'the manifest was cancelled before custody was taken',
  },
  {
    act: 'TAKE_CUSTODY',
    zh: '承运交接',
    command: 'TakeLotCustody',
    from: ON_SITE,
    to: ['IN_TRANSIT'],
    creates: [],
    by: 'NAMED_CARRIER',
    note: 'only on the manifest the lot is reserved on (an offline scan after a cancellation is recorded as disputed)',
  },
  {
    act: 'REFUSE_AT_LOADING',
    zh: '装车拒收',
    command: 'RefuseLotAtLoading',
    from: ON_SITE,
    to: ['SAME'],
    creates: [],
    by: 'NAMED_CARRIER',
    note: 'the container leaves the manifest and stays with its custodian, free again',
  },
  {
    act: 'HAND_OVER_EXEMPT',
    zh: '豁免交接',
    command: 'HandOverLotExempt',
    from: HELD,
    to: ['STORED'],
    creates: [],
    by: 'CUSTODIAN',
    note: 'exemption #2 (≤ 19-bed clinic → its township health centre), not during a declared epidemic; clock restarts at the receiver',
  },
  {
    act: 'CONSOLIDATE',
    zh: '合并',
    command: 'ConsolidateLots',
    from: ['STORED'],
    to: ['CONSOLIDATED'],
    creates: ['STORED'],
    by: 'CUSTODIAN',
    note: 'same code (or a licence merge list); new mass = sum ± tolerance, difference booked; earliest clock inherited',
  },
  {
    act: 'SPLIT',
    zh: '分装',
    command: 'SplitLot',
    from: ['STORED'],
    to: ['SPLIT'],
    creates: ['STORED'],
    by: 'CUSTODIAN',
    note: 'parts sum = source ± tolerance, difference booked; clock inherited',
  },
  {
    act: 'TREAT',
    zh: '利用/处置',
    command: 'TreatLots',
    from: HELD,
    to: ['UTILISED', 'DISPOSED'],
    creates: ['GENERATED'],
    by: 'CUSTODIAN',
    note: 'licensed mode for the code, or the producer’s own treatment facility; residues start their own chain',
  },
  {
    act: 'RELAY',
    zh: '接驳运输',
    command: 'RelayLot',
    from: ['IN_TRANSIT'],
    to: ['IN_TRANSIT'],
    creates: [],
    by: 'NEXT_CARRIER',
    note: 'the carrier named for the next leg takes custody from the current one',
  },
  {
    act: 'DELIVER',
    zh: '送达',
    command: 'DeliverLot',
    from: ['IN_TRANSIT'],
    to: ['DELIVERED'],
    creates: [],
    by: 'CUSTODIAN_OR_NAMED_RECEIVER',
    note: 'only to the receiver named on the manifest',
  },
  {
    act: 'RECEIVE',
    zh: '接收',
    command: 'RecordLotReceipt',
    from: ['DELIVERED'],
    to: ['STORED', 'REJECTED'],
    creates: ['REJECTED'],
    by: 'NAMED_RECEIVER',
    note: 'accepted · partially accepted (the refused part becomes a new REJECTED lot) · rejected; the measured mass is authoritative',
  },
  {
    act: 'RECORD_LOSS',
    zh: '损失',
    command: 'RecordLotLoss',
    from: ['GENERATED', 'STORED', 'IN_TRANSIT', 'DELIVERED', 'REJECTED'],
    to: ['SAME', 'LOST'],
    creates: [],
    by: 'CUSTODIAN',
    note: 'part of the mass (same state), or all of it (LOST); a carrier records losses in transit',
  },
];

/** The table as Markdown, for the README. */
export function lotTransitionsMarkdown(): string {
  const rows = LOT_TRANSITIONS.map(
    (t) =>
      `| ${t.from.join(', ')} | ${t.act} (${t.zh}) | \`${t.command}\` | ${t.to.join(' · ')} | ${t.creates.join(', ') || '—'} | ${LOT_ACTORS[t.by]} | ${t.note} |`,
  );
  return [
    '| from | act | command | next | creates | who acts | rule |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
