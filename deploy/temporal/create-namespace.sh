#!/bin/sh
# Runs once in the temporalio/admin-tools image after the server is healthy: the service
# works in the namespace named by TEMPORAL_NAMESPACE (default "default").
set -eu
ns="${TEMPORAL_NAMESPACE:-default}"
until temporal operator cluster health --address temporal:7233; do sleep 2; done
temporal operator namespace describe -n "$ns" --address temporal:7233 \
  || temporal operator namespace create -n "$ns" --retention 3650d --address temporal:7233
