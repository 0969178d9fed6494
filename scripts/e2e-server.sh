#!/usr/bin/env bash
# Starts the release server for the browser tests on a fresh, seeded SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-3100}"
bin="${FUPIN_BIN:-target/release/fupin}"
if [ -n "${E2E_DIR:-}" ]; then
  dir="$E2E_DIR"
  rm -rf "$dir"
  mkdir -p "$dir"
else
  dir="$(mktemp -d -t fupin-e2e.XXXXXX)"
fi
export DATABASE_URL="sqlite:$dir/e2e.db"
"$bin" seed
exec "$bin" serve --addr "127.0.0.1:$port" --site-root target/site
