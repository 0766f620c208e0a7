#!/usr/bin/env bash
# Builds the real platform servers from the Go module proxy, once: daprd, placement and scheduler (Dapr),
# Kratos and Keto, into .tools/platform/bin. A binary already there is kept; Go's module and build caches
# (~/go/pkg/mod, ~/.cache/go-build) make a rebuild after a version change quick.
# Usage: bash dev/platform/build.sh [dapr] [kratos] [keto]   (all three when none is named)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d /usr/local/go/bin ] && export PATH="/usr/local/go/bin:$PATH"

DAPR_VERSION=v1.18.2
KRATOS_VERSION=v1.3.1
KETO_VERSION=v0.13.0-alpha.0

root="$PWD/.tools/platform"
bin="$root/bin"
mkdir -p "$bin"

# A module of our own that requires `module@version`, with that module's own replace directives (but those
# pointing into its source tree) and its go.sum, so the build resolves exactly what its authors pinned.
prepare_module() {
  local dir="$1" module="$2" version="$3"
  mkdir -p "$dir"
  local src
  src=$(go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$src" ] || { echo "cannot download $module@$version" >&2; exit 1; }
  {
    echo "module ticketing.local/platform/$(basename "$dir")"
    echo
    sed -n 's/^go \(.*\)$/go \1/p' "$src/go.mod" | head -1
    echo
    echo "require $module $version"
    echo
    # Single-line replaces and replace ( … ) blocks, without the ones into the module's own folders.
    awk '
      /^replace[[:space:]]*\($/ { inblock = 1; print "replace ("; next }
      inblock && /^\)/ { inblock = 0; print ")"; next }
      inblock { if ($0 !~ /=>[[:space:]]*\.\.?\//) print; next }
      /^replace[[:space:]]/ { if ($0 !~ /=>[[:space:]]*\.\.?\//) print }
    ' "$src/go.mod"
  } > "$dir/go.mod"
  cp "$src/go.sum" "$dir/go.sum"
  chmod u+w "$dir/go.mod" "$dir/go.sum"
}

build_dapr() {
  if [ -x "$bin/daprd" ] && [ -x "$bin/placement" ] && [ -x "$bin/scheduler" ]; then return; fi
  echo "building daprd, placement and scheduler $DAPR_VERSION (about 12 CPU-minutes cold)"
  prepare_module "$root/dapr" github.com/dapr/dapr "$DAPR_VERSION"
  (cd "$root/dapr" && CGO_ENABLED=0 go build -mod=mod -tags stablecomponents -o "$bin/" \
    github.com/dapr/dapr/cmd/daprd github.com/dapr/dapr/cmd/placement github.com/dapr/dapr/cmd/scheduler)
}

build_kratos() {
  if [ -x "$bin/kratos" ]; then return; fi
  echo "building Kratos $KRATOS_VERSION (about 7 minutes cold)"
  prepare_module "$root/kratos" github.com/ory/kratos "$KRATOS_VERSION"
  (cd "$root/kratos" && go build -mod=mod -tags sqlite -o "$bin/kratos" github.com/ory/kratos)
}

build_keto() {
  if [ -x "$bin/keto" ]; then return; fi
  echo "building Keto $KETO_VERSION"
  prepare_module "$root/keto" github.com/ory/keto "$KETO_VERSION"
  # runc is pinned to a version the module proxy serves.
  (cd "$root/keto" && go mod edit -replace github.com/opencontainers/runc=github.com/opencontainers/runc@v1.1.12 \
    && go build -mod=mod -tags sqlite -o "$bin/keto" github.com/ory/keto)
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(dapr kratos keto)
for target in "${targets[@]}"; do
  case "$target" in
    dapr) build_dapr ;;
    kratos) build_kratos ;;
    keto) build_keto ;;
    *) echo "unknown target: $target (dapr, kratos or keto)" >&2; exit 2 ;;
  esac
done
echo "platform binaries in $bin: $(ls "$bin" | tr '\n' ' ')"
