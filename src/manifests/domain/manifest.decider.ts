import { assertNever } from '../../shared/domain/domain-error';
import type { Decider } from '../../shared/domain/decider';
import {
  cancel,
  amendDraft,
  draft,
  enterPaperManifest,
  issueHandoverCode,
  submit,
} from './manifest-drafting.decider';
import { deliver, refuseContainer, relay, takeCustody } from './manifest-custody.decider';
import { close, recordReceipt } from './manifest-receipt.decider';
import {
  approveCorrection,
  refuseCorrection,
  reportNationalNumber,
  requestCorrection,
} from './manifest-records.decider';
import type { ManifestCommand } from './manifest.commands';
import type { ManifestEvent } from './manifest.events';
import { evolveManifest, initialManifestState, type ManifestState } from './manifest.state';

/**
 * 电子转移联单 — the transfer manifest decider: `decide(command, state)` returns the new events or
 * throws a `DomainError`; one small function per command (state, who may act, rules, events).
 */
export function decideManifest(c: ManifestCommand, s: ManifestState): ManifestEvent[] {
  switch (c.type) {
    case 'DraftManifest':
      return draft(c, s);
    case 'AmendManifestDraft':
      return amendDraft(c, s);
    case 'SubmitManifest':
      return submit(c, s);
    case 'IssueHandoverCode':
      return issueHandoverCode(c, s);
    case 'TakeCustody':
      return takeCustody(c, s);
    case 'RefuseContainer':
      return refuseContainer(c, s);
    case 'RelayCustody':
      return relay(c, s);
    case 'DeliverManifest':
      return deliver(c, s);
    case 'RecordReceipt':
      return recordReceipt(c, s);
    case 'CloseManifest':
      return close(c, s);
    case 'CancelManifest':
      return cancel(c, s);
    case 'RequestCorrection':
      return requestCorrection(c, s);
    case 'ApproveCorrection':
      return approveCorrection(c, s);
    case 'RefuseCorrection':
      return refuseCorrection(c, s);
    case 'ReportNationalNumber':
      return reportNationalNumber(c, s);
    case 'EnterPaperManifest':
      return enterPaperManifest(c, s);
    default:
      return assertNever(c, 'manifest command');
  }
}

export const manifestDecider: Decider<ManifestState, ManifestCommand, ManifestEvent> = {
  initialState: initialManifestState,
  decide: decideManifest,
  evolve: evolveManifest,
};
