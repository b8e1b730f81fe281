/**
 * Who acts. Events reference actors by id only (never names or phone numbers), so that personal
 * data can be erased without breaking a hash chain.
 */
export type Actor =
  | {
      readonly kind: 'USER';
      readonly userId: string;
      /** The party the user belongs to (producers, carriers, receivers, collectors). */
      readonly partyId?: string;
      /** The regulator agency or inspection body the user belongs to. */
      readonly agencyId?: string;
      /** When an agent (e.g. a collector) acts for a delegating party: that party. */
      readonly onBehalfOfPartyId?: string;
    }
  | { readonly kind: 'DEVICE'; readonly deviceId: string; readonly partyId: string }
  | { readonly kind: 'SYSTEM'; readonly name: string };

/** The party an act is done for: the delegating party when an agent acts, else the actor's own. */
export function actingPartyId(actor: Actor): string | undefined {
  if (actor.kind === 'USER') return actor.onBehalfOfPartyId ?? actor.partyId;
  if (actor.kind === 'DEVICE') return actor.partyId;
  return undefined;
}

/** A stable key for scoping idempotency keys to their actor. */
export function actorKey(actor: Actor): string {
  switch (actor.kind) {
    case 'USER':
      return `user:${actor.userId}`;
    case 'DEVICE':
      return `device:${actor.deviceId}`;
    case 'SYSTEM':
      return `system:${actor.name}`;
  }
}
