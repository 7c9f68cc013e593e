#!/usr/bin/env bash
# Installs the Loa phường edge agent as a systemd service on Raspberry Pi OS (Bookworm or Bullseye).
#
#   sudo deploy/install-agent.sh [--config FILE] [--boot-pins] [--no-hw-watchdog] [--no-chrony]
#
#   --config FILE      the station's agent config (copied to /etc/loa/agent.json); without it a template
#                      is written there on the first install and the service is not started
#   --boot-pins        add the relay pins to config.txt so they are outputs at OFF from power-on (reboot)
#   --no-hw-watchdog   leave the Pi's hardware watchdog alone (default: systemd feeds it, 14 s)
#   --no-chrony        keep systemd-timesyncd (default: chrony, which steps the clock; see firmware-notes)
#
# Run it from a checkout of the repository, as root. It is idempotent: run it again to update.
set -euo pipefail

SRC="$(cd "$(dirname "$0")/.." && pwd)"
PREFIX=/opt/loa
ETC=/etc/loa
DATA=/var/lib/loa
CONFIG_SRC=""
BOOT_PINS=0
HW_WATCHDOG=1
CHRONY=1

while [ $# -gt 0 ]; do
  case "$1" in
    --config) CONFIG_SRC="$2"; shift 2 ;;
    --boot-pins) BOOT_PINS=1; shift ;;
    --no-hw-watchdog) HW_WATCHDOG=0; shift ;;
    --no-chrony) CHRONY=0; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

say() { printf '\n== %s\n' "$*"; }
[ "$(id -u)" -eq 0 ] || { echo "run as root (sudo)" >&2; exit 1; }
[ -z "$CONFIG_SRC" ] || [ -r "$CONFIG_SRC" ] || { echo "cannot read $CONFIG_SRC" >&2; exit 1; }

say "Node.js"
NODE=/usr/bin/node
if ! [ -x "$NODE" ] || ! "$NODE" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
  echo "Node.js 20 or later is needed at $NODE (Raspberry Pi OS: install it from nodejs.org or NodeSource)." >&2
  exit 1
fi
"$NODE" --version

say "System packages"
export DEBIAN_FRONTEND=noninteractive
# build-essential, python3: onoff's epoll (and better-sqlite3 where no prebuilt binary fits) compile at npm ci.
# espeak-ng: reads the notices ward staff type on the station's page (offline).
PKGS=(ffmpeg espeak-ng alsa-utils fake-hwclock rsync ca-certificates build-essential python3)
[ "$CHRONY" -eq 1 ] && PKGS+=(chrony)
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null

say "User loa (groups gpio, audio)"
id loa >/dev/null 2>&1 || useradd --system --home-dir "$DATA" --no-create-home --shell /usr/sbin/nologin loa
for g in gpio audio; do getent group "$g" >/dev/null && usermod -aG "$g" loa; done

say "Code in $PREFIX"
mkdir -p "$PREFIX"
rsync -a --delete --exclude .git --exclude node_modules --exclude data --exclude dist --exclude 'test/bench/out' \
  "$SRC/" "$PREFIX/"
cd "$PREFIX"
npm ci --omit=dev --no-audit --no-fund
# A prebuilt bundle starts faster and uses less memory than compiling TypeScript at every start
# (tsx); esbuild comes with tsx. --splitting: the station page is a chunk of its own, loaded at its first request.
node_modules/.bin/esbuild edge-agent/cli/main.ts edge-agent/cli/relay-off.ts --bundle --platform=node --format=esm \
  --target=node20 --packages=external --splitting --outdir=dist/agent --out-extension:.js=.mjs --log-level=warning
chown -R root:root "$PREFIX"

say "Config in $ETC/agent.json"
install -d -m 0750 -o root -g loa "$ETC"
if [ -n "$CONFIG_SRC" ] && [ -e "$ETC/agent.json" ]; then
  # A re-run keeps what was set on this Pi since: the PIN hash, and the enrolled secret when the new
  # file has none (or only the template's placeholder).
  cp -p "$ETC/agent.json" "$ETC/agent.json.bak"
  "$NODE" -e '
    const fs = require("node:fs");
    const [, src, dst] = process.argv;
    const next = JSON.parse(fs.readFileSync(src, "utf8"));
    const prev = JSON.parse(fs.readFileSync(dst, "utf8"));
    if (!next.localPinHash && prev.localPinHash) next.localPinHash = prev.localPinHash;
    if ((!next.secret || String(next.secret).startsWith("CHANGE-ME")) && prev.secret) next.secret = prev.secret;
    fs.writeFileSync(dst, JSON.stringify(next, null, 2) + "\n");
  ' "$CONFIG_SRC" "$ETC/agent.json"
  chown root:loa "$ETC/agent.json" && chmod 0640 "$ETC/agent.json"
  echo "merged into the existing config (PIN and enrolled secret kept; the old one is agent.json.bak)"
elif [ -n "$CONFIG_SRC" ]; then
  install -m 0640 -o root -g loa "$CONFIG_SRC" "$ETC/agent.json"
elif [ ! -e "$ETC/agent.json" ]; then
  cat >"$ETC/agent.json" <<'JSON'
{
  "stationId": "CHANGE-ME",
  "secret": "CHANGE-ME-the-station-secret",
  "controllerUrl": "https://controller.example.vn",
  "mqttUrl": "mqtts://controller.example.vn:8883",
  "dataDir": "/var/lib/loa",
  "gpio": "onoff",
  "relays": [{ "name": "amp", "pin": 17, "activeLow": false }],
  "audio": "alsa:plughw:CARD=Device",
  "volume": 1,
  "clockTrust": "system"
}
JSON
  chown root:loa "$ETC/agent.json"
  chmod 0640 "$ETC/agent.json"
  echo "A template was written: fill in stationId, secret, URLs, relays and the ALSA card id (aplay -L)."
fi
# Validates the config the way the agent will (throws with every bad key named).
runuser -u loa -- "$NODE" --import tsx -e "await import('$PREFIX/edge-agent/config/config.ts').then((m) => m.loadConfig('$ETC/agent.json', {}))" \
  || echo "warning: $ETC/agent.json does not validate yet; the service will not start until it does" >&2

say "Ward staff PIN for the station's local page"
if grep -q '"localPinHash"' "$ETC/agent.json"; then
  echo "already set (change it: cd $PREFIX && npm run agent-pin -- --config $ETC/agent.json)"
elif [ -t 0 ]; then
  # Only the scrypt hash is written into the config; without one the page is read-only.
  (cd "$PREFIX" && npm run --silent agent-pin -- --config "$ETC/agent.json") ||
    echo "warning: no PIN set; the local page stays read-only until: cd $PREFIX && npm run agent-pin -- --config $ETC/agent.json" >&2
else
  echo "not set (no terminal); the local page is read-only until: cd $PREFIX && npm run agent-pin -- --config $ETC/agent.json"
fi

say "Time synchronisation"
if [ "$CHRONY" -eq 1 ]; then
  mkdir -p /etc/chrony/conf.d
  # Step the clock whenever it is more than 1 s off, not only in the first updates: a station whose 4G
  # link was down for days must not run minutes late while chrony slews. The agent re-plans on a step.
  printf '# loa: step whenever the offset exceeds 1 s\nmakestep 1 -1\n' >/etc/chrony/conf.d/loa.conf
  grep -q '^confdir /etc/chrony/conf.d' /etc/chrony/chrony.conf 2>/dev/null ||
    echo 'confdir /etc/chrony/conf.d' >>/etc/chrony/chrony.conf
  systemctl enable --now chrony >/dev/null
  systemctl restart chrony
fi
systemctl enable fake-hwclock >/dev/null 2>&1 || true

if [ "$HW_WATCHDOG" -eq 1 ]; then
  say "Hardware watchdog (systemd feeds it; the Pi's bcm2835-wdt allows at most ~15 s)"
  mkdir -p /etc/systemd/system.conf.d
  printf '[Manager]\nRuntimeWatchdogSec=14\nRebootWatchdogSec=2min\n' >/etc/systemd/system.conf.d/loa-watchdog.conf
  systemctl daemon-reexec
fi

if [ "$BOOT_PINS" -eq 1 ]; then
  BOOTCFG=/boot/firmware/config.txt
  [ -e "$BOOTCFG" ] || BOOTCFG=/boot/config.txt
  say "Relay pins in $BOOTCFG (OFF level from power-on)"
  LINES="$(runuser -u loa -- "$NODE" --import tsx -e "
    const { loadConfig } = await import('$PREFIX/edge-agent/config/config.ts');
    for (const r of loadConfig('$ETC/agent.json', {}).relays)
      console.log('gpio=' + r.pin + '=op,' + (r.activeLow ? 'dh' : 'dl') + '  # loa relay ' + r.name);
  ")"
  sed -i '/# loa relay /d' "$BOOTCFG"
  printf '%s\n' "$LINES" >>"$BOOTCFG"
  echo "$LINES"
  echo "(takes effect at the next boot)"
fi

say "Service"
install -m 0644 "$PREFIX/deploy/loa-agent.service" /etc/systemd/system/loa-agent.service
install -d -m 0750 -o loa -g loa "$DATA"
systemctl daemon-reload
systemctl enable loa-agent >/dev/null
if grep -q CHANGE-ME "$ETC/agent.json"; then
  echo "Not started: edit $ETC/agent.json, then: systemctl start loa-agent"
else
  systemctl restart loa-agent
  sleep 3
  systemctl --no-pager --lines=15 status loa-agent || true
fi
echo
echo "Logs: journalctl -u loa-agent -f     Status: curl -s http://127.0.0.1:8090/api/status"
echo "Ward staff: http://<this Pi's address>:8090/ (and https://...:8443/ for the microphone)"
