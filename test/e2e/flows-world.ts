/**
 * Helpers for the 多流合一 e2e tests (plans, ledger books, go-live, declarations), built on the
 * manifests' world: a producer shop with a storage facility, a collector that is its agent, a
 * licensed recycler and an equipped carrier, all through the API; a movable clock (the app's
 * `Clock`, so that a year can pass inside a test); lots, plans and full manifest cycles.
 */
import { Clock } from '../../src/shared/clock';
import type { TestApp } from '../support/app';
import { registerParty, verify } from '../support/auth';
import { idem, item, type RegisteredParty } from '../support/world';
import { type Lot, type Manifest, manifestWorld } from './manifests-world';

export const OIL = '900-214-08';
export const DRUMS = '900-249-08';

export const PLAN = `siteId year partyId filingNumber managementClass requiredSections revision dueDate late filedAt agentPartyId
  lastReason basicInfo { partyName uscc divisionCode } revisions { revision reason agentPartyId } actualsAsOf`;
/** The content of a plan (a separate selection: nested objects weigh on the query cost limit). */
export const PLAN_CONTENT = `content { generation { wasteCode expectedGrams process }
  transfers { wasteCode receiverPartyId method expectedGrams transferType } storage { facilityId } reduction { measure } }`;

export const LINE = `wasteCode category openingGrams importedOpeningGrams generatedGrams receivedGrams repackagedInGrams
  transferredOutGrams transferredOutBookedGrams utilisedGrams disposedGrams repackagedOutGrams lostGrams closingGrams`;
export const DECLARATION = `siteId partyId kind period periodStart periodEnd dueDate managementClass owed status figuresHash
  figures { codes { ${LINE} } totals { ${LINE} } transfersOut { wasteCode receiverPartyId receiverName receiverDivisionCode receiverLicenceNumbers method viaManifest
              declaredGrams bookedGrams }
            received { wasteCode fromPartyId fromPartyName viaManifest grams } treatedInHouse { wasteCode mode method grams } }
  submissions { submissionNo correctsSubmissionNo reason figuresHash late submittedAt partyId agentPartyId }
  differences { path submittedGrams currentGrams }`;

export type Json = Record<string, unknown>;

export async function flowsWorld(t: TestApp) {
  const w = await manifestWorld(t);
  const clock = t.app.get(Clock);
  const henan = await w.regulator({ level: 'PROVINCE', divisionCode: '410000', jurisdiction: ['41'] });
  let n = 0;
  /** A verified party with one site and the given facilities (first one first in `facilityIds`). */
  const party = async (
    name: string,
    types: string[],
    divisionCode: string,
    facilities = [{ type: 'PRODUCTION', name: 'workshop' }],
  ) => {
    const p = await registerParty(t, {
      name,
      types,
      divisionCode,
      facilities,
      admin: `flows-${process.pid}-${++n}`,
    });
    await verify(t, henan.token, p.id);
    return p;
  };
  const recycler = await party('中牟再生油厂', ['UTILISER'], '410122', [
    { type: 'STORAGE_WAREHOUSE', name: 'tank farm' },
  ]);
  await w.issueLicence(henan, {
    holder: recycler,
    kind: 'COMPREHENSIVE',
    items: [item(OIL, ['STORE', 'UTILISE'], '100'), item(DRUMS, ['STORE', 'UTILISE'], '100')],
    validFrom: '2026-01-01',
    validTo: '2028-12-31',
  });
  const carrier = await party('豫危运输', ['TRANSPORTER'], '410105');
  const crew = await w.equipCarrier(henan, carrier, { validTo: '2028-12-31' });
  const driver = await w.user(carrier, 'DRIVER');
  const collector = await party('郑州小微收集', ['COLLECTOR'], '410105');

  return {
    ...w,
    henan,
    recycler,
    carrier,
    collector,
    driver,
    crew,
    party,

    /** A producer shop with a workshop (PRODUCTION) and a store (STORAGE_WAREHOUSE). */
    shop(name: string, divisionCode = '410102') {
      return party(name, ['PRODUCER'], divisionCode, [
        { type: 'PRODUCTION', name: 'workshop' },
        { type: 'STORAGE_WAREHOUSE', name: 'store' },
      ]);
    },

    /** Moves the application's clock (business and record time) to `iso`. */
    setNow(iso: string) {
      clock.now = () => new Date(iso);
    },

    /** `principal` delegates `scope` to `agent` over 2026–2028. */
    async delegate(principal: RegisteredParty, agent: RegisteredParty, scope: string[]) {
      await w.q(
        `mutation($i: GrantDelegationInput!) { grantDelegation(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: idem('delegation'),
            agentPartyId: agent.id,
            scope,
            validFrom: '2026-01-01',
            validTo: '2028-12-31',
          },
        },
        principal.token,
      );
    },

    /** A REGISTRATION-class plan: generates and ships `codes` to the recycler (R9). */
    planContent(codes: string[] = [OIL], receiverPartyId = recycler.id) {
      return {
        generation: codes.map((wasteCode) => ({ wasteCode, expectedAmount: '500.000', process: '机修换油' })),
        transfers: codes.map((wasteCode) => ({
          wasteCode,
          receiverPartyId,
          method: 'R9',
          expectedAmount: '500.000',
        })),
      };
    },

    async filePlan(token: string, siteId: string, year: number, content: Json, onBehalfOfPartyId?: string) {
      return (
        await w.q<{ fileManagementPlan: { filingNumber: string; plan: Json } }>(
          `mutation($i: FileManagementPlanInput!) { fileManagementPlan(input: $i) { filingNumber plan { ${PLAN} } } }`,
          { i: { idempotencyKey: idem('plan'), siteId, year, content, onBehalfOfPartyId } },
          token,
        )
      ).fileManagementPlan;
    },

    /** One lot of `mass` kg generated at the workshop at `occurredAt`. */
    async lot(p: RegisteredParty, mass: string, occurredAt: string, wasteCode = OIL): Promise<Lot> {
      const [lot] = await w.lots(p, [{ wasteCode, mass }], p.token, undefined, occurredAt);
      return lot;
    },

    async store(p: RegisteredParty, lotId: string, occurredAt: string) {
      await w.q(
        `mutation($i: StoreLotInput!) { storeLot(input: $i) { id } }`,
        { i: { idempotencyKey: idem('store'), lotId, facilityId: p.facilityIds[1], occurredAt } },
        p.token,
      );
    },

    /** Drafts and submits a manifest of `lots` from `p` to the recycler today (the app's clock). */
    async submit(
      p: RegisteredParty,
      lots: { lotId: string; declaredMass?: string; method?: string }[],
      today: string,
      receiverPartyId = recycler.id,
    ) {
      const m = await w.draft(p.token, {
        receiverPartyId,
        legs: [
          {
            carrierPartyId: carrier.id,
            vehicleId: crew.vehicleId,
            driverId: crew.driverId,
            escortId: crew.escortId,
          },
        ],
        lots: lots.map((l) => ({
          lotId: l.lotId,
          intendedMode: 'UTILISE',
          method: l.method ?? 'R9',
          declaredMass: l.declaredMass,
        })),
        plannedDate: today,
      });
      return w.submit(p.token, m.id);
    },

    /** The rest of the trip: custody, delivery, receipt with the measured masses (all accepted). */
    async carry(m: Manifest, code: string, measured: Record<string, string>): Promise<Manifest> {
      const taken = await w.takeCustody(driver, m, code);
      await w.deliver(driver, taken.id);
      return w.receive(
        recycler.token,
        m.id,
        recycler.facilityIds[0],
        Object.entries(measured).map(([lotId, measuredMass]) => ({
          lotId,
          measuredMass,
          decision: 'ACCEPTED',
        })),
      );
    },

    async declaration(token: string, siteId: string, kind: string, period: string) {
      return (
        await w.q<{
          declaration: Json & {
            figuresHash: string;
            figures: { codes: Json[]; totals: Json; transfersOut: Json[]; received: Json[] };
          };
        }>(
          `query($s: ID!, $k: DeclarationKind!, $p: String!) { declaration(siteId: $s, kind: $k, period: $p) { ${DECLARATION} } }`,
          { s: siteId, k: kind, p: period },
          token,
        )
      ).declaration;
    },
  };
}

export type FlowsWorld = Awaited<ReturnType<typeof flowsWorld>>;
