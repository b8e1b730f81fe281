import { Injectable } from '@nestjs/common';
import { LicenceReadService } from '../../licences/licence-read.service';
import {
  type CustodianKind,
  type StorageDeadline,
  storageDeadline,
} from '../../oversight/domain/clock-rules';
import { PartyReadService } from '../../parties/party-read.service';
import { Clock } from '../../shared/clock';
import { shanghaiDate } from '../../shared/domain/time';
import { custodianKindOf } from '../lot-rules';
import { CalendarService } from './calendar.service';

/** The fields of a lot row the storage clock needs. */
export interface ClockedLot {
  lot_id: string;
  status: string;
  category: string;
  custodian_party_id: string;
  clock_starts_at: Date;
}

/** Statuses in which a holder stores the lot (贮存) and its clock runs. */
export const HELD_STATUSES = ['GENERATED', 'STORED', 'REJECTED'];

/**
 * 贮存期限 — which storage limit runs for a lot's current holder (medical institution 48 h,
 * COLLECTION licence holder 90 working days, pilot collector and others 1 year) and when it runs
 * out, with the official working-day calendar. Looks up each holder's types and licences once.
 */
@Injectable()
export class LotClockPolicy {
  constructor(
    private readonly parties: PartyReadService,
    private readonly licences: LicenceReadService,
    private readonly calendars: CalendarService,
    private readonly clock: Clock,
  ) {}

  /** The custodian kind of each lot's holder on the Shanghai day of `at`. */
  async kinds(lots: readonly ClockedLot[], at: Date): Promise<Map<string, CustodianKind>> {
    const date = shanghaiDate(at);
    const byParty = new Map<
      string,
      { types: string[]; licences: Awaited<ReturnType<LicenceReadService['licencesOf']>> }
    >();
    for (const id of new Set(lots.map((l) => l.custodian_party_id))) {
      const [party, licences] = await Promise.all([this.parties.partyRow(id), this.licences.licencesOf(id)]);
      byParty.set(id, { types: party?.types ?? [], licences });
    }
    const out = new Map<string, CustodianKind>();
    for (const l of lots) {
      const p = byParty.get(l.custodian_party_id)!;
      out.set(l.lot_id, custodianKindOf(p.types, p.licences, l.category, date));
    }
    return out;
  }

  /** The storage deadline of each lot held at a facility (none for lots in transit, delivered or ended). */
  async deadlines(lots: readonly ClockedLot[]): Promise<Map<string, StorageDeadline>> {
    const held = lots.filter((l) => HELD_STATUSES.includes(l.status));
    if (held.length === 0) return new Map();
    const kinds = await this.kinds(held, this.clock.now());
    const calendar = this.calendars.calendar();
    return new Map(
      held.map((l) => [l.lot_id, storageDeadline(l.clock_starts_at, kinds.get(l.lot_id)!, calendar)]),
    );
  }
}
