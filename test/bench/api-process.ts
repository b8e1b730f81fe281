import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort } from '../../src/database/free-port';

export interface ApiProcess {
  url: string;
  pid: number;
  /** Kills the process at once (kill -9), as a crash would. */
  crash: () => Promise<void>;
  /** Resident memory now and at its peak (VmHWM), in MB. */
  memory: () => { rssMb: number; peakMb: number };
  stop: () => Promise<void>;
}

const SYS = { SYSTEM_ADMIN_USERNAME: 'bench-admin', SYSTEM_ADMIN_PASSWORD: 'Bench-pass-2026' };
export const BENCH_ADMIN = { username: SYS.SYSTEM_ADMIN_USERNAME, password: SYS.SYSTEM_ADMIN_PASSWORD };

/** Starts the compiled API (`dist/src/main.js`) as its own process, as production would run it. */
export async function startApi(
  db: { ownerUrl: string; appUrl: string },
  env: Record<string, string> = {},
  fixedPort?: number,
): Promise<ApiProcess> {
  const port = fixedPort ?? (await findFreePort());
  const profile = process.env.BENCH_CPU_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
    : [];
  // compiled next to this file (bench), or the build's entry point (chaos tests run from TypeScript)
  const compiled = join(__dirname, '../../src/main.js');
  const main = existsSync(compiled) ? compiled : join(process.cwd(), 'dist/src/main.js');
  // the production flags (package.json start, Dockerfile), unless BENCH_NODE_ARGS says otherwise
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '--max-semi-space-size=4').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...profile, ...nodeArgs, main], {
    env: {
      ...process.env,
      ...SYS,
      NODE_ENV: 'development',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: db.appUrl,
      MIGRATION_DATABASE_URL: db.ownerUrl,
      DATABASE_POOL_SIZE: '20',
      DATA_DIR: join(process.cwd(), '.data', 'bench'),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode}`);
    const ok = await fetch(`${url}/health/ready`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error('the API did not become ready within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  child.on('exit', () => (exited = true));
  const memory = () => {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
  };
  return {
    url,
    pid: child.pid!,
    memory,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
    crash: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** A GraphQL call against the API process. */
export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: unknown,
  token?: string,
): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown };
  if (body.errors || !body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}
