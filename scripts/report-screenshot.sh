#!/usr/bin/env bash
# Render an isolint HTML compliance report and take a screenshot of it in
# headless Chromium (Debian: apt-get install -y chromium), to look at the
# report as a person would.
#
#   scripts/report-screenshot.sh [FRAMEWORK] [OUT.png] [PATH...]
#
# defaults: nist-800-53, report.png, the current directory. OUT.png and the
# paths are taken from the directory you run it in, as `isolint report`
# takes them, wherever the script lives. The HTML is written next to the PNG
# (OUT.html). Set WIDTH/HEIGHT for another window size, and ISOLINT to use an
# isolint binary instead of building one from this script's repository.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

framework=${1:-nist-800-53}
png=${2:-report.png}
shift $(( $# > 2 ? 2 : $# ))
paths=("$@")
[ ${#paths[@]} -gt 0 ] || paths=(.)
html="${png%.png}.html"

chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$chrome" ]; then
  echo "no Chromium found (Debian: apt-get install -y chromium)" >&2
  exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bin=${ISOLINT:-}
if [ -z "$bin" ]; then
  bin="$tmp/isolint"
  (cd "$repo" && go build -o "$bin" ./cmd/isolint)
fi
# a fixed time, so the same tree gives the same page; exit 0 whatever it finds
"$bin" report --framework "$framework" --format html --timestamp "${SOURCE_DATE_EPOCH:-0}" --allow-empty -o "$html" -- "${paths[@]}"

mkdir "$tmp/profile"
"$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$tmp/profile" \
  --window-size="${WIDTH:-1280},${HEIGHT:-2400}" \
  --screenshot="$(realpath -m "$png")" "file://$(realpath "$html")" 2>/dev/null
echo "wrote $png (from $html)"
