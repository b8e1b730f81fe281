import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ManifestReceiptService } from './manifest-receipt.service';

/** The actor written on automatic closings. */
export const AUTO_CLOSE_ACTOR = { kind: 'SYSTEM' as const, name: 'manifest-auto-close' };

/** Received manifests looked at per run (the next run goes on from the last one looked at). */
const PER_RUN = 200;

export interface AutoCloseRun {
  readonly examined: number;
  readonly closed: readonly string[];
}

/**
 * 自动办结 — a received manifest is CLOSED once every accepted lot has reached a terminal state at
 * the receiver or left it on a later manifest, and every rejected lot is on a return or redirect
 * manifest (SPEC section 6): the receiver may close it at once (`closeManifest`), and otherwise the
 * system does, on the oversight scheduler's next run (`runOnce`, every OVERSIGHT_SCHEDULE_SECONDS).
 * A manifest not settled yet is left as it is, with nothing written; runs page through the
 * received manifests, PER_RUN at a time.
 */
@Injectable()
export class ManifestAutoClose {
  private readonly log = new Logger('ManifestAutoClose');
  private after = '';

  constructor(
    private readonly db: DataSource,
    private readonly receipts: ManifestReceiptService,
  ) {}

  async runOnce(_now: Date): Promise<AutoCloseRun> {
    const rows = await this.db.query<{ manifest_id: string }[]>(
      `SELECT manifest_id FROM manifest WHERE status = 'RECEIVED' AND manifest_id > $1 ORDER BY manifest_id LIMIT ${PER_RUN}`,
      [this.after],
    );
    this.after = rows.length === PER_RUN ? rows[rows.length - 1].manifest_id : '';
    const closed: string[] = [];
    for (const { manifest_id } of rows) {
      try {
        if (await this.receipts.closeWhenSettled(manifest_id, AUTO_CLOSE_ACTOR)) closed.push(manifest_id);
      } catch (e) {
        this.log.warn({ err: e }, `automatic closing of manifest ${manifest_id} failed`);
      }
    }
    return { examined: rows.length, closed };
  }
}
