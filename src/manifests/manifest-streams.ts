import { COLLECTION_ROUND_EVENT_TYPES, MANIFEST_EVENT_TYPES } from './domain';

/** Every transfer manifest (转移联单) is one ledger stream `manifest-<id>` of stream type `manifest`. */
export const MANIFEST_STREAM = 'manifest';
export const manifestStream = (manifestId: string): string => `manifest-${manifestId}`;
export const manifestIdOfStream = (streamId: string): string => streamId.replace(/^manifest-/, '');

/** Every collection round (集中收集) is one ledger stream `round-<id>` of stream type `collection-round`. */
export const ROUND_STREAM = 'collection-round';
export const roundStream = (roundId: string): string => `round-${roundId}`;

export { COLLECTION_ROUND_EVENT_TYPES, MANIFEST_EVENT_TYPES };

/**
 * The ledger counter that numbers manifests per year and city: `HL-<year>-<city>-<serial>`, e.g.
 * `HL-2026-4101-000123` (unique and sortable within a year and city; the city is the first four
 * digits of the consignor site's division code).
 */
export const manifestNumberCounter = (year: string, city: string): string =>
  `manifest-number:${year}:${city}`;
export const formatManifestNumber = (year: string, city: string, serial: number): string =>
  `HL-${year}-${city}-${String(serial).padStart(6, '0')}`;

/** The delegation scope under which an agent (代理, e.g. a collector) acts on a producer's manifests. */
export const MANIFEST_DELEGATION_SCOPE = 'MANIFESTS';

/** Alert rules this capability raises (预警). */
export const MANIFEST_ALERT_RULES = {
  /** 接受人 confirmed the receipt more than 5 working days after delivery (Transfer Measures art. 18). */
  RECEIPT_LATE: 'RECEIPT_LATE',
  /** A lot's receipt mass differs from the pickup weighing (else the declared mass) beyond the tolerance. */
  MASS_DISCREPANCY: 'MASS_DISCREPANCY',
  /** An offline custody act synced after the manifest moved on (e.g. a pickup scan after a cancellation). */
  RECONCILIATION_LATE_SCAN: 'RECONCILIATION_LATE_SCAN',
  /** An offline custody act whose handover code, labels or licences failed at sync: recorded, disputed. */
  RECONCILIATION_DISPUTED_CUSTODY: 'RECONCILIATION_DISPUTED_CUSTODY',
  /** A paper manifest entered more than 10 working days after its trip ended (Transfer Measures art. 20). */
  PAPER_MANIFEST_LATE: 'PAPER_MANIFEST_LATE',
  /** The management plan check failed under ALERT enforcement (submitted, and alerted). */
  NOT_IN_PLAN: 'NOT_IN_PLAN',
} as const;
