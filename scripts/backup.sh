#!/usr/bin/env bash
# Back up or restore the PostgreSQL database named by DATABASE_URL (pg_dump custom format).
#   scripts/backup.sh backup [FILE]   default FILE: var/backups/psc-<UTC timestamp>.dump
#   scripts/backup.sh restore FILE    replaces every table the dump holds, in one transaction
set -euo pipefail
: "${DATABASE_URL:?Set DATABASE_URL to the PostgreSQL database}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "DATABASE_URL must name a PostgreSQL database for backups." >&2; exit 2 ;;
esac

case "${1:-}" in
  backup)
    file="${2:-var/backups/psc-$(date -u +%Y%m%dT%H%M%SZ).dump}"
    mkdir -p "$(dirname "$file")"
    pg_dump --format=custom --no-owner --no-privileges --file="$file" --dbname="$DATABASE_URL"
    echo "Backed up to $file ($(du -h "$file" | cut -f1))."
    ;;
  restore)
    file="${2:?Name the dump to restore}"
    test -r "$file" || { echo "Cannot read $file." >&2; exit 2; }
    pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
      --exit-on-error --dbname="$DATABASE_URL" "$file"
    echo "Restored $file."
    ;;
  *)
    echo "Usage: $0 backup [FILE] | restore FILE" >&2
    exit 2
    ;;
esac
