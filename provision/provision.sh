#!/usr/bin/env bash
# Provisions the disposable rootlab VM (run as root by the Vagrantfile's "rootlab" shell provisioner).
#
# Idempotent: every step first checks whether its work is already done, so a second run changes nothing and
# ends with "rootlab provision: done (changed=0)". Re-run it with `vagrant provision`.
#
# Environment (set by the Vagrantfile; the defaults let it run by hand too):
#   ROOTLAB_SRC         the project as synced from the host   (default /vagrant)
#   ROOTLAB_HOME        where rootlab is installed and built   (default /opt/rootlab, on the VM's own disk)
#   ROOTLAB_NODE_MAJOR  the Node.js major version to install   (default 20; an existing newer one is kept)
#
# Deliberately NOT done: no sysctl changes (net.ipv4.ip_forward stays as the distribution ships it, 0, as on
# the CI machines the labs are verified on; it is per network namespace, so a lab that routes sets it inside its
# own namespace) and no modules-load.d entries (the Debian kernel loads veth, bridge, overlay and nf_tables on
# first use; br_netfilter is left out because it sends bridged traffic through iptables FORWARD). No Docker:
# dockerd would set the FORWARD policy to DROP and silently break hand-made bridges.
set -Eeuo pipefail
trap '((BASH_SUBSHELL > 0)) || echo "rootlab provision: FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR

SRC=${ROOTLAB_SRC:-/vagrant}
DEST=${ROOTLAB_HOME:-/opt/rootlab}
NODE_MAJOR=${ROOTLAB_NODE_MAJOR:-20}
STATE_DIR=/var/lib/rootlab
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export DEBIAN_FRONTEND=noninteractive

# What the labs use (their `requires: commands:`) and rootlab itself needs: the `lab` lines of the one package
# list, provision/packages.txt (also read by .ci/run and `rootlab vm box build`).
PACKAGE_LIST=${ROOTLAB_PACKAGES:-$SRC/provision/packages.txt}
[[ -r $PACKAGE_LIST ]] || { echo "rootlab provision: ERROR: cannot read the package list $PACKAGE_LIST" >&2; exit 1; }
mapfile -t PACKAGES < <(sed -e 's/#.*//' "$PACKAGE_LIST" | awk '$2 == "lab" {print $1}')
# Never synced from the host: per-OS binaries (node_modules), host build output, VCS and Vagrant state.
COPY_EXCLUDES=(--exclude=/node_modules --exclude=/dist --exclude=/.git --exclude=/.vagrant --exclude=/reports --exclude=/coverage)

changed=0
apt_updated=0
log() { printf 'rootlab provision: %s\n' "$*"; }
record_change() { changed=1; log "$*"; }
die() { printf 'rootlab provision: ERROR: %s\n' "$*" >&2; exit 1; }

is_installed() { [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true) == installed ]]; }

# --no-remove: never let apt remove a package to resolve a conflict (e.g. NodeSource's nodejs vs Debian's npm).
apt_install() {
  if ((apt_updated == 0)); then
    apt-get update -q
    apt_updated=1
  fi
  apt-get install -y -q --no-install-recommends --no-remove "$@"
}

install_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do is_installed "$p" || missing+=("$p"); done
  if ((${#missing[@]} == 0)); then
    log "packages: all ${#PACKAGES[@]} present"
    return
  fi
  log "packages: installing ${missing[*]}"
  apt_install "${missing[@]}"
  record_change "packages: installed ${#missing[@]}"
}

# Packages whose daemon the labs never use as a service: a lab starts its own (haproxy in a namespace), so the
# distribution's enabled service would only sit there taking the VM's CPU (under emulation that is felt).
IDLE_SERVICES=(haproxy.service)
disable_idle_services() {
  local unit
  for unit in "${IDLE_SERVICES[@]}"; do
    systemctl is-enabled --quiet "$unit" 2>/dev/null || continue
    systemctl disable --quiet "$unit"
    if [[ -d /run/systemd/system ]]; then systemctl stop "$unit" || true; fi
    record_change "services: disabled $unit (labs start their own)"
  done
}

node_major_of() { "$1" --version 2>/dev/null | sed -n 's/^v\([0-9][0-9]*\)\..*/\1/p'; }

# Prints the path of a node that is new enough, or nothing.
usable_node() {
  local n major
  n=$(command -v node || true)
  [[ -n $n ]] || return 0
  major=$(node_major_of "$n")
  if [[ -n $major ]] && ((major >= NODE_MAJOR)); then printf '%s\n' "$n"; fi
}

# Debian 12 ships Node 18; rootlab needs >= 20. The official Node binary is published on npm as
# node-linux-<arch>, so Debian's npm can fetch it without another apt repository.
install_node() {
  local found arch
  found=$(usable_node)
  if [[ -n $found ]]; then
    log "node: $found $("$found" --version) is new enough"
    return
  fi
  if ! command -v npm >/dev/null; then
    log "node: installing Debian's nodejs and npm to fetch Node.js $NODE_MAJOR"
    apt_install nodejs npm || die "could not install Debian's nodejs/npm. If a NodeSource (or other) nodejs is installed, it conflicts with Debian's npm: upgrade it to Node.js >= $NODE_MAJOR instead."
  fi
  case $(dpkg --print-architecture) in
    amd64) arch=x64 ;;
    arm64) arch=arm64 ;;
    *) die "no official Node.js build for architecture $(dpkg --print-architecture)" ;;
  esac
  log "node: installing node-linux-$arch@$NODE_MAJOR from the npm registry"
  npm install -g --no-audit --no-fund --loglevel=error "node-linux-$arch@$NODE_MAJOR"
  hash -r
  found=$(usable_node)
  [[ -n $found ]] || die "Node.js $NODE_MAJOR was installed but \`node --version\` still reports $(node --version 2>&1 || true)"
  record_change "node: installed $("$found" --version) at $found"
}

# Copies the synced project onto the VM's own disk: never build on a synced folder (no device nodes, hard
# links, overlay upper dirs or symlinks there; host node_modules would have the host's binaries).
copy_project() {
  if [[ ! -f $SRC/package.json ]]; then
    log "project: no project at $SRC (synced folder disabled?); keeping what is in $DEST"
    return 1
  fi
  mkdir -p "$DEST"
  local out
  out=$(rsync -rlpt --omit-dir-times --delete --itemize-changes "${COPY_EXCLUDES[@]}" "$SRC/" "$DEST/")
  if [[ -n $out ]]; then
    record_change "project: copied $(wc -l <<<"$out") changed path(s) from $SRC to $DEST"
    return 0
  fi
  log "project: $DEST is up to date with $SRC"
  return 1
}

# npm ci only when its inputs changed (Node's version and the lockfile; the lab box bakes in the same stamp).
# --ignore-scripts: `prepare` would compile; ensure_build decides whether compiling is needed at all.
install_dependencies() {
  local stamp=$STATE_DIR/npm-ci.sha256 want
  want=$(cd "$DEST" && { node --version; cat package-lock.json; } | sha256sum | cut -d' ' -f1)
  if [[ ! -d $DEST/node_modules || $(cat "$stamp" 2>/dev/null || true) != "$want" ]]; then
    log "dependencies: running npm ci in $DEST"
    (cd "$DEST" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    printf '%s\n' "$want" >"$stamp"
    record_change "dependencies: installed"
  else
    log "dependencies: up to date"
  fi
}

# dist/ must be compiled from exactly the sources in $DEST: `npm run build` stamps dist/ with the fingerprint of
# its sources (provision/dist-stamp.mjs). The host's dist/ comes along in the synced folder; when its stamp
# matches, it is copied (compiled JavaScript is the same on every OS) instead of running tsc here, which
# takes minutes under QEMU's emulation. Otherwise (no dist/ on the host, or built from other sources) the VM
# compiles its own.
ensure_build() {
  local want have host
  want=$(node "$DEST/provision/dist-stamp.mjs" "$DEST")
  have=$(cat "$DEST/dist/.source-sha256" 2>/dev/null || true)
  if [[ $have == "$want" && -f $DEST/dist/cli/main.js ]]; then
    log "build: dist/ is up to date with the sources"
    return
  fi
  host=$(cat "$SRC/dist/.source-sha256" 2>/dev/null || true)
  if [[ $host == "$want" && -f $SRC/dist/cli/main.js ]]; then
    rsync -rlpt --delete "$SRC/dist/" "$DEST/dist/"
    record_change "build: copied dist/ from $SRC (compiled from these same sources)"
    return
  fi
  (cd "$DEST" && npm run --silent build)
  record_change "build: compiled dist/"
}

link_cli() {
  local target=$DEST/bin/rootlab.js link=/usr/local/bin/rootlab
  if [[ $(readlink "$link" 2>/dev/null || true) == "$target" ]]; then
    log "cli: $link -> $target"
    return
  fi
  ln -sfn "$target" "$link"
  record_change "cli: linked $link -> $target"
}

# Writes a file only when its content differs, so a re-run changes nothing.
write_file() {
  local path=$1 content=$2
  if [[ -f $path && $(cat "$path") == "$content" ]]; then return; fi
  mkdir -p "$(dirname "$path")"
  printf '%s\n' "$content" >"$path"
  record_change "wrote $path"
}

mark_disposable() {
  write_file /etc/rootlab/disposable "# This machine is a disposable rootlab lab VM, set up by rootlab's provision/provision.sh.
# rootlab runs labs as root only on machines marked like this one: labs create namespaces, mounts, network
# links and firewall rules. If a lab leaves the VM in a bad state, throw it away: vagrant destroy -f && vagrant up"
}

make_dirs() {
  if [[ ! -d $STATE_DIR/reports ]]; then
    install -d -m 0755 "$STATE_DIR" "$STATE_DIR/reports"
    record_change "created $STATE_DIR/reports (rootlab vm verify writes its reports here)"
  fi
}

main() {
  ((EUID == 0)) || die "run as root (the Vagrantfile runs it with privileged: true)"
  [[ $NODE_MAJOR =~ ^[0-9]+$ ]] || die "ROOTLAB_NODE_MAJOR must be a number, got '$NODE_MAJOR'"
  install_packages
  disable_idle_services
  install_node
  make_dirs
  mark_disposable
  copy_project || true
  if [[ -f $DEST/package.json ]]; then
    install_dependencies
    ensure_build
    link_cli
  else
    log "WARNING: rootlab is not installed: copy the project to $DEST and run this script again"
  fi
  log "done (changed=$changed)"
}

main "$@"
