// Timers at wall-clock instants, armed in sets that are cancelled together.

export interface Scheduler {
  /** Runs `fn` once at `date`; null if the date is already past. */
  scheduleJob(date: Date, fn: () => void): { cancel(): unknown } | null;
}

/** setTimeout's longest delay (about 24.8 days); a later instant is reached in several waits. */
const LONGEST_MS = 2 ** 31 - 1;

/**
 * Plain timers, the wall clock read again on every wake: a timer woken before its instant (the wall clock
 * stepped back while it waited, or the instant was beyond the longest delay) waits again for the rest.
 * node-schedule did the same job with cron parsing and luxon loaded (about 6 MB of the agent's memory) and
 * without the second look.
 */
export const timerScheduler: Scheduler = {
  scheduleJob(date, fn) {
    const at = date.getTime();
    if (at <= Date.now()) return null;
    let timer: NodeJS.Timeout;
    const wait = () => {
      const left = at - Date.now();
      if (left <= 0) fn();
      else timer = setTimeout(wait, Math.min(left, LONGEST_MS));
    };
    wait();
    return { cancel: () => clearTimeout(timer) };
  },
};

export interface Jobs {
  /** Runs `fn` at `at` (ms), or in a microtask if that is already past. */
  arm(at: number, fn: () => void): void;
  /** Cancels every job armed since the last cancel. */
  cancel(): void;
}

export function createJobs(scheduler: Scheduler, nowMs: () => number): Jobs {
  let jobs: { cancel(): unknown }[] = [];
  return {
    arm(at, fn) {
      const job = at > nowMs() ? scheduler.scheduleJob(new Date(at), fn) : null;
      if (job) jobs.push(job);
      else queueMicrotask(fn);
    },
    cancel() {
      for (const j of jobs) j.cancel();
      jobs = [];
    },
  };
}
