# fupin: the two commands are `make run` and `make test` (see README).
SHELL := /bin/bash
TOOLS_DIR ?= $(HOME)/.cache/fupin-tools
export PATH := $(TOOLS_DIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
BIN := $(TARGET_DIR)/release/fupin
DATABASE_URL ?= sqlite:data/fupin.db
FUPIN_ADDR ?= 127.0.0.1:3000
export DATABASE_URL FUPIN_ADDR

.PHONY: run test build budget load toolchain test-rust test-e2e check fmt clippy bench bench-transfer

## run: install missing tools, build (release), migrate, seed demo data into an empty database, serve.
run: build
	$(BIN) seed --if-empty
	$(BIN) serve

## test: the client's size budget, Rust unit + database tests (SQLite, and PostgreSQL when
## reachable), then browser tests.
test: build budget test-rust test-e2e

# The release build (server + hashed, precompressed client) runs only when one of its inputs
# is newer than the last build's stamp, or the binary or its hash file is missing: a `make test`
# with nothing changed does not re-run wasm-bindgen and wasm-opt.
SITE_STAMP := target/site/.built
BUILD_INPUTS := $(shell find src locales style public migrations -type f) Cargo.toml Cargo.lock build.rs .cargo/config.toml

build:
	@scripts/toolchain.sh build
	@if [ ! -x "$(BIN)" ] || [ ! -f "$(dir $(BIN))hash.txt" ]; then rm -f $(SITE_STAMP); fi
	@$(MAKE) --no-print-directory $(SITE_STAMP)

## budget: every public page's first load (scripts and WASM, as served) against 250 KB.
budget: build
	FUPIN_BIN="$(abspath $(BIN))" scripts/wasm-budget.sh

# cargo-leptos builds the server only after the client when it hashes file names; the server is
# built here beside it (the same cargo command, so cargo-leptos's own server step finds it built),
# which keeps both cores busy through the client's long single-threaded steps.
$(SITE_STAMP): $(BUILD_INPUTS)
	cargo build --release --package fupin --bin fupin --no-default-features --features ssr & server=$$!; \
	cargo leptos build --release --precompress; front=$$?; \
	wait $$server; server_rc=$$?; \
	[ $$front = 0 ] && [ $$server_rc = 0 ]
	touch $@

test-rust:
	scripts/toolchain.sh build
	cargo test --release --features ssr

test-e2e: build
	scripts/toolchain.sh test
	cd end2end && FUPIN_BIN="$(abspath $(BIN))" npx playwright test

## bench: seed 1,000,000 households once (kept under target/bench) and print search latencies
## over HTTP and of the SQL alone. FUPIN_BENCH_HOUSEHOLDS=N for another size; FUPIN_BENCH_PG=postgres://…
## to measure PostgreSQL too.
bench:
	scripts/toolchain.sh build
	cargo bench --features ssr --bench search

## load: every public page at 1,000,000 households under wrk -c32, beside a bare axum page, and a
## first visit in Chromium on a throttled phone profile (see scripts/load.sh).
load: build
	scripts/load.sh

## bench-transfer: export 100,000 member rows (CSV, XLSX) and import them into an empty register.
bench-transfer:
	scripts/toolchain.sh build
	cargo bench --features ssr --bench transfer

## check: fast compile checks of both halves while iterating.
check:
	cargo check --features ssr
	cargo check --features hydrate --target wasm32-unknown-unknown

fmt:
	cargo fmt --all

clippy:
	cargo clippy --features ssr --all-targets -- -D warnings
	cargo clippy --features hydrate --target wasm32-unknown-unknown -- -D warnings
