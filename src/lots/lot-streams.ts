import type { LotEventType } from './domain';

/** Every lot is one ledger stream `lot-<lotId>` of stream type `lot`. */
export const LOT_STREAM = 'lot';
export const lotStream = (lotId: string): string => `lot-${lotId}`;

/** The event types a lot stream may hold (registered with the ledger by `LotsModule`). */
export const LOT_EVENT_TYPES: readonly LotEventType[] = [
  'LotGenerated',
  'LotStored',
  'LotMoved',
  'LotReservedOnManifest',
  'LotReleasedFromManifest',
  'LotCustodyTaken',
  'LotRefusedAtLoading',
  'LotRelayed',
  'LotDelivered',
  'LotReceived',
  'LotRejectedPartCreated',
  'LotHandedOverExempt',
  'LotConsolidatedInto',
  'LotCreatedByConsolidation',
  'LotSplit',
  'LotCreatedBySplit',
  'LotTreated',
  'LotCreatedAsResidue',
  'LotLossRecorded',
];

/** The ledger counter holding the stock of one facility with a maximum stock (a 贮存点 storage spot: 3 t). */
export const facilityStockCounter = (facilityId: string): string => `facility-stock:${facilityId}`;
