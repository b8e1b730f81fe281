import type { Hazard } from '../../catalogue/domain/hazard';
import type { ErrorCode } from '../../shared/domain/domain-error';

/**
 * 电子转移联单 — the electronic transfer manifest (危险废物转移管理办法, 2021; SPEC section 6).
 * Value types shared by its commands, events and state. Everything here is plain JSON: instants
 * are ISO strings, masses integer grams, absent optional facts `null` (never `undefined`).
 */

/** The life of a manifest. `NONE` is the state before its first event. */
export const MANIFEST_STATUSES = [
  'DRAFT',
  'SUBMITTED',
  'IN_TRANSIT',
  'DELIVERED',
  'RECEIVED',
  'CLOSED',
  'CANCELLED',
] as const;
export type ManifestStatus = (typeof MANIFEST_STATUSES)[number];
export type ManifestStateStatus = 'NONE' | ManifestStatus;
export const ALL_STATE_STATUSES: readonly ManifestStateStatus[] = ['NONE', ...MANIFEST_STATUSES];

/** A manifest is open (it holds its lots) from submission until it is closed or cancelled. */
export const OPEN_STATUSES: readonly ManifestStatus[] = ['SUBMITTED', 'IN_TRANSIT', 'DELIVERED', 'RECEIVED'];

/**
 * 转移类型 — intra-province, cross-province (needs a 跨省转移审批 approval), or RETURN of rejected
 * waste to the original 移出人 (skips the receiver licence, capacity and plan checks).
 */
export const TRANSFER_TYPES = ['INTRA_PROVINCE', 'CROSS_PROVINCE', 'RETURN'] as const;
export type TransferType = (typeof TRANSFER_TYPES)[number];

/** What the receiver is to do with a lot; its licence item must cover the code with this mode. */
export const INTENDED_MODES = ['COLLECT', 'STORE', 'UTILISE', 'DISPOSE'] as const;
export type IntendedMode = (typeof INTENDED_MODES)[number];

/** Basel Convention Annex IV: `D1`…`D15` (disposal) or `R1`…`R13` (recovery). */
export const BASEL_METHOD_PATTERN = /^(D([1-9]|1[0-5])|R([1-9]|1[0-3]))$/;

/** 14-digit national manifest number: year (4) + province (2) + city (2) + serial (6). Transfer Measures art. 15. */
export const NATIONAL_NUMBER_PATTERN = /^\d{14}$/;

/** One lot (批次: one labelled container) on the manifest, as the 移出人 declares it. */
export interface ManifestLot {
  readonly lotId: string;
  /** The unique label code printed on the container (HJ 1276-2022), which drivers scan. */
  readonly labelCode: string;
  readonly wasteCode: string;
  readonly wasteName: string;
  readonly hazards: readonly Hazard[];
  /** 物理性状 — physical form; null when not given. */
  readonly form: string | null;
  /** 包装方式 — packaging; null when not given. */
  readonly packaging: string | null;
  /** Declared by the consignor, integer grams (> 0). */
  readonly declaredGrams: number;
  readonly intendedMode: IntendedMode;
  /** Basel D/R code of the intended utilisation or disposal. */
  readonly method: string;
}

/**
 * One leg of the transport (联运: relay transport, Transfer Measures art. 17). 承运人 — carrier.
 * Driver and escort are referenced by id only (personal data stays off the hashed payloads).
 */
export interface CarrierLeg {
  readonly carrierId: string;
  readonly vehicleId: string;
  /** 营运证件号 — the vehicle's operating permit number (道路运输证). */
  readonly operatingPermitNumber: string;
  readonly driverId: string;
  readonly escortId: string;
}

/** Start or end point of the transfer: a site, its 6-digit division code (GB/T 2260) and address. */
export interface TransferPoint {
  readonly siteId: string;
  readonly divisionCode: string;
  readonly address: string;
}

/** The manifest this one continues (a RETURN, a redirect of rejected waste, a re-shipment). */
export interface PrecedingManifest {
  readonly manifestId: string;
  /** The 移出人 of that manifest, looked up by the service: a RETURN must go back to it. */
  readonly originalConsignorId: string;
}

/** What a manifest says: parties, lots, route, date. */
export interface ManifestContent {
  /** HazLedger's own number (unique, sortable, with year and city), given on the command. */
  readonly hazledgerNumber: string;
  readonly transferType: TransferType;
  /** 移出人 — consignor: a producer, or a collector re-shipping. */
  readonly consignorId: string;
  /** 托运人 — shipper: the consignor or the receiver (Transfer Measures art. 13). */
  readonly shipperId: string;
  /** 承运人 — carriers, one per leg, in order. */
  readonly legs: readonly CarrierLeg[];
  /** 接受人 — receiver. */
  readonly receiverId: string;
  readonly lots: readonly ManifestLot[];
  /** 应急措施 — emergency measures. */
  readonly emergencyMeasures: string;
  readonly startPoint: TransferPoint;
  readonly endPoint: TransferPoint;
  /** Planned transfer date, `YYYY-MM-DD` in Asia/Shanghai. */
  readonly plannedDate: string;
  /** Required for RETURN; optional link for a redirect or re-shipment. */
  readonly precedingManifest: PrecedingManifest | null;
  /** Collection round (SPEC section 8) that groups one trip's manifests, if any. */
  readonly roundId: string | null;
}

/** The fields a draft amendment may change (the manifest number and the consignor stay). */
export type AmendableContent = Omit<ManifestContent, 'hazledgerNumber' | 'consignorId'>;
export const AMENDABLE_FIELDS = [
  'transferType',
  'shipperId',
  'legs',
  'receiverId',
  'lots',
  'emergencyMeasures',
  'startPoint',
  'endPoint',
  'plannedDate',
  'precedingManifest',
  'roundId',
] as const satisfies readonly (keyof AmendableContent)[];

/** Province (first two digits) of a division code. */
export const provinceOf = (divisionCode: string): string => divisionCode.slice(0, 2);

/** True when the start and end points lie in different provinces (跨省转移). */
export const crossesProvinces = (c: Pick<ManifestContent, 'startPoint' | 'endPoint'>): boolean =>
  provinceOf(c.startPoint.divisionCode) !== provinceOf(c.endPoint.divisionCode);

/** Every party named on the manifest, without duplicates, consignor first. */
export function partiesOf(c: ManifestContent): string[] {
  return [...new Set([c.consignorId, c.shipperId, ...c.legs.map((l) => l.carrierId), c.receiverId])];
}

export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [k: string]: JsonValue };

/** Why an offline act was recorded as disputed: the refusal it would have met online. */
export interface DisputeReason {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: { readonly [k: string]: JsonValue };
}

/** The custody acts a driver's or receiver's device may make offline and sync later. */
export const CUSTODY_ACTS = ['takeCustody', 'refuseContainer', 'relay', 'deliver'] as const;
export type CustodyAct = (typeof CUSTODY_ACTS)[number];

/** Descriptive fields a correction may change (never custody facts: parties, lots carried, masses, times). */
export const CORRECTABLE_FIELDS = [
  'emergencyMeasures',
  'startPoint.address',
  'endPoint.address',
  'lot.wasteName',
  'lot.form',
  'lot.packaging',
  'lot.hazards',
  'lot.method',
] as const;
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];
export type CorrectionValue = string | readonly string[] | null;

/** One field of a correction, with both versions (history shows both). */
export interface CorrectionChange {
  readonly field: CorrectableField;
  /** The lot, for `lot.*` fields; null otherwise. */
  readonly lotId: string | null;
  readonly from: CorrectionValue;
  readonly to: CorrectionValue;
}

export const RECEIPT_DECISIONS = ['ACCEPTED', 'PARTIALLY_ACCEPTED', 'REJECTED'] as const;
export type ReceiptDecision = (typeof RECEIPT_DECISIONS)[number];
