#!/bin/sh
# Runs once, when the app-db volume is first initialised (docker-entrypoint-initdb.d): the
# superuser creates the service's own login role, which is no superuser, and its database,
# owned by it. The service connects as that role only (README, "A real PostgreSQL").
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v role="$APP_DB_USER" -v password="$APP_DB_PASSWORD" -v db="$APP_DB_NAME" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
CREATE DATABASE :"db" OWNER :"role";
SQL
