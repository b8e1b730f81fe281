import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueService } from '../../catalogue/catalogue.service';
import { HAZARD_NAMES, type Hazard } from '../../catalogue/domain/hazard';
import { MEDICAL_WASTE_CLASSES, type MedicalWasteClass } from '../../catalogue/domain/medical-waste';
import type { Principal } from '../../shared/auth/principal';
import { formatKg } from '../../shared/domain/mass';
import { shanghaiDate } from '../../shared/domain/time';
import type { LotLabelObject } from '../graphql/lot.objects';
import { LotReadService, type LotRow } from '../lot-read.service';
import { type LabelData, labelSvg } from './label-svg';

const FORMS_ZH: Record<string, string> = { SOLID: '固态', SEMI_SOLID: '半固态', LIQUID: '液态', GAS: '气态' };

/** The path of a lot's printable label (served by `LabelController`). */
export const labelSvgPath = (labelCode: string): string => `/labels/${labelCode}.svg`;

/**
 * 标签 — a lot's label data (HJ 1276-2022 fields: name, category, code, form, hazards, main
 * components, producer, contact, date, mass, label code) and its printable SVG with the QR code.
 * The producer shown is the generating party, or for a consolidated lot the party that made it.
 */
@Injectable()
export class LabelService {
  constructor(
    private readonly db: DataSource,
    private readonly catalogue: CatalogueService,
    private readonly read: LotReadService,
  ) {}

  async label(row: LotRow): Promise<LotLabelObject> {
    const partyId = row.producer_party_id ?? row.origin_party_id;
    const code = await this.catalogue.findCode(row.waste_code, row.generated_at);
    const [party] = await this.db.query<{ name: string; address: string | null }[]>(
      `SELECT p.name, s.address FROM party p LEFT JOIN party_site s ON s.site_id = $2 WHERE p.party_id = $1`,
      [partyId, row.origin_site_id],
    );
    const [contact] = await this.db.query<{ name: string; phone: string | null }[]>(
      `SELECT name, phone FROM party_contact WHERE party_id = $1 ORDER BY contact_id LIMIT 1`,
      [partyId],
    );
    const medical = row.medical_class ? MEDICAL_WASTE_CLASSES[row.medical_class as MedicalWasteClass] : null;
    return {
      labelCode: row.label_code,
      qrPayload: row.label_code,
      title: medical ? '医疗废物' : '危险废物',
      wasteName: medical?.zh ?? code?.descriptionZh ?? row.waste_code,
      category: row.category,
      categoryName: code?.categoryNameZh ?? '',
      wasteCode: row.waste_code,
      formZh: FORMS_ZH[row.form] ?? row.form,
      hazardsZh: row.hazards.map((h) => HAZARD_NAMES[h as Hazard]?.zh ?? h),
      mainComponents: row.main_components,
      producerName: party?.name ?? '',
      address: party?.address ?? null,
      contactName: contact?.name ?? null,
      contactPhone: contact?.phone ?? null,
      date: shanghaiDate(row.generated_at),
      mass: Number(row.mass_grams),
      medicalClassZh: medical?.zh ?? null,
      warning: medical ? `医疗废物专用 (HJ 421-2008) · ${medical.zh}` : null,
      svgPath: labelSvgPath(row.label_code),
    };
  }

  /** The printable SVG of a lot found by its label code, for those who may see the lot. */
  async svg(who: Principal, labelCode: string): Promise<string> {
    const lot = await this.read.byLabel(who, labelCode);
    const row = await this.read.visibleRow(who, lot.id);
    const label = await this.label(row);
    const data: LabelData = { ...label, massKg: formatKg(label.mass) };
    return labelSvg(data);
  }
}
