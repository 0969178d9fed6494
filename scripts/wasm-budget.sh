#!/usr/bin/env bash
# The client's size budget, measured as a visitor gets it: the release server runs on a demo
# database, every public page is fetched, and what each page makes the browser download before it
# is complete — the scripts and WASM it references (module preloads, script sources, fetch
# preloads), as served with `Accept-Encoding: br, gzip`, plus its inline scripts — is added up.
# The largest public first load fails the run above BUDGET bytes (250 KB = 250,000 B); the staff
# pages, which load the client, are printed beside them.
#
#   scripts/wasm-budget.sh            # needs a release build (make build)
#   FUPIN_BIN=… FUPIN_SITE_ROOT=… scripts/wasm-budget.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${FUPIN_BIN:-${CARGO_TARGET_DIR:-target}/release/fupin}"
site="${FUPIN_SITE_ROOT:-target/site}"
budget="${FUPIN_WASM_BUDGET:-250000}"
port="${FUPIN_BUDGET_PORT:-3301}"
[ -x "$bin" ] || { echo "wasm-budget: $bin is missing: run make build first" >&2; exit 1; }
work="$(mktemp -d -t fupin-budget.XXXXXX)"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

export DATABASE_URL="sqlite:$work/budget.db"
"$bin" seed --if-empty >"$work/seed.log" 2>&1 || { cat "$work/seed.log" >&2; exit 1; }
RUST_LOG=warn "$bin" serve --addr "127.0.0.1:$port" --site-root "$site" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

python3 - "http://127.0.0.1:$port" "$work/budget.db" "$budget" <<'PY'
import re, sqlite3, sys, urllib.error, urllib.request
base, db, budget = sys.argv[1], sys.argv[2], int(sys.argv[3])
con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
one = lambda sql: con.execute(sql).fetchone()[0]
household = one("SELECT MIN(id) FROM household")
village = one("SELECT code FROM region WHERE level = 'village' ORDER BY code LIMIT 1")
township = one("SELECT code FROM region WHERE level = 'township' ORDER BY code LIMIT 1")
policy = one("SELECT MIN(id) FROM policy")
update = one("SELECT MIN(id) FROM work_update")
notice = one("SELECT MIN(id) FROM notice")
surname = one("SELECT substr(name, 1, 1) FROM member ORDER BY id LIMIT 1")
PUBLIC = ["/", f"/search?q={urllib.request.quote(surname)}", "/dashboard", f"/household/{household}",
          f"/village/{village}", f"/township/{township}", "/policies", f"/policies/{policy}",
          "/updates", f"/updates/{update}", "/notices", f"/notices/{notice}", "/no-such-page"]
STAFF = ["/login", "/staff"]

def get(path):
    req = urllib.request.Request(base + path, headers={"Accept-Encoding": "br, gzip"})
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.read(), res.headers
    except urllib.error.HTTPError as err:  # a 404 page is a page too
        return err.read(), err.headers

# What a page makes the browser fetch before it is done: module preloads, fetch preloads (the
# WASM), script sources. Stylesheets and the icon are not the client and are not counted.
REF = re.compile(r'<(?:link|script)\b[^>]*?(?:href|src)="(/[^"]+\.(?:js|wasm))"', re.I)
INLINE = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.I | re.S)
sizes = {}

def first_load(path):
    import gzip, zlib
    body, headers = get(path)
    enc = headers.get("Content-Encoding", "")
    html = (gzip.decompress(body) if enc == "gzip" else body).decode("utf-8", "replace")
    if enc not in ("", "gzip", "identity"):
        sys.exit(f"wasm-budget: {path} came as {enc}; the check reads gzip or plain pages")
    refs = sorted(set(REF.findall(html)))
    total = sum(len(s.encode()) for s in INLINE.findall(html))
    for ref in refs:
        if ref not in sizes:
            data, h = get(ref)
            sizes[ref] = (len(data), h.get("Content-Encoding", "identity"))
        total += sizes[ref][0]
    return total, refs

def kb(n):
    return f"{n / 1000:7.1f} KB"

worst = (0, "")
print("first load of each page, as served (scripts and WASM it references, plus inline scripts):")
for path in PUBLIC:
    total, refs = first_load(path)
    worst = max(worst, (total, path))
    print(f"  public {path:40} {kb(total)}  {len(refs)} client files")
for path in STAFF:
    total, refs = first_load(path)
    print(f"  staff  {path:40} {kb(total)}  {len(refs)} client files")
for ref, (n, enc) in sorted(sizes.items()):
    print(f"    {ref:60} {kb(n)} ({enc})")
print(f"largest public first load {kb(worst[0])} ({worst[1]}): budget {kb(budget)}")
if worst[0] > budget:
    sys.exit(f"wasm-budget: the public first load is over budget by {kb(worst[0] - budget)}")
PY
