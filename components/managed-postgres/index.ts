export { ManagedPostgres, validateManagedPostgresArgs, type ManagedPostgresArgs } from "./managed-postgres";
export type { AwsPostgresArgs, DockerPostgresArgs } from "./managed-postgres";
export { BACKUP_RULES, POSTGRES_PORT } from "./aws";
export type { DatabaseOutputs, RestoreSource } from "./outputs";
export { IAM_DATABASE_USER, iamConnectArn, iamUserSql } from "./iam-auth";
