#!/usr/bin/env bash
# Installs what iaf builds and tests with, and nothing else: Debian bookworm packages and DuckDB 1.4.4
# from pinned npm tarballs (the only two sources these machines reach). Idempotent; when everything
# is already in place it only checks (about a second).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
third_party=$root/third_party

# --- Debian packages (DESIGN.md, Dependencies) ---------------------------------------------------
apt_packages=(
  cmake g++ make pkg-config python3
  libcli11-dev nlohmann-json3-dev libfmt-dev libtomlplusplus-dev libxxhash-dev libutf8proc-dev
  libpcg-cpp-dev libboost-math-dev libssl-dev googletest libgtest-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev
  chromium fonts-noto-cjk
  strace  # the bad-input corpus traces each run for writes outside --out
)
# make bench (setup-deps.sh --bench) also times pandas, the issue's third baseline.
[[ ${1:-} == --bench ]] && apt_packages+=(python3-pandas)

# npm fetches the DuckDB tarballs; machines with NodeSource's nodejs already have it (and Debian's
# npm package conflicts with that nodejs), so Debian's is only installed where none is present.
command -v npm >/dev/null || apt_packages+=(nodejs npm)

missing=()
for p in "${apt_packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup-deps: installing ${missing[*]}" >&2
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "setup-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q >&2
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

# --- DuckDB 1.4.4: C header from the duckdb npm tarball, libduckdb.so from the node bindings ------
# Never `npm install duckdb`: its install script builds DuckDB from source.
header_tgz=duckdb-1.4.4.tgz
header_tgz_sha=5bb967dcbcd517670ba5f169f238fb9d6787e53752c60ebe24386169d76941ed
header_sha=cbe6a827284375c5a646b8f27dbd3a00808ce8738b5bbb49c190cb1e08540281
lib_tgz=duckdb-node-bindings-linux-x64-1.4.4-r.4.tgz
lib_tgz_sha=732fac4dc6b8f198870b9c4bb6ddf13544466daca00ad28ba2f1d80de5d7aa4b
lib_sha=1ef33048e12235115ac0d277a0aaccbb560e33248144f488b5ac005cd9ba81b5

duck=$third_party/duckdb
header=$duck/include/duckdb.h
lib=$duck/lib/libduckdb.so

sha_ok() { [[ -f $1 ]] && [[ $(sha256sum "$1" | cut -d' ' -f1) == "$2" ]]; }

if ! sha_ok "$header" "$header_sha" || ! sha_ok "$lib" "$lib_sha"; then
  echo "setup-deps: fetching DuckDB 1.4.4 (npm tarballs)" >&2
  cache=$third_party/cache
  mkdir -p "$cache" "$duck/include" "$duck/lib"
  (cd "$cache"
   sha_ok "$header_tgz" "$header_tgz_sha" || npm pack --silent duckdb@1.4.4 >/dev/null
   sha_ok "$lib_tgz" "$lib_tgz_sha" || npm pack --silent @duckdb/node-bindings-linux-x64@1.4.4-r.4 >/dev/null)
  for pair in "$cache/$header_tgz:$header_tgz_sha" "$cache/$lib_tgz:$lib_tgz_sha"; do
    sha_ok "${pair%%:*}" "${pair##*:}" || { echo "setup-deps: sha256 mismatch for ${pair%%:*}" >&2; exit 1; }
  done
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  tar -xzf "$cache/$header_tgz" -C "$tmp" package/src/duckdb/src/include/duckdb.h
  tar -xzf "$cache/$lib_tgz" -C "$tmp" package/libduckdb.so package/LICENSE
  install -m 0644 "$tmp/package/src/duckdb/src/include/duckdb.h" "$header"
  install -m 0755 "$tmp/package/libduckdb.so" "$lib"
  install -m 0644 "$tmp/package/LICENSE" "$duck/LICENSE"
  sha_ok "$header" "$header_sha" || { echo "setup-deps: duckdb.h sha256 mismatch" >&2; exit 1; }
  sha_ok "$lib" "$lib_sha" || { echo "setup-deps: libduckdb.so sha256 mismatch" >&2; exit 1; }
fi
