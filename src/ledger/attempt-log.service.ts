import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../shared/clock';
import type { Actor } from '../shared/domain/actor';
import type { DomainError } from '../shared/domain/domain-error';

export interface CustodyAttempt {
  actor: Actor;
  /** The act that was refused, e.g. `takeCustody`. */
  act: string;
  targetType: string;
  targetId: string;
  error: DomainError;
  occurredAt: Date;
  /** Parties that may read the attempt (besides regulators of the region). */
  partyIds: string[];
  region: string | null;
}

/**
 * 拒绝记录 — refused custody attempts, written in their own transaction after the refusal and
 * outside the hash chain (the refused act changed nothing, but the attempt is a fact worth keeping).
 */
@Injectable()
export class AttemptLogService {
  private readonly log = new Logger('AttemptLog');

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Never throws: losing an attempt record must not change the refusal the client sees. */
  async record(a: CustodyAttempt): Promise<void> {
    try {
      await this.db.query(
        `INSERT INTO custody_attempt (actor, act, target_type, target_id, refusal_code, message, details, party_ids, region,
                                      occurred_at, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          JSON.stringify(a.actor),
          a.act,
          a.targetType,
          a.targetId,
          a.error.code,
          a.error.message,
          JSON.stringify(a.error.details),
          a.partyIds,
          a.region,
          a.occurredAt,
          this.clock.now(),
        ],
      );
    } catch (e) {
      this.log.error({ err: e }, 'could not record a refused custody attempt');
    }
  }
}
