// The slot-timing benchmark's entry times, and where the late ones lost their time: the agent's main thread
// and the output watcher's thread, on a core or waiting for one (Linux's schedstat).
import { median } from './bench.ts';
import type { ReleaseWindow } from './slot-timing.ts';

/** One entry's times (epoch ms): scheduled sound start and what the agent, its player and the output did. */
export interface Timing {
  id: string;
  noGap: boolean;
  scheduled: number;
  relayOn: number;
  prepared: number;
  ready: number;
  released: number;
  audioStartAt: number;
  firstOutput: number | null;
  outcome: string;
  /** The main thread's scheduler figures over the last 100 ms to the release. */
  window: ReleaseWindow | null;
  /** How long the watcher's own thread, and the agent's, waited for a core between `audioStartAt` and the file's event. */
  watcherQueueMs: number;
  agentQueueMs: number;
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');

/** Where the last 100 ms before each release went, for the latest entries beside all the others. */
export function releaseCauses(pooled: Timing[], worst: Timing[]): string[] {
  const row = (name: string, xs: Timing[]) => {
    const w = xs.map((t) => t.window).filter((x): x is ReleaseWindow => x !== null);
    const med = (f: (x: ReleaseWindow) => number) => f1(median(w.map(f)));
    const lateMs = f1(median(xs.map((t) => t.released - t.scheduled)));
    return `| ${name} (${w.length}) | ${lateMs} | ${med((x) => x.windowMs)} | ${med((x) => x.onCpuMs)} | ${med((x) => x.runQueueMs)} |`;
  };
  const rest = pooled.filter((t) => !worst.includes(t));
  return [
    "The agent's main thread from 100 ms before each instant to its release (`/proc/self/schedstat`, read every " +
      '10 ms and at the release; medians in ms): a late release with the thread waiting in the run queue was the ' +
      "machine's load, one with the thread on a core was the agent's own work (or garbage collection).",
    '',
    '| entries | released after the instant | window | on a core | waiting for a core |',
    '| --- | --- | --- | --- | --- |',
    row('the latest', worst),
    row('all the others', rest),
  ];
}

/**
 * Where the as-run stamp and the watcher's note of the file part: the stamp is taken by the agent's thread at
 * the write, the note by the watcher's thread when it runs; the watcher's own waits for a core are shown.
 */
export function stampCauses(pooled: Timing[]): string[] {
  const gap = (t: Timing) => (t.firstOutput ?? Number.NaN) - t.audioStartAt;
  const widest = [...pooled]
    .filter((t) => Number.isFinite(gap(t)))
    .sort((a, b) => Math.abs(gap(b)) - Math.abs(gap(a)))
    .slice(0, Math.max(1, Math.ceil(pooled.length / 50)));
  const row = (name: string, xs: Timing[]) =>
    `| ${name} (${xs.length}) | ${f1(median(xs.map(gap)))} | ${f1(median(xs.map((t) => t.watcherQueueMs)))} | ${f1(median(xs.map((t) => t.agentQueueMs)))} |`;
  return [
    "As-run `audioStartAt` against the watcher's note of the file (medians in ms; positive: the note came after " +
      "the stamp), with the time each side's thread waited for a core between the two (`/proc/thread-self/schedstat` " +
      "in the watcher, the agent's readings above): the stamp is taken by the agent's thread at its write, the note by " +
      'the watcher when it next runs, so either may be the late one:',
    '',
    '| entries | file noted - audioStartAt | watcher waiting for a core meanwhile | agent waiting for a core meanwhile |',
    '| --- | --- | --- | --- |',
    row('the widest', widest),
    row(
      'all the others',
      pooled.filter((t) => !widest.includes(t) && Number.isFinite(gap(t))),
    ),
  ];
}
