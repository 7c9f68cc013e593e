// Two agents, same entries: how far apart their first samples reach their audio outputs. Two agent processes
// (support/skew-agent.ts: the real runner, clip cache, ffmpeg player and a simulated relay), one with its wall
// clock 5 ms ahead of the other's (two stations whose clocks are within 5 ms), play the same 50 entries of a
// compressed day; an inotify watcher in its own thread notes when each entry's wav file appears in each
// agent's output folder. Prints a Markdown section.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toneClip } from '../audio/fixtures.ts';
import { tempDir } from '../support/temp.ts';
import { log, median, runBench } from './support/bench.ts';
import type { SkewJob } from './support/skew-agent.ts';
import { loadTracker, realisticDay, watchOutputs } from './support/slot-timing.ts';

const RUNS = Number(process.env.BENCH_SKEW_RUNS ?? 3);
const ENTRIES = 50;
const OFFSET_MS = 5;
const WARM_UP_MS = 2000;
const TAIL_MS = 1000;
const GOAL_MS = 20;
const AGENT = join(import.meta.dirname, 'support', 'skew-agent.ts');

interface AgentResult {
  records: { entryId: string; outcome: string }[];
  problems: string[];
}

function runAgent(jobFile: string): Promise<AgentResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', AGENT, jobFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    p.once('close', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1) as string))
        : reject(new Error(`agent exit ${code}`)),
    );
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number) : Number.NaN;
};
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');

interface Run {
  skews: number[];
  played: [number, number];
  problems: string[];
}

async function oneRun(run: number): Promise<Run> {
  const tmp = tempDir('skew');
  const clips = [1500, 2000, 2500].map((ms, i) => toneClip(tmp.dir, `clip-${i}`, ms / 1000, 440 + 110 * i));
  const clipFiles = clips.map((c) => {
    const file = join(tmp.dir, `${c.ref.id}.src`);
    writeFileSync(file, c.bytes);
    return { ref: c.ref, file };
  });
  // the first entry is taken in hand 10 s before its warm-up: the agents have about 15 s to start
  const day = realisticDay(
    Date.now() + 30_000,
    clips.map((c) => c.ref),
    WARM_UP_MS,
    TAIL_MS,
    5,
  ).slice(0, ENTRIES);
  const agents = [0, OFFSET_MS].map((offsetMs, i) => {
    const job: SkewJob = {
      dataDir: join(tmp.dir, `agent-${i}`),
      outDir: join(tmp.dir, `speaker-${i}`),
      offsetMs,
      warmUpMs: WARM_UP_MS,
      tailMs: TAIL_MS,
      clips: clipFiles,
      day: day.map((e) => ({ id: e.id, clipId: e.clip.id, startMs: e.startMs })),
    };
    const file = join(tmp.dir, `job-${i}.json`);
    writeFileSync(file, JSON.stringify(job));
    return { job, file, watcher: watchOutputs(job.outDir) };
  });
  await Promise.all(agents.map((a) => a.watcher.ready));
  const spanS = ((day.at(-1)?.startMs ?? 0) - (day[0]?.startMs ?? 0)) / 1000;
  log(`run ${run + 1}: two agents, ${day.length} entries over ${spanS.toFixed(0)} s`);
  const results = await Promise.all(agents.map((a) => runAgent(a.file)));
  const seen = await Promise.all(agents.map(async (a) => (await a.watcher.stop()).created));
  tmp.cleanup();
  const [a, b] = seen as [Map<string, number>, Map<string, number>];
  const skews: number[] = [];
  for (const [name, at] of a) {
    const other = b.get(name);
    if (other !== undefined) skews.push(Math.abs(at - other));
  }
  const playedOf = (r: AgentResult) => r.records.filter((x) => x.outcome === 'played').length;
  return {
    skews,
    played: [playedOf(results[0] as AgentResult), playedOf(results[1] as AgentResult)],
    problems: results.flatMap((r) => r.problems).slice(0, 5),
  };
}

async function main(): Promise<void> {
  const load = loadTracker();
  const runs: Run[] = [];
  for (let r = 0; r < RUNS; r++) runs.push(await oneRun(r));
  const out: string[] = [];
  out.push('## Two agents, same entries: first-sample skew');
  out.push('');
  out.push(
    `Two agent processes on this machine (\`test/bench/support/skew-agent.ts\`: the real runner, clip cache and ` +
      `ffmpeg player with \`file:DIR\` output, a simulated relay), one with its wall clock ${OFFSET_MS} ms ahead of ` +
      `the other's (two stations whose clocks are within ${OFFSET_MS} ms of each other), play the same ${ENTRIES} ` +
      `entries of a compressed day (clips of 1.5-2.5 s, gaps of 0-3 s, warm-up ${WARM_UP_MS} ms and tail ` +
      `${TAIL_MS} ms as on a station). "First sample" is when the entry's wav file appears in each agent's output ` +
      `folder, seen by an inotify watcher in its own thread. ${runs.length} runs; the skew is |A - B| per entry, ` +
      `and includes the ${OFFSET_MS} ms between the clocks.`,
  );
  out.push('');
  out.push('| run | entries played (A / B) | skew (ms): p50 / p95 / p99 / max | goal: p99 within 20 ms |');
  out.push('| --- | --- | --- | --- |');
  const p99s: number[] = [];
  for (const [i, r] of runs.entries()) {
    const p99 = pct(r.skews, 99);
    p99s.push(p99);
    out.push(
      `| ${i + 1} | ${r.played[0]} / ${r.played[1]} | ${f1(pct(r.skews, 50))} / ${f1(pct(r.skews, 95))} / ${f1(p99)} / ${f1(pct(r.skews, 100))} | ${p99 <= GOAL_MS ? 'met' : 'missed'} |`,
    );
  }
  const m = median(p99s);
  out.push('');
  out.push('<!-- summary -->');
  out.push(
    `Two agents, same entry, clocks ${OFFSET_MS} ms apart: first-sample skew p99 **${f1(m)} ms** (median of ` +
      `${runs.length} runs of ${ENTRIES} entries; goal ${GOAL_MS} ms): **${m <= GOAL_MS ? 'met' : 'missed'}**.`,
  );
  out.push('<!-- /summary -->');
  const problems = runs.flatMap((r) => r.problems);
  if (problems.length) out.push('', `Agents' warnings: ${problems.slice(0, 5).join(' | ')}`);
  out.push('', load.note());
  console.log(out.join('\n'));
}

runBench(main);
