import type * as pulumi from "@pulumi/pulumi";

/** What both variants of the database give their consumers. */
export interface DatabaseOutputs {
  /** Host name the services connect to (the RDS endpoint, or the container's alias on the Docker network). */
  readonly host: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  readonly databaseName: pulumi.Output<string>;
  /** `postgresql://user:password@host:port/db?sslmode=...`: always secret. */
  readonly url: pulumi.Output<string>;
}

/**
 * Where a new database's data comes from instead of starting empty. A restore keeps the source's KMS key: RDS has no
 * way to re-encrypt on restore (RestoreDBInstanceFromDBSnapshot takes no key), and the provider's `kmsKeyId` forces a
 * replacement when it differs. So the component uses `kmsKeyArn`, the source's key, for everything it encrypts and
 * creates no key of its own, and a second `pulumi up` plans no replacement.
 */
export type RestoreSource = (
  | {
      /** Name or ARN of a DB snapshot (manual, automated or from AWS Backup) to create the database from. */
      readonly snapshotIdentifier: string;
    }
  | {
      readonly pointInTime: {
        /** Identifier of the instance whose automated backups to restore from. */
        readonly source: string;
        /** RFC 3339 time in UTC, e.g. `2026-11-24T09:30:00Z`; give this or `latest`. */
        readonly time?: string;
        /** Restore to the latest restorable time (usually within the last 5 minutes). */
        readonly latest?: boolean;
      };
    }
) & {
  /**
   * The key ARN (not an alias) the source is encrypted with: `aws rds describe-db-snapshots --query
   * 'DBSnapshots[0].KmsKeyId'` or `describe-db-instances --query 'DBInstances[0].KmsKeyId'`. It must outlive the
   * source instance, and be a customer key: the stack uses it for the URL secrets, the backup vault and the cache too,
   * which the AWS-managed `aws/rds` key refuses (copy such a snapshot with a customer key first). See
   * docs/runbooks/restore-database.md.
   */
  readonly kmsKeyArn: string;
};
