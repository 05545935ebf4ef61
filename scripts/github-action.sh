#!/usr/bin/env bash
# The run step of action.yml: turns the action's inputs (INPUT_* variables)
# into an `isolint scan` command line, runs it, and records its exit code
# and output file as step outputs. ISOLINT names the binary.
set -euo pipefail

paths=()
if [[ "${INPUT_PATHS:-}" == *$'\n'* ]]; then
  while IFS= read -r p; do
    [ -n "$p" ] && paths+=("$p")
  done <<< "$INPUT_PATHS"
else
  read -r -a paths <<< "${INPUT_PATHS:-}"
fi
[ ${#paths[@]} -gt 0 ] || paths=(.)

format=${INPUT_FORMAT:-sarif}
output=${INPUT_OUTPUT:-}
if [ -z "$output" ] && [ "$format" = sarif ]; then
  output=isolint.sarif
fi
fail_on=${INPUT_FAIL_ON:-}

args=(scan --format "$format")
[ -z "$output" ] || args+=(--output "$output")
case "$fail_on" in
  ""|never) ;;
  *) args+=(--fail-on "$fail_on") ;;
esac
[ -z "${INPUT_BASELINE:-}" ] || args+=(--baseline "$INPUT_BASELINE")
[ -z "${INPUT_SARIF_CATEGORY:-}" ] || args+=(--sarif-category "$INPUT_SARIF_CATEGORY")
[ -z "${INPUT_CONFIG:-}" ] || args+=(--config "$INPUT_CONFIG")
args+=(--)
args+=("${paths[@]}")

set +e
"${ISOLINT:-isolint}" "${args[@]}"
code=$?
set -e

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$code"
    echo "output=$output"
  } >> "$GITHUB_OUTPUT"
fi
if [ "$code" = 1 ] && [ "$fail_on" = never ]; then
  echo "isolint: findings reported; fail-on: never keeps the step green" >&2
  exit 0
fi
exit "$code"
