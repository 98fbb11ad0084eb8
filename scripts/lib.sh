# Shared by the scripts in this folder; sourced, not run.
# Sets ROOT, TARGET_DIR, SITE_ROOT and TOOLS, and loads the toolchain environment that
# scripts/bootstrap wrote (only present when the Debian fallback for wasm32 is in use).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
SITE_ROOT=$TARGET_DIR/site
TOOLS=${ATENDE_TOOLS_DIR:-$ROOT/.tools}
export PATH="$TOOLS/bin:$TOOLS/node_modules/.bin:$HOME/.cargo/bin:$PATH"
if [ -f "$TOOLS/env" ]; then
  # shellcheck disable=SC1091
  . "$TOOLS/env"
fi

log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }
die() { log "error: $*"; exit 1; }

APT_UPDATED=
apt_install() {
  command -v apt-get >/dev/null || die "apt-get not found; install $* by hand"
  if [ -z "$APT_UPDATED" ]; then
    log "apt-get update"
    apt-get update -qq >/dev/null || die "apt-get update failed"
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || die "apt-get install $* failed"
}

# The version Cargo.lock pins for a package (wasm-bindgen: the CLI must match it exactly).
locked_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' \
    "$ROOT/Cargo.lock"
}
