/**
 * A small world for e2e and integration tests, built through the GraphQL API with real logins,
 * the way users would build it: the system administrator creates agencies and their regulators,
 * parties register themselves and are verified, regulators issue licences, carriers register
 * their permits, vehicles and crew.
 *
 * ```ts
 * const t = await createTestApp(AUTH_ENV);
 * const w = await openWorld(t);
 * const province = await w.regulator({ level: 'PROVINCE', divisionCode: '410000', jurisdiction: ['41'] });
 * const disposer = await w.verifiedParty(province, { name: 'Disposer', types: ['DISPOSER'], divisionCode: '410102' });
 * const licence = await w.issueLicence(province, { holder: disposer, kind: 'COMPREHENSIVE', items: [hw08('1000')] });
 * ```
 *
 * Usernames are made unique per world, so several worlds may share one database. The login,
 * `ok`, `errorCode` and party helpers of `auth.ts` are re-exported for convenience.
 */
import { shanghaiDate } from '../../src/shared/domain/time';
import type { TestApp } from './app';
import {
  AUTH_ENV,
  type Agency,
  createAgency,
  errorCode,
  idem,
  login,
  ok,
  registerParty,
  type RegisteredParty,
  verify,
} from './auth';

export { AUTH_ENV, errorCode, idem, login, ok, type Agency, type RegisteredParty };

/** A licence item as `issueLicence` takes it. */
export interface ItemSpec {
  scope: string;
  modes: string[];
  /** Tonnes as a decimal string. */
  annualCapacityTonnes: string;
  mergeableCodes?: string[];
}

/** An item covering a waste code or category with the modes, at a capacity in tonnes. */
export const item = (scope: string, modes: string[], annualCapacityTonnes: string): ItemSpec => ({
  scope,
  modes,
  annualCapacityTonnes,
});

/** A licence as issued: its id and its items' ids by scope. */
export interface IssuedLicence {
  id: string;
  number: string;
  itemIds: Record<string, string>;
}

/** A carrier's verified permit, vehicle and crew. */
export interface EquippedCarrier {
  permitId: string;
  vehicleId: string;
  driverId: string;
  escortId: string;
  plate: string;
}

/** Calendar arithmetic on `YYYY-MM-DD` business dates (Asia/Shanghai). */
export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Today in Asia/Shanghai. */
export const today = (): string => shanghaiDate(new Date());

let worlds = 0;

/** Logs the system administrator in (the app must run with `AUTH_ENV`) and returns the world's builders. */
export async function openWorld(t: TestApp) {
  const prefix = `w${process.pid}-${++worlds}`;
  let n = 0;
  const name = (what: string) => `${prefix}-${what}-${++n}`;
  const sys = await login(t, AUTH_ENV.SYSTEM_ADMIN_USERNAME, AUTH_ENV.SYSTEM_ADMIN_PASSWORD);

  return {
    /** The system administrator's token. */
    sys,

    /** Creates an agency (ENVIRONMENT unless `kind` says otherwise) and one user of it, logged in. */
    regulator(a: {
      level: string;
      divisionCode: string;
      jurisdiction: string[];
      kind?: string;
      name?: string;
    }) {
      return createAgency(t, sys, { ...a, name: a.name ?? name('agency'), username: name('reg') });
    },

    /** Self-registers a party with one site in `divisionCode`, logs its ADMIN in, and has `by` verify it. */
    async verifiedParty(
      by: Agency,
      p: { name?: string; types: string[]; divisionCode: string; bedCount?: number },
    ): Promise<RegisteredParty> {
      const party = await this.pendingParty(p);
      await verify(t, by.token, party.id);
      return party;
    },

    /** Self-registers a party (left PENDING) with one site in `divisionCode` and logs its ADMIN in. */
    pendingParty(p: { name?: string; types: string[]; divisionCode: string; bedCount?: number }) {
      return registerParty(t, { ...p, name: p.name ?? name('party'), admin: name('admin') });
    },

    /** Issues a licence to `holder` (facility: its first site unless named), valid from/to the given days. */
    async issueLicence(
      by: Agency,
      l: {
        holder: RegisteredParty;
        kind: string;
        items: ItemSpec[];
        validFrom?: string;
        validTo?: string;
        facilitySiteIds?: string[];
        number?: string;
      },
    ): Promise<IssuedLicence> {
      const from = l.validFrom ?? `${today().slice(0, 4)}-01-01`;
      const number = l.number ?? name('licence');
      const { issueLicence } = await ok<{
        issueLicence: { id: string; items: { id: string; scope: string }[] };
      }>(
        t,
        `mutation($i: IssueLicenceInput!) { issueLicence(input: $i) { id items { id scope } } }`,
        {
          i: {
            idempotencyKey: idem('licence'),
            number,
            holderPartyId: l.holder.id,
            kind: l.kind,
            validFrom: from,
            validTo: l.validTo ?? addDays(`${Number(from.slice(0, 4)) + 3}${from.slice(4)}`, -1),
            facilitySiteIds: l.facilitySiteIds ?? [l.holder.siteIds[0]],
            items: l.items,
          },
        },
        by.token,
      );
      return {
        id: issueLicence.id,
        number,
        itemIds: Object.fromEntries(issueLicence.items.map((i) => [i.scope, i.id])),
      };
    },

    /**
     * Registers a transport permit, one vehicle and a driver and an escort for `carrier` (a
     * TRANSPORTER), and has `by` verify the permit and the vehicle.
     */
    async equipCarrier(
      by: Agency,
      carrier: RegisteredParty,
      o: { medicalWasteVehicle?: boolean; plate?: string; validTo?: string } = {},
    ): Promise<EquippedCarrier> {
      const validTo = o.validTo ?? addDays(today(), 365);
      const plate = o.plate ?? `豫A${String(10000 + (++n % 90000))}`;
      const { registerTransportPermit: permit } = await ok<{ registerTransportPermit: { id: string } }>(
        t,
        `mutation($i: RegisterTransportPermitInput!) { registerTransportPermit(input: $i) { id } }`,
        { i: { idempotencyKey: idem('permit'), number: name('permit'), validTo } },
        carrier.token,
      );
      const { registerVehicle: vehicle } = await ok<{ registerVehicle: { id: string } }>(
        t,
        `mutation($i: RegisterVehicleInput!) { registerVehicle(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: idem('vehicle'),
            permitId: permit.id,
            plate,
            certificateNumber: name('cert'),
            certificateValidTo: validTo,
            medicalWasteVehicle: o.medicalWasteVehicle ?? false,
          },
        },
        carrier.token,
      );
      const crew = async (role: string) =>
        (
          await ok<{ registerCrewMember: { id: string } }>(
            t,
            `mutation($i: RegisterCrewMemberInput!) { registerCrewMember(input: $i) { id } }`,
            {
              i: {
                idempotencyKey: idem('crew'),
                role,
                name: `${role} ${n}`,
                certificateNumber: name('qual'),
                certificateValidTo: validTo,
              },
            },
            carrier.token,
          )
        ).registerCrewMember.id;
      const driverId = await crew('DRIVER');
      const escortId = await crew('ESCORT');
      for (const [op, id] of [
        ['verifyTransportPermit', permit.id],
        ['verifyVehicle', vehicle.id],
      ]) {
        await ok(
          t,
          `mutation($i: RefInput!) { ${op}(input: $i) { id } }`,
          { i: { idempotencyKey: idem('verify'), id } },
          by.token,
        );
      }
      return { permitId: permit.id, vehicleId: vehicle.id, driverId, escortId, plate };
    },
  };
}

export type World = Awaited<ReturnType<typeof openWorld>>;
