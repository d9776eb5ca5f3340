/**
 * The fewest days of automated backups (point-in-time recovery) a long-lived database keeps: a week covers a mistake
 * noticed after a weekend. The policy rule `rds-backup-retention` and the config (`database.backupRetentionDays` in
 * staging and production) both read it, so a value the config accepts never fails the pack.
 */
export const MIN_BACKUP_RETENTION_DAYS = 7;
