#!/usr/bin/env bash
# The real-browser test of report.html (issue 6): audits the NPK demo pack with the CLI, writing
# report.json and report.html into a temporary folder, then loads the report in headless Chromium
# (check_report.mjs). Usage: tests/browser/run.sh [IAF_BINARY [OUT_DIR]]
#   IAF_BINARY defaults to build/iaf; OUT_DIR (emptied first; default: a new temporary folder) keeps
#   report.json, report.html and the screenshots report.png / report-top.png for a look afterwards.
# Needs node ≥ 20, npm (for the first run only: playwright-core from the npm registry, pinned by
# package-lock.json) and /usr/bin/chromium with fonts-noto-cjk (scripts/setup-deps.sh installs both).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
iaf=${1:-$root/build/iaf}
pack=$root/examples/npk

die() {
  echo "browser test: $*" >&2
  exit 1
}

[[ -x $iaf ]] || die "no iaf binary at $iaf (run 'make build')"
command -v node >/dev/null || die "node is not installed (scripts/setup-deps.sh)"
[[ -x ${IAF_CHROMIUM:-/usr/bin/chromium} ]] || die "no Chromium at ${IAF_CHROMIUM:-/usr/bin/chromium} (scripts/setup-deps.sh installs the Debian package)"
fc-list : family 2>/dev/null | grep -i 'Noto Sans CJK' >/dev/null || die "the Noto Sans CJK fonts are missing (apt-get install fonts-noto-cjk)"

# 1. playwright-core, installed only when node_modules is missing or older than the lock file.
stamp=$here/node_modules/.iaf-lock.sha256
want=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" || ! -d $here/node_modules/playwright-core ]]; then
  echo "browser test: installing playwright-core (npm ci)" >&2
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$here" --no-audit --no-fund --loglevel=error >&2 ||
    die "npm ci failed (the npm registry must be reachable for the first run)"
  echo "$want" >"$stamp"
fi

# 2. The audit: exit 0 (all pass) or 1 (some check failed) are both a report; anything else is not.
if [[ -n ${2:-} ]]; then
  out=$2
  rm -rf "$out"
  mkdir -p "$out"
else
  out=$(mktemp -d "${TMPDIR:-/tmp}/iaf-browser.XXXXXX")
fi
set +e
"$iaf" audit "$pack" --format json,html --out "$out" --bootstrap 200 --quiet
rc=$?
set -e
[[ $rc == 0 || $rc == 1 ]] || die "iaf audit exited $rc (expected 0 or 1); output folder $out"
[[ -f $out/report.html && -f $out/report.json ]] || die "iaf audit wrote no report.html/report.json into $out"

# 3. The browser check; the screenshot stays in $out (never committed).
node "$here/check_report.mjs" "$out/report.html" --json "$out/report.json" --shots "$out" ||
  die "report.html failed the browser check (report and screenshot kept in $out)"
