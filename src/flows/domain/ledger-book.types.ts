/**
 * 管理台账 — the vocabulary of the ledger book: entry kinds and how each moves a site's stock, what
 * the book remembers of a lot between its events, and one entry. Pure.
 */

export const ENTRY_KINDS = [
  'OPENING_STOCK', // 期初库存 — brought in at go-live
  'GENERATED', // 产生 (also treatment residues)
  'STORED_IN', // 入库 — into a storage facility of the site
  'STORED_OUT', // 出库 — out of one facility of the site to another
  'SENT_OUT', // 转移出厂 — custody taken on a manifest, or handed over under an exemption
  'RECEIVED', // 接收 — accepted on receipt, or taken over under an exemption
  'CONSOLIDATED_OUT', // 合并 — this lot went into a consolidated lot
  'CONSOLIDATED_IN', // 合并 — the consolidated lot
  'SPLIT_OUT', // 分装 — this lot was split
  'SPLIT_IN', // 分装 — a part
  'UTILISED', // 利用 (in-house)
  'DISPOSED', // 处置 (in-house)
  'LOST', // 损失
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export type Direction = 'IN' | 'OUT' | 'NONE';

/** How each kind moves the site's stock of the lot's code. */
export const DIRECTION: Readonly<Record<EntryKind, Direction>> = {
  OPENING_STOCK: 'IN',
  GENERATED: 'IN',
  STORED_IN: 'NONE',
  STORED_OUT: 'NONE',
  SENT_OUT: 'OUT',
  RECEIVED: 'IN',
  CONSOLIDATED_OUT: 'OUT',
  CONSOLIDATED_IN: 'IN',
  SPLIT_OUT: 'OUT',
  SPLIT_IN: 'IN',
  UTILISED: 'OUT',
  DISPOSED: 'OUT',
  LOST: 'OUT',
};

/** Chinese names of the kinds (CSV export, GraphQL descriptions). */
export const ENTRY_KIND_ZH: Readonly<Record<EntryKind, string>> = {
  OPENING_STOCK: '期初库存',
  GENERATED: '产生',
  STORED_IN: '入库',
  STORED_OUT: '出库',
  SENT_OUT: '转移出厂',
  RECEIVED: '接收',
  CONSOLIDATED_OUT: '合并转出',
  CONSOLIDATED_IN: '合并转入',
  SPLIT_OUT: '分装转出',
  SPLIT_IN: '分装转入',
  UTILISED: '自行利用',
  DISPOSED: '自行处置',
  LOST: '损失',
};

/** What the book remembers of a lot between its events. */
export interface BookLot {
  readonly lotId: string;
  readonly labelCode: string;
  readonly batchCode: string;
  readonly wasteCode: string;
  readonly category: string;
  /** The site whose stock holds the lot, or null (in transit, rejected, ended). */
  readonly siteId: string | null;
  /** The party holding it at that site. */
  readonly partyId: string | null;
  readonly facilityId: string | null;
  readonly massGrams: number;
  /** The party it last left (counterparty of a receipt). */
  readonly sentFromPartyId: string | null;
  readonly imported: boolean;
}

/** One line of a site's ledger book (without its ledger position, added by the projection). */
export interface BookEntry {
  readonly siteId: string;
  readonly partyId: string;
  readonly facilityId: string | null;
  readonly kind: EntryKind;
  readonly direction: Direction;
  /** Positive; the stock change is `signedGrams`. */
  readonly massGrams: number;
  readonly signedGrams: number;
  readonly lotId: string;
  readonly labelCode: string;
  readonly batchCode: string;
  readonly wasteCode: string;
  readonly category: string;
  readonly counterpartyPartyId: string | null;
  readonly manifestId: string | null;
  /** The lot on the other side of a consolidation or split. */
  readonly relatedLotId: string | null;
  /** Basel D/R code of an in-house treatment. */
  readonly method: string | null;
  /** Moved without a manifest under an exemption (豁免). */
  readonly exempt: boolean;
  /** Brought in by the go-live import. */
  readonly imported: boolean;
  readonly at: string;
}

/** A lot opened by the go-live import: booked as OPENING_STOCK at the go-live instant. */
export interface GoLiveMark {
  readonly siteId: string;
  readonly goLiveAt: string;
}
