import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { Env } from '../config/env';
import { Clock } from '../shared/clock';
import { isScheduledRuleSet, type ScheduledRuleSet } from './scheduled-rules';

/** How often the scheduler runs (seconds): OVERSIGHT_SCHEDULE_SECONDS, default 60, off (0) in tests. */
export function scheduleSeconds(env: Pick<Env, 'OVERSIGHT_SCHEDULE_SECONDS' | 'NODE_ENV'>): number {
  return env.OVERSIGHT_SCHEDULE_SECONDS ?? (env.NODE_ENV === 'test' ? 0 : 60);
}

/** The outcome of one rule set in one run. */
export interface RuleSetRun {
  readonly name: string;
  /** Skipped: another process holds this rule set's lock. */
  readonly skipped: boolean;
  readonly result?: unknown;
  readonly error?: string;
}

/**
 * 预警调度 — runs every time-based rule set of every capability: each provider of the application
 * with `runOnce(now)` (`scheduled-rules.ts`) — today the lots' storage clocks (`LotClockService`:
 * storage time, not shipped, medical collection interval), the flows' overdue plans and
 * declarations (`FlowsScheduler`), the manifests' automatic closing (`ManifestAutoClose`) and the
 * regulator workspace's own rules (`OversightRulesService`)
 * — every OVERSIGHT_SCHEDULE_SECONDS (0: off). Each rule set runs under a PostgreSQL advisory lock
 * named after it, so that one API process at a time evaluates it (alert identities are
 * deterministic, so a second run would raise nothing new anyway); a failing rule set does not stop
 * the others. It is the one timer of the time-based rules: the capabilities have none of their own.
 */
@Injectable()
export class OversightScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('OversightScheduler');
  private timer?: NodeJS.Timeout;
  private running?: Promise<RuleSetRun[]>;
  private sets?: { name: string; set: ScheduledRuleSet }[];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly env: Env,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = scheduleSeconds(this.env);
    if (seconds <= 0) return;
    this.timer = setInterval(() => void this.tick(), seconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** The rule sets, by class name: every singleton provider with `runOnce(now)` but this scheduler. */
  ruleSets(): { name: string; set: ScheduledRuleSet }[] {
    if (!this.sets) {
      const found = new Map<object, string>();
      for (const w of this.discovery.getProviders()) {
        const instance: unknown = w.instance;
        if (instance === this || !w.isDependencyTreeStatic() || !isScheduledRuleSet(instance)) continue;
        found.set(instance, instance.constructor.name);
      }
      this.sets = [...found]
        .map(([set, name]) => ({ name, set: set as ScheduledRuleSet }))
        .sort((a, b) => a.name.localeCompare(b.name));
    }
    return this.sets;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    try {
      const runs = await this.runOnce(this.clock.now());
      for (const r of runs) if (r.error) this.log.warn(`rule set ${r.name} failed: ${r.error}`);
    } catch (e) {
      this.log.warn({ err: e }, 'oversight scheduler run failed');
    }
  }

  /** Runs every rule set at `now`, one after the other; waits for a run already under way. */
  async runOnce(now: Date): Promise<RuleSetRun[]> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.runAll(now);
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private async runAll(now: Date): Promise<RuleSetRun[]> {
    const out: RuleSetRun[] = [];
    for (const { name, set } of this.ruleSets()) out.push(await this.runLocked(name, set, now));
    return out;
  }

  private async runLocked(name: string, set: ScheduledRuleSet, now: Date): Promise<RuleSetRun> {
    const runner = this.db.createQueryRunner();
    let locked = false;
    try {
      await runner.connect();
      const [r] = (await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS ok`, [
        `oversight-scheduler:${name}`,
      ])) as { ok: boolean }[];
      locked = r.ok;
      if (!locked) return { name, skipped: true };
      return { name, skipped: false, result: await set.runOnce(now) };
    } catch (e) {
      return { name, skipped: false, error: e instanceof Error ? e.message : String(e) };
    } finally {
      if (locked) {
        await runner
          .query(`SELECT pg_advisory_unlock(hashtext($1))`, [`oversight-scheduler:${name}`])
          .catch(() => undefined);
      }
      await runner.release().catch(() => undefined);
    }
  }
}
