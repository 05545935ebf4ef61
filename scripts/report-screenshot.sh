#!/usr/bin/env bash
# Render an isolint HTML compliance report and take a screenshot of it in
# headless Chromium (Debian: apt-get install -y chromium), to look at the
# report as a person would.
#
#   scripts/report-screenshot.sh [FRAMEWORK] [OUT.png] [PATH...]
#
# defaults: nist-800-53, report.png, examples/. The HTML is written next to
# the PNG (OUT.html). Set WIDTH/HEIGHT for another window size.
set -euo pipefail
cd "$(dirname "$0")/.."

framework=${1:-nist-800-53}
png=${2:-report.png}
shift $(( $# > 2 ? 2 : $# ))
paths=("$@")
[ ${#paths[@]} -gt 0 ] || paths=(examples)
html="${png%.png}.html"

chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$chrome" ]; then
  echo "no Chromium found (Debian: apt-get install -y chromium)" >&2
  exit 2
fi

bin=$(mktemp -d)/isolint
go build -o "$bin" ./cmd/isolint
# a fixed time, so the same tree gives the same page; exit 0 whatever it finds
"$bin" report --framework "$framework" --format html --timestamp "${SOURCE_DATE_EPOCH:-0}" --allow-empty -o "$html" "${paths[@]}"

profile=$(mktemp -d)
"$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$profile" \
  --window-size="${WIDTH:-1280},${HEIGHT:-2400}" \
  --screenshot="$(realpath -m "$png")" "file://$(realpath "$html")" 2>/dev/null
rm -rf "$profile" "$(dirname "$bin")"
echo "wrote $png (from $html)"
