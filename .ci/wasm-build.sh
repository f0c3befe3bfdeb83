# Shared by the scripts that build the committed .wasm modules (rust/build.sh and each sample's build.sh);
# source it, don't run it. Paths in messages are relative to the repository root.

# apt_install WHAT PACKAGE...: installs Debian packages as root, or exits saying the command to run.
apt_install() {
  local what=$1
  shift
  echo "build.sh: installing $what: $*" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "build.sh: need root for apt-get; run: sudo apt-get install -y $*" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "$@" >/dev/null
}

# check_or_write MODE BUILT COMMITTED SCRIPT: with MODE=check, exits 1 if the fresh build BUILT differs from
# the committed file COMMITTED (naming SCRIPT to rebuild it) and 0 if it matches; otherwise copies BUILT over it.
check_or_write() {
  local mode=$1 built=$2 committed=$3 script=$4
  if [ "$mode" = check ]; then
    if ! cmp -s "$built" "$committed"; then
      echo "build.sh --check: ${committed#"$repo_root"/} differs from a fresh build; run $script and commit it" >&2
      exit 1
    fi
    echo "build.sh --check: ${committed#"$repo_root"/} matches a fresh build" >&2
    exit 0
  fi
  cp "$built" "$committed"
  echo "build.sh: wrote ${committed#"$repo_root"/} ($(wc -c < "$committed") bytes)" >&2
}
