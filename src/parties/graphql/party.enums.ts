import { registerEnumType } from '@nestjs/graphql';
import {
  AGENCY_KINDS,
  AGENCY_LEVELS,
  DELEGATION_SCOPES,
  DEVICE_KINDS,
  FACILITY_TYPES,
  PARTY_ROLES,
  PARTY_TYPES,
} from '../domain/party.events';

export const asEnum = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
export const PartyTypeEnum = asEnum(PARTY_TYPES);
export const FacilityTypeEnum = asEnum(FACILITY_TYPES);
export const PartyRoleEnum = asEnum(PARTY_ROLES);
export const DelegationScopeEnum = asEnum(DELEGATION_SCOPES);
export const DeviceKindEnum = asEnum(DEVICE_KINDS);
export const AgencyKindEnum = asEnum(AGENCY_KINDS);
export const AgencyLevelEnum = asEnum(AGENCY_LEVELS);
export const ManagementClassEnum = asEnum(['KEY', 'SIMPLIFIED', 'REGISTRATION'] as const);
registerEnumType(PartyTypeEnum, {
  name: 'PartyType',
  description:
    '单位类型 — PRODUCER 产废单位, MEDICAL_INSTITUTION 医疗卫生机构, COLLECTOR 收集单位, STORAGE 贮存, UTILISER 利用, DISPOSER 处置, TRANSPORTER 承运人.',
});
registerEnumType(FacilityTypeEnum, {
  name: 'FacilityType',
  description:
    '设施类型 — STORAGE_SPOT is a 贮存点 (3 t at most at any moment); MEDICAL_TEMP_STORAGE 医疗废物暂时贮存.',
});
registerEnumType(PartyRoleEnum, {
  name: 'PartyRole',
  description: 'Role of a user within its party. DRIVER may only sign transport steps.',
});
registerEnumType(DelegationScopeEnum, {
  name: 'DelegationScope',
  description: 'What an agent (代理) may do for the delegating party.',
});
registerEnumType(DeviceKindEnum, { name: 'DeviceKind' });
registerEnumType(AgencyKindEnum, {
  name: 'AgencyKind',
  description:
    'ENVIRONMENT 生态环境主管部门 (regulators); TRANSPORT 交通运输, POLICE 公安交管 (read-only roadside checks).',
});
registerEnumType(AgencyLevelEnum, { name: 'AgencyLevel', description: '省 PROVINCE, 市 CITY, 县 COUNTY.' });
registerEnumType(ManagementClassEnum, {
  name: 'ManagementClass',
  description: '管理类别 (HJ 1259-2022): KEY 重点监管, SIMPLIFIED 简化管理, REGISTRATION 登记管理.',
});
