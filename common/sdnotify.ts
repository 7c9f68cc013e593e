// systemd notifications (READY=1, WATCHDOG=1, STATUS=) through systemd-notify; nothing when not run by systemd.
import { execFile } from 'node:child_process';
import { errorMessage, type Logger } from './log.ts';

export interface SdNotifyDeps {
  env: NodeJS.ProcessEnv;
  log: Logger;
  pid?: number;
  /** Sends one notification; defaults to running `systemd-notify`. */
  send?(assignments: string[]): Promise<void>;
}

export interface SdNotify {
  readonly enabled: boolean;
  /** The keep-alive period systemd asked for (half of WatchdogSec), or null. */
  readonly watchdogEveryMs: number | null;
  ready(status?: string): void;
  status(text: string): void;
  stopping(): void;
  /** Pings WATCHDOG=1 every watchdogEveryMs while `alive()` says so; returns the stop function. */
  startWatchdog(alive?: () => boolean): () => void;
}

// Node has no unix datagram sockets, so a child process speaks for us. systemd >= 246 makes
// systemd-notify wait until the message is processed, so it is attributed to this unit; the unit
// needs NotifyAccess=all since the sender is a child of the main process.
const runNotify = (assignments: string[]) =>
  new Promise<void>((resolve, reject) =>
    execFile('systemd-notify', assignments, { timeout: 5000 }, (err) => (err ? reject(err) : resolve())),
  );

export function createSdNotify(deps: SdNotifyDeps): SdNotify {
  const { env, log } = deps;
  const enabled = Boolean(env.NOTIFY_SOCKET);
  const send = deps.send ?? runNotify;
  const usec = Number(env.WATCHDOG_USEC);
  // WATCHDOG_PID, when set, says which process the watchdog is meant for.
  const forUs = !env.WATCHDOG_PID || Number(env.WATCHDOG_PID) === (deps.pid ?? process.pid);
  const watchdogEveryMs = enabled && forUs && usec > 0 ? Math.max(1000, Math.floor(usec / 2000)) : null;
  let warned = false;

  function notify(assignments: string[]): void {
    if (!enabled) return;
    send(assignments).catch((err) => {
      if (!warned) log.warn(`sd_notify: ${assignments.join(' ')} failed: ${errorMessage(err)}`);
      warned = true;
    });
  }

  return {
    enabled,
    watchdogEveryMs,
    ready: (status) => notify(status ? ['READY=1', `STATUS=${status}`] : ['READY=1']),
    status: (text) => notify([`STATUS=${text}`]),
    stopping: () => notify(['STOPPING=1']),
    startWatchdog(alive = () => true) {
      if (watchdogEveryMs === null) return () => {};
      const timer = setInterval(() => {
        if (alive()) notify(['WATCHDOG=1']);
      }, watchdogEveryMs);
      return () => clearInterval(timer);
    },
  };
}
