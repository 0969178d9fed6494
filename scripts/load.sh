#!/usr/bin/env bash
# The public portal under load, as its visitors get it: every public page at 1,000,000 households
# (seeded once into target/bench/, reused afterwards), wrk with 32 connections for 10 s each on the
# loopback, beside a bare axum server returning a fixed 2 KB page (`fupin floor`) measured in the
# same run; then the client's files, and a first visit in Chromium on a throttled phone profile.
#
#   scripts/load.sh                      # all of it (make load)
#   FUPIN_LOAD_HOUSEHOLDS=26000 scripts/load.sh
#   FUPIN_LOAD_SECONDS=5 FUPIN_LOAD_CONNECTIONS=16 scripts/load.sh
#
# Prints, per page: requests/s, p50, p99, errors (non-2xx/3xx, socket errors, timeouts) and the
# share of the floor, as served (kept pages on: a repeat of an address is sent as kept while the
# database has not changed) and rendered for every request (a second server with
# FUPIN_PAGE_CACHE=0); then the panics the servers logged (the run fails if there is one).
# Bounded: every wrk run has a duration and a 2 s request timeout; both servers are stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

households="${FUPIN_LOAD_HOUSEHOLDS:-1000000}"
seconds="${FUPIN_LOAD_SECONDS:-10}"
conns="${FUPIN_LOAD_CONNECTIONS:-32}"
bin="${FUPIN_BIN:-${CARGO_TARGET_DIR:-target}/release/fupin}"
db="target/bench/load-$households.db"
port=3200
floor_port=3999
work="$(mktemp -d -t fupin-load.XXXXXX)"
log="$work/server.log"

command -v wrk >/dev/null || { echo "load: wrk is missing (Debian: apt-get install wrk)" >&2; exit 1; }
[ -x "$bin" ] || { echo "load: $bin is missing: run make build first" >&2; exit 1; }

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

mkdir -p target/bench
if [ ! -s "$db" ]; then
  echo "load: seeding $households households into $db (once)" >&2
  DATABASE_URL="sqlite:$db" "$bin" seed --households "$households" >&2
fi

DATABASE_URL="sqlite:$db" RUST_LOG=warn "$bin" serve --addr "127.0.0.1:$port" --site-root target/site \
  >"$log" 2>&1 &
pids+=($!)
# The same server with kept pages turned off: what rendering alone holds (every visitor a first).
cold_port=$((port + 1))
DATABASE_URL="sqlite:$db" FUPIN_PAGE_CACHE=0 RUST_LOG=warn "$bin" serve --addr "127.0.0.1:$cold_port" \
  --site-root target/site >"$work/server-cold.log" 2>&1 &
pids+=($!)
"$bin" floor --addr "127.0.0.1:$floor_port" >"$work/floor.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 \
    && curl -fsS "http://127.0.0.1:$cold_port/healthz" >/dev/null 2>&1 \
    && curl -fsS "http://127.0.0.1:$floor_port/" >/dev/null 2>&1; then break; fi
  sleep 0.5
done

# Addresses that vary per request (a visitor opens another household each time): 200 of each,
# drawn from the database.
python3 - "$db" "$work" <<'PY'
import random, sqlite3, sys
db, work = sys.argv[1], sys.argv[2]
con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
rnd = random.Random(16)
# The register's households only: an ordinary household (一般农户, monitoring) has no public page.
register = [r[0] for r in con.execute("SELECT id FROM household WHERE status <> 'ordinary'")]
ids = rnd.sample(register, min(200, len(register))) or [1]
villages = [r[0] for r in con.execute("SELECT code FROM region WHERE level = 'village'")]
townships = [r[0] for r in con.execute("SELECT code FROM region WHERE level = 'township'")]
# Notices the public may read: a monitoring or clearing notice leaves 30 days after its end.
notices = [r[0] for r in con.execute(
    "SELECT id FROM notice WHERE kind IN ('identification', 'exit') "
    "OR ends_on >= date('now', '-30 days') ORDER BY id")] or [1]
cases = [r[0] for r in con.execute(
    "SELECT id FROM monitoring_case WHERE stage NOT IN ('cleared', 'closed') ORDER BY id")] or [1]
def lua(name, paths):
    with open(f"{work}/{name}.lua", "w") as f:
        f.write("local paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n")
        f.write("local i = math.random(#paths)\n")
        f.write("request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n")
lua("household", [f"/household/{i}" for i in ids])
lua("village", [f"/village/{rnd.choice(villages)}" for _ in range(200)])
lua("township", [f"/township/{t}" for t in townships])
lua("notice", [f"/notices/{i}" for i in notices])
lua("case", [f"/staff/case/{rnd.choice(cases)}" for _ in range(200)])
lua("dash_township", [f"/dashboard?township={t}" for t in townships])
PY

results="$work/results.tsv"
: >"$results"
# run NAME URL [LUA] [HEADER]: one wrk run; appends name, req/s, p50 ms, p99 ms, errors.
run() {
  local name="$1" url="$2" script="${3:-}" header="${4:-}"
  wrk -t2 -c"$conns" -d"${seconds}s" --timeout 2s --latency \
    -H 'Accept-Encoding: br, gzip' -H 'Accept-Language: zh-CN' ${header:+-H "$header"} \
    ${script:+-s "$work/$script.lua"} "$url" >"$work/wrk.out" 2>&1
  python3 - "$name" "$results" "$work/wrk.out" <<'PY'
import re, sys
name, results = sys.argv[1], sys.argv[2]
out = open(sys.argv[3]).read()
def ms(label):
    m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    if not m: return float("nan")
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
errors = sum(int(x) for x in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
if sock: errors += sum(int(x) for x in sock.groups())
with open(results, "a") as f:
    f.write(f"{name}\t{rps:.0f}\t{ms('50'):.2f}\t{ms('99'):.2f}\t{errors}\n")
PY
}

base="http://127.0.0.1:$port"
cold="http://127.0.0.1:$cold_port"
echo "load: $households households, wrk -t2 -c$conns -d${seconds}s per page, loopback" >&2
run "floor (bare axum, 2 KB)" "http://127.0.0.1:$floor_port/"
# Each page twice: as served (kept pages on), then rendered for every request (kept pages off).
page() {
  run "$1" "$base$2" "${3:-}"
  run "  rendered every time" "$cold$2" "${3:-}"
}
page "home /" "/"
page "search 张伟 (full name)" "/search?q=%E5%BC%A0%E4%BC%9F"
page "search 王 (surname)" "/search?q=%E7%8E%8B"
page "household /household/:id" "/household/1" household
page "village /village/:code" "/village/x" village
page "township /township/:code" "/township/x" township
page "dashboard (with monitoring)" "/dashboard"
page "dashboard, one township" "/dashboard?township=x" dash_township
page "policies" "/policies"
page "updates" "/updates"
page "notices" "/notices"
page "notice /notices/:id" "/notices/1" notice
# Staff pages (a city administrator's session: the widest scope): the monitoring desk, filtered,
# and case pages. Staff pages are never kept: every request renders.
session="$(curl -fsS -o /dev/null -D - -X POST "$base/api/login" \
  --data-urlencode "username=demo-admin" --data-urlencode "password=fupin-demo-2026" \
  | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -n 1)"
if [ -n "$session" ]; then
  run "staff: monitoring desk" "$base/staff/monitoring" "" "Cookie: $session"
  run "staff: case /staff/case/:id" "$base/staff/case/1" case "Cookie: $session"
else
  echo "load: could not log in as demo-admin; staff pages skipped" >&2
fi
# A township's staff: the desk of one township (its cases found through their households).
township_session="$(curl -fsS -o /dev/null -D - -X POST "$base/api/login" \
  --data-urlencode "username=demo-township" --data-urlencode "password=fupin-demo-2026" \
  | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -n 1)"
if [ -n "$township_session" ]; then
  run "staff: monitoring desk (township)" "$base/staff/monitoring" "" "Cookie: $township_session"
fi
run "floor again" "http://127.0.0.1:$floor_port/"

# The client's files, as a first visit fetches them: the main WASM, brotli, 8 at once.
wasm="$(cd target/site/pkg && ls fupin.*.wasm 2>/dev/null | head -n 1 || true)"
if [ -n "$wasm" ]; then
  conns_saved="$conns"; conns=8
  run "asset /pkg/$wasm (br)" "$base/pkg/$wasm"
  conns="$conns_saved"
fi

python3 - "$results" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
floor = max(float(r[1]) for r in rows if r[0].startswith("floor"))
print(f"{'page':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'% floor':>8}")
for name, rps, p50, p99, err in rows:
    print(f"{name:34} {float(rps):8.0f} {float(p50):8.2f} {float(p99):8.2f} {int(err):7d} {100*float(rps)/floor:7.2f}%")
PY

cat "$work/server-cold.log" >>"$log"
panics="$(grep -c 'panicked' "$log" || true)"
echo "server logs: $(wc -l <"$log") lines, panics: $panics"
if [ "$panics" != "0" ]; then
  grep -m 5 -A 3 'panicked' "$log" >&2
fi

# A first visit on a phone (throttled network and CPU), then a repeat visit.
if [ -x /usr/bin/chromium ] && [ -d end2end/node_modules/@playwright/test ]; then
  (cd end2end && node first-visit.mjs "$base/search?q=%E5%BC%A0%E4%BC%9F" "$base/login") || echo "first visit: failed" >&2
fi
[ "$panics" = "0" ]
