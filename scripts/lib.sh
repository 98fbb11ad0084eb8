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

# Moves a built bundle ($1, a staging directory) to $2/pkg/<hash> (a hash of its
# contents: the same build, the same URLs, and browsers keep what they have) and names it in
# $2/pkg/BUNDLE. The previous bundles stay (the newest $KEEP_BUNDLES of them, 3 by
# default): a tab opened before a rebuild asks for its own bundle's parts as it shows a
# page for the first time, and must find them after the server restarted with the new one.
install_bundle() {
  local staging=$1 site=$2 keep=${KEEP_BUNDLES:-3} hash
  # Named after the files built, not their compressed copies (derived from them).
  hash=$( (cd "$staging" && find . -type f ! -name '*.br' ! -name '*.gz' -print0 | sort -z \
    | xargs -0 sha256sum) | sha256sum | cut -c1-16)
  mkdir -p "$site/pkg"
  if [ -d "$site/pkg/$hash" ]; then
    rm -rf "$staging"
  else
    mv "$staging" "$site/pkg/$hash"
  fi
  touch "$site/pkg/$hash"
  echo "$hash" > "$site/pkg/BUNDLE"
  # Bundle directories only (16 hex digits), newest first; whatever is past the kept ones
  # goes.
  find "$site/pkg" -mindepth 1 -maxdepth 1 -type d -regextype posix-extended \
      -regex '.*/[0-9a-f]{16}' -printf '%T@ %p\n' \
    | sort -rn | tail -n +$((keep + 2)) | cut -d' ' -f2- | xargs -r rm -rf
  printf '%s\n' "$hash"
}
