# SiteKeeper. `make help` lists the targets. GNU make; recipes are bash.
#
# Two commands set up and check a fresh Debian/Ubuntu machine:
#   make run    install the build packages, build, open the window
#   make test   install the test packages too, then every check CI runs

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

GO ?= go
TOOLS := $(CURDIR)/bin/tools
# Fyne's fyne.Do migration, matching [Migrations] fyneDo in FyneApp.toml,
# which a plain `go build` does not read (docs/decisions.md).
TAGS := migrated_fynedo
APP_VERSION := $(shell sed -n 's/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' FyneApp.toml)
APP_BUILD := $(shell sed -n 's/^[[:space:]]*Build[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p' FyneApp.toml)
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo $(APP_VERSION))
LDFLAGS := -X main.version=$(VERSION)
MINGW_CC := x86_64-w64-mingw32-gcc
FYNE_CLI_VERSION := v1.7.4
GOWINRES_VERSION := v0.3.3

BUILD_PKGS := gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev \
	libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev
TEST_PKGS := xvfb xdotool imagemagick x11-apps poppler-utils jq \
	gcc-mingw-w64-x86-64 wine wine64 wsdd avahi-daemon snmpd
BENCH_PKGS := nmap hyperfine fping

.PHONY: help deps deps-test build build-debug run test fmt-check vet check-deps \
	unit lab-up lab-shell lab-down lab-test smoke smoke-10k windows package-windows wine-test bench bench-peers bench-report clean

help: ## list the targets
	@echo "SiteKeeper $(VERSION). Targets:"
	@awk 'BEGIN { FS = ":.*## " } /^[a-z0-9-]+:.*## / { printf "  %-16s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)
	@echo "Variables: DB=FILE (run), SMOKE_DEVICES=N (smoke), VERSION=... (all builds)"

deps: ## install the missing apt packages the build needs (gcc, GL and X11 headers)
	@scripts/apt-ensure.sh $(BUILD_PKGS)

deps-test: deps ## also install what the tests need (Xvfb, xdotool, ImageMagick, mingw, wine, jq, wsdd, avahi-daemon)
	@scripts/apt-ensure.sh $(TEST_PKGS)

build: ## build bin/sitekeeper for this machine (cgo, OpenGL; ~3 min cold, seconds warm)
	$(GO) build -buildvcs=false -tags $(TAGS) -ldflags "$(LDFLAGS)" -o bin/sitekeeper .

build-debug: ## build bin/sitekeeper-debug with Fyne's thread checker on (no fyneDo migration)
	$(GO) build -buildvcs=false -tags no_metadata -ldflags "$(LDFLAGS)" -o bin/sitekeeper-debug .

run: deps build ## build and open the window on the default inventory (DB=FILE for another)
	./bin/sitekeeper $(if $(DB),--db "$(DB)")

test: deps-test ## everything CI checks: fmt, vet, deps, unit tests, build, smoke, Windows, wine
	@MAKE="$(MAKE)" scripts/test.sh

fmt-check: ## fail listing the .go files that gofmt would change
	@files=$$(find . -name '*.go' -not -path './.git/*' -not -path './out/*' \
		-not -path './bin/*' -not -path '*/testdata/*' -print0 | xargs -0 -r gofmt -l); \
	if [ -n "$$files" ]; then echo "gofmt would change:"; echo "$$files"; exit 1; fi; \
	echo "gofmt: ok"

vet: ## go vet, for Linux and for Windows (-tags ci: no OpenGL needed)
	$(GO) vet -tags ci ./...
	GOOS=windows $(GO) vet -tags ci ./...

check-deps: ## fail if internal/ reaches Fyne, or anything but main imports app/
	@scripts/check-deps.sh

unit: ## go test -race -tags ci ./... (Fyne's software driver: no display, no OpenGL); as root also the namespace lab tests
	SITEKEEPER_LAB=$$( [ "$$(id -u)" = 0 ] && echo 1 || echo 0 ) $(GO) test -race -tags ci ./...

lab-up: ## bring up a simulated site of N=30 ONVIF devices in network namespaces (root); try bin/sitekeeper in it with lab-shell
	@mkdir -p out/lab
	@if [ -f out/lab/pid ] && kill -0 "$$(cat out/lab/pid)" 2>/dev/null; then echo "lab already up: $$(cat out/lab/scanner)"; exit 0; fi
	@$(GO) build -o out/lab/lab ./scripts/lab
	@out/lab/lab -n $(or $(N),30) -out out/lab > out/lab/log 2>&1 & echo $$! > out/lab/pid
	@for i in $$(seq 1 100); do [ -s out/lab/scanner ] && break; sleep 0.1; done
	@[ -s out/lab/scanner ] || { cat out/lab/log; exit 1; }
	@cat out/lab/log
	@echo "shell in the scanner namespace: make lab-shell"

lab-shell: ## a shell in the lab's scanner namespace: run bin/sitekeeper there, never on the real network
	@[ -s out/lab/scanner ] || { echo "no lab is up: make lab-up"; exit 1; }
	ip netns exec "$$(cat out/lab/scanner)" bash

lab-down: ## remove the lab of lab-up and every namespace it made
	@if [ -f out/lab/pid ]; then kill "$$(cat out/lab/pid)" 2>/dev/null || true; \
		for i in $$(seq 1 50); do kill -0 "$$(cat out/lab/pid)" 2>/dev/null || break; sleep 0.1; done; rm -f out/lab/pid; fi
	@echo "lab down; namespaces left: $$(ip netns list | grep -c '^skh' || true)"

lab-test: ## only the network-namespace lab tests (root; nothing leaves the lab's namespaces)
	SITEKEEPER_LAB=1 $(GO) test -race -count=1 -v -run Lab ./internal/lab/

smoke: build ## run bin/sitekeeper under Xvfb on 8 imported devices; out/smoke/{devices.png,metrics.txt}
	@SMOKE_DEVICES="$(SMOKE_DEVICES)" scripts/smoke.sh

smoke-10k: build ## the same with 10,000 generated devices; out/smoke-10000/metrics.txt
	@SMOKE_DEVICES=10000 scripts/smoke.sh

windows: ## cross-build bin/sitekeeper.exe (GUI subsystem, icon; ~6 min cold)
	@VERSION="$(VERSION)" APP_VERSION="$(APP_VERSION)" APP_BUILD="$(APP_BUILD)" \
		TAGS="$(TAGS)" MINGW_CC="$(MINGW_CC)" TOOLS="$(TOOLS)" \
		GOWINRES_VERSION="$(GOWINRES_VERSION)" scripts/windows.sh

package-windows: ## bin/SiteKeeper.exe with `fyne package` (icon, manifest, version from FyneApp.toml)
	@VERSION="$(VERSION)" MINGW_CC="$(MINGW_CC)" TOOLS="$(TOOLS)" \
		FYNE_CLI_VERSION="$(FYNE_CLI_VERSION)" scripts/package-windows.sh

wine-test: build windows ## run bin/sitekeeper.exe under wine: CLI vs Linux, %APPDATA%, window screenshot
	@scripts/wine-test.sh

bench: ## benchmarks, 6 runs each, to out/bench.txt (benchstat reads it as is); as root also the lab's discovery benchmarks
	@mkdir -p out
	SITEKEEPER_LAB=$$( [ "$$(id -u)" = 0 ] && echo 1 || echo 0 ) $(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem -count 6 ./internal/... ./app/ | tee out/bench.txt

bench-peers: build ## (root) sitekeeper scan against nmap's WS-Discovery and mDNS scripts in a 250-device lab, to out/bench-peers.txt
	@scripts/apt-ensure.sh $(TEST_PKGS) $(BENCH_PKGS)
	@scripts/bench-peers.sh

bench-report: build ## plan and reports of 10,000 generated devices through the binary (median time, peak RSS) next to groff, to out/bench-report.txt
	@scripts/apt-ensure.sh time groff jq poppler-utils
	@scripts/bench-report.sh

clean: ## remove bin/ and out/
	rm -rf bin out
	rm -f rsrc_windows_*.syso fyne_metadata_init.go
