import type { CommandEnvelope } from '../ledger/ledger.types';
import type { Actor } from '../shared/domain/actor';
import { DomainError, isDomainError } from '../shared/domain/domain-error';

/**
 * Small helpers between GraphQL input and the manifest deciders: the command envelope, and the
 * renaming of a refused field from the decider's name (`content.lots[0].declaredGrams`) to the
 * input's (`input.lots.0.declaredMass`).
 */

/** The input name of a decider field. */
export function inputField(field: string, prefix = 'input'): string {
  const name = field
    .replace(/^(content|changes)\./, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/(^|\.)grams$/, '$1mass')
    .replace(/MassGrams\b/g, 'Mass')
    .replace(/Grams\b/g, 'Mass')
    .replace(/^receipts\.(\d+)\.rejectedLotId$/, 'receipts.$1')
    .replace(/^receiverId$/, 'receiverPartyId')
    .replace(/^shipperId$/, 'shipper')
    .replace(/^legs\.(\d+)\.carrierId$/, 'legs.$1.carrierPartyId')
    .replace(/^startPoint(\..*)?$/, 'consignorSiteId')
    .replace(/^endPoint(\..*)?$/, 'receiverSiteId')
    .replace(/^precedingManifest(\..*)?$/, 'precedingManifestId');
  return `${prefix}.${name}`;
}

/** Runs a decision and renames the field of a refusal as the GraphQL input names it. */
export function withInputFields<T>(f: () => T, prefix = 'input'): T {
  try {
    return f();
  } catch (e) {
    throw renamed(e, prefix);
  }
}

export async function withInputFieldsAsync<T>(f: () => Promise<T>, prefix = 'input'): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw renamed(e, prefix);
  }
}

function renamed(e: unknown, prefix: string): unknown {
  if (isDomainError(e) && typeof e.details.field === 'string' && !e.details.field.startsWith('input')) {
    return new DomainError(e.code, e.message, { ...e.details, field: inputField(e.details.field, prefix) });
  }
  return e;
}

/** The request as the idempotency hash sees it (instants as ISO strings, no undefined). */
export const requestOf = (input: object): unknown => JSON.parse(JSON.stringify(input)) as unknown;

export function envelope(
  act: string,
  actor: Actor,
  input: { idempotencyKey: string },
  occurredAt?: Date,
  offline = false,
): CommandEnvelope {
  return {
    act,
    actor,
    idempotencyKey: input.idempotencyKey,
    request: requestOf(input),
    ...(occurredAt ? { occurredAt } : {}),
    offline,
  };
}
