// Whether the wall clock can be trusted: a Pi has no RTC and boots with a wrong time until NTP has synchronised.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Clock } from '../../common/clock.ts';
import { errorMessage, type Logger } from '../../common/log.ts';
import type { ClockTrust as TrustMode } from '../config/config.ts';

export interface ClockStatus {
  /** null: nobody on this machine can tell (not booted with systemd). */
  synchronized: boolean | null;
  /** System clock minus true time (positive: the clock is fast), when the time daemon tells. */
  offsetMs: number | null;
  source: string;
}
export type ClockProbe = () => Promise<ClockStatus>;

/** No real clock reads earlier than this: a Pi without RTC or fake-hwclock boots in 1970. */
export const EARLIEST_PLAUSIBLE = Date.parse('2025-01-01T00:00:00Z');

/** Parses `chronyc -c tracking`: field 5 is the correction (positive: the clock is slow), the last the leap status. */
export function parseChronyTracking(csv: string): { synchronized: boolean; offsetMs: number } | null {
  const f = csv.trim().split('\n')[0]?.split(',') ?? [];
  const correction = Number(f[4]);
  if (f.length < 14 || !Number.isFinite(correction)) return null;
  return { synchronized: f[13] !== 'Not synchronised', offsetMs: -correction * 1000 };
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, min: 60_000 };

/** Parses `timedatectl timesync-status`: its Offset is the correction to apply (positive: the clock is slow). */
export function parseTimesyncOffset(text: string): number | null {
  const m = /^\s*Offset:\s*([+-]?\d+(?:\.\d+)?)(ns|us|µs|ms|s|min)\s*$/m.exec(text);
  if (!m) return null;
  return -Number(m[1]) * (UNIT_MS[m[2] as string] as number);
}

export interface SystemProbeDeps {
  run?(cmd: string, args: string[]): Promise<string>;
  exists?(path: string): boolean;
}

const runCommand = (cmd: string, args: string[]) =>
  new Promise<string>((resolve, reject) =>
    execFile(cmd, args, { timeout: 5000, encoding: 'utf8' }, (err, out) =>
      err ? reject(err) : resolve(out),
    ),
  );

/** Asks chrony, then systemd-timesyncd/timedated (NTPSynchronized reflects the kernel's sync flag for any daemon). */
export function systemClockProbe(deps: SystemProbeDeps = {}): ClockProbe {
  const run = deps.run ?? runCommand;
  const exists = deps.exists ?? existsSync;
  return async () => {
    // sd_booted(): without systemd there is no timedated to ask (containers, CI).
    if (!exists('/run/systemd/system')) return { synchronized: null, offsetMs: null, source: 'no systemd' };
    const chrony = await run('chronyc', ['-c', 'tracking']).then(parseChronyTracking, () => null);
    if (chrony) return { ...chrony, source: 'chrony' };
    let synchronized: boolean | null = exists('/run/systemd/timesync/synchronized') ? true : null;
    if (!synchronized) {
      const v = await run('timedatectl', ['show', '-p', 'NTPSynchronized', '--value']).catch(() => '');
      synchronized = v.trim() === 'yes' ? true : v.trim() === 'no' ? false : null;
    }
    // timedated not answering (early boot, D-Bus down) is not a yes: keep waiting.
    if (synchronized === null) synchronized = false;
    const offsetMs = await run('timedatectl', ['timesync-status']).then(parseTimesyncOffset, () => null);
    return { synchronized, offsetMs, source: 'timedatectl' };
  };
}

export interface ClockTrustDeps {
  mode: TrustMode;
  clock: Clock;
  log: Logger;
  probe?: ClockProbe;
  /** Called when the clock becomes trusted after start() found it untrusted. */
  onTrusted?(): void;
  /**
   * The agent's own measurement of the offset (ms, positive: fast), asked when the time daemon tells none
   * (sntpOffset to the configured server); never awaited, so a lost answer costs nothing.
   */
  ntp?(): Promise<number>;
  /** How often to ask while waiting for synchronisation, and afterwards (for the offset). */
  waitingCheckMs?: number;
  trustedCheckMs?: number;
}

export interface ClockTrust {
  readonly trusted: boolean;
  readonly offsetMs: number | null;
  /** Who measured it: chrony, timedatectl, or the agent's own NTP query ('ntp'). */
  readonly offsetSource: string | null;
  readonly mode: TrustMode;
  /** Makes the first check; later ones run on a timer until stop(). */
  start(): Promise<void>;
  stop(): void;
}

export function createClockTrust(deps: ClockTrustDeps): ClockTrust {
  const { mode, clock, log } = deps;
  const probe = deps.probe ?? systemClockProbe();
  let trusted = mode === 'always';
  let offsetMs: number | null = null;
  let offsetSource: string | null = null;
  let asking = false;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let waitingLogged = false;

  async function check(): Promise<void> {
    let s: ClockStatus;
    try {
      s = await probe();
    } catch (err) {
      s = { synchronized: false, offsetMs: null, source: `probe failed: ${errorMessage(err)}` };
    }
    if (s.offsetMs !== null) [offsetMs, offsetSource] = [s.offsetMs, s.source];
    else if (deps.ntp && !asking) {
      asking = true;
      deps
        .ntp()
        .then(
          (ms) => {
            if (offsetSource === null)
              log.info(`clock: offset ${Math.round(ms)} ms by the agent's own NTP query`);
            [offsetMs, offsetSource] = [ms, 'ntp'];
          },
          (err) => {
            [offsetMs, offsetSource] = [null, null];
            log.warn(`clock: offset unknown: ${errorMessage(err)}`);
          },
        )
        .finally(() => {
          asking = false;
        });
    } else if (!deps.ntp) [offsetMs, offsetSource] = [null, null];
    if (trusted || mode !== 'system') return;
    const now = clock.now();
    let why: string | null = null;
    if (now.getTime() < EARLIEST_PLAUSIBLE)
      why = `the clock reads ${now.toISOString()}, which cannot be right`;
    else if (s.synchronized === false) why = `the system clock is not synchronised yet (${s.source})`;
    if (why) {
      if (!waitingLogged) log.warn(`clock: not trusted: ${why}; nothing is played until it is`);
      waitingLogged = true;
      return;
    }
    trusted = true;
    if (s.synchronized === null)
      log.warn(
        'clock: trusted without confirmation: this machine was not booted with systemd, so nobody can say',
      );
    else log.info(`clock: synchronised (${s.source}); trusted`);
    if (waitingLogged) deps.onTrusted?.();
  }

  function schedule(): void {
    if (stopped) return;
    const every = trusted ? (deps.trustedCheckMs ?? 15 * 60_000) : (deps.waitingCheckMs ?? 30_000);
    timer = setTimeout(() => void check().finally(schedule), every);
    timer.unref?.();
  }

  return {
    get trusted() {
      return trusted;
    },
    get offsetMs() {
      return offsetMs;
    },
    get offsetSource() {
      return offsetSource;
    },
    mode,
    async start() {
      stopped = false;
      if (mode === 'never') log.warn('clock: clockTrust is never; nothing is played');
      // Only 'system' needs the answer before the runner plans; otherwise it is just the offset.
      if (mode === 'system') await check();
      else void check();
      schedule();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
