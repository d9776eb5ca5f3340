/**
 * IAM database authentication for the app (the instance has it on): the app connects as {@link IAM_DATABASE_USER}
 * with a token it signs with its task role (`rds-db:connect`), valid 15 minutes, so no password exists to rotate
 * (RDS User Guide, "IAM database authentication for MariaDB, MySQL, and PostgreSQL"). The user holds data privileges
 * only; migrations keep the admin URL (`DATABASE_URL`). Pure.
 */
export const IAM_DATABASE_USER = "app_iam";

/** `rds-db:connect` on one database user of one instance (by its resource id, `db-…`). */
export const iamConnectArn = (region: string, account: string, resourceId: string, user = IAM_DATABASE_USER) =>
  `arn:aws:rds-db:${region}:${account}:dbuser:${resourceId}/${user}`;

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The SQL that creates the IAM user, idempotently: a login role with `rds_iam` (which makes IAM tokens its only way
 * in), connect on the database, data privileges on the tables and sequences of `public` that exist and that the
 * admin creates later (default privileges). No DDL: schema changes stay with the admin's migrations.
 */
export function iamUserSql(database: string, admin: string, user = IAM_DATABASE_USER): string {
  for (const [what, value] of [
    ["database", database],
    ["admin", admin],
    ["user", user],
  ] as const) {
    if (!IDENTIFIER.test(value))
      throw new Error(`iamUserSql: ${what} must be a plain PostgreSQL identifier (got ${value})`);
  }
  return [
    `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${user}') THEN CREATE ROLE ${user} LOGIN; END IF; END $$;`,
    `GRANT rds_iam TO ${user};`,
    `GRANT CONNECT ON DATABASE ${database} TO ${user};`,
    `GRANT USAGE ON SCHEMA public TO ${user};`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${user};`,
    `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${user};`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${admin} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${user};`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${admin} IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${user};`,
  ].join("\n");
}
