-- The logs table, for whoever creates it by hand in Athena instead of deploying serverless.yml (whose
-- GlueTable resource is the same table; DeployedTableAgreesWithCreateTableSqlIT keeps the two equal).
-- Replace <bucket> with the stack's LogsBucketName output and run it in the stack's database.
-- Partition projection computes the dt partitions: no MSCK REPAIR, no ALTER TABLE ADD PARTITION.
-- `timestamp` is a reserved word in Athena DDL, hence the backticks. The projected days run from the oldest a live
-- file can hold (the dev stage's projectionDays: logRetentionDays + 16) to tomorrow (docs/deploy.md).
CREATE EXTERNAL TABLE IF NOT EXISTS logs (
  source string,
  logtype string,
  `timestamp` timestamp,
  message string,
  attributes map<string,string>,
  received_at timestamp
)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://<bucket>/logs/'
TBLPROPERTIES (
  'classification' = 'parquet',
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = 'NOW-46DAYS,NOW+1DAYS',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://<bucket>/logs/dt=${dt}/'
);
