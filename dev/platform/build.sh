#!/usr/bin/env bash
# Builds the real platform servers from the Go module proxy, once per machine: daprd, placement and scheduler
# (Dapr), Kratos, Keto, and etcd + kube-apiserver + kube-controller-manager for the chart's test, into ~/.cache/ticketing/platform/bin,
# outside any clone, so a fresh clone and CI reuse them. Each binary has a `<name>.version` beside it; one built
# from another version than the one pinned here is built again. Go's module and build caches make that quick.
# Usage: bash dev/platform/build.sh [dapr] [kratos] [keto] [kube]   (all when none is named)
# Prints the bin folder on its last line.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d /usr/local/go/bin ] && export PATH="/usr/local/go/bin:$PATH"

DAPR_VERSION=v1.18.2
KRATOS_VERSION=v1.3.1
KETO_VERSION=v0.13.0-alpha.0
KUBERNETES_VERSION=v1.35.0
ETCD_VERSION=v3.6.5

cache="${XDG_CACHE_HOME:-$HOME/.cache}/ticketing/platform"
root="$cache/src"
bin="$cache/bin"
mkdir -p "$bin" "$root"

# True when every named binary is there and was built from `version`.
built() {
  local version="$1"; shift
  for name in "$@"; do
    [ -x "$bin/$name" ] && [ "$(cat "$bin/$name.version" 2>/dev/null)" = "$version" ] || return 1
  done
}
stamp() {
  local version="$1"; shift
  for name in "$@"; do echo "$version" > "$bin/$name.version"; done
}

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
  if built "$DAPR_VERSION" daprd placement scheduler; then return; fi
  echo "building daprd, placement and scheduler $DAPR_VERSION (about 12 CPU-minutes cold)"
  prepare_module "$root/dapr" github.com/dapr/dapr "$DAPR_VERSION"
  (cd "$root/dapr" && CGO_ENABLED=0 go build -mod=mod -tags stablecomponents -o "$bin/" \
    github.com/dapr/dapr/cmd/daprd github.com/dapr/dapr/cmd/placement github.com/dapr/dapr/cmd/scheduler)
  stamp "$DAPR_VERSION" daprd placement scheduler
}

build_kratos() {
  if built "$KRATOS_VERSION" kratos; then return; fi
  echo "building Kratos $KRATOS_VERSION (about 7 minutes cold)"
  prepare_module "$root/kratos" github.com/ory/kratos "$KRATOS_VERSION"
  (cd "$root/kratos" && go build -mod=mod -tags sqlite -o "$bin/kratos" github.com/ory/kratos)
  stamp "$KRATOS_VERSION" kratos
}

build_keto() {
  if built "$KETO_VERSION" keto; then return; fi
  echo "building Keto $KETO_VERSION"
  prepare_module "$root/keto" github.com/ory/keto "$KETO_VERSION"
  # runc is pinned to a version the module proxy serves.
  (cd "$root/keto" && go mod edit -replace github.com/opencontainers/runc=github.com/opencontainers/runc@v1.1.12 \
    && go build -mod=mod -tags sqlite -o "$bin/keto" github.com/ory/keto)
  stamp "$KETO_VERSION" keto
}

build_kube() {
  if ! built "$KUBERNETES_VERSION" kube-apiserver kube-controller-manager; then
    echo "building kube-apiserver and kube-controller-manager $KUBERNETES_VERSION (about 7 minutes cold)"
    local dir="$root/kubernetes" src
    mkdir -p "$dir"
    src=$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    [ -n "$src" ] || { echo "cannot download k8s.io/kubernetes@$KUBERNETES_VERSION" >&2; exit 1; }
    # k8s.io/kubernetes points each staging module into its own tree; the proxy serves them as v0.<minor>.<patch>.
    local staging="v0${KUBERNETES_VERSION#v1}"
    {
      echo "module ticketing.local/platform/kubernetes"
      echo
      sed -n 's/^go \(.*\)$/go \1/p' "$src/go.mod" | head -1
      echo
      echo "require k8s.io/kubernetes $KUBERNETES_VERSION"
      echo
      echo "replace ("
      sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/k8s.io/[a-z0-9-]*$#\t\1 => \1 '"$staging"'#p' "$src/go.mod"
      echo ")"
    } > "$dir/go.mod"
    cat > "$dir/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
)
GO
    (cd "$dir" && go mod tidy && go build -o "$bin/" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager)
    stamp "$KUBERNETES_VERSION" kube-apiserver kube-controller-manager
  fi
  if ! built "$ETCD_VERSION" etcd; then
    echo "building etcd $ETCD_VERSION (about 2 minutes cold)"
    local dir="$root/etcd"
    mkdir -p "$dir"
    printf 'module ticketing.local/platform/etcd\n\ngo 1.24\n' > "$dir/go.mod"
    (cd "$dir" && go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" && go build -o "$bin/etcd" go.etcd.io/etcd/server/v3)
    stamp "$ETCD_VERSION" etcd
  fi
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(dapr kratos keto kube)
for target in "${targets[@]}"; do
  case "$target" in
    dapr) build_dapr ;;
    kratos) build_kratos ;;
    keto) build_keto ;;
    kube) build_kube ;;
    *) echo "unknown target: $target (dapr, kratos, keto or kube)" >&2; exit 2 ;;
  esac
done
echo "built: $(ls "$bin" | tr '\n' ' ')" >&2
echo "$bin"
