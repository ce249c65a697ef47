# Vigil: the only entry points a newcomer needs.
#   make run    set up everything (system packages, npm packages, build) and start the app
#   make test   set up everything and run every test (Rust, UI, end-to-end)
#   make bench  benchmarks on ../shared/data, printed as a table (the desktop app's start and
#               memory with the debug build, bench/desktop.sh)
SHELL := /bin/bash
.DEFAULT_GOAL := run
CARGO ?= cargo
NPM ?= npm

.PHONY: run dev test bench setup setup-test toolchain ui build bindings test-rust test-ui test-e2e check-engine-deps clean

toolchain:
	@command -v $(CARGO) >/dev/null || { echo "make: cargo not found; install Rust with rustup (https://rustup.rs) and retry" >&2; exit 1; }
	@command -v node >/dev/null && command -v $(NPM) >/dev/null || { echo "make: node and npm not found; install Node.js 20 or newer and retry" >&2; exit 1; }

setup: toolchain
	scripts/setup-system.sh
	@$(MAKE) --no-print-directory ui/node_modules/.package-lock.json

setup-test: toolchain
	scripts/setup-system.sh --test
	scripts/setup-python.sh
	@$(MAKE) --no-print-directory ui/node_modules/.package-lock.json tests/e2e/node_modules/.package-lock.json

# npm ci only when the lockfile changed since the last install.
ui/node_modules/.package-lock.json: ui/package-lock.json
	cd ui && $(NPM) ci --no-audit --no-fund
tests/e2e/node_modules/.package-lock.json: tests/e2e/package-lock.json
	cd tests/e2e && $(NPM) ci --no-audit --no-fund

ui:
	cd ui && $(NPM) run build

build: setup ui
	$(CARGO) build -p vigil-cli -p vigil-desktop

run: build
	target/debug/vigil-desktop

# Live-reloading UI (Vite) in the real window. Afterwards `make build`/`make test` rebuild the
# binary without the dev server.
dev: setup
	TAURI_APP_PATH=src-tauri TAURI_FRONTEND_PATH=ui ui/node_modules/.bin/tauri dev --config src-tauri/tauri.dev.json

check-engine-deps:
	scripts/check-engine-deps.sh

# Inside a private D-Bus session with an unlocked gnome-keyring: channel secrets go through the
# real Secret Service.
test-rust:
	scripts/with-keyring.sh $(CARGO) test --workspace
	@[ -d ../shared/data ] || echo "NOTE: ../shared/data is missing: the tests on real OSV dumps and lockfiles were SKIPPED"

test-ui:
	cd ui && $(NPM) run check && $(NPM) test

test-e2e:
	scripts/e2e.sh target/debug/vigil-desktop target/debug/vigil

test: setup-test ui
	$(CARGO) build -p vigil-cli -p vigil-desktop
	@$(MAKE) --no-print-directory check-engine-deps test-rust test-ui test-e2e
	@echo "make test: all passed"

bench: toolchain
	$(CARGO) build --release -p vigil-cli
	$(CARGO) build --release -p vigil-engine --example match_bench --example portfolio --example notify_bench -p vigil-advisories --example inflate_parse
	bench/run.sh
	bench/inventory.sh
	bench/evaluate.sh
	bench/monitor.sh
	bench/notify.sh
	@if [ -x bench/image.sh ]; then bench/image.sh; fi
	$(MAKE) --no-print-directory ui
	$(CARGO) build --release -p vigil-desktop --features custom-protocol
	bench/desktop.sh target/release/vigil-desktop

# Regenerates ui/src/lib/ipc/bindings from vigil_engine::api (commit the result).
bindings:
	VIGIL_UPDATE_BINDINGS=1 $(CARGO) test -q -p vigil-engine --test bindings

clean:
	$(CARGO) clean
	rm -rf ui/node_modules ui/dist tests/e2e/node_modules tests/e2e/output bench/output
