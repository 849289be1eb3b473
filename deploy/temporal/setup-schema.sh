#!/bin/sh
# Runs once in the temporalio/admin-tools image: creates Temporal's two databases on its own
# PostgreSQL and brings their schemas to the versions shipped in the image. Safe to re-run.
set -eu
sql() { temporal-sql-tool --plugin postgres12 --ep temporal-db -p 5432 -u temporal --pw temporal "$@"; }
until nc -z temporal-db 5432; do echo 'waiting for temporal-db'; sleep 1; done
for db in temporal temporal_visibility; do
  sql --db "$db" create || true
done
sql --db temporal setup-schema -v 0.0 || true
sql --db temporal update-schema -d /etc/temporal/schema/postgresql/v12/temporal/versioned
sql --db temporal_visibility setup-schema -v 0.0 || true
sql --db temporal_visibility update-schema -d /etc/temporal/schema/postgresql/v12/visibility/versioned
echo 'temporal schemas are up to date'
