#!/usr/bin/env bash
# Installs what the build needs, only when it is missing (idempotent). cargo-leptos would try to
# download wasm-bindgen and wasm-opt binaries, which this kind of machine cannot do, so each tool
# is installed from a package registry and put on PATH first (see README, "Build chain").
#
#   scripts/toolchain.sh build   # wasm32 target, cargo-leptos, wasm-bindgen-cli, wasm-opt
#   scripts/toolchain.sh test    # build + Chromium + end2end npm packages
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
BINARYEN_VERSION=132
TOOLS_DIR="${FUPIN_TOOLS_DIR:-$HOME/.cache/fupin-tools}"
# The tools are build helpers whose own speed hardly matters: they are built without LTO, at
# opt-level 1, without debug info and with many codegen units (cargo-leptos's own release profile,
# full LTO with one codegen unit, takes ~26 min on 2 cores; see README, "Build chain").
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_PROFILE_RELEASE_STRIP=true \
  CARGO_PROFILE_RELEASE_INCREMENTAL=false

say() { printf '\033[1m[toolchain]\033[0m %s\n' "$*"; }

wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

need_build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi

  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 15 min on 2 cores, once)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
  fi

  local wbv
  wbv="$(wasm_bindgen_version)"
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbv\$"; then
    say "installing wasm-bindgen-cli $wbv (matches Cargo.lock)"
    # Not --locked: its lock file pins a webpki-roots the registry no longer has.
    cargo install wasm-bindgen-cli --version "$wbv" --force
  fi

  if ! "$TOOLS_DIR/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
    say "installing wasm-opt (binaryen@$BINARYEN_VERSION from npm) into $TOOLS_DIR"
    mkdir -p "$TOOLS_DIR"
    npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
  fi
}

need_test_tools() {
  if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ]; then
      say "installing Debian's chromium"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      say "Chromium is missing: run 'sudo apt-get install -y chromium' (browser tests need /usr/bin/chromium)"
      exit 1
    fi
  fi
  if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "installing end2end npm packages (Playwright; no browser download)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  fi
}

case "${1:-build}" in
  build) need_build_tools ;;
  test) need_build_tools; need_test_tools ;;
  *) echo "usage: $0 [build|test]" >&2; exit 2 ;;
esac
