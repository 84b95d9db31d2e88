#!/usr/bin/env bash
# Install (once) and start the real services the test suite uses: PostgreSQL,
# Redis, Chromium and a Chinese font. Needs root, as on our CI machines.
set -euo pipefail

need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "wenquanyi micro hei" || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "${need[@]}"
fi

service postgresql start >/dev/null 2>&1 || service postgresql start
if ! redis-cli ping >/dev/null 2>&1; then
  service redis-server start >/dev/null 2>&1 || redis-server --daemonize yes
fi
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q" && break
  sleep 1
done
su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='legalaid'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE ROLE legalaid LOGIN SUPERUSER PASSWORD 'legalaid'\""
su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='legalaid'\"" | grep -q 1 \
  || su postgres -c "createdb -O legalaid legalaid"
redis-cli ping >/dev/null
echo "services ready: postgresql, redis, chromium"
