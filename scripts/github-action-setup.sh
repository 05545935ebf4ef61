#!/usr/bin/env bash
# The first step of action.yml: decides where the isolint binary lives and
# the cache keys that let a later run skip building it, and finds a Go the
# job already has. Writes step outputs (GITHUB_OUTPUT):
#
#   bin      the binary's path, under RUNNER_TEMP
#   key      cache key of the binary: runner OS and architecture and a
#            digest of every file of the action's checkout (the source it is
#            built from), so a cached binary is always this source's
#   mod-dir  the Go module cache the build uses (its own, so the caller's is
#            left as it was)
#   mod-key  cache key of the module cache: a digest of the action's go.sum
#   go       a `go` on PATH that can build isolint (Go 1.21 or later, which
#            fetches the toolchain go.mod asks for itself); empty when there
#            is none, and actions/setup-go is used instead
#
# Every path is the action's own (GITHUB_ACTION_PATH), never the caller's
# workspace: hashFiles() and setup-go's cache only see the workspace, which
# does not hold the action's go.sum, so their keys could never hit.
set -euo pipefail

action=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}
tmp=${RUNNER_TEMP:?RUNNER_TEMP is not set}
platform="${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}"

sha=(sha256sum)
command -v sha256sum >/dev/null 2>&1 || sha=(shasum -a 256) # macOS

# paths and contents of every file, in a fixed order, so the digest changes
# with any file the build can read (sources, go.mod, embedded data)
source_digest=$(cd "$action" && find . -type f ! -path './.git/*' -print0 | LC_ALL=C sort -z | xargs -0 "${sha[@]}" | "${sha[@]}" | cut -c1-64)
sum_digest=$("${sha[@]}" "$action/go.sum" | cut -c1-64)

exe=isolint
case "${RUNNER_OS:-}" in Windows) exe=isolint.exe ;; esac

go=""
if found=$(command -v go 2>/dev/null); then
  # go1.22.5: 1.21 added toolchain switching. Asked outside any module, so
  # that no go.mod makes this very question fetch a toolchain.
  v=$(cd / && GOTOOLCHAIN=local "$found" env GOVERSION 2>/dev/null || true)
  if [[ "$v" =~ ^go1\.([0-9]+) ]] && (( BASH_REMATCH[1] >= 21 )); then
    go=$found
  fi
fi

{
  echo "bin=$tmp/isolint-bin/$exe"
  echo "key=isolint-bin-$platform-$source_digest"
  echo "mod-dir=$tmp/isolint-gomod"
  echo "mod-key=isolint-gomod-$platform-$sum_digest"
  echo "go=$go"
} >> "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
