// Helpers for the slot-timing benchmark: a compressed day of entries, and a watcher (in its own thread, so
// the agent's event loop cannot delay it) that notes when each output file appears.
import { mkdirSync } from 'node:fs';
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
const w = fs.watch(workerData.dir, (event, name) => {
  const at = performance.timeOrigin + performance.now();
  if (!name || seen.has(name)) return;
  seen.set(name, at);
});
parentPort.on('message', () => {
  w.close();
  parentPort.postMessage([...seen]);
});
parentPort.postMessage('ready');
`;

/** Notes the first event (creation) of every file in `dir`, epoch ms with sub-millisecond precision. */
export function watchOutputs(dir: string): { ready: Promise<void>; stop(): Promise<Map<string, number>> } {
  mkdirSync(dir, { recursive: true });
  const worker = new Worker(watcherCode, { eval: true, workerData: { dir } });
  let done: (m: Map<string, number>) => void = () => {};
  const result = new Promise<Map<string, number>>((resolve) => {
    done = resolve;
  });
  const ready = new Promise<void>((resolve) => {
    worker.on('message', (m) => {
      if (m === 'ready') resolve();
      else {
        done(new Map(m as [string, number][]));
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
}

/** Wraps a player, noting when each of its players is started ahead, ready and released. */
export function markedPlayer(player: AgentPlayer): { player: AgentPlayer; marks: Map<string, PlayerMarks> } {
  const marks = new Map<string, PlayerMarks>();
  return {
    marks,
    player: {
      prepare(inputs, opts) {
        const p = player.prepare(inputs, opts);
        const m: PlayerMarks = { prepared: Date.now(), ready: null, released: null };
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
