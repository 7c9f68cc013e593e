// Timers at wall-clock instants (node-schedule jobs by default), armed in sets that are cancelled together.
import { scheduleJob } from 'node-schedule';

export interface Scheduler {
  /** Runs `fn` once at `date`; null if the date is already past (node-schedule's behaviour). */
  scheduleJob(date: Date, fn: () => void): { cancel(): unknown } | null;
}

export const nodeScheduler: Scheduler = { scheduleJob: (date, fn) => scheduleJob(date, fn) };

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
