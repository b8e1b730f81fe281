/**
 * Database roles. Migrations run as an owner role (MIGRATION_DATABASE_URL); the application
 * always connects as a login role that is a member of the group role `hazledger_app`, which
 * holds only INSERT and SELECT on the ledger's event table and what the read models need.
 * Roles are cluster-wide, so every statement here is idempotent and safe to race.
 */
export const APP_GROUP_ROLE = 'hazledger_app';
/** The login role the embedded database and the test harness create for the application. */
export const APP_LOGIN_ROLE = 'hazledger_api';

export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** Runs a statement that may race another process creating the same cluster-wide object. */
async function ignoringDuplicates(db: SqlRunner, sql: string): Promise<void> {
  try {
    await db.query(sql);
  } catch (e) {
    const code = (e as { code?: string }).code;
    // 42710 duplicate_object; 23505 unique_violation (two CREATE ROLE racing); XX000 "tuple concurrently updated"
    if (code !== '42710' && code !== '23505' && code !== 'XX000') throw e;
  }
}

/** Creates the group role if missing (used by the first migration). */
export async function ensureGroupRole(db: SqlRunner): Promise<void> {
  await ignoringDuplicates(
    db,
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${quoteLiteral(APP_GROUP_ROLE)}) THEN
         CREATE ROLE ${quoteIdent(APP_GROUP_ROLE)} NOLOGIN;
       END IF;
     END $$`,
  );
}

/**
 * Makes the application's login role (the user of DATABASE_URL) exist and belong to the group
 * role. Does nothing when the application and the migrations use the same user.
 */
export async function ensureAppLogin(db: SqlRunner, appUrl: string, ownerUrl: string): Promise<void> {
  const app = new URL(appUrl);
  const owner = new URL(ownerUrl);
  const user = decodeURIComponent(app.username);
  if (!user || user === decodeURIComponent(owner.username)) return;
  const password = decodeURIComponent(app.password);
  await ensureGroupRole(db);
  await ignoringDuplicates(
    db,
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${quoteLiteral(user)}) THEN
         CREATE ROLE ${quoteIdent(user)} LOGIN ${password ? `PASSWORD ${quoteLiteral(password)}` : ''};
       END IF;
     END $$`,
  );
  if (password) await db.query(`ALTER ROLE ${quoteIdent(user)} LOGIN PASSWORD ${quoteLiteral(password)}`);
  await ignoringDuplicates(db, `GRANT ${quoteIdent(APP_GROUP_ROLE)} TO ${quoteIdent(user)}`);
  const database = decodeURIComponent(app.pathname.replace(/^\//, ''));
  if (database)
    await db.query(`GRANT CONNECT ON DATABASE ${quoteIdent(database)} TO ${quoteIdent(APP_GROUP_ROLE)}`);
}
