import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../shared/domain/domain-error';
import {
  crossesProvinces,
  type AmendableContent,
  type CarrierLeg,
  type ManifestContent,
  type ManifestLot,
  type PrecedingManifest,
  type TransferPoint,
} from './domain';
import type {
  AmendManifestDraftInput,
  CarrierLegInput,
  ManifestContentFields,
  ManifestLotInput,
} from './graphql/manifest.inputs';
import { ManifestFactsService, type SiteFact } from './manifest-facts.service';

/** A collection round as a draft needs it. */
interface RoundRow {
  round_id: string;
  collector_party_id: string;
  carrier_party_id: string;
  vehicle_id: string;
  driver_id: string;
  escort_id: string;
  receiver_party_id: string;
  receiver_site_id: string;
  planned_date: string;
}

const LOT_HOLDING = ['GENERATED', 'STORED', 'REJECTED'];

const point = (s: SiteFact): TransferPoint => ({
  siteId: s.siteId,
  divisionCode: s.divisionCode,
  address: s.address,
});

/**
 * Turns what a consignor (or its agent) types into a manifest's content: lots with their label,
 * code, hazards and declared mass from the lot read model, carrier legs with the vehicle's
 * operating permit number, start and end points from the sites, and the defaults of a
 * collection round. Everything is checked again by the decider.
 */
@Injectable()
export class ManifestContentService {
  constructor(
    private readonly db: DataSource,
    private readonly facts: ManifestFactsService,
  ) {}

  /** The whole content (the number is given later, in the transaction that draws it). */
  async build(
    consignorId: string,
    agentOwnPartyId: string,
    input: ManifestContentFields,
    at: Date,
    prefix = 'input',
  ): Promise<Omit<ManifestContent, 'hazledgerNumber'>> {
    const round = input.roundId
      ? await this.round(input.roundId, consignorId, agentOwnPartyId, prefix)
      : null;
    const lots = await this.lots(consignorId, input.lots, at, `${prefix}.lots`);
    const lotSite = lots.site;
    const stopSite = round?.stopSiteId ?? null;
    const start = await this.facts.siteFor(
      consignorId,
      input.consignorSiteId ?? stopSite ?? lotSite,
      `${prefix}.consignorSiteId`,
    );
    const receiverId = input.receiverPartyId ?? round?.row.receiver_party_id;
    if (!receiverId)
      throw DomainError.badInput(`${prefix}.receiverPartyId`, `${prefix}.receiverPartyId: required`);
    if (!(await this.facts.party(receiverId))) {
      throw DomainError.badInput(`${prefix}.receiverPartyId`, `${prefix}.receiverPartyId: no such party`);
    }
    const end = await this.facts.siteFor(
      receiverId,
      input.receiverSiteId ??
        (round && receiverId === round.row.receiver_party_id ? round.row.receiver_site_id : null),
      `${prefix}.receiverSiteId`,
    );
    const legs = input.legs
      ? await this.legs(input.legs, `${prefix}.legs`)
      : round
        ? [await this.roundLeg(round.row, `${prefix}.roundId`)]
        : null;
    if (!legs) throw DomainError.badInput(`${prefix}.legs`, `${prefix}.legs: at least one carrier leg`);
    const plannedDate = input.plannedDate ?? round?.row.planned_date;
    if (!plannedDate) throw DomainError.badInput(`${prefix}.plannedDate`, `${prefix}.plannedDate: required`);
    const preceding = input.precedingManifestId
      ? await this.preceding(input.precedingManifestId, consignorId, `${prefix}.precedingManifestId`)
      : null;
    const startPoint = point(start);
    const endPoint = point(end);
    return {
      transferType:
        input.transferType ??
        (crossesProvinces({ startPoint, endPoint }) ? 'CROSS_PROVINCE' : 'INTRA_PROVINCE'),
      consignorId,
      shipperId: input.shipper === 'RECEIVER' ? receiverId : consignorId,
      legs,
      receiverId,
      lots: lots.lots,
      emergencyMeasures: input.emergencyMeasures,
      startPoint,
      endPoint,
      plannedDate,
      precedingManifest: preceding,
      roundId: input.roundId ?? null,
    };
  }

  /** The fields of a draft amendment (only those given). */
  async changes(
    current: ManifestContent,
    input: AmendManifestDraftInput,
    at: Date,
  ): Promise<Partial<AmendableContent>> {
    const out: { -readonly [K in keyof AmendableContent]?: AmendableContent[K] } = {};
    if (input.receiverPartyId !== undefined || input.receiverSiteId !== undefined) {
      const receiverId = input.receiverPartyId ?? current.receiverId;
      if (!(await this.facts.party(receiverId))) {
        throw DomainError.badInput('input.receiverPartyId', 'input.receiverPartyId: no such party');
      }
      out.receiverId = receiverId;
      out.endPoint = point(
        await this.facts.siteFor(receiverId, input.receiverSiteId, 'input.receiverSiteId'),
      );
      if (current.shipperId === current.receiverId) out.shipperId = receiverId;
    }
    if (input.shipper !== undefined) {
      out.shipperId =
        input.shipper === 'RECEIVER' ? (out.receiverId ?? current.receiverId) : current.consignorId;
    }
    if (input.legs !== undefined) out.legs = await this.legs(input.legs, 'input.legs');
    if (input.lots !== undefined)
      out.lots = (await this.lots(current.consignorId, input.lots, at, 'input.lots')).lots;
    if (input.plannedDate !== undefined) out.plannedDate = input.plannedDate;
    if (input.emergencyMeasures !== undefined) out.emergencyMeasures = input.emergencyMeasures;
    return out;
  }

  private async lots(
    consignorId: string,
    input: readonly ManifestLotInput[],
    at: Date,
    field: string,
  ): Promise<{ lots: ManifestLot[]; site: string | null }> {
    const facts = await this.facts.lots(
      input.map((l) => l.lotId),
      (i) => `${field}.${i}.lotId`,
    );
    const lots: ManifestLot[] = [];
    for (const [i, l] of facts.entries()) {
      const given = input[i];
      if (l.custodianPartyId !== consignorId || !LOT_HOLDING.includes(l.status)) {
        throw new DomainError('LOT_NOT_IN_CUSTODY', `lot ${l.lotId} is not held by the consignor`, {
          field: `${field}.${i}.lotId`,
          lotIds: [l.lotId],
        });
      }
      lots.push({
        lotId: l.lotId,
        labelCode: l.labelCode,
        wasteCode: l.wasteCode,
        wasteName: given.wasteName ?? (await this.facts.wasteName(l.wasteCode, at)),
        hazards: [...l.hazards],
        form: l.form,
        packaging: l.packaging,
        declaredGrams: given.declaredMass ?? l.massGrams,
        intendedMode: given.intendedMode,
        method: given.method,
      });
    }
    const sites = [...new Set(facts.map((l) => l.siteId).filter((s): s is string => s !== null))];
    return { lots, site: sites.length === 1 ? sites[0] : null };
  }

  private async legs(input: readonly CarrierLegInput[], field: string): Promise<CarrierLeg[]> {
    const out: CarrierLeg[] = [];
    for (const [i, l] of input.entries()) out.push(await this.facts.leg(l, `${field}.${i}`));
    return out;
  }

  private roundLeg(r: RoundRow, field: string): Promise<CarrierLeg> {
    return this.facts.leg(
      {
        carrierPartyId: r.carrier_party_id,
        vehicleId: r.vehicle_id,
        driverId: r.driver_id,
        escortId: r.escort_id,
      },
      field,
    );
  }

  /** A round the consignor is a stop of, planned by the acting collector. */
  private async round(
    roundId: string,
    consignorId: string,
    ownPartyId: string,
    prefix: string,
  ): Promise<{ row: RoundRow; stopSiteId: string }> {
    const [row] = await this.db.query<RoundRow[]>(
      `SELECT round_id, collector_party_id, carrier_party_id, vehicle_id, driver_id, escort_id, receiver_party_id,
              receiver_site_id, to_char(planned_date, 'YYYY-MM-DD') AS planned_date
         FROM collection_round WHERE round_id = $1`,
      [roundId],
    );
    if (!row || row.collector_party_id !== ownPartyId) {
      throw DomainError.badInput(
        `${prefix}.roundId`,
        `${prefix}.roundId: not a collection round of your party`,
      );
    }
    const [stop] = await this.db.query<{ site_id: string }[]>(
      `SELECT site_id FROM collection_round_stop WHERE round_id = $1 AND consignor_party_id = $2 ORDER BY stop_no LIMIT 1`,
      [roundId, consignorId],
    );
    if (!stop)
      throw DomainError.badInput(
        `${prefix}.roundId`,
        `${prefix}.roundId: the consignor is not a stop of the round`,
      );
    return { row, stopSiteId: stop.site_id };
  }

  /** The manifest this one continues; the consignor must be named on it (else it does not exist for it). */
  private async preceding(
    manifestId: string,
    consignorId: string,
    field: string,
  ): Promise<PrecedingManifest> {
    const [row] = await this.db.query<{ consignor_party_id: string }[]>(
      `SELECT m.consignor_party_id FROM manifest m
        WHERE m.manifest_id = $1 AND EXISTS (SELECT 1 FROM manifest_party p WHERE p.manifest_id = m.manifest_id AND p.party_id = $2)`,
      [manifestId, consignorId],
    );
    if (!row) throw DomainError.badInput(field, `${field}: no such manifest`);
    return { manifestId, originalConsignorId: row.consignor_party_id };
  }
}
