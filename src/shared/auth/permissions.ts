import type { Principal, Role } from './principal';

/**
 * THE permission table: for every GraphQL query, mutation and subscription, who may call it.
 * Data scoping (which records of those a caller sees) is done by the services, through
 * `access-policy.ts`. An operation without an entry here is refused to everyone, and a test
 * generated from the schema fails until it gets one.
 */
export type Audience =
  | 'PUBLIC'
  | 'ANY_AUTHENTICATED'
  | 'PARTY_ADMIN'
  | 'PARTY_OPERATOR'
  | 'PARTY_DRIVER'
  | 'PARTY_VIEWER'
  | 'REGULATOR'
  | 'INSPECTOR'
  | 'SYSTEM_ADMIN'
  | 'DEVICE';

export interface Rule {
  audiences: readonly Audience[];
  /** For devices: the operation name their key must list (defaults to the operation itself). */
  deviceOperation?: string;
  /** A short note for the README's table. */
  note?: string;
}

const R = (note: string, ...audiences: Audience[]): Rule => ({ audiences, note });

/** Party members who may act on behalf of their party (drivers only sign transport steps). */
const PARTY_ACTORS: Audience[] = ['PARTY_ADMIN', 'PARTY_OPERATOR'];
const PARTY_READERS: Audience[] = ['PARTY_ADMIN', 'PARTY_OPERATOR', 'PARTY_DRIVER', 'PARTY_VIEWER'];

export const PERMISSIONS: Record<string, Rule> = {
  // catalogue: public reference data
  wasteCode: R('reference data', 'PUBLIC'),
  wasteCodes: R('reference data', 'PUBLIC'),
  wasteCategories: R('reference data', 'PUBLIC'),
  wasteCatalogueEditions: R('reference data', 'PUBLIC'),
  medicalWasteClasses: R('reference data', 'PUBLIC'),
  administrativeDivision: R('reference data', 'PUBLIC'),

  // ledger integrity
  ledgerCheckpoints: R('public by design', 'PUBLIC'),
  ledgerPublicKeys: R('public by design', 'PUBLIC'),
  streamEvents: R('scoped: who may read the record', 'ANY_AUTHENTICATED'),
  eventProof: R('scoped: who may read the event', 'ANY_AUTHENTICATED'),
  verifyLedger: R('whole ledger', 'REGULATOR', 'SYSTEM_ADMIN'),

  // identity
  login: R('rate-limited', 'PUBLIC'),
  refreshToken: R('rotating; reuse revokes the family', 'PUBLIC'),
  logout: R('revokes the refresh token family', 'PUBLIC'),
  exchangeDeviceKey: R('device API key → short-lived token', 'PUBLIC'),
  me: R('the caller', 'ANY_AUTHENTICATED'),
  changePassword: R('own account', 'ANY_AUTHENTICATED'),

  // parties
  registerParty: R('self-registration with a first ADMIN; pending until verified', 'PUBLIC'),
  registerPartyAsRegulator: R('within the jurisdiction', 'REGULATOR'),
  verifyParty: R('within the jurisdiction', 'REGULATOR'),
  party: R('scoped', ...PARTY_READERS, 'REGULATOR', 'INSPECTOR', 'SYSTEM_ADMIN'),
  parties: R('scoped', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN'),
  addSite: R('own party', 'PARTY_ADMIN'),
  addFacility: R('own party', 'PARTY_ADMIN'),
  relocateFacility: R('own party (mobile units)', ...PARTY_ACTORS),
  createUser: R('own party', 'PARTY_ADMIN'),
  partyUsers: R('own party', 'PARTY_ADMIN'),
  delegations: R('own party', 'PARTY_ADMIN', 'PARTY_OPERATOR'),
  devices: R('own party', 'PARTY_ADMIN'),
  changeUserRole: R('own party', 'PARTY_ADMIN'),
  revokeUser: R('own party', 'PARTY_ADMIN'),
  grantDelegation: R('own party to an agent', 'PARTY_ADMIN'),
  revokeDelegation: R('own party', 'PARTY_ADMIN'),
  registerDevice: R('own party; the key is shown once', 'PARTY_ADMIN'),
  revokeDevice: R('own party', 'PARTY_ADMIN'),
  managementClass: R('scoped', ...PARTY_READERS, 'REGULATOR'),
  overrideManagementClass: R('within the jurisdiction, with a reason', 'REGULATOR'),

  // oversight
  alerts: R('scoped: jurisdiction, or alerts naming your party', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN'),
  alert: R('scoped', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN'),
  acknowledgeAlert: R('within the jurisdiction, with a note', 'REGULATOR'),
  alertRaised: R('live; jurisdiction enforced per event', ...PARTY_READERS, 'REGULATOR'),
  custodyChain: R('the lot visible; other lots outside scope redacted', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN'),
  custodyChainByManifest: R('the manifest visible; lots outside scope redacted', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN'),
  custodyChainByLabel: R('the lot visible; lots outside scope redacted', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN'),
  searchManifests: R('within the jurisdiction', 'REGULATOR', 'SYSTEM_ADMIN'),
  searchLots: R('within the jurisdiction', 'REGULATOR', 'SYSTEM_ADMIN'),
  searchParties: R('within the jurisdiction', 'REGULATOR', 'SYSTEM_ADMIN'),
  searchLicences: R('within the jurisdiction', 'REGULATOR', 'SYSTEM_ADMIN'),
  wasteQuantities: R('within the jurisdiction', 'REGULATOR', 'SYSTEM_ADMIN'),
  openManifestsByAge: R('within the jurisdiction', 'REGULATOR', 'SYSTEM_ADMIN'),
  carrierDiscrepancyRates: R('within the jurisdiction', 'REGULATOR', 'SYSTEM_ADMIN'),
  manifestStatusChanged: R('live; parties on the manifest, regulators by site', ...PARTY_READERS, 'REGULATOR'),

  // licences and authorisations
  issueLicence: R('level issues the kind; facility sites in the jurisdiction', 'REGULATOR'),
  amendLicence: R('level issues the kind; facility sites in the jurisdiction', 'REGULATOR'),
  suspendLicence: R('level issues the kind; facility sites in the jurisdiction', 'REGULATOR'),
  reinstateLicence: R('level issues the kind; facility sites in the jurisdiction', 'REGULATOR'),
  revokeLicence: R('level issues the kind; facility sites in the jurisdiction', 'REGULATOR'),
  licence: R('scoped: holder, jurisdiction, verified-operator directory', 'ANY_AUTHENTICATED'),
  licences: R('scoped: holder, jurisdiction, verified-operator directory', 'ANY_AUTHENTICATED'),
  licenceCheck: R('a receiver you may see; reserves nothing', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN'),
  registerTransportPermit: R('own party, a TRANSPORTER', 'PARTY_ADMIN'),
  registerVehicle: R('own party, under its permit', 'PARTY_ADMIN'),
  registerCrewMember: R('own party; personal data off the ledger', 'PARTY_ADMIN'),
  verifyTransportPermit: R('carrier in the jurisdiction', 'REGULATOR'),
  verifyVehicle: R('carrier in the jurisdiction', 'REGULATOR'),
  transportPermits: R(
    'scoped: own, jurisdiction, verified transporters',
    ...PARTY_READERS,
    'REGULATOR',
    'INSPECTOR',
    'SYSTEM_ADMIN',
  ),
  vehicles: R(
    'scoped; by plate for roadside checks',
    ...PARTY_READERS,
    'REGULATOR',
    'INSPECTOR',
    'SYSTEM_ADMIN',
  ),
  crewMembers: R(
    'own party and its regulators (personal data)',
    'PARTY_ADMIN',
    'PARTY_OPERATOR',
    'REGULATOR',
    'SYSTEM_ADMIN',
  ),
  declareEpidemic: R('region in the jurisdiction', 'REGULATOR'),
  endEpidemic: R('region in the jurisdiction', 'REGULATOR'),
  epidemics: R('public notices', 'ANY_AUTHENTICATED'),
  grantEmergencyAuthorisation: R('holder and regions in the jurisdiction', 'REGULATOR'),
  revokeEmergencyAuthorisation: R('regions in the jurisdiction', 'REGULATOR'),
  emergencyAuthorisations: R(
    'scoped: holder, jurisdiction, verified-operator directory',
    'ANY_AUTHENTICATED',
  ),
  issueCrossProvinceApproval: R('exporting PROVINCE agency, consignor site in it', 'REGULATOR'),
  revokeCrossProvinceApproval: R('exporting PROVINCE agency', 'REGULATOR'),
  crossProvinceApprovals: R(
    'scoped: consignor, receiver, jurisdiction',
    ...PARTY_READERS,
    'REGULATOR',
    'SYSTEM_ADMIN',
  ),

  // agencies
  createAgency: R('bootstrap', 'SYSTEM_ADMIN'),
  createAgencyUser: R('bootstrap', 'SYSTEM_ADMIN'),
  agencies: R('directory', 'ANY_AUTHENTICATED'),

  // lots (批次): acts by the custodian (its members, devices listing the act, or its agent)
  generateLots: R('own or delegating producer', ...PARTY_ACTORS, 'DEVICE'),
  storeLot: R('custodian', ...PARTY_ACTORS, 'DEVICE'),
  handOverExempt: R('custodian; exemption #2', ...PARTY_ACTORS, 'DEVICE'),
  consolidateLots: R('custodian', ...PARTY_ACTORS, 'DEVICE'),
  splitLot: R('custodian', ...PARTY_ACTORS, 'DEVICE'),
  treatLots: R('custodian; licensed mode or own facility', ...PARTY_ACTORS),
  recordLoss: R('custodian (drivers: in transit)', ...PARTY_ACTORS, 'PARTY_DRIVER', 'DEVICE'),
  lot: R('scoped', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN', 'DEVICE'),
  lotByLabel: R(
    'scoped; also GET /labels/<code>.svg',
    ...PARTY_READERS,
    'REGULATOR',
    'SYSTEM_ADMIN',
    'DEVICE',
  ),
  lots: R('scoped', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN'),
  lotHistory: R('scoped', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN'),
  lotFate: R('scoped; the producer sees every node', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN'),
  exemptionEntries: R('reference data', 'PUBLIC'),

  // manifests (电子转移联单): the consignor (or its agent) drafts and submits; carriers' drivers and
  // devices sign transport steps; the receiver receives; parties on a manifest and regulators read
  draftManifest: R('consignor or its agent', ...PARTY_ACTORS),
  amendManifestDraft: R('consignor or its agent', ...PARTY_ACTORS),
  submitManifest: R('consignor or its agent', ...PARTY_ACTORS),
  reissueHandoverCode: R('consignor', ...PARTY_ACTORS),
  cancelManifest: R('consignor or its agent, before custody', ...PARTY_ACTORS),
  reportNationalNumber: R('consignor or its agent', ...PARTY_ACTORS),
  takeCustody: R('first carrier; refusals go to the attempt log', ...PARTY_ACTORS, 'PARTY_DRIVER', 'DEVICE'),
  refuseContainer: R('first carrier, before departure', ...PARTY_ACTORS, 'PARTY_DRIVER', 'DEVICE'),
  relayCustody: R('next leg’s carrier', ...PARTY_ACTORS, 'PARTY_DRIVER', 'DEVICE'),
  deliverManifest: R('last carrier or named receiver', ...PARTY_ACTORS, 'PARTY_DRIVER', 'DEVICE'),
  submitScans: R('offline custody acts of the caller’s party', ...PARTY_ACTORS, 'PARTY_DRIVER', 'DEVICE'),
  recordReceipt: R('named receiver', ...PARTY_ACTORS),
  closeManifest: R('receiver', ...PARTY_ACTORS),
  requestCorrection: R('a party on the manifest', ...PARTY_ACTORS),
  approveCorrection: R('the other parties on the manifest', ...PARTY_ACTORS),
  refuseCorrection: R('the other parties on the manifest', ...PARTY_ACTORS),
  enterPaperManifest: R('consignor or its agent', ...PARTY_ACTORS),
  planCollectionRound: R('collector, agent of the producers visited', ...PARTY_ACTORS),
  manifest: R('parties on it; regulators by site', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN', 'DEVICE'),
  manifestByNumber: R('as manifest', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN', 'DEVICE'),
  manifests: R('scoped', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN'),
  allowedActions: R('as manifest; for the caller', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN', 'DEVICE'),
  manifestHistory: R('parties on it; regulators by site', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN'),
  custodyAttempts: R('as manifest', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN'),
  driverAssignments: R('own party as carrier', ...PARTY_ACTORS, 'PARTY_DRIVER', 'DEVICE'),
  collectionRound: R('collector or carrier', ...PARTY_READERS),

  // telemetry (物联网): devices whose key lists it send their own readings (also over MQTT); a
  // party's fleet platform forwards its devices' readings. Tracks and weighings are fields of Manifest.
  submitReadings: R('own readings (devices), or own devices’ (party platform)', ...PARTY_ACTORS, 'DEVICE'),

  // documents (单据): printable manifests (GET /manifests/<id>.pdf, as `manifest`), roadside
  // inspection links (public by signature: GET /inspect/<token>), label sheets (as `lotByLabel`)
  inspectionLink: R('as manifest; also GET /manifests/<id>.pdf', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN'),
  inspectionOpenings: R('as manifest', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN'),
  openManifestsByPlate: R('roadside checks, any region', 'INSPECTOR', 'REGULATOR', 'SYSTEM_ADMIN'),

  // 多流合一 (flows): the unit files (or its agent: scope PLANS for plans, DECLARATIONS for
  // declarations); the unit, its agents and the regulators of the site's region read
  fileManagementPlan: R('own producer site, or as its agent (PLANS)', ...PARTY_ACTORS),
  amendManagementPlan: R('own producer site, or as its agent (PLANS)', ...PARTY_ACTORS),
  managementPlan: R('site’s unit, agents, regulators by site', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN'),
  ledgerBook: R('site’s unit, agents, regulators by site; also GET /ledger-books/<site>.csv', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN'),
  importGoLive: R('own site, once, before anything is booked there', 'PARTY_ADMIN'),
  goLiveImport: R('site’s unit, agents, regulators by site', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN'),
  declaration: R('site’s unit, agents, regulators by site', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN'),
  submitDeclaration: R('own site, or as its agent (DECLARATIONS)', ...PARTY_ACTORS),
  filingObligations: R('site’s unit, agents, regulators by site', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN'),
  overdueFilings: R('alerts naming your party, or of your jurisdiction', ...PARTY_READERS, 'REGULATOR', 'SYSTEM_ADMIN'),
};

/** Does `p` belong to audience `a`? */
export function inAudience(p: Principal, a: Audience, operation: string, rule: Rule): boolean {
  if (a === 'PUBLIC') return true;
  if (p.kind === 'ANONYMOUS') return false;
  if (a === 'ANY_AUTHENTICATED')
    return p.kind !== 'DEVICE' || p.operations.includes(rule.deviceOperation ?? operation);
  if (p.kind === 'DEVICE') return a === 'DEVICE' && p.operations.includes(rule.deviceOperation ?? operation);
  const role: Role = p.role;
  switch (a) {
    case 'PARTY_ADMIN':
      return p.partyId !== null && role === 'ADMIN';
    case 'PARTY_OPERATOR':
      return p.partyId !== null && role === 'OPERATOR';
    case 'PARTY_DRIVER':
      return p.partyId !== null && role === 'DRIVER';
    case 'PARTY_VIEWER':
      return p.partyId !== null && role === 'VIEWER';
    case 'REGULATOR':
      return role === 'REGULATOR' && p.agency !== null;
    case 'INSPECTOR':
      return role === 'INSPECTOR' && p.agency !== null;
    case 'SYSTEM_ADMIN':
      return role === 'SYSTEM_ADMIN';
    case 'DEVICE':
      return false;
  }
}

/** Whether `p` may call `operation` at all; 'UNKNOWN' when the table has no entry (refused). */
export function mayCall(
  p: Principal,
  operation: string,
): 'ALLOWED' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'UNKNOWN' {
  const rule = PERMISSIONS[operation];
  if (!rule) return 'UNKNOWN';
  if (rule.audiences.some((a) => inAudience(p, a, operation, rule))) return 'ALLOWED';
  return p.kind === 'ANONYMOUS' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
}
