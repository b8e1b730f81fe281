import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { HazardCharacteristic } from '../../catalogue/graphql/catalogue.objects';
import { Connection } from '../../shared/graphql/pagination';
import { JsonScalar, LocalDateScalar, MassScalar } from '../../shared/graphql/scalars';
import {
  IntendedModeEnum,
  ManifestStatusEnum,
  ReceiptDecisionEnum,
  ScanActEnum,
  TransferTypeEnum,
} from './manifest.inputs';

export const SCAN_RESULTS = ['APPLIED', 'DUPLICATE', 'DISPUTED', 'REFUSED'] as const;
export type ScanResult = (typeof SCAN_RESULTS)[number];
export const ScanResultEnum = Object.fromEntries(SCAN_RESULTS.map((v) => [v, v])) as { [K in ScanResult]: K };
registerEnumType(ScanResultEnum, {
  name: 'ScanResult',
  description:
    'APPLIED; DUPLICATE (its idempotency key was applied before: nothing new); DISPUTED (recorded, a rule failed at sync: reconciliation alert); REFUSED (malformed only).',
});

@ObjectType('PartyRef')
export class PartyRefObject {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true, description: 'Null when the party is not known.' }) name!:
    string | null;
}

@ObjectType('TransferPoint', { description: 'Start or end point: a site, its division code and address.' })
export class TransferPointObject {
  @Field(() => ID) siteId!: string;
  @Field() divisionCode!: string;
  @Field() address!: string;
}

@ObjectType('CarrierLeg', { description: '承运人 — one transport leg (联运: relay between legs).' })
export class CarrierLegObject {
  @Field(() => Int, { description: '1-based.' }) leg!: number;
  @Field(() => PartyRefObject) carrier!: PartyRefObject;
  @Field(() => ID) vehicleId!: string;
  @Field({ description: '营运证件号 — the vehicle’s 道路运输证 number.' }) operatingPermitNumber!: string;
  @Field(() => ID) driverId!: string;
  @Field(() => ID) escortId!: string;
}

@ObjectType('ManifestLot', { description: 'A lot on the manifest and what became of it on this transfer.' })
export class ManifestLotObject {
  @Field(() => ID) lotId!: string;
  @Field() labelCode!: string;
  @Field() wasteCode!: string;
  @Field({ description: '废物名称' }) wasteName!: string;
  @Field(() => [HazardCharacteristic]) hazards!: string[];
  @Field(() => String, { nullable: true }) form!: string | null;
  @Field(() => String, { nullable: true }) packaging!: string | null;
  @Field(() => MassScalar, { description: 'Declared by the consignor.' }) declaredMass!: number;
  @Field(() => IntendedModeEnum) intendedMode!: string;
  @Field({ description: 'Basel D/R method.' }) method!: string;
  @Field({ description: 'LISTED, REFUSED (at loading), CARRIED or RECEIVED.' }) status!: string;
  @Field(() => MassScalar, { nullable: true, description: 'Weighed at pickup.' }) pickupMass!: number | null;
  @Field(() => MassScalar, {
    nullable: true,
    description: 'Measured at receipt (authoritative from then on).',
  })
  measuredMass!: number | null;
  @Field(() => MassScalar, { nullable: true }) acceptedMass!: number | null;
  @Field(() => MassScalar, { nullable: true }) rejectedMass!: number | null;
  @Field(() => ReceiptDecisionEnum, { nullable: true }) decision!: string | null;
  @Field(() => ID, { nullable: true, description: 'The new REJECTED lot of a partial acceptance.' })
  rejectedLotId!: string | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field({ description: 'Receipt beyond the tolerance (vs pickup weighing, else declared).' })
  discrepancy!: boolean;
  @Field({ description: 'Receipt confirmed after the 5-working-day deadline.' }) late!: boolean;
  @Field(() => String, { nullable: true, description: 'Why the carrier refused it at loading.' })
  refusedReason!: string | null;
}

@ObjectType('CustodyStep')
export class CustodyStepObject {
  @Field(() => Int) leg!: number;
  @Field(() => PartyRefObject) carrier!: PartyRefObject;
  @Field() at!: Date;
  @Field(() => String, { nullable: true }) place!: string | null;
  @Field() disputed!: boolean;
}

@ObjectType('Deadline', {
  description: 'A working-day deadline; provisional beyond the loaded official calendars.',
})
export class DeadlineObject {
  @Field(() => LocalDateScalar, { description: 'The last day (24:00 Asia/Shanghai).' }) date!: string;
  @Field() endsAt!: Date;
  @Field({ description: 'Counted over a year whose official calendar is not loaded (weekdays only).' })
  provisional!: boolean;
}

@ObjectType('ManifestDispute', {
  description: 'An offline act recorded as disputed at sync, with its reasons.',
})
export class ManifestDisputeObject {
  @Field() eventType!: string;
  @Field() act!: string;
  @Field() at!: Date;
  @Field(() => JsonScalar, { description: '[{code, message, details}]' }) reasons!: unknown;
}

@ObjectType('CorrectionChange')
export class CorrectionChangeObject {
  @Field() field!: string;
  @Field(() => ID, { nullable: true }) lotId!: string | null;
  @Field(() => JsonScalar, { description: 'The value before (history keeps both versions).' }) from!: unknown;
  @Field(() => JsonScalar) to!: unknown;
}

@ObjectType('ManifestCorrection', { description: '更正 — a correction request and its answers.' })
export class ManifestCorrectionObject {
  @Field(() => ID) id!: string;
  @Field({ description: 'PENDING, APPROVED, REFUSED or LAPSED.' }) status!: string;
  @Field(() => ID) requestedByPartyId!: string;
  @Field(() => [CorrectionChangeObject]) changes!: CorrectionChangeObject[];
  @Field() reason!: string;
  @Field() respondBy!: Date;
  @Field(() => [ID]) approverPartyIds!: string[];
  @Field(() => [ID]) approvedBy!: string[];
  @Field(() => String, { nullable: true }) refusalReason!: string | null;
  @Field() requestedAt!: Date;
  @Field(() => Date, { nullable: true }) resolvedAt!: Date | null;
}

@ObjectType('PaperEntry', { description: '纸质联单 — entered afterwards from paper.' })
export class PaperEntryObject {
  @Field() paperNumber!: string;
  @Field() enteredAt!: Date;
  @Field() tripEndedAt!: Date;
  @Field({ description: 'Entered more than 10 working days after the trip ended.' }) late!: boolean;
}

@ObjectType('Manifest', {
  description:
    '电子转移联单 — a transfer manifest: 移出人 consignor, 托运人 shipper, 承运人 carriers, 接受人 receiver, its lots and every step.',
})
export class ManifestObject {
  @Field(() => ID) id!: string;
  @Field({ description: 'HazLedger number HL-<year>-<city>-<serial>: unique, sortable.' }) number!: string;
  @Field(() => String, { nullable: true, description: '14-digit number of the national system.' })
  nationalNumber!: string | null;
  @Field(() => ManifestStatusEnum) status!: string;
  @Field(() => TransferTypeEnum) transferType!: string;
  @Field(() => PartyRefObject, { description: '移出人' }) consignor!: PartyRefObject;
  @Field(() => PartyRefObject, { nullable: true, description: 'The agent that drafted it (代理).' })
  agent!: PartyRefObject | null;
  @Field(() => PartyRefObject, { description: '托运人' }) shipper!: PartyRefObject;
  @Field(() => PartyRefObject, { description: '接受人' }) receiver!: PartyRefObject;
  @Field(() => [CarrierLegObject]) legs!: CarrierLegObject[];
  @Field(() => [ManifestLotObject], {
    description: 'Lots in drafting order; those refused at loading have status REFUSED.',
  })
  lots!: ManifestLotObject[];
  @Field({ description: '应急措施' }) emergencyMeasures!: string;
  @Field(() => TransferPointObject) startPoint!: TransferPointObject;
  @Field(() => TransferPointObject) endPoint!: TransferPointObject;
  @Field(() => LocalDateScalar) plannedDate!: string;
  @Field(() => ID, { nullable: true }) precedingManifestId!: string | null;
  @Field(() => ID, { nullable: true }) roundId!: string | null;
  @Field(() => MassScalar) declaredMass!: number;
  @Field(() => ID, { nullable: true, description: '跨省转移审批 cited.' }) crossProvinceApprovalId!:
    string | null;
  @Field(() => Date, { nullable: true }) submittedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Expiry of the live handover code (never the code).' })
  handoverCodeExpiresAt!: Date | null;
  @Field(() => Int, { description: 'The leg holding the waste (0 before pickup).' }) currentLeg!: number;
  @Field(() => [CustodyStepObject]) custodySteps!: CustodyStepObject[];
  @Field(() => Date, { nullable: true }) deliveredAt!: Date | null;
  @Field(() => DeadlineObject, { nullable: true, description: 'Receipt due: 5 working days after delivery.' })
  receiptDeadline!: DeadlineObject | null;
  @Field(() => Date, { nullable: true }) receivedAt!: Date | null;
  @Field(() => Date, { nullable: true }) closedAt!: Date | null;
  @Field(() => Date, { nullable: true }) cancelledAt!: Date | null;
  @Field(() => MassScalar, { nullable: true }) acceptedMass!: number | null;
  @Field(() => MassScalar, { nullable: true }) rejectedMass!: number | null;
  @Field({ description: 'A lot’s receipt differs beyond the tolerance.' }) discrepancy!: boolean;
  @Field({ description: 'An offline act was recorded as disputed.' }) disputed!: boolean;
  @Field(() => [ManifestDisputeObject]) disputes!: ManifestDisputeObject[];
  @Field(() => PaperEntryObject, { nullable: true }) paper!: PaperEntryObject | null;
  @Field(() => [ManifestCorrectionObject], { description: 'Every correction request, oldest first.' })
  corrections!: ManifestCorrectionObject[];
  @Field(() => Int) version!: number;
}

@ObjectType('ManifestConnection')
export class ManifestConnection extends Connection(ManifestObject, 'Manifest') {}

@ObjectType('HandoverCode', {
  description: '交接码 — shown once: give it to the driver; it is stored only hashed.',
})
export class HandoverCodeObject {
  @Field() code!: string;
  @Field() expiresAt!: Date;
}

@ObjectType('SubmitManifestPayload')
export class SubmitManifestPayload {
  @Field(() => ManifestObject) manifest!: ManifestObject;
  @Field(() => HandoverCodeObject, {
    nullable: true,
    description: 'Null when this was a retry of an earlier request (the code is shown once): reissue it.',
  })
  handoverCode!: HandoverCodeObject | null;
}

@ObjectType('AllowedAction')
export class AllowedActionObject {
  @Field() action!: string;
  @Field() allowed!: boolean;
  @Field(() => String, { nullable: true, description: 'Why not, when not allowed.' }) reason!: string | null;
}

@ObjectType('ManifestAllowedActions', {
  description: 'Whose turn it is on a manifest, for the current actor.',
})
export class ManifestAllowedActionsObject {
  @Field(() => ID) manifestId!: string;
  @Field(() => ManifestStatusEnum) status!: string;
  @Field(() => [String], { description: 'Who may move the manifest on now (roles, 移出人/承运人/接受人).' })
  waitingFor!: string[];
  @Field(() => [AllowedActionObject]) actions!: AllowedActionObject[];
}

@ObjectType('CustodyAttempt', {
  description: '拒绝记录 — a refused custody attempt (outside the hash chain).',
})
export class CustodyAttemptObject {
  @Field(() => ID) id!: string;
  @Field() act!: string;
  @Field() refusalCode!: string;
  @Field() message!: string;
  @Field(() => JsonScalar) details!: unknown;
  @Field(() => JsonScalar, { description: 'Who tried: ids only.' }) actor!: unknown;
  @Field() occurredAt!: Date;
  @Field() recordedAt!: Date;
}

@ObjectType('ScanOutcome', { description: 'The result of one offline act of a batch, in the order sent.' })
export class ScanOutcomeObject {
  @Field(() => Int) index!: number;
  @Field() idempotencyKey!: string;
  @Field(() => ID) manifestId!: string;
  @Field(() => ScanActEnum) act!: string;
  @Field(() => ScanResultEnum) result!: ScanResult;
  @Field(() => String, { nullable: true, description: 'REFUSED: the error code.' }) code!: string | null;
  @Field(() => String, { nullable: true }) message!: string | null;
  @Field(() => [String], { description: 'Events appended on the manifest (empty for a duplicate).' })
  eventTypes!: string[];
}

@ObjectType('AssignedLot')
export class AssignedLotObject {
  @Field(() => ID) lotId!: string;
  @Field() labelCode!: string;
  @Field() wasteCode!: string;
  @Field() wasteName!: string;
  @Field(() => MassScalar) declaredMass!: number;
}

@ObjectType('AssignedManifest', { description: 'What a driver needs for one manifest, also offline.' })
export class AssignedManifestObject {
  @Field(() => ID) manifestId!: string;
  @Field() number!: string;
  @Field(() => ManifestStatusEnum) status!: string;
  @Field(() => ID, { nullable: true, description: 'The collection round it belongs to, if any.' }) roundId!:
    string | null;
  @Field(() => Int, { nullable: true, description: 'Its stop in the round (1-based).' }) stopNo!:
    number | null;
  @Field({ description: 'TAKE_CUSTODY, RELAY, DELIVER, or NONE when it is not this carrier’s turn.' })
  nextAct!: string;
  @Field(() => PartyRefObject) consignor!: PartyRefObject;
  @Field(() => TransferPointObject) startPoint!: TransferPointObject;
  @Field(() => PartyRefObject) receiver!: PartyRefObject;
  @Field(() => TransferPointObject) endPoint!: TransferPointObject;
  @Field(() => [AssignedLotObject]) lots!: AssignedLotObject[];
  @Field(() => [String], { description: 'The labels to scan: exactly these, no more.' })
  expectedLabels!: string[];
  @Field(() => Date, { nullable: true }) handoverCodeExpiresAt!: Date | null;
  @Field() handoverCodeLocked!: boolean;
  @Field(() => [String], { description: 'Checks the device can make offline.' }) offlineChecks!: string[];
  @Field(() => [String], { description: 'Checks only the server makes, at sync.' }) checkedAtSync!: string[];
}

@ObjectType('RoundStop')
export class RoundStopObject {
  @Field(() => Int) stopNo!: number;
  @Field(() => PartyRefObject) consignor!: PartyRefObject;
  @Field(() => TransferPointObject) site!: TransferPointObject;
  @Field(() => [ID], { description: 'The stop’s manifests (details in `DriverAssignments.manifests`).' })
  manifestIds!: string[];
}

@ObjectType('CollectionRound', {
  description: '集中收集 — one vehicle trip visiting small producers in order.',
})
export class CollectionRoundObject {
  @Field(() => ID) id!: string;
  @Field(() => PartyRefObject) collector!: PartyRefObject;
  @Field(() => PartyRefObject) carrier!: PartyRefObject;
  @Field(() => ID) vehicleId!: string;
  @Field(() => ID) driverId!: string;
  @Field(() => ID) escortId!: string;
  @Field(() => LocalDateScalar) plannedDate!: string;
  @Field(() => TransferPointObject) destination!: TransferPointObject;
  @Field(() => [RoundStopObject]) stops!: RoundStopObject[];
}

@ObjectType('DriverAssignments', { description: 'What a driver’s device pulls before leaving.' })
export class DriverAssignmentsObject {
  @Field(() => ID) carrierPartyId!: string;
  @Field(() => [CollectionRoundObject]) rounds!: CollectionRoundObject[];
  @Field(() => [AssignedManifestObject], {
    description:
      'Every manifest to handle: those of the rounds (with round and stop) and open ones outside any round.',
  })
  manifests!: AssignedManifestObject[];
}
