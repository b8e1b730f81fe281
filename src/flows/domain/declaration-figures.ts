import { createHash } from 'node:crypto';
import { canonicalize } from '../../ledger/domain/canonical-json';
import type { EntryKind } from './ledger-book';
import type { DeclarationKind } from './reporting-periods';

/**
 * 申报数据 — the figures of one declaration (HJ 1259-2022 §7.3: generation, storage opening and
 * closing, off-site transfers by receiver and method, own utilisation and disposal, receipts,
 * losses), computed from the ledger book alone. Pure.
 *
 * Masses (SPEC section 9): "transferred out" is the consignor's DECLARED mass on the manifests
 * whose lots left in the period; the stock arithmetic uses the booked mass (the lot's mass when it
 * left), and the difference between the two is shown as its own line, so that for every code
 * closing = opening + imported + generated + received + repackaged in
 *           − transferred out (booked) − utilised − disposed − repackaged out − lost, to the gram.
 * "Received" is the mass the receiver measured and accepted.
 */

/** One code's line (all masses integer grams). */
export interface DeclarationCodeLine {
  readonly wasteCode: string;
  readonly category: string;
  /** 期初贮存量 */
  readonly openingGrams: number;
  /** 期初库存导入 — opening stock brought in at go-live within the period. */
  readonly importedOpeningGrams: number;
  /** 产生量 (including treatment residues) */
  readonly generatedGrams: number;
  /** 接收量 — accepted on receipt (measured), or taken over under an exemption. */
  readonly receivedGrams: number;
  /** Consolidated or split lots made here (合并、分装转入). */
  readonly repackagedInGrams: number;
  /** 转移量 — declared masses on the manifests (booked mass for exempt handovers). */
  readonly transferredOutGrams: number;
  /** The same lots at the mass they left the stock with. */
  readonly transferredOutBookedGrams: number;
  /** 自行利用量 */
  readonly utilisedGrams: number;
  /** 自行处置量 */
  readonly disposedGrams: number;
  /** Lots consolidated or split away (合并、分装转出). */
  readonly repackagedOutGrams: number;
  /** 损失量 */
  readonly lostGrams: number;
  /** 期末贮存量 */
  readonly closingGrams: number;
}

/**
 * 委外利用处置 — transferred out, per code, receiver (with its name, the division code of the site
 * that received, and its licence numbers covering the code — HJ 1259-2022 tables C.1–C.3) and method.
 */
export interface TransferOutLine {
  readonly wasteCode: string;
  readonly receiverPartyId: string | null;
  readonly receiverName: string | null;
  /** 6-digit division of the receiving site (its province and city): manifests only. */
  readonly receiverDivisionCode: string | null;
  /** 许可证编号 — the receiver's licences whose items cover the code while the lots left. */
  readonly receiverLicenceNumbers: readonly string[];
  readonly method: string | null;
  readonly viaManifest: boolean;
  readonly declaredGrams: number;
  readonly bookedGrams: number;
}

/** 接收 — received, per code and the party it came from. */
export interface ReceivedLine {
  readonly wasteCode: string;
  readonly fromPartyId: string | null;
  readonly fromPartyName: string | null;
  readonly viaManifest: boolean;
  readonly grams: number;
}

/** 自行利用/处置 — per code, mode and method. */
export interface TreatedLine {
  readonly wasteCode: string;
  readonly mode: 'UTILISED' | 'DISPOSED';
  readonly method: string | null;
  readonly grams: number;
}

/**
 * 持证单位年报 — one item of a licence naming the site, as the annual operation report states it:
 * what the licence allows (scope, modes, 年经营规模) and what was used of it in the year (the
 * accepted masses booked on the item at receipt; an item's use spans every facility site of its
 * licence). `usedBasisPoints` is settled ÷ capacity in hundredths of a percent, rounded down.
 */
export interface LicenceOperationLine {
  readonly licenceId: string;
  readonly licenceNumber: string;
  readonly licenceKind: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly itemId: string;
  readonly scope: string;
  readonly modes: readonly string[];
  readonly capacityGrams: number;
  readonly settledGrams: number;
  readonly usedBasisPoints: number;
}

/** A licence item as read for the report: the line without its derived share. */
export type LicenceItemUse = Omit<LicenceOperationLine, 'usedBasisPoints'>;

export interface DeclarationFigures {
  readonly siteId: string;
  readonly kind: DeclarationKind;
  readonly period: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly codes: readonly DeclarationCodeLine[];
  /** The sum of every code (`wasteCode` ALL, `category` ALL). */
  readonly totals: DeclarationCodeLine;
  readonly transfersOut: readonly TransferOutLine[];
  readonly received: readonly ReceivedLine[];
  readonly treatedInHouse: readonly TreatedLine[];
  /** OPERATION_REPORT only: the licence items naming the site in the year (absent for other kinds). */
  readonly licences?: readonly LicenceOperationLine[];
}

/** Opening and closing stock of one code, from the book. */
export interface BalanceRow {
  readonly wasteCode: string;
  readonly category: string;
  readonly openingGrams: number;
  readonly closingGrams: number;
}

/** The book's movements within the period, aggregated. */
export interface MovementRow {
  readonly kind: EntryKind;
  readonly wasteCode: string;
  readonly category: string;
  readonly counterpartyPartyId: string | null;
  readonly counterpartyName?: string | null;
  /** SENT_OUT on a manifest: the division code of the site it went to. */
  readonly counterpartyDivisionCode?: string | null;
  /** SENT_OUT: the receiver's licence numbers covering the code while the lots left. */
  readonly counterpartyLicenceNumbers?: readonly string[];
  readonly method: string | null;
  readonly viaManifest: boolean;
  readonly bookedGrams: number;
  /** For SENT_OUT: declared masses (the booked mass where no manifest says otherwise). */
  readonly declaredGrams: number;
}

export interface PeriodRef {
  readonly siteId: string;
  readonly kind: DeclarationKind;
  readonly period: string;
  readonly periodStart: string;
  readonly periodEnd: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Amounts = Omit<DeclarationCodeLine, 'wasteCode' | 'category'>;
const AMOUNT_KEYS: readonly (keyof Amounts)[] = [
  'openingGrams',
  'importedOpeningGrams',
  'generatedGrams',
  'receivedGrams',
  'repackagedInGrams',
  'transferredOutGrams',
  'transferredOutBookedGrams',
  'utilisedGrams',
  'disposedGrams',
  'repackagedOutGrams',
  'lostGrams',
  'closingGrams',
];

const emptyLine = (wasteCode: string, category: string): Mutable<DeclarationCodeLine> => ({
  wasteCode,
  category,
  ...(Object.fromEntries(AMOUNT_KEYS.map((k) => [k, 0])) as Amounts),
});

/** Where each kind of movement counts. */
const COLUMN: Partial<Record<EntryKind, keyof Amounts>> = {
  OPENING_STOCK: 'importedOpeningGrams',
  GENERATED: 'generatedGrams',
  RECEIVED: 'receivedGrams',
  CONSOLIDATED_IN: 'repackagedInGrams',
  SPLIT_IN: 'repackagedInGrams',
  SENT_OUT: 'transferredOutBookedGrams',
  UTILISED: 'utilisedGrams',
  DISPOSED: 'disposedGrams',
  CONSOLIDATED_OUT: 'repackagedOutGrams',
  SPLIT_OUT: 'repackagedOutGrams',
  LOST: 'lostGrams',
};

/** closing − (opening + ins − outs) of a line: 0 for a consistent book. */
export function lineImbalance(l: DeclarationCodeLine): number {
  const ins =
    l.openingGrams + l.importedOpeningGrams + l.generatedGrams + l.receivedGrams + l.repackagedInGrams;
  const outs =
    l.transferredOutBookedGrams + l.utilisedGrams + l.disposedGrams + l.repackagedOutGrams + l.lostGrams;
  return l.closingGrams - (ins - outs);
}

const cmp = (a: string | null, b: string | null) => (a ?? '').localeCompare(b ?? '');

/**
 * Builds a declaration's figures from the book's balances and movements. Throws (a bug, never a
 * user error) when the book does not balance for a code.
 */
export function declarationFigures(
  ref: PeriodRef,
  balances: readonly BalanceRow[],
  moves: readonly MovementRow[],
  licenceItems?: readonly LicenceItemUse[],
): DeclarationFigures {
  const lines = new Map<string, Mutable<DeclarationCodeLine>>();
  const line = (code: string, category: string) => {
    let l = lines.get(code);
    if (!l) lines.set(code, (l = emptyLine(code, category)));
    return l;
  };
  for (const b of balances) {
    const l = line(b.wasteCode, b.category);
    l.openingGrams += b.openingGrams;
    l.closingGrams += b.closingGrams;
  }
  const transfers = new Map<string, Mutable<TransferOutLine>>();
  const received = new Map<string, Mutable<ReceivedLine>>();
  const treated = new Map<string, Mutable<TreatedLine>>();
  for (const m of moves) {
    const column = COLUMN[m.kind];
    if (!column) continue;
    const l = line(m.wasteCode, m.category);
    l[column] += m.bookedGrams;
    if (m.kind === 'SENT_OUT') {
      l.transferredOutGrams += m.declaredGrams;
      const division = m.counterpartyDivisionCode ?? null;
      const key = [m.wasteCode, m.counterpartyPartyId, division, m.method, m.viaManifest].join('|');
      const t = transfers.get(key) ?? {
        wasteCode: m.wasteCode,
        receiverPartyId: m.counterpartyPartyId,
        receiverName: m.counterpartyName ?? null,
        receiverDivisionCode: division,
        receiverLicenceNumbers: [],
        method: m.method,
        viaManifest: m.viaManifest,
        declaredGrams: 0,
        bookedGrams: 0,
      };
      t.receiverLicenceNumbers = [
        ...new Set([...t.receiverLicenceNumbers, ...(m.counterpartyLicenceNumbers ?? [])]),
      ].sort();
      t.declaredGrams += m.declaredGrams;
      t.bookedGrams += m.bookedGrams;
      transfers.set(key, t);
    } else if (m.kind === 'RECEIVED') {
      const key = [m.wasteCode, m.counterpartyPartyId, m.viaManifest].join('|');
      const r = received.get(key) ?? {
        wasteCode: m.wasteCode,
        fromPartyId: m.counterpartyPartyId,
        fromPartyName: m.counterpartyName ?? null,
        viaManifest: m.viaManifest,
        grams: 0,
      };
      r.grams += m.bookedGrams;
      received.set(key, r);
    } else if (m.kind === 'UTILISED' || m.kind === 'DISPOSED') {
      const key = [m.wasteCode, m.kind, m.method].join('|');
      const t = treated.get(key) ?? { wasteCode: m.wasteCode, mode: m.kind, method: m.method, grams: 0 };
      t.grams += m.bookedGrams;
      treated.set(key, t);
    }
  }
  const codes = [...lines.values()]
    .filter((l) => AMOUNT_KEYS.some((k) => l[k] !== 0))
    .sort((a, b) => a.wasteCode.localeCompare(b.wasteCode));
  for (const l of codes) {
    const off = lineImbalance(l);
    if (off !== 0)
      throw new Error(
        `the ledger book of site ${ref.siteId} does not balance for ${l.wasteCode} in ${ref.period}: ${off} g`,
      );
  }
  const totals = emptyLine('ALL', 'ALL');
  for (const l of codes) for (const k of AMOUNT_KEYS) totals[k] += l[k];
  return {
    ...ref,
    codes,
    totals,
    transfersOut: [...transfers.values()].sort(
      (a, b) =>
        cmp(a.wasteCode, b.wasteCode) ||
        cmp(a.receiverPartyId, b.receiverPartyId) ||
        cmp(a.receiverDivisionCode, b.receiverDivisionCode) ||
        cmp(a.method, b.method) ||
        Number(a.viaManifest) - Number(b.viaManifest),
    ),
    received: [...received.values()].sort(
      (a, b) =>
        cmp(a.wasteCode, b.wasteCode) ||
        cmp(a.fromPartyId, b.fromPartyId) ||
        Number(a.viaManifest) - Number(b.viaManifest),
    ),
    treatedInHouse: [...treated.values()].sort(
      (a, b) => cmp(a.wasteCode, b.wasteCode) || cmp(a.mode, b.mode) || cmp(a.method, b.method),
    ),
    ...(licenceItems ? { licences: licenceLines(licenceItems) } : {}),
  };
}

/** The report's licence lines, ordered by licence number and item, each with its share of capacity used. */
export function licenceLines(items: readonly LicenceItemUse[]): LicenceOperationLine[] {
  return [...items]
    .sort((a, b) => cmp(a.licenceNumber, b.licenceNumber) || cmp(a.itemId, b.itemId))
    .map((i) => ({
      ...i,
      modes: [...i.modes].sort(),
      usedBasisPoints: Number((BigInt(i.settledGrams) * 10_000n) / BigInt(i.capacityGrams)),
    }));
}

/** SHA-256 (hex) of the canonical JSON of the figures: what a submission freezes. */
export const figuresHash = (f: DeclarationFigures): string =>
  createHash('sha256').update(canonicalize(f), 'utf8').digest('hex');

/** A figure that differs between a submitted declaration and the ledger now (a difference to review). */
export interface FigureDifference {
  /** `codes.<code>.<field>`, `transfersOut.<code>|<receiver>|<method>|<manifest>`, `received.…`, `treatedInHouse.…`, `licences.<number>|<item>` (settled). */
  readonly path: string;
  readonly submittedGrams: number;
  readonly currentGrams: number;
}

/** Values summed per key (lines that differ only in what the key leaves out add up). */
function keyed<T>(rows: readonly T[], key: (r: T) => string, value: (r: T) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + value(r));
  return out;
}

function compare(
  prefix: string,
  a: Map<string, number>,
  b: Map<string, number>,
  out: FigureDifference[],
): void {
  for (const k of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const s = a.get(k) ?? 0;
    const c = b.get(k) ?? 0;
    if (s !== c) out.push({ path: `${prefix}.${k}`, submittedGrams: s, currentGrams: c });
  }
}

/** Every figure that differs between what was submitted and what the ledger says now. */
export function figureDifferences(
  submitted: DeclarationFigures,
  current: DeclarationFigures,
): FigureDifference[] {
  const out: FigureDifference[] = [];
  const flat = (f: DeclarationFigures) =>
    new Map(
      f.codes.flatMap((l) => AMOUNT_KEYS.map((k) => [`${l.wasteCode}.${k}`, l[k]] as [string, number])),
    );
  compare('codes', flat(submitted), flat(current), out);
  const tKey = (t: TransferOutLine) =>
    [t.wasteCode, t.receiverPartyId ?? '-', t.method ?? '-', t.viaManifest ? 'MANIFEST' : 'EXEMPT'].join('|');
  compare(
    'transfersOut',
    keyed(submitted.transfersOut, tKey, (t) => t.declaredGrams),
    keyed(current.transfersOut, tKey, (t) => t.declaredGrams),
    out,
  );
  const rKey = (r: ReceivedLine) =>
    [r.wasteCode, r.fromPartyId ?? '-', r.viaManifest ? 'MANIFEST' : 'EXEMPT'].join('|');
  compare(
    'received',
    keyed(submitted.received, rKey, (r) => r.grams),
    keyed(current.received, rKey, (r) => r.grams),
    out,
  );
  const hKey = (t: TreatedLine) => [t.wasteCode, t.mode, t.method ?? '-'].join('|');
  compare(
    'treatedInHouse',
    keyed(submitted.treatedInHouse, hKey, (t) => t.grams),
    keyed(current.treatedInHouse, hKey, (t) => t.grams),
    out,
  );
  const lKey = (l: LicenceOperationLine) => `${l.licenceNumber}|${l.itemId}`;
  compare(
    'licences',
    keyed(submitted.licences ?? [], lKey, (l) => l.settledGrams),
    keyed(current.licences ?? [], lKey, (l) => l.settledGrams),
    out,
  );
  return out;
}
