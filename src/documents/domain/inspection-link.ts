import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * 路检链接 — the signed, read-only roadside inspection link of a manifest (and its QR code on the
 * printed manifest). The token is `<manifestId>.<mac>`, the mac an HMAC-SHA256 over the manifest id
 * with a key from configuration: whoever holds the link may read the manifest's current state,
 * nobody can make a link for another manifest or alter one. It needs no expiry of its own: it
 * works while the manifest is open and for a configured number of days after it is closed or
 * cancelled, judged against the manifest's state when it is opened. Pure (the key and the time
 * come in as arguments).
 */

const CONTEXT = 'hazledger-inspection-link-v1:';
const MANIFEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAC = /^[A-Za-z0-9_-]{43}$/;

const mac = (key: Buffer, manifestId: string): Buffer =>
  createHmac('sha256', key)
    .update(CONTEXT + manifestId)
    .digest();

/** The token of a manifest's inspection link. */
export function signInspectionToken(key: Buffer, manifestId: string): string {
  return `${manifestId}.${mac(key, manifestId).toString('base64url')}`;
}

/** The manifest id a token was signed for, or null when it is malformed or its signature does not verify. */
export function verifyInspectionToken(key: Buffer, token: string): string | null {
  if (typeof token !== 'string' || token.length > 200) return null;
  const dot = token.indexOf('.');
  const manifestId = token.slice(0, dot);
  const given = token.slice(dot + 1);
  if (dot < 0 || !MANIFEST_ID.test(manifestId) || !MAC.test(given)) return null;
  // compared as canonical text: base64url's last character carries two unused bits
  const expected = Buffer.from(mac(key, manifestId).toString('base64url'));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? manifestId : null;
}

/** When a manifest's link stops working: null while it is open; else its closing or cancellation plus `days`. */
export function inspectionLinkExpiry(
  m: { readonly closedAt: Date | null; readonly cancelledAt: Date | null },
  days: number,
): Date | null {
  const ended = m.closedAt ?? m.cancelledAt;
  return ended ? new Date(ended.getTime() + days * 86_400_000) : null;
}

export const isExpired = (expiresAt: Date | null, now: Date): boolean =>
  expiresAt !== null && now.getTime() >= expiresAt.getTime();
