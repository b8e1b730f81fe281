/**
 * 转移联单（打印件） — what a printed transfer manifest shows (SPEC section 6; 危险废物转移管理办法
 * 2021 art. 11: the carrier carries it with the dangerous-goods waybill). Pure data, assembled by
 * `ManifestDocumentService` from the manifest read models and the ledger, never stored: the paper
 * always says what the ledger says. Masses are integer grams; instants ISO strings.
 */

/** 移出人, 代理, 托运人, 承运人, 接受人. */
export type PartyRole = 'CONSIGNOR' | 'AGENT' | 'SHIPPER' | 'CARRIER' | 'RECEIVER';

export const ROLE_ZH: Record<PartyRole, string> = {
  CONSIGNOR: '移出人',
  AGENT: '代理人',
  SHIPPER: '托运人',
  CARRIER: '承运人',
  RECEIVER: '接受人',
};

/** A party as the paper names it: 统一社会信用代码 and the licences or permits that entitle it. */
export interface DocumentParty {
  readonly roles: readonly PartyRole[];
  readonly partyId: string;
  readonly name: string;
  readonly uscc: string | null;
  readonly address: string | null;
  readonly contact: string | null;
  /** 经营许可证 (number, kind, valid to) held by a receiver or collector. */
  readonly licences: readonly { readonly number: string; readonly kind: string; readonly validTo: string }[];
  /** 道路危险货物运输许可证 numbers of a carrier. */
  readonly permits: readonly { readonly number: string; readonly validTo: string }[];
}

/** A crew member as printed: name and qualification certificate (从业资格证), or what is left after erasure. */
export interface DocumentPerson {
  readonly name: string | null;
  readonly certificateNumber: string | null;
}

/** 运输 — one leg: carrier, vehicle and crew. */
export interface DocumentLeg {
  readonly leg: number;
  readonly carrierId: string;
  readonly carrierName: string;
  readonly plate: string | null;
  /** 道路运输证 (vehicle certificate) number. */
  readonly vehicleCertificateNumber: string | null;
  /** 营运证件号 as written on the manifest. */
  readonly operatingPermitNumber: string;
  /** The transport permit the vehicle is registered under. */
  readonly permitNumber: string | null;
  readonly medicalWasteVehicle: boolean | null;
  readonly driver: DocumentPerson;
  readonly escort: DocumentPerson;
}

export interface DocumentLot {
  readonly labelCode: string;
  readonly wasteCode: string;
  readonly wasteName: string;
  readonly hazards: readonly string[];
  readonly form: string | null;
  readonly packaging: string | null;
  readonly intendedMode: string;
  readonly method: string;
  readonly status: string;
  readonly declaredGrams: number;
  readonly pickupGrams: number | null;
  readonly measuredGrams: number | null;
  readonly acceptedGrams: number | null;
  readonly rejectedGrams: number | null;
  readonly decision: string | null;
  readonly reason: string | null;
  readonly discrepancy: boolean;
  readonly late: boolean;
  readonly refusedReason: string | null;
}

/** 签章环节 — one signed step of the manifest's history, from its ledger stream. */
export interface SignatureStep {
  readonly position: number;
  readonly eventType: string;
  readonly stepZh: string;
  readonly stepEn: string;
  /** Business time of the act. */
  readonly at: string;
  readonly recordedAt: string;
  /** Who signed: a user's name, a device, or the system. */
  readonly actor: string;
  readonly partyName: string | null;
  readonly detail: string | null;
  readonly offline: boolean;
}

export interface ManifestDocument {
  readonly manifestId: string;
  readonly number: string;
  readonly nationalNumber: string | null;
  readonly status: string;
  readonly transferType: string;
  readonly plannedDate: string;
  /** The leg whose carrier holds the waste (0 before pickup). */
  readonly currentLeg: number;
  readonly times: {
    readonly submittedAt: string | null;
    readonly deliveredAt: string | null;
    readonly receivedAt: string | null;
    readonly closedAt: string | null;
    readonly cancelledAt: string | null;
  };
  readonly parties: readonly DocumentParty[];
  readonly legs: readonly DocumentLeg[];
  readonly lots: readonly DocumentLot[];
  readonly startPoint: { readonly divisionCode: string; readonly address: string };
  readonly endPoint: { readonly divisionCode: string; readonly address: string };
  readonly emergencyMeasures: string;
  readonly steps: readonly SignatureStep[];
  readonly declaredGrams: number;
  readonly acceptedGrams: number | null;
  readonly rejectedGrams: number | null;
  readonly discrepancy: boolean;
  readonly disputes: readonly {
    readonly act: string;
    readonly at: string;
    readonly reasons: readonly string[];
  }[];
  readonly paper: { readonly paperNumber: string; readonly late: boolean } | null;
  readonly correctionCount: number;
  /** The roadside inspection link printed as a QR code. */
  readonly inspectionUrl: string;
  /** When this copy was rendered (the ledger position it reflects is its last step). */
  readonly printedAt: string;
}

export const STATUS_ZH: Record<string, string> = {
  DRAFT: '草稿',
  SUBMITTED: '已提交待运',
  IN_TRANSIT: '运输中',
  DELIVERED: '已运抵待接收',
  RECEIVED: '已接收',
  CLOSED: '已办结',
  CANCELLED: '已撤销',
};

export const TRANSFER_TYPE_ZH: Record<string, string> = {
  INTRA_PROVINCE: '省内转移',
  CROSS_PROVINCE: '跨省转移',
  RETURN: '退回',
};

export const MODE_ZH: Record<string, string> = {
  COLLECT: '收集',
  STORE: '贮存',
  UTILISE: '利用',
  DISPOSE: '处置',
};

export const DECISION_ZH: Record<string, string> = {
  ACCEPTED: '接收',
  PARTIALLY_ACCEPTED: '部分接收',
  REJECTED: '拒收',
};

export const FORM_ZH: Record<string, string> = {
  SOLID: '固态',
  SEMI_SOLID: '半固态',
  LIQUID: '液态',
  GAS: '气态',
};

export const LICENCE_KIND_ZH: Record<string, string> = {
  COMPREHENSIVE: '综合经营许可证',
  MEDICAL_DISPOSAL: '医疗废物处置经营许可证',
  COLLECTION: '收集经营许可证',
  PILOT_COLLECTION: '收集试点许可',
};

export const HAZARD_ZH: Record<string, string> = {
  T: '毒性',
  C: '腐蚀性',
  I: '易燃性',
  R: '反应性',
  In: '感染性',
};

/** `YYYY-MM-DD HH:mm` in Asia/Shanghai, as people at the dock read time. */
export function shanghaiMinute(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Grams as kilograms with three decimals (`12345` → `12.345`), or a dash. */
export function kg(grams: number | null): string {
  if (grams === null) return '—';
  const sign = grams < 0 ? '-' : '';
  const abs = Math.abs(grams);
  return `${sign}${Math.trunc(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`;
}

/**
 * 差异 — the lots whose receipt found a difference beyond the tolerance, with the measured and the
 * reference masses (pickup weighing when there was one, else declared).
 */
export function discrepancies(lots: readonly DocumentLot[]): {
  labelCode: string;
  referenceGrams: number;
  measuredGrams: number;
  differenceGrams: number;
}[] {
  return lots
    .filter((l) => l.discrepancy && l.measuredGrams !== null)
    .map((l) => {
      const reference = l.pickupGrams ?? l.declaredGrams;
      return {
        labelCode: l.labelCode,
        referenceGrams: reference,
        measuredGrams: l.measuredGrams!,
        differenceGrams: l.measuredGrams! - reference,
      };
    });
}

/** Personal data on a public link shows only what a roadside check needs: 张* and the certificate's last four characters. */
export function maskPerson(p: DocumentPerson): DocumentPerson {
  return {
    name: p.name ? `${[...p.name][0]}${'*'.repeat(Math.max(1, [...p.name].length - 1))}` : null,
    certificateNumber: p.certificateNumber ? `…${p.certificateNumber.slice(-4)}` : null,
  };
}
