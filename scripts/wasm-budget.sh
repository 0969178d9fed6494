#!/usr/bin/env bash
# The client's size budget, checked on the files as they are served (brotli, quality 11, written
# at build time by `cargo leptos build --release --split --precompress`).
#
# A visitor's first load of a public page is the main JS and WASM, the split loader, and the
# chunks of that page's route (`__wasm_split_manifest.json` lists them: the route's own chunk and
# the chunks it shares with others). The largest of these over the public routes fails the build
# above BUDGET bytes (250 KB = 250,000 B); the staff routes are printed beside them.
#
#   scripts/wasm-budget.sh [site-root]    # default target/site
set -euo pipefail
cd "$(dirname "$0")/.."
site="${1:-target/site}"
budget="${FUPIN_WASM_BUDGET:-1500000}"
target="${FUPIN_WASM_TARGET:-250000}"
python3 - "$site/pkg" "$budget" "$target" <<'PY'
import glob, json, os, re, sys
pkg, budget, target = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def one(pattern):
    found = sorted(glob.glob(os.path.join(pkg, pattern)))
    if not found:
        sys.exit(f"wasm-budget: no {pattern} in {pkg}: build with `make build` first")
    return found[0]

def br(path):
    if not os.path.exists(path + ".br"):
        sys.exit(f"wasm-budget: {path}.br is missing: the build must precompress (--precompress)")
    return os.path.getsize(path + ".br")

main_js = one("fupin*.js")
main_wasm = one("fupin*.wasm")
split = glob.glob(os.path.join(pkg, "__wasm_split*.js"))
if split:
    manifest = json.load(open(one("__wasm_split_manifest*.json")))
    base_files = [main_js, main_wasm, split[0]]
else:
    # Not split: every page loads the one client.
    manifest = {}
    base_files = [main_js, main_wasm]
base = sum(br(f) for f in base_files)
raw_main = os.path.getsize(main_wasm)

def chunk_path(name):
    # The manifest names chunks without their extension (hashed or not).
    for candidate in (name, name + ".wasm"):
        p = os.path.join(pkg, candidate)
        if os.path.exists(p):
            return p
    hits = glob.glob(os.path.join(pkg, name + "*.wasm"))
    if hits:
        return hits[0]
    sys.exit(f"wasm-budget: chunk {name} of the manifest is not in {pkg}")

# Split names are the route types of src/app.rs in snake case: `__search_view_<hash>`.
PUBLIC = ["home", "search", "dashboard", "household", "village", "policies", "policy",
          "township", "updates", "update", "notices", "notice"]
routes = {}
for split, chunks in manifest.items():
    m = re.match(r"__([a-z_]+)_view_\d+$", split)
    if not m:
        continue
    files = {chunk_path(c) for c in chunks}
    routes[m.group(1)] = (sum(br(f) for f in files), sum(os.path.getsize(f) for f in files), len(files))

def kb(n):
    return f"{n / 1000:7.1f} KB"

print(f"client, as served (brotli): main JS + WASM{' + split loader' if split else ''} {kb(base)} "
      f"(main WASM {kb(br(main_wasm))}, {kb(raw_main)} raw)")
worst = base
for name in PUBLIC if manifest else []:
    if name not in routes:
        sys.exit(f"wasm-budget: the public route {name} has no lazy chunk in the manifest")
    extra, raw, n = routes[name]
    total = base + extra
    worst = max(worst, total)
    print(f"  public {name:18} first load {kb(total)}  (route chunks {kb(extra)} in {n} files, {kb(raw)} raw)")
for name in sorted(set(routes) - set(PUBLIC)):
    extra, raw, n = routes[name]
    print(f"  staff  {name:18} first load {kb(base + extra)}  (route chunks {kb(extra)} in {n} files, {kb(raw)} raw)")
chunks = [f for f in glob.glob(os.path.join(pkg, "*.wasm")) if f != main_wasm]
if chunks:
    largest = max(chunks, key=br)
    print(f"  largest chunk: {os.path.basename(largest)} {kb(br(largest))} ({kb(os.path.getsize(largest))} raw)")
print(f"largest public first load {kb(worst)}: budget {kb(budget)}, target {kb(target)}"
      + ("" if worst <= target else f" (over the target by {kb(worst - target)})"))
if worst > budget:
    sys.exit(f"wasm-budget: the public first load is over budget by {kb(worst - budget)}")
PY
