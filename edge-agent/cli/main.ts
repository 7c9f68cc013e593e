// Edge agent entry point: `npm run agent -- --config FILE` loads the config, wires the agent and serves
// the station's local page (status, and the ward staff's controls) over HTTP and HTTPS.
import { parseArgs } from 'node:util';
import { createPlayer, parseAudioOutput, resolveFfmpeg } from '../../audio/index.ts';
import { systemClock } from '../../common/clock.ts';
import { createLogger, errorMessage, type Logger } from '../../common/log.ts';
import { createSdNotify } from '../../common/sdnotify.ts';
import { DEFAULT_TIMEZONE } from '../../schedules/model.ts';
import { useProcessZone } from '../../schedules/time.ts';
import { createAgent } from '../agent.ts';
import { loadConfig } from '../config/config.ts';
import { createRelay, type Relay } from '../hardware/relay.ts';
import { serveLocal } from '../local/serve.ts';
import { spinningWait } from '../playout/player.ts';
import { openStore } from '../state/store.ts';

/** Exit code after an uncaught error (EX_SOFTWARE); systemd restarts the agent. */
const EXIT_CRASH = 70;

/**
 * Whatever ends the process, the amplifier goes off first. Each handler is synchronous, since
 * after an uncaught error or at 'exit' no further I/O callback will ever run.
 */
function guardRelay(relay: Relay, log: Logger): void {
  const off = () => {
    try {
      relay.offSync();
    } catch (err) {
      log.error(`relay: cannot switch off: ${errorMessage(err)}`);
    }
  };
  process.on('exit', off);
  const fatal = (kind: string) => (err: unknown) => {
    off();
    log.error(
      `${kind}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}; relay off, exiting`,
    );
    process.exit(EXIT_CRASH);
  };
  process.on('uncaughtException', fatal('uncaught exception'));
  process.on('unhandledRejection', fatal('unhandled rejection'));
}

/** ALSA numbers cards in probe order, which changes between boots; only the card id is stable. */
function checkAudioDevice(spec: string, log: Logger): void {
  if (spec.startsWith('alsa:') && !/CARD=[A-Za-z]/.test(spec) && /(hw|plughw|dmix|default):\d/.test(spec)) {
    log.warn(`audio: ${spec} names the card by number; use its id (alsa:plughw:CARD=<id>, see aplay -L)`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string', short: 'c' } }, strict: true });
  const file = values.config ?? process.env.AGENT_CONFIG;
  if (!file) {
    console.error('usage: npm run agent -- --config FILE   (or AGENT_CONFIG=FILE)');
    process.exit(2);
  }
  const config = loadConfig(file, process.env);
  const clock = systemClock;
  const log = createLogger(config.stationId, clock);
  // Before anything else: the relays are driven OFF, then guarded for every way out.
  const relay = createRelay(config, clock, log);
  guardRelay(relay, log);
  const sd = createSdNotify({ env: process.env, log });

  checkAudioDevice(config.audio, log);
  const store = openStore(config.dataDir);
  // The process's local time follows the station's zone, so the schedule's wall clocks are read from Date
  // rather than Intl.DateTimeFormat, whose locale data would cost ~7 MB (schedules/time.ts, useProcessZone).
  const zone = config.timezone ?? store.getDesired()?.station.timezone ?? DEFAULT_TIMEZONE;
  process.env.TZ = zone;
  useProcessZone(zone);
  const ffmpeg = resolveFfmpeg(process.env);
  const player = createPlayer(ffmpeg, parseAudioOutput(config.audio), { clock, log: (l) => log.warn(l) });
  // Each player is released at its instant by polling the last few ms, not by a timer that wakes late.
  const instantWait = spinningWait(clock);
  const agent = createAgent({ config, clock, relay, player, store, log, instantWait });
  await agent.start();

  if (!config.localPinHash)
    log.warn('local page: no localPinHash, so the page is read-only; set a PIN with npm run agent-pin');
  // The page is made at its first request (an idle station does not hold it in memory); its uploads' leftovers
  // from before a restart are cleaned then.
  const page = async () => {
    const { createLocalApp } = await import('../local/app.ts');
    const local = createLocalApp({
      agent,
      config,
      clock,
      log,
      ffmpeg,
      timezone: () => config.timezone ?? store.getDesired()?.station.timezone ?? DEFAULT_TIMEZONE,
      // the province's abbreviations for typed announcements, when the desired state carries them
      speechDictionary: () => store.getDesired()?.speechDictionary,
    });
    await local.clips.clean();
    return local.app;
  };
  const servers = await serveLocal({ app: page, config, clock, log });
  sd.ready(`station ${config.stationId}`);
  const stopPings = sd.startWatchdog();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping`);
    sd.stopping();
    stopPings();
    relay.offSync();
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    try {
      await agent.stop();
      player.close();
      await relay.close();
      await servers.close();
      store.close();
      log.info('stopped');
      process.exit(0);
    } catch (err) {
      log.error(`shutdown failed: ${errorMessage(err)}`);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  console.error(`edge agent: ${errorMessage(err)}`);
  process.exit(1);
});
