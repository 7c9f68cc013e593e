// Helpers for the slot-timing benchmark: a compressed day of entries, and a watcher (in its own thread, so
// the agent's event loop cannot delay it) that notes when each output file appears.
import { mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AgentPlayer } from '../../../edge-agent/playout/player.ts';
import type { ClipRef } from '../../../schedules/model.ts';

export interface DayEntry {
  id: string;
  clip: ClipRef;
  /** Scheduled start of the sound (whole seconds, as slot times are). */
  startMs: number;
  /** Time between the previous entry's tail end and this one's warm-up start (ms; -1 for the first). */
  afterGapMs: number;
}

/** Gaps (s) between the 12 entries of a session; 0 once: an entry right after the previous one. */
const SESSION_GAPS = [2, 1, 3, 1, 2, 0, 1, 3, 2, 1, 2];
const BETWEEN_SESSIONS_S = 8;

/**
 * A day of 48 entries in four sessions, compressed: the real day's minutes between entries become seconds,
 * its hours between sessions become 8 s, and clips last 1.5-2.5 s. Warm-up and tail are the real ones.
 */
export function realisticDay(
  fromMs: number,
  clips: ClipRef[],
  warmUpMs: number,
  tailMs: number,
  sessions = 4,
): DayEntry[] {
  const out: DayEntry[] = [];
  const whole = clips.find((c) => c.durationMs % 1000 === 0) ?? (clips[0] as ClipRef);
  let prevEnd = Math.ceil(fromMs / 1000) * 1000 - tailMs - warmUpMs;
  for (let s = 0; s < sessions; s++) {
    for (let i = 0; i <= SESSION_GAPS.length; i++) {
      const gapS = i === 0 ? (s === 0 ? 0 : BETWEEN_SESSIONS_S) : (SESSION_GAPS[i - 1] as number);
      // The entry before a zero gap plays a whole-second clip, so that the next one can start exactly at its tail's end.
      const nextGap = SESSION_GAPS[i];
      const clip = nextGap === 0 ? whole : (clips[(s * 12 + i) % clips.length] as ClipRef);
      const startMs = Math.ceil((prevEnd + tailMs + gapS * 1000 + warmUpMs) / 1000) * 1000;
      out.push({
        id: `e${String(out.length + 1).padStart(2, '0')}`,
        clip,
        startMs,
        afterGapMs: out.length === 0 ? -1 : startMs - warmUpMs - (prevEnd + tailMs),
      });
      prevEnd = startMs + clip.durationMs;
    }
  }
  return out;
}

const watcherCode = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const seen = new Map();
// this thread's own time waiting for a core, read every 10 ms and at each event: the watcher may be late too
const queue = [];
const runQueueMs = () => Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]) / 1e6;
const sample = () => queue.push([performance.timeOrigin + performance.now(), runQueueMs()]);
const timer = setInterval(sample, 10);
const w = fs.watch(workerData.dir, (event, name) => {
  const at = performance.timeOrigin + performance.now();
  sample();
  if (!name || seen.has(name)) return;
  seen.set(name, at);
});
parentPort.on('message', () => {
  w.close();
  clearInterval(timer);
  parentPort.postMessage({ seen: [...seen], queue });
});
parentPort.postMessage('ready');
`;

/** The watcher's notes: when each file appeared, and its own thread's run-queue readings ([epoch ms, ms]). */
export interface Outputs {
  created: Map<string, number>;
  watcherQueue: [at: number, runQueueMs: number][];
}

/** How long a thread waited for a core between two epoch times, from its readings ([epoch ms, run-queue ms]). */
export function waitedBetween(readings: [number, number][], a: number, b: number): number {
  const [from, to] = a <= b ? [a, b] : [b, a];
  const before = readings.filter(([at]) => at <= from).at(-1);
  const after = readings.find(([at]) => at >= to);
  return before && after ? after[1] - before[1] : Number.NaN;
}

/** Notes the first event (creation) of every file in `dir`, epoch ms with sub-millisecond precision. */
export function watchOutputs(dir: string): { ready: Promise<void>; stop(): Promise<Outputs> } {
  mkdirSync(dir, { recursive: true });
  const worker = new Worker(watcherCode, { eval: true, workerData: { dir } });
  let done: (o: Outputs) => void = () => {};
  const result = new Promise<Outputs>((resolve) => {
    done = resolve;
  });
  const ready = new Promise<void>((resolve) => {
    worker.on('message', (m) => {
      if (m === 'ready') resolve();
      else {
        const { seen, queue } = m as { seen: [string, number][]; queue: [number, number][] };
        done({ created: new Map(seen), watcherQueue: queue });
        void worker.terminate();
      }
    });
  });
  return {
    ready,
    stop: () => {
      worker.postMessage('stop');
      return result;
    },
  };
}

/** When each entry's player was started ahead, got ready, and was released (epoch ms), by entry id. */
export interface PlayerMarks {
  prepared: number;
  ready: number | null;
  released: number | null;
  /** The main thread's scheduler figures read at the release. */
  releasedSched: SchedSample | null;
}

/** Wraps a player, noting when each of its players is started ahead, ready and released. */
export function markedPlayer(player: AgentPlayer): { player: AgentPlayer; marks: Map<string, PlayerMarks> } {
  const marks = new Map<string, PlayerMarks>();
  return {
    marks,
    player: {
      prepare(inputs, opts) {
        const p = player.prepare(inputs, opts);
        const m: PlayerMarks = { prepared: Date.now(), ready: null, released: null, releasedSched: null };
        marks.set(opts.name, m);
        p.ready.then(
          () => {
            m.ready = Date.now();
          },
          () => {},
        );
        return {
          ready: p.ready,
          get isReady() {
            return p.isReady;
          },
          cancel: () => p.cancel(),
          start(s) {
            m.releasedSched = sampleNow();
            m.released = Date.now();
            return p.start(s);
          },
        };
      },
    },
  };
}

/** The machine's load while a benchmark ran (its 2 cores are shared with other engineers' test suites). */
export function loadTracker(): { note(): string } {
  const seen = [os.loadavg()[0] as number];
  const timer = setInterval(() => seen.push(os.loadavg()[0] as number), 10_000);
  timer.unref();
  return {
    note() {
      clearInterval(timer);
      const s = [...seen].sort((a, b) => a - b);
      const mid = s[Math.floor(s.length / 2)] as number;
      return (
        `Load while it ran (1-minute load average on ${os.cpus().length} cores, sampled every 10 s): median ` +
        `${mid.toFixed(1)}, from ${s[0]?.toFixed(1)} to ${s.at(-1)?.toFixed(1)}` +
        (mid > 2 * os.cpus().length
          ? ': the machine was overloaded by other test suites, which delays timers.'
          : ' (the benchmark’s own processes included).')
      );
    },
  };
}

/** The main thread's time on a core and waiting in the run queue for one (ms, since it started; Linux). */
export function schedstat(): { onCpuMs: number; runQueueMs: number } {
  const [cpu = 0, queue = 0] = readFileSync('/proc/self/schedstat', 'utf8').split(' ').map(Number);
  return { onCpuMs: cpu / 1e6, runQueueMs: queue / 1e6 };
}

/** One reading of the main thread's scheduler figures, at an epoch time (ms). */
export interface SchedSample {
  at: number;
  onCpuMs: number;
  runQueueMs: number;
}

const sampleNow = (): SchedSample => ({ at: performance.timeOrigin + performance.now(), ...schedstat() });

/** Reads the main thread's scheduler figures every 10 ms until stopped (a timer of its own, timestamped). */
export function schedSampler(): { samples: SchedSample[]; stop(): void } {
  const samples = [sampleNow()];
  const timer = setInterval(() => samples.push(sampleNow()), 10);
  return { samples, stop: () => clearInterval(timer) };
}

/** Where the time from 100 ms before an instant to the release went: on a core, waiting for one, or neither. */
export interface ReleaseWindow {
  /** From the last reading at or before 100 ms ahead of the instant to the release. */
  windowMs: number;
  onCpuMs: number;
  runQueueMs: number;
}

/** The window of a release at `release` (read then) for an instant `at`, from the sampler's readings. */
export function releaseWindow(
  samples: SchedSample[],
  at: number,
  release: SchedSample,
): ReleaseWindow | null {
  const before = samples.filter((x) => x.at <= at - 100).at(-1);
  if (!before) return null;
  return {
    windowMs: release.at - before.at,
    onCpuMs: release.onCpuMs - before.onCpuMs,
    runQueueMs: release.runQueueMs - before.runQueueMs,
  };
}
