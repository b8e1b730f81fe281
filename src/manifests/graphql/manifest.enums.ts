/** 电子转移联单 — the manifests GraphQL enums and correctable fields. */
import { registerEnumType } from '@nestjs/graphql';
import { INTENDED_MODES, MANIFEST_STATUSES, RECEIPT_DECISIONS, TRANSFER_TYPES } from '../domain';

const asEnum = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const ManifestStatusEnum = asEnum(MANIFEST_STATUSES);
export const TransferTypeEnum = asEnum(TRANSFER_TYPES);
export const IntendedModeEnum = asEnum(INTENDED_MODES);
export const ReceiptDecisionEnum = asEnum(RECEIPT_DECISIONS);
export const SHIPPERS = ['CONSIGNOR', 'RECEIVER'] as const;
export const ShipperEnum = asEnum(SHIPPERS);
export const SCAN_ACTS = ['TAKE_CUSTODY', 'REFUSE_CONTAINER', 'RELAY', 'DELIVER'] as const;
export type ScanAct = (typeof SCAN_ACTS)[number];
export const ScanActEnum = asEnum(SCAN_ACTS);
export const MANIFEST_PARTY_ROLES = ['CONSIGNOR', 'AGENT', 'SHIPPER', 'CARRIER', 'RECEIVER'] as const;
export const ManifestPartyRoleEnum = asEnum(MANIFEST_PARTY_ROLES);
/** Correctable fields as GraphQL enum values (dots are not allowed there). */
export const CORRECTION_FIELDS = {
  EMERGENCY_MEASURES: 'emergencyMeasures',
  START_ADDRESS: 'startPoint.address',
  END_ADDRESS: 'endPoint.address',
  LOT_WASTE_NAME: 'lot.wasteName',
  LOT_FORM: 'lot.form',
  LOT_PACKAGING: 'lot.packaging',
  LOT_HAZARDS: 'lot.hazards',
  LOT_METHOD: 'lot.method',
} as const;
export type CorrectionFieldName = keyof typeof CORRECTION_FIELDS;
export const CorrectionFieldEnum = asEnum(Object.keys(CORRECTION_FIELDS) as CorrectionFieldName[]);

registerEnumType(ManifestStatusEnum, {
  name: 'ManifestStatus',
  description:
    '联单状态 — DRAFT 草稿, SUBMITTED 已提交, IN_TRANSIT 运输中, DELIVERED 已送达, RECEIVED 已接收, CLOSED 已办结, CANCELLED 已作废.',
});
registerEnumType(TransferTypeEnum, {
  name: 'TransferType',
  description:
    '转移类型 — INTRA_PROVINCE 省内, CROSS_PROVINCE 跨省 (needs an approval), RETURN 退回原移出人.',
});
registerEnumType(IntendedModeEnum, {
  name: 'IntendedMode',
  description: '拟利用处置方式 — the mode the receiver’s licence must cover.',
});
registerEnumType(ReceiptDecisionEnum, {
  name: 'ReceiptDecision',
  description:
    '接收意见 — ACCEPTED 接收, PARTIALLY_ACCEPTED 部分接收 (the rest becomes a REJECTED lot), REJECTED 拒收.',
});
registerEnumType(ShipperEnum, { name: 'Shipper', description: '托运人 — the consignor or the receiver.' });
registerEnumType(ScanActEnum, {
  name: 'ScanAct',
  description: 'A custody act a driver’s device may make offline.',
});
registerEnumType(ManifestPartyRoleEnum, {
  name: 'ManifestPartyRole',
  description: 'How a party is named on a manifest.',
});
registerEnumType(CorrectionFieldEnum, {
  name: 'CorrectionField',
  description: 'Descriptive fields a correction may change (never custody facts).',
});
