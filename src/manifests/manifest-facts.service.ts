import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueService } from '../catalogue/catalogue.service';
import type { Hazard } from '../catalogue/domain/hazard';
import { LicenceCheckService } from '../licences/licence-check.service';
import { LicenceReadService } from '../licences/licence-read.service';
import { CalendarService } from '../lots/clock/calendar.service';
import { PartyReadService } from '../parties/party-read.service';
import { ownParty } from '../shared/auth/access-policy';
import type { Principal } from '../shared/auth/principal';
import type { Actor } from '../shared/domain/actor';
import { DomainError, isDomainError } from '../shared/domain/domain-error';
import { shanghaiDate } from '../shared/domain/time';
import type { WorkingDayDeadline } from '../shared/domain/working-days';
import type { CarrierCheck, CarrierLeg } from './domain';
import { MANIFEST_DELEGATION_SCOPE } from './manifest-streams';

/** Who acts: the actor the events name, the party acted for, and the caller's own party. */
export interface Acting {
  readonly actor: Actor;
  /** The party the act is done for (the consignor when its agent acts). */
  readonly partyId: string;
  readonly ownPartyId: string;
  /** The caller's role in its party (a DRIVER only signs transport steps), or DEVICE. */
  readonly role: string;
}

export interface PartyFact {
  readonly partyId: string;
  readonly name: string;
  readonly types: readonly string[];
  readonly status: string;
}

export interface SiteFact {
  readonly siteId: string;
  readonly partyId: string;
  readonly divisionCode: string;
  readonly address: string;
}

/** A lot as the manifest needs it, from the lot read model. */
export interface LotFact {
  readonly lotId: string;
  readonly labelCode: string;
  readonly wasteCode: string;
  readonly category: string;
  readonly hazards: readonly Hazard[];
  readonly form: string;
  readonly packaging: string;
  readonly massGrams: number;
  readonly status: string;
  readonly custodianPartyId: string;
  readonly siteId: string | null;
}

const CARRIER_CODES = ['CARRIER_NOT_LICENSED', 'VEHICLE_NOT_AUTHORISED', 'CERTIFICATE_EXPIRED'] as const;
type CarrierCode = (typeof CARRIER_CODES)[number];
const isCarrierCode = (c: string): c is CarrierCode => (CARRIER_CODES as readonly string[]).includes(c);

/**
 * Facts the manifest deciders take from outside the manifest stream, looked up at the business
 * time of the act: who acts (a member or device of a party, or an agent under a delegation),
 * parties and sites, lots, vehicles, the carrier check and working-day deadlines.
 */
@Injectable()
export class ManifestFactsService {
  constructor(
    private readonly db: DataSource,
    private readonly parties: PartyReadService,
    private readonly catalogue: CatalogueService,
    private readonly licences: LicenceReadService,
    private readonly checks: LicenceCheckService,
    private readonly calendars: CalendarService,
  ) {}

  /** The party the caller acts for; an agent names the delegating party (`onBehalfOfPartyId`, scope MANIFESTS). */
  async acting(who: Principal, onBehalfOfPartyId: string | null | undefined, at: Date): Promise<Acting> {
    if (who.kind === 'ANONYMOUS') throw new DomainError('UNAUTHENTICATED', 'sign in first');
    const own = ownParty(who);
    const role = who.kind === 'DEVICE' ? 'DEVICE' : who.role;
    if (!onBehalfOfPartyId || onBehalfOfPartyId === own)
      return { actor: who.actor, partyId: own, ownPartyId: own, role };
    if (who.kind !== 'USER') {
      throw new DomainError('FORBIDDEN', 'a device acts for its own party only', {
        field: 'input.onBehalfOfPartyId',
      });
    }
    const delegation = await this.parties.delegation(
      onBehalfOfPartyId,
      own,
      MANIFEST_DELEGATION_SCOPE,
      shanghaiDate(at),
    );
    if (!delegation) {
      throw new DomainError(
        'FORBIDDEN',
        `no delegation (${MANIFEST_DELEGATION_SCOPE}) from that party to yours in force`,
        {
          field: 'input.onBehalfOfPartyId',
        },
      );
    }
    return { actor: { ...who.actor, onBehalfOfPartyId }, partyId: onBehalfOfPartyId, ownPartyId: own, role };
  }

  /** Whether an agent's delegation from the consignor holds on the date (for `allowedActions`). */
  async delegationHolds(consignorPartyId: string, agentPartyId: string, at: Date): Promise<boolean> {
    return (
      (await this.parties.delegation(
        consignorPartyId,
        agentPartyId,
        MANIFEST_DELEGATION_SCOPE,
        shanghaiDate(at),
      )) !== undefined
    );
  }

  async party(partyId: string): Promise<PartyFact | null> {
    const r = await this.parties.partyRow(partyId);
    return r ? { partyId: r.party_id, name: r.name, types: r.types, status: r.status } : null;
  }

  /** A party that must exist (else BAD_USER_INPUT on `field`) and be verified (else PARTY_NOT_VERIFIED). */
  async verifiedParty(partyId: string, field: string, what: string): Promise<PartyFact> {
    const p = await this.party(partyId);
    if (!p) throw DomainError.badInput(field, `${field}: no such party`);
    if (p.status !== 'VERIFIED') {
      throw new DomainError('PARTY_NOT_VERIFIED', `the ${what} has not been verified by a regulator`, {
        field,
        partyId,
      });
    }
    return p;
  }

  async partyNames(partyIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.db.query<{ party_id: string; name: string }[]>(
      `SELECT party_id, name FROM party WHERE party_id = ANY($1)`,
      [[...new Set(partyIds)]],
    );
    return new Map(rows.map((r) => [r.party_id, r.name]));
  }

  /** A site of a party (else BAD_USER_INPUT on `field`). */
  async siteOf(siteId: string, partyId: string, field: string): Promise<SiteFact> {
    const s = await this.parties.siteRow(siteId);
    if (!s || s.party_id !== partyId) throw DomainError.badInput(field, `${field}: not a site of that party`);
    return { siteId: s.site_id, partyId: s.party_id, divisionCode: s.division_code, address: s.address };
  }

  /** The only site of a party, or the one named (BAD_USER_INPUT on `field` when several and none named). */
  async siteFor(partyId: string, siteId: string | null | undefined, field: string): Promise<SiteFact> {
    if (siteId) return this.siteOf(siteId, partyId, field);
    const rows = await this.db.query<{ site_id: string }[]>(
      `SELECT site_id FROM party_site WHERE party_id = $1`,
      [partyId],
    );
    if (rows.length !== 1)
      throw DomainError.badInput(field, `${field}: name the site (the party has ${rows.length})`);
    return this.siteOf(rows[0].site_id, partyId, field);
  }

  /** Lots from the lot read model, in the order asked; an unknown id is BAD_USER_INPUT on its field. */
  async lots(lotIds: readonly string[], field: (i: number) => string): Promise<LotFact[]> {
    const rows = await this.db.query<
      {
        lot_id: string;
        label_code: string;
        waste_code: string;
        category: string;
        hazards: Hazard[];
        form: string;
        packaging: string;
        mass_grams: string;
        status: string;
        custodian_party_id: string;
        site_id: string | null;
      }[]
    >(
      `SELECT lot_id, label_code, waste_code, category, hazards, form, packaging, mass_grams, status, custodian_party_id, site_id
         FROM lot WHERE lot_id = ANY($1)`,
      [[...lotIds]],
    );
    return lotIds.map((id, i) => {
      const r = rows.find((x) => x.lot_id === id);
      if (!r) throw DomainError.badInput(field(i), `${field(i)}: no such lot`);
      return {
        lotId: r.lot_id,
        labelCode: r.label_code,
        wasteCode: r.waste_code,
        category: r.category,
        hazards: r.hazards,
        form: r.form,
        packaging: r.packaging,
        massGrams: Number(r.mass_grams),
        status: r.status,
        custodianPartyId: r.custodian_party_id,
        siteId: r.site_id,
      };
    });
  }

  /** 废物名称 — the category's Chinese name in the catalogue in force (a short name for the manifest). */
  async wasteName(code: string, at: Date): Promise<string> {
    const c = await this.catalogue.findCode(code, at);
    return c?.categoryNameZh ?? code;
  }

  /** A carrier leg from its parts: the vehicle's 道路运输证 number is its operating permit number. */
  async leg(
    l: { carrierPartyId: string; vehicleId: string; driverId: string; escortId: string },
    field: string,
  ): Promise<CarrierLeg> {
    const vehicle = await this.licences.vehicle(l.vehicleId);
    if (!vehicle || vehicle.partyId !== l.carrierPartyId) {
      throw DomainError.badInput(`${field}.vehicleId`, `${field}.vehicleId: not a vehicle of the carrier`);
    }
    return {
      carrierId: l.carrierPartyId,
      vehicleId: l.vehicleId,
      operatingPermitNumber: vehicle.certificateNumber,
      driverId: l.driverId,
      escortId: l.escortId,
    };
  }

  /**
   * 承运人核查 of one leg on a date (planned date at submit, the instant custody is taken later):
   * the outcome for the decider; crew not registered by the carrier is malformed input.
   */
  async carrierCheck(
    leg: CarrierLeg,
    legNo: number,
    wasteCodes: readonly string[],
    date: string | Date,
  ): Promise<CarrierCheck> {
    try {
      await this.checks.checkCarrier({
        carrierPartyId: leg.carrierId,
        vehicleId: leg.vehicleId,
        driverId: leg.driverId,
        escortId: leg.escortId,
        businessDate: date,
        wasteCodes,
      });
      return { ok: true };
    } catch (e) {
      if (isDomainError(e) && isCarrierCode(e.code))
        return { ok: false, code: e.code, reason: e.message, leg: legNo };
      if (isDomainError(e) && e.code === 'BAD_USER_INPUT') {
        const f = typeof e.details.field === 'string' ? e.details.field : 'leg';
        throw DomainError.badInput(`input.legs.${legNo - 1}.${f}`, `leg ${legNo}: ${e.message}`);
      }
      throw e;
    }
  }

  /** N working days after an instant, ending 24:00 Asia/Shanghai (provisional beyond the loaded years). */
  deadline(from: Date, workingDays: number): WorkingDayDeadline {
    return this.calendars.calendar().deadlineAfter(from, workingDays);
  }
}
