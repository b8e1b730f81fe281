import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Env } from '../config/env';
import { ManifestAccess } from '../manifests/manifest-access';
import { notFound } from '../shared/auth/access-policy';
import type { Principal } from '../shared/auth/principal';
import { Clock } from '../shared/clock';
import { DomainError } from '../shared/domain/domain-error';
import { uuidv7 } from '../shared/ids';
import { inspectionLinkExpiry, isExpired } from './domain/inspection-link';
import { roadsideView, type RoadsideView } from './domain/roadside-view';
import { InspectionLinks } from './inspection-links';
import { ManifestDocumentService } from './manifest-document.service';

/** Manifests on the road: submitted (waiting to load) or in transit. */
export const ON_THE_ROAD = ['SUBMITTED', 'IN_TRANSIT'] as const;

export interface Opening {
  readonly address: string | null;
  readonly userAgent: string | null;
  readonly format: 'HTML' | 'JSON';
}

export type LinkOutcome =
  | { readonly kind: 'INVALID' }
  | { readonly kind: 'EXPIRED'; readonly expiredAt: string }
  | { readonly kind: 'SHOWN'; readonly view: RoadsideView };

/** `豫A 12345` → `豫A12345`: plates as vehicles are registered (upper case, no spaces or dots). */
export const normalisePlate = (plate: string): string => plate.replace(/[\s·.-]/g, '').toUpperCase();

/**
 * 路检 — roadside inspection. A signed link (and the QR code on the printed manifest) shows anyone
 * holding it the manifest's current state, expected lots and carrier, while the manifest is open
 * and for INSPECTION_LINK_DAYS_AFTER_CLOSE days after it closes; every opening is logged
 * (`inspection_link_opening`, outside the ledger). Inspectors with accounts look up the manifests
 * on the road by vehicle plate.
 */
@Injectable()
export class InspectionService {
  constructor(
    private readonly db: DataSource,
    private readonly env: Env,
    private readonly clock: Clock,
    private readonly links: InspectionLinks,
    private readonly documents: ManifestDocumentService,
    private readonly access: ManifestAccess,
  ) {}

  /** Opens a link: INVALID (altered or unknown: nothing logged), EXPIRED (logged, nothing shown) or the view (logged). */
  async open(token: string, base: string, opening: Opening): Promise<LinkOutcome> {
    const manifestId = this.links.verify(token);
    if (!manifestId) return { kind: 'INVALID' };
    const [m] = await this.db.query<{ closed_at: Date | null; cancelled_at: Date | null }[]>(
      `SELECT closed_at, cancelled_at FROM manifest WHERE manifest_id = $1`,
      [manifestId],
    );
    if (!m) return { kind: 'INVALID' };
    const now = this.clock.now();
    const expiry = inspectionLinkExpiry(
      { closedAt: m.closed_at, cancelledAt: m.cancelled_at },
      this.env.INSPECTION_LINK_DAYS_AFTER_CLOSE,
    );
    const expired = isExpired(expiry, now);
    await this.db.query(
      `INSERT INTO inspection_link_opening (opening_id, manifest_id, opened_at, address, user_agent, format, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        uuidv7(now.getTime()),
        manifestId,
        now,
        opening.address?.slice(0, 100) ?? null,
        opening.userAgent?.slice(0, 500) ?? null,
        opening.format,
        expired ? 'EXPIRED' : 'SHOWN',
      ],
    );
    if (expired) return { kind: 'EXPIRED', expiredAt: expiry!.toISOString() };
    return { kind: 'SHOWN', view: await this.view(manifestId, base, true) };
  }

  /** The link of a manifest the caller may see, with when it stops working. */
  async link(who: Principal, manifestId: string, base: string) {
    await this.access.assertVisible(who, manifestId);
    const [m] = await this.db.query<{ closed_at: Date | null; cancelled_at: Date | null }[]>(
      `SELECT closed_at, cancelled_at FROM manifest WHERE manifest_id = $1`,
      [manifestId],
    );
    if (!m) throw notFound('manifest');
    const expiry = inspectionLinkExpiry(
      { closedAt: m.closed_at, cancelledAt: m.cancelled_at },
      this.env.INSPECTION_LINK_DAYS_AFTER_CLOSE,
    );
    return {
      manifestId,
      token: this.links.token(manifestId),
      url: this.links.url(base, manifestId),
      validUntil: expiry,
      expired: isExpired(expiry, this.clock.now()),
    };
  }

  /** The manifests on the road whose legs name a vehicle with this plate (any region: a vehicle is checked where it is stopped). */
  async byPlate(plate: string, base: string): Promise<(RoadsideView & { inspectionUrl: string })[]> {
    const normalised = normalisePlate(plate);
    if (normalised.length < 5 || normalised.length > 12)
      throw DomainError.badInput('plate', 'plate: a vehicle plate such as 豫A12345');
    const rows = await this.db.query<{ manifest_id: string }[]>(
      `SELECT DISTINCT m.manifest_id
         FROM vehicle v
         JOIN manifest_party mp ON mp.party_id = v.party_id AND mp.role = 'CARRIER'
         JOIN manifest m ON m.manifest_id = mp.manifest_id
        WHERE upper(regexp_replace(v.plate, '[[:space:]·.-]', '', 'g')) = $1 AND m.status = ANY($2)
        ORDER BY m.manifest_id`,
      [normalised, ON_THE_ROAD],
    );
    const out: (RoadsideView & { inspectionUrl: string })[] = [];
    for (const r of rows) {
      const doc = await this.documents.build(r.manifest_id, this.links.url(base, r.manifest_id), false);
      // the vehicle must be on a leg still to be driven: the current one or a later one
      const ahead = doc.legs.filter((l) => l.leg >= Math.max(doc.currentLeg, 1));
      if (!ahead.some((l) => l.plate !== null && normalisePlate(l.plate) === normalised)) continue;
      const view = roadsideView(doc, {
        daysAfterClose: this.env.INSPECTION_LINK_DAYS_AFTER_CLOSE,
        now: this.clock.now(),
        masked: false,
      });
      out.push({ ...view, inspectionUrl: doc.inspectionUrl });
    }
    return out;
  }

  /** Openings of a manifest's link, newest first, for those who may see the manifest. */
  async openings(who: Principal, manifestId: string, first: number) {
    await this.access.assertVisible(who, manifestId);
    return this.db.query<
      {
        id: string;
        openedAt: Date;
        address: string | null;
        userAgent: string | null;
        format: string;
        outcome: string;
      }[]
    >(
      `SELECT opening_id AS id, opened_at AS "openedAt", address, user_agent AS "userAgent", format, outcome
         FROM inspection_link_opening WHERE manifest_id = $1 ORDER BY opened_at DESC, opening_id DESC LIMIT $2`,
      [manifestId, first],
    );
  }

  private async view(manifestId: string, base: string, masked: boolean): Promise<RoadsideView> {
    const doc = await this.documents.build(manifestId, this.links.url(base, manifestId), false);
    return roadsideView(doc, {
      daysAfterClose: this.env.INSPECTION_LINK_DAYS_AFTER_CLOSE,
      now: this.clock.now(),
      masked,
    });
  }
}
