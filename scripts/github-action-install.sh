#!/usr/bin/env bash
# The install step of action.yml, run only when the binary cache missed:
# builds isolint from the action's checkout at the action's ref into BIN.
# It uses GOMODCACHE and GOCACHE of its own under RUNNER_TEMP, and changes
# nothing the caller's later steps see (neither their PATH nor their
# environment).
set -euo pipefail

action=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}
bin=${BIN:?BIN is not set}
export GOMODCACHE=${GOMODCACHE:?GOMODCACHE is not set}
export GOCACHE=${GOCACHE:-${RUNNER_TEMP:?RUNNER_TEMP is not set}/isolint-gocache}
# a Go older than go.mod's line fetches that toolchain (as a module, checked
# against the checksum database) instead of failing
export GOTOOLCHAIN=auto
# the caller's build settings are for the caller's module, not this one
export GOFLAGS=-mod=readonly GOWORK=off
export GOBIN
GOBIN=$(dirname "$bin")

version=()
if [ -n "${ACTION_REF:-}" ]; then
  version=(-ldflags "-X github.com/isolint/isolint/internal/version.Version=$ACTION_REF")
fi
cd "$action"
# ${a[@]+…}: an empty array is "unbound" to macOS's bash 3.2 under set -u
"${GO:-go}" install -trimpath ${version[@]+"${version[@]}"} ./cmd/isolint
"$bin" --version
