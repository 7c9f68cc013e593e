#!/usr/bin/env bash
# Installs or upgrades the Loa phường controller as a systemd service on Debian 12 (docs/operations.md).
#
#   sudo deploy/install-controller.sh [--mosquitto] [--keep N] [--no-start] [--root DIR]
#
#   --mosquitto   use Mosquitto as the stations' broker: install it, write its files from the controller's
#                 database (npm run broker-files) and point the controller at it (MQTT_URL)
#   --keep N      releases kept in /opt/loa-controller/releases for a rollback (default 3)
#   --no-start    install, but neither start nor restart the service
#   --root DIR    install into DIR instead of / (a dry run for CI: no apt, no users, no systemctl; the
#                 release reuses this checkout's node_modules)
#
# Run it from a checkout of the repository, as root. Run it again to upgrade: a backup with the running
# release, the new release beside the old one, a restart, a health check, and on failure the previous
# release and the backup put back.
set -euo pipefail

SRC="$(cd "$(dirname "$0")/.." && pwd)"
ROOT=/
MOSQUITTO=0
KEEP=3
START=1
while [ $# -gt 0 ]; do
  case "$1" in
    --mosquitto) MOSQUITTO=1; shift ;;
    --keep) KEEP="$2"; shift 2 ;;
    --no-start) START=0; shift ;;
    --root) ROOT="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
DRY=0
[ "$ROOT" = / ] || { DRY=1; START=0; }
R="${ROOT%/}"
PREFIX="$R/opt/loa-controller"
ETC="$R/etc/loa"
UNITS="$R/etc/systemd/system"
DATA=/var/lib/loa-controller
BACKUPS=/var/backups/loa-controller
RELEASE="$PREFIX/releases/$(date -u +%Y%m%dT%H%M%SZ)"

say() { printf '\n== %s\n' "$*"; }
# Runs node as the service runs it: user loa, the settings of controller.env.
as_loa() { runuser -u loa -- bash -c 'set -a; . "$0"; set +a; exec "$@"' "$ETC/controller.env" "$@"; }
# Commands that change the machine itself: printed, not run, in a dry run.
sys() { if [ "$DRY" -eq 1 ]; then echo "(dry run) $*"; else "$@"; fi; }

[ "$DRY" -eq 1 ] || [ "$(id -u)" -eq 0 ] || { echo "run as root (sudo)" >&2; exit 1; }

say "Node.js"
NODE="$(command -v node || true)"
[ "$DRY" -eq 1 ] || NODE=/usr/bin/node
if ! [ -x "$NODE" ] || ! "$NODE" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
  echo "Node.js 20 or later is needed at /usr/bin/node (Debian: install it from nodejs.org or NodeSource)." >&2
  exit 1
fi
"$NODE" --version

say "System packages"
PKGS=(ffmpeg ca-certificates curl build-essential python3)
[ "$MOSQUITTO" -eq 1 ] && PKGS+=(mosquitto)
if [ "$DRY" -eq 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null
else
  echo "(dry run) apt-get install ${PKGS[*]}"
fi

say "User loa"
if [ "$DRY" -eq 0 ]; then
  id loa >/dev/null 2>&1 || useradd --system --home-dir "$DATA" --no-create-home --shell /usr/sbin/nologin loa
fi
sys install -d -m 0750 -o loa -g loa "$DATA" "$BACKUPS"
[ "$DRY" -eq 1 ] && mkdir -p "$R$DATA" "$R$BACKUPS"

say "Release $RELEASE"
mkdir -p "$RELEASE"
tar -C "$SRC" --exclude=./.git --exclude=./node_modules --exclude=./data --exclude=./dist \
  --exclude=./test/bench/out -cf - . | tar -C "$RELEASE" -xf -
cd "$RELEASE"
if [ "$DRY" -eq 1 ]; then
  ln -s "$SRC/node_modules" node_modules
else
  npm ci --omit=dev --no-audit --no-fund
fi
# One bundle per entry point: it starts faster and smaller than compiling TypeScript at each start (tsx);
# esbuild comes with tsx. Packages stay in node_modules (better-sqlite3 is native).
node_modules/.bin/esbuild controller/main.ts scripts/backup.ts scripts/restore.ts scripts/broker-files.ts \
  --bundle --platform=node --format=esm --target=node20 --packages=external --outdir=dist/controller \
  --entry-names='[name]' --out-extension:.js=.mjs --log-level=warning
[ "$DRY" -eq 1 ] || chown -R root:root "$RELEASE"

say "Settings in $ETC/controller.env"
install -d -m 0750 "$ETC"
if [ ! -e "$ETC/controller.env" ]; then
  cat >"$ETC/controller.env" <<ENV
# Loa phường controller settings (docs/controller.md lists them all). Restart after a change:
#   systemctl restart loa-controller
DATA_DIR=$DATA
BACKUP_DIR=$BACKUPS
# The systemd timer loa-controller-backup.timer takes the daily backup; the controller's own is off.
BACKUP_AT=off
BACKUP_KEEP=7,4,12
# As-run records older than this are archived a month a file (after a backup holds them): docs/records.md
ASRUN_KEEP_DAYS=400
# The console and API listen on this machine only: a reverse proxy with TLS (deploy/Caddyfile.example)
# serves them to the technicians.
HOST=127.0.0.1
PORT=8080
TRUST_PROXY=true
COOKIE_SECURE=true
# The stations' broker (embedded): on every address, TLS strongly advised (TLS_CERT_FILE, TLS_KEY_FILE).
MQTT_HOST=0.0.0.0
MQTT_PORT=1883
LOG_FORMAT=json
ENV
  chmod 0640 "$ETC/controller.env"
  [ "$DRY" -eq 1 ] || chgrp loa "$ETC/controller.env"
  echo "written (the first admin's password is printed once in: journalctl -u loa-controller)"
else
  echo "kept as it is"
fi
envvalue() { sed -n "s/^$1=//p" "$ETC/controller.env" | tail -1; }
PORT="$(envvalue PORT)"; PORT="${PORT:-8080}"

if [ "$MOSQUITTO" -eq 1 ]; then
  say "Mosquitto"
  grep -q '^MQTT_PASSWORD=' "$ETC/controller.env" ||
    echo "MQTT_PASSWORD=$("$NODE" -e 'console.log(require("node:crypto").randomBytes(18).toString("base64url"))')" >>"$ETC/controller.env"
  grep -q '^MQTT_URL=' "$ETC/controller.env" || echo "MQTT_URL=mqtt://127.0.0.1:1883" >>"$ETC/controller.env"
  if [ -e "$R$DATA/controller.db" ]; then
    (set -a; . "$ETC/controller.env"; set +a; DATA_DIR="$R$DATA" \
      "$NODE" dist/controller/broker-files.mjs --out "$R/etc/mosquitto/loa" --broker-dir /etc/mosquitto/loa)
    ln -sf /etc/mosquitto/loa/mosquitto.conf "$R/etc/mosquitto/conf.d/loa.conf" 2>/dev/null || true
    sys systemctl restart mosquitto
  else
    echo "the database does not exist yet: after the first start run npm run broker-files (docs/mosquitto.md)"
  fi
fi

say "systemd units"
mkdir -p "$UNITS"
for u in loa-controller.service loa-controller-backup.service loa-controller-backup.timer; do
  install -m 0644 "$RELEASE/deploy/$u" "$UNITS/$u"
done
if command -v systemd-analyze >/dev/null; then
  # Syntax and the programs the units run; it exits 0 even on errors, so any output stops the install.
  PROBLEMS="$(systemd-analyze verify "$UNITS/loa-controller.service" "$UNITS/loa-controller-backup.service" \
    "$UNITS/loa-controller-backup.timer" 2>&1 || true)"
  [ -z "$PROBLEMS" ] || { echo "$PROBLEMS" >&2; exit 1; }
  echo "checked with systemd-analyze verify"
fi
sys systemctl daemon-reload
sys systemctl enable loa-controller loa-controller-backup.timer

PREVIOUS=""
[ -L "$PREFIX/current" ] && PREVIOUS="$(readlink -f "$PREFIX/current")"
BEFORE=""
if [ -n "$PREVIOUS" ] && [ "$START" -eq 1 ] && systemctl is-active -q loa-controller; then
  say "Backup with the running release"
  OUT="$(as_loa "$NODE" "$PREVIOUS/dist/controller/backup.mjs")"
  echo "$OUT"
  BEFORE="$(basename "$(echo "$OUT" | sed -n 's/^Đã sao lưu: \(.*\) (.*/\1/p')")"
fi

say "Switching to the new release"
ln -sfn "$RELEASE" "$PREFIX/current.new" && mv -T "$PREFIX/current.new" "$PREFIX/current"
if [ "$START" -eq 1 ]; then
  systemctl restart loa-controller
  for _ in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 2
  done
  if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then
    echo "healthy: http://127.0.0.1:$PORT/healthz"
  elif [ -n "$PREVIOUS" ]; then
    echo "the new release is not healthy: back to $PREVIOUS" >&2
    journalctl -u loa-controller -n 30 --no-pager >&2 || true
    systemctl stop loa-controller
    ln -sfn "$PREVIOUS" "$PREFIX/current.new" && mv -T "$PREFIX/current.new" "$PREFIX/current"
    if [ -n "$BEFORE" ]; then
      # The new release may have migrated the database: the backup taken just before goes back.
      as_loa "$NODE" "$PREVIOUS/dist/controller/restore.mjs" "$BEFORE"
    fi
    systemctl start loa-controller
    exit 1
  else
    echo "the controller is not healthy: journalctl -u loa-controller" >&2
    exit 1
  fi
fi

say "Old releases (keeping $KEEP)"
ls -1d "$PREFIX"/releases/* | sort | head -n "-$KEEP" | while read -r old; do
  [ "$old" = "$(readlink -f "$PREFIX/current")" ] || { rm -rf "$old"; echo "removed $old"; }
done

echo
echo "Console: put a reverse proxy with TLS before http://127.0.0.1:$PORT (deploy/Caddyfile.example)."
echo "Logs: journalctl -u loa-controller -f    Backups: ls $BACKUPS    Timer: systemctl list-timers loa-controller-backup"
