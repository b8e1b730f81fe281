import { inspectionLinkExpiry } from './inspection-link';
import {
  type DocumentPerson,
  HAZARD_ZH,
  kg,
  type ManifestDocument,
  maskPerson,
  STATUS_ZH,
  TRANSFER_TYPE_ZH,
} from './manifest-document';

/**
 * 路检视图 — what an inspector at the roadside needs in a minute: the manifest's current state, the
 * lots the vehicle should carry (label codes to compare with the containers), the carrier with its
 * permit, vehicle and crew, the route and the emergency measures. Pure: built from the printed
 * manifest's content. On the public link, crew names and certificates are masked (张*, …1234);
 * signed-in inspectors see them whole.
 */
export interface RoadsideView {
  readonly manifestId: string;
  readonly number: string;
  readonly nationalNumber: string | null;
  readonly status: string;
  readonly statusZh: string;
  readonly transferType: string;
  readonly transferTypeZh: string;
  readonly plannedDate: string;
  readonly currentLeg: number;
  readonly submittedAt: string | null;
  readonly deliveredAt: string | null;
  readonly closedAt: string | null;
  readonly cancelledAt: string | null;
  readonly consignor: { readonly name: string; readonly uscc: string | null };
  readonly receiver: { readonly name: string; readonly uscc: string | null };
  readonly legs: readonly {
    readonly leg: number;
    readonly current: boolean;
    readonly carrierName: string;
    readonly carrierUscc: string | null;
    readonly permitNumbers: readonly string[];
    readonly plate: string | null;
    readonly vehicleCertificateNumber: string | null;
    readonly operatingPermitNumber: string;
    readonly medicalWasteVehicle: boolean | null;
    readonly driver: DocumentPerson;
    readonly escort: DocumentPerson;
  }[];
  readonly startAddress: string;
  readonly endAddress: string;
  /** The lots that should be on the vehicle (those refused at loading stayed behind: `refusedLotCount`). */
  readonly expectedLots: readonly {
    readonly labelCode: string;
    readonly wasteCode: string;
    readonly wasteName: string;
    readonly hazards: readonly string[];
    readonly hazardsZh: readonly string[];
    readonly form: string | null;
    readonly packaging: string | null;
    readonly declaredGrams: number;
    readonly declaredKg: string;
    readonly pickupGrams: number | null;
    readonly status: string;
  }[];
  readonly refusedLotCount: number;
  readonly declaredGrams: number;
  readonly declaredKg: string;
  readonly emergencyMeasures: string;
  /** When the link stops working (null while the manifest is open). */
  readonly validUntil: string | null;
  readonly checkedAt: string;
}

export function roadsideView(
  d: ManifestDocument,
  o: { readonly daysAfterClose: number; readonly now: Date; readonly masked: boolean },
): RoadsideView {
  const party = (role: 'CONSIGNOR' | 'RECEIVER') => {
    const p = d.parties.find((x) => x.roles.includes(role));
    return { name: p?.name ?? '—', uscc: p?.uscc ?? null };
  };
  const person = (p: DocumentPerson) => (o.masked ? maskPerson(p) : p);
  const expected = d.lots.filter((l) => l.status !== 'REFUSED');
  const declared = expected.reduce((a, l) => a + l.declaredGrams, 0);
  const expiry = inspectionLinkExpiry(
    {
      closedAt: d.times.closedAt ? new Date(d.times.closedAt) : null,
      cancelledAt: d.times.cancelledAt ? new Date(d.times.cancelledAt) : null,
    },
    o.daysAfterClose,
  );
  return {
    manifestId: d.manifestId,
    number: d.number,
    nationalNumber: d.nationalNumber,
    status: d.status,
    statusZh: STATUS_ZH[d.status] ?? d.status,
    transferType: d.transferType,
    transferTypeZh: TRANSFER_TYPE_ZH[d.transferType] ?? d.transferType,
    plannedDate: d.plannedDate,
    currentLeg: d.currentLeg,
    submittedAt: d.times.submittedAt,
    deliveredAt: d.times.deliveredAt,
    closedAt: d.times.closedAt,
    cancelledAt: d.times.cancelledAt,
    consignor: party('CONSIGNOR'),
    receiver: party('RECEIVER'),
    legs: d.legs.map((l) => {
      const carrier = d.parties.find((p) => p.partyId === l.carrierId);
      return {
        leg: l.leg,
        current: l.leg === Math.max(d.currentLeg, 1),
        carrierName: l.carrierName,
        carrierUscc: carrier?.uscc ?? null,
        permitNumbers: carrier?.permits.map((p) => p.number) ?? [],
        plate: l.plate,
        vehicleCertificateNumber: l.vehicleCertificateNumber,
        operatingPermitNumber: l.operatingPermitNumber,
        medicalWasteVehicle: l.medicalWasteVehicle,
        driver: person(l.driver),
        escort: person(l.escort),
      };
    }),
    startAddress: `${d.startPoint.address}（${d.startPoint.divisionCode}）`,
    endAddress: `${d.endPoint.address}（${d.endPoint.divisionCode}）`,
    expectedLots: expected.map((l) => ({
      labelCode: l.labelCode,
      wasteCode: l.wasteCode,
      wasteName: l.wasteName,
      hazards: l.hazards,
      hazardsZh: l.hazards.map((h) => HAZARD_ZH[h] ?? h),
      form: l.form,
      packaging: l.packaging,
      declaredGrams: l.declaredGrams,
      declaredKg: kg(l.declaredGrams),
      pickupGrams: l.pickupGrams,
      status: l.status,
    })),
    refusedLotCount: d.lots.length - expected.length,
    declaredGrams: declared,
    declaredKg: kg(declared),
    emergencyMeasures: d.emergencyMeasures,
    validUntil: expiry ? expiry.toISOString() : null,
    checkedAt: o.now.toISOString(),
  };
}
