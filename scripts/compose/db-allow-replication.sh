#!/bin/sh
# Run once by the postgres image when it creates the database: lets the owner role stream to the `replica` service
# (docker-compose.yml, profile "replica"). The image's own rule ("host all all all") does not cover replication.
echo "host replication ${POSTGRES_USER} all scram-sha-256" >>"$PGDATA/pg_hba.conf"
