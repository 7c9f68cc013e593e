// Slot timing: how far from its scheduled instant each entry's first sample reaches the audio output, over a
// compressed day, with the real runner, playout, clip cache and ffmpeg file player and a simulated relay.
// Prints a Markdown section.
import { join } from 'node:path';
import { createPlayer, parseAudioOutput } from '../../audio/index.ts';
import { sleep } from '../../common/sleep.ts';
import { createClipCache } from '../../edge-agent/clips/cache.ts';
import { SimRelay } from '../../edge-agent/hardware/relay.ts';
import { spinningWait } from '../../edge-agent/playout/player.ts';
import { createRunner } from '../../edge-agent/playout/runner.ts';
import { openStore } from '../../edge-agent/state/store.ts';
import type { ClipRef } from '../../schedules/model.ts';
import type { AsRunRecord } from '../../schedules/protocol.ts';
import { utcToZoned } from '../../schedules/time.ts';
import { paths, toneClip } from '../audio/fixtures.ts';
import { desired, recordingBus, slot, startClipServer, testConfig } from '../edge-agent/helpers.ts';
import { recordingLogger } from '../support/log.ts';
import { tempDir } from '../support/temp.ts';
import { log, median, runBench } from './support/bench.ts';
import {
  type DayEntry,
  loadTracker,
  markedPlayer,
  realisticDay,
  releaseWindow,
  schedSampler,
  waitedBetween,
  watchOutputs,
} from './support/slot-timing.ts';
import { releaseCauses, stampCauses, type Timing } from './support/slot-timing-causes.ts';

const RUNS = Number(process.env.BENCH_SLOT_RUNS ?? 3);
const SESSIONS = Number(process.env.BENCH_SLOT_SESSIONS ?? 4);
const WARM_UP_MS = 2000;
const TAIL_MS = 1000;
const GOAL_MS = 20;
const AS_RUN_GOAL_MS = 5;

interface RunResult {
  timings: Timing[];
  entries: number;
  spanSec: number;
}

async function oneRun(run: number, clipFiles: { ref: ClipRef; bytes: Buffer }[]): Promise<RunResult> {
  const tmp = tempDir();
  const server = await startClipServer(new Map(clipFiles.map((c) => [c.ref.id, c.bytes])));
  const out = join(tmp.dir, 'speaker');
  const config = testConfig(join(tmp.dir, 'data'), {
    controllerUrl: server.url,
    audio: `file:${out}`,
    warmUpMs: WARM_UP_MS,
    tailMs: TAIL_MS,
  });
  const clock = { now: () => new Date() };
  const store = openStore(config.dataDir);
  const logger = recordingLogger();
  const clips = createClipCache({ ...config, store, log: logger });
  for (const c of clipFiles) await clips.ensure(c.ref);
  await server.close();

  // The day starts 20 s from now: the first entry is taken in hand 10 s before its warm-up.
  const day = realisticDay(
    Date.now() + 20_000,
    clipFiles.map((c) => c.ref),
    WARM_UP_MS,
    TAIL_MS,
    SESSIONS,
  );
  const slots = day.map((e: DayEntry) => {
    const local = utcToZoned(new Date(e.startMs), 'Asia/Ho_Chi_Minh');
    return slot(e.id, local.time, [e.clip.id], {
      campaignId: null,
      startDate: local.date,
      endDate: local.date,
    });
  });
  store.applyDesired(desired(1, { slots, clips: clipFiles.map((c) => c.ref) }));

  const relay = new SimRelay(clock);
  const real = createPlayer(paths, parseAudioOutput(config.audio), clock);
  // The agent's player, with the moments each entry's player was started ahead, ready and released noted down.
  const { player, marks } = markedPlayer(real);
  const records: AsRunRecord[] = [];
  const sched = schedSampler();
  const watcher = watchOutputs(out);
  await watcher.ready;
  const runner = createRunner({
    config,
    clock,
    store,
    relay,
    player,
    clips,
    log: logger,
    bus: recordingBus((r) => records.push(r)),
    // as the agent's main: released by polling the last few ms before the instant (BENCH_TIMER=1: a plain timer)
    instantWait: process.env.BENCH_TIMER ? undefined : spinningWait(clock),
  });
  runner.start();
  const last = day.at(-1) as DayEntry;
  const spanSec = (last.startMs + last.clip.durationMs - (day[0] as DayEntry).startMs) / 1000;
  log(`run ${run + 1}: ${day.length} entries over ${spanSec.toFixed(0)} s`);
  const end = last.startMs + last.clip.durationMs + TAIL_MS + 30_000;
  while (records.length < day.length && Date.now() < end) await sleep(200);
  await runner.stop();
  sched.stop();
  real.close();
  await sleep(200);
  const outputs = await watcher.stop();
  const created = outputs.created;
  store.close();
  tmp.cleanup();
  const problems = logger.lines.filter((l) => l.startsWith('error') || l.startsWith('warn'));
  if (problems.length) log(`run ${run + 1}: ${problems.slice(0, 5).join(' | ')}`);

  const byEntry = new Map(records.map((r) => [r.entryId, r]));
  const timings: Timing[] = [];
  for (const e of day) {
    const id = `${e.id}@${utcToZoned(new Date(e.startMs), 'Asia/Ho_Chi_Minh').date}`;
    const r = byEntry.get(id);
    const m = marks.get(id);
    const played = r?.outcome === 'played';
    const noted = created.get(`${id}.wav`);
    const stampGap = (readings: [number, number][]) =>
      played && noted !== undefined
        ? waitedBetween(readings, Date.parse(r.audioStartAt as string), noted)
        : Number.NaN;
    timings.push({
      id,
      noGap: e.afterGapMs === 0,
      scheduled: e.startMs,
      relayOn: played ? Date.parse(r.relayOnAt as string) : Number.NaN,
      prepared: m?.prepared ?? Number.NaN,
      ready: m?.ready ?? Number.NaN,
      released: m?.released ?? Number.NaN,
      audioStartAt: played ? Date.parse(r.audioStartAt as string) : Number.NaN,
      firstOutput: played ? (created.get(`${id}.wav`) ?? null) : null,
      outcome: r ? (played ? 'played' : `${r.outcome} ${r.reason}`) : 'no record',
      window: m?.releasedSched ? releaseWindow(sched.samples, e.startMs, m.releasedSched) : null,
      watcherQueueMs: stampGap(outputs.watcherQueue),
      agentQueueMs: stampGap(sched.samples.map((x) => [x.at, x.runQueueMs])),
    });
  }
  return { timings, entries: day.length, spanSec };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number) : Number.NaN;
};
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');

function stats(xs: number[]) {
  return { n: xs.length, p50: pct(xs, 50), p95: pct(xs, 95), p99: pct(xs, 99), max: pct(xs, 100) };
}

async function main(): Promise<void> {
  const tmp = tempDir();
  // Three clips of 1.5, 2 and 2.5 s (a tone, Opus 40 kbit/s as the controller makes them).
  const clipFiles = [1500, 2000, 2500].map((ms, i) =>
    toneClip(tmp.dir, `clip-${i}`, ms / 1000, 440 + 110 * i),
  );
  tmp.cleanup();
  const load = loadTracker();
  const runs: RunResult[] = [];
  for (let r = 0; r < RUNS; r++) runs.push(await oneRun(r, clipFiles));
  console.log(`${report(runs)}\n\n${load.note()}`);
}

const late = (t: Timing) => (t.firstOutput === null ? Number.NaN : t.firstOutput - t.scheduled);
const played = (r: RunResult) => r.timings.filter((t) => t.outcome === 'played');

function report(runs: RunResult[]): string {
  const first = runs[0] as RunResult;
  const out: string[] = [];
  const verdict = (x: number, goal: number) => (Math.abs(x) <= goal ? 'met' : 'missed');
  out.push('## Slot timing: scheduled instant to first sample at the audio output');
  out.push('');
  out.push(
    `The real agent runner (\`edge-agent/playout/runner.ts\`: timers at wall-clock instants; \`playout.ts\`: relay on, warm-up ` +
      `${WARM_UP_MS} ms, player released at the instant, tail ${TAIL_MS} ms, relay off; ${process.env.BENCH_TIMER ? 'the release waited for by a plain timer (`BENCH_TIMER=1`)' : 'the release waited for as the agent does: a timer 15 ms early, then polling the clock to the instant (`playout/player.ts`, `spinningWait`)'}), the real clip cache (each ` +
      `clip verified by sha256 when its entry is taken in hand), the agent's ffmpeg player (\`audio/player.ts\`, ` +
      `\`file:DIR\` output: each entry's ffmpeg is started ahead, when its entry is taken in hand 10 s before its ` +
      `warm-up, and waits with its first samples decoded in its pipe; at the instant the agent writes them into the ` +
      `entry's wav file) and a simulated relay; ${runs.length} runs, each a fresh agent store. A day of ` +
      `${first.entries} entries in four sessions is compressed into about ${Math.round(first.spanSec / 60)} minutes: ` +
      `clips last 1.5 to 2.5 s instead of minutes, the gaps between one entry's tail and the next one's warm-up are ` +
      `1 to 3 s within a session (minutes in a real day) and 8 s between sessions (hours); warm-up, tail and the ` +
      `agent's 10 s of preparation are the real ones. Once per session an entry follows the previous one with no ` +
      `gap at all; those count towards the goal and are also shown apart.`,
  );
  out.push('');
  out.push(
    '"First sample" is when the wav file of the entry is created, seen by an inotify watcher in its own thread: ' +
      'the player creates it and writes the header and the first samples in one synchronous step at its release. ' +
      '`audioStartAt` is what the as-run record says (the moment the player reports its first sample left).',
  );
  out.push('');
  out.push(
    '| run | entries played | first sample - scheduled (ms): p50 / p95 / p99 / max | as-run audioStartAt - first sample (ms): p50 / p99 / max of the absolute | goal: p99 within 20 ms |',
  );
  out.push('| --- | --- | --- | --- | --- |');
  const p99s: number[] = [];
  const gaps: number[] = [];
  for (const [i, r] of runs.entries()) {
    const ok = played(r);
    const s = stats(ok.map(late).filter(Number.isFinite));
    const a = stats(
      ok.map((t) => Math.abs(t.audioStartAt - (t.firstOutput ?? Number.NaN))).filter(Number.isFinite),
    );
    p99s.push(s.p99);
    gaps.push(a.p99);
    out.push(
      `| ${i + 1} | ${ok.length} / ${r.entries} | ${f1(s.p50)} / ${f1(s.p95)} / ${f1(s.p99)} / ${f1(s.max)} | ${f1(a.p50)} / ${f1(a.p99)} / ${f1(a.max)} | ${verdict(s.p99, GOAL_MS)} |`,
    );
  }
  const pooled = runs.flatMap(played);
  const p = stats(pooled.map(late).filter(Number.isFinite));
  const m = median(p99s);
  const g = median(gaps);
  out.push(
    `| all ${pooled.length} | | ${f1(p.p50)} / ${f1(p.p95)} / ${f1(p.p99)} / ${f1(p.max)} | | **median of the runs' p99: ${f1(m)} ms, ${verdict(m, GOAL_MS)}** |`,
  );
  out.push('');
  out.push('<!-- summary -->');
  out.push(
    `Slot timing, goals: first sample p99 within ${GOAL_MS} ms of the instant, back-to-back entries included: **${verdict(m, GOAL_MS)}** ` +
      `(${f1(m)} ms); as-run \`audioStartAt\` within ${AS_RUN_GOAL_MS} ms of the measured first sample: ` +
      `**${verdict(g, AS_RUN_GOAL_MS)}** (median of the runs' p99 ${f1(g)} ms).`,
  );
  out.push('<!-- /summary -->');
  out.push('');
  out.push('Where the time goes (ms over all runs):');
  out.push('');
  out.push('| step | median | p99 | max |');
  out.push('| --- | --- | --- | --- |');
  const step = (name: string, f: (t: Timing) => number, xs = pooled) => {
    const s = stats(xs.map(f).filter(Number.isFinite));
    out.push(`| ${name} | ${f1(s.p50)} | ${f1(s.p99)} | ${f1(s.max)} |`);
  };
  step('relay on, after its time (scheduled - warm-up)', (t) => t.relayOn - (t.scheduled - WARM_UP_MS));
  step('player started ahead -> ready (ffmpeg start, probe, first frames)', (t) => t.ready - t.prepared);
  step('player ready, before the instant', (t) => t.scheduled - t.ready);
  step('player released, after the instant (the wait to it)', (t) => t.released - t.scheduled);
  step('released -> first sample in the output', (t) => (t.firstOutput ?? Number.NaN) - t.released);
  step('total: first sample - scheduled', late);
  // where the late entries lost their time: the two steps between the instant and the first sample
  const worst = [...pooled]
    .sort((a, b) => late(b) - late(a))
    .slice(0, Math.max(1, Math.ceil(pooled.length / 50)));
  const timer = median(worst.map((t) => t.released - t.scheduled));
  const output = median(worst.map((t) => (t.firstOutput ?? Number.NaN) - t.released));
  const readyLate = worst.filter((t) => t.ready > t.scheduled).length;
  out.push(
    '',
    `The latest ${worst.length} entries (the p98 and beyond): released ${f1(timer)} ms after the instant ` +
      `(median), then ${f1(output)} ms to the first sample in the file; ${readyLate} of them had a player not yet ` +
      'ready at the instant.',
  );
  out.push('', ...releaseCauses(pooled, worst), '', ...stampCauses(pooled));
  const tight = pooled.filter((t) => t.noGap);
  if (tight.length) {
    const s = stats(tight.map(late).filter(Number.isFinite));
    const rl = stats(tight.map((t) => t.relayOn - (t.scheduled - WARM_UP_MS)));
    out.push('');
    out.push(
      `Entries right after the previous one, no gap (${tight.length}): first sample - scheduled p50 ${f1(s.p50)}, ` +
        `max ${f1(s.max)} ms; their relay went on ${f1(rl.p50)} ms (median) after its time (the one before ` +
        `switches off at the end of its tail, which is measured from its own, computed, last sample).`,
    );
  }
  const notPlayed = runs.flatMap((r) => r.timings.filter((t) => t.outcome !== 'played'));
  if (notPlayed.length)
    out.push('', `Not played: ${notPlayed.map((t) => `${t.id} (${t.outcome})`).join(', ')}.`);
  return out.join('\n');
}

runBench(main);
