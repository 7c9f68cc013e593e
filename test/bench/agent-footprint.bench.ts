// Footprint of an idle edge agent process with a week's timetable armed: RSS (VmRSS) and CPU (utime+stime) from /proc.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { sleep } from '../../common/sleep.ts';
import { openStore } from '../../edge-agent/state/store.ts';
import { utcToZoned } from '../../schedules/time.ts';
import { cacheClip, desired, slot, startBroker } from '../edge-agent/helpers.ts';
import { writeAgentConfig } from '../support/apps.ts';
import { freePort, ROOT, spawnCollecting } from '../support/process.ts';
import { clipRef } from '../support/records.ts';
import { tempDir } from '../support/temp.ts';
import { median, runBench } from './support/bench.ts';

const root = ROOT;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WINDOW_S = Number(process.env.BENCH_WINDOW_SEC ?? 60);
const SETTLE_S = Number(process.env.BENCH_SETTLE_SEC ?? 10);
const SAMPLE_MS = 5000;
const SLOTS_PER_DAY = 10;
const STATION = 'st-bench';
const TZ = 'Asia/Ho_Chi_Minh';
const MB = 1024;

const clkTck = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
const statusKb = (pid: number, key: string) =>
  Number(
    new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0,
  );
/** utime + stime in clock ticks (fields 14 and 15; the command name in field 2 may hold spaces). */
const cpuTicks = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
};
/** RSS of the direct children (tsx keeps an esbuild service process beside the agent). */
const childrenRssKb = (pid: number) => {
  let kb = 0;
  for (const d of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid)
        kb += statusKb(Number(d), 'VmRSS');
    } catch {}
  }
  return kb;
};

/** The V8 flags the systemd unit starts node with, so the measured form is the deployed one. */
function unitNodeFlags(): string[] {
  const unit = readFileSync(path.join(root, 'deploy/loa-agent.service'), 'utf8');
  const exec = /^ExecStart=(.*)$/m.exec(unit)?.[1]?.trim().split(/\s+/) ?? [];
  const flags: string[] = [];
  for (const t of exec.slice(1)) {
    if (!t.startsWith('--')) break;
    flags.push(t);
  }
  return flags;
}

/** A week of 10 slots a day, none in the next 10 minutes, and its clip already cached. */
function seed(dataDir: string): number {
  const bytes = Buffer.alloc(20_000, 7);
  const clip = clipRef('clip-bench', bytes, 60_000);
  const now = Date.now();
  const day = (offset: number) => utcToZoned(new Date(now + offset * 86_400_000), TZ).date;
  const slots = Array.from({ length: SLOTS_PER_DAY }, (_, k) =>
    slot(
      `slot-${k}`,
      utcToZoned(new Date(now + 10 * 60_000 + k * (86_400_000 / SLOTS_PER_DAY)), TZ).time.slice(0, 5),
      [clip.id],
      { campaignId: null, startDate: day(-1), endDate: day(30), target: { scope: 'station', id: STATION } },
    ),
  );
  const store = openStore(dataDir);
  cacheClip(store, dataDir, clip, bytes);
  store.applyDesired(
    desired(1, {
      issuedAt: new Date(now).toISOString(),
      station: { id: STATION, name: 'Bench', areaPath: ['root', 'd-bench', 'w-bench'], timezone: TZ },
      slots,
      clips: [clip],
    }),
  );
  store.close();
  return slots.length;
}

interface Run {
  rssKb: number;
  hwmKb: number;
  childKb: number;
  cpuPct: number;
  armed: number;
}

async function measure(nodeArgs: string[], broker: { port: number }): Promise<Run> {
  const tmp = tempDir('bench-agent');
  const { dir } = tmp;
  seed(path.join(dir, 'data'));
  const statusPort = await freePort();
  const config = writeAgentConfig(path.join(dir, 'agent.json'), {
    stationId: STATION,
    secret: 'st_bench-secret',
    controllerUrl: 'http://127.0.0.1:9',
    mqttUrl: `mqtt://127.0.0.1:${broker.port}`,
    dataDir: './data',
    audio: 'null',
    horizonHours: 7 * 24,
    agentPort: statusPort,
  });
  const agent = spawnCollecting(process.execPath, [...nodeArgs, '--config', config], { cwd: ROOT });
  const { child } = agent;
  try {
    const pid = child.pid as number;
    const ready = Date.now() + 60_000;
    for (;;) {
      const s = (await fetch(`http://127.0.0.1:${statusPort}/api/status`)
        .then((r) => r.json())
        .catch(() => null)) as { online?: boolean; next?: unknown[] } | null;
      if (s?.online && (s.next?.length ?? 0) > 0) break;
      if (Date.now() > ready || child.exitCode !== null)
        throw new Error(`agent did not get ready:\n${agent.output()}`);
      await sleep(200);
    }
    const armed = Number(/(\d+) armed/.exec(agent.output())?.[1] ?? 0);
    await sleep(SETTLE_S * 1000);
    const t0 = cpuTicks(pid);
    const started = Date.now();
    const rss: number[] = [];
    while (Date.now() - started < WINDOW_S * 1000) {
      rss.push(statusKb(pid, 'VmRSS'));
      await sleep(Math.min(SAMPLE_MS, WINDOW_S * 1000 - (Date.now() - started)));
    }
    const seconds = (Date.now() - started) / 1000;
    const cpuPct = ((cpuTicks(pid) - t0) / clkTck / seconds) * 100;
    return { rssKb: median(rss), hwmKb: statusKb(pid, 'VmHWM'), childKb: childrenRssKb(pid), cpuPct, armed };
  } finally {
    await agent.stop('SIGTERM');
    tmp.cleanup();
  }
}

/** RSS of a bare node process (an empty timer, the same flags): what Node itself costs on this machine. */
async function baselineKb(flags: string[]): Promise<number> {
  const child = spawn(process.execPath, [...flags, '-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  try {
    await sleep(SETTLE_S * 1000);
    const rss: number[] = [];
    for (let i = 0; i < 3; i++, await sleep(1000)) rss.push(statusKb(child.pid as number, 'VmRSS'));
    return median(rss);
  } finally {
    child.kill();
  }
}

async function main(): Promise<void> {
  // The deployed form: the esbuild bundle install-agent.sh builds, started with the unit's V8 flags.
  const outDir = path.join(root, 'test/bench/out/agent-footprint');
  execFileSync(
    path.join(root, 'node_modules/.bin/esbuild'),
    [
      ...['edge-agent/cli/main.ts', '--bundle', '--platform=node', '--format=esm', '--target=node20'],
      ...['--packages=external', `--outdir=${outDir}`, '--out-extension:.js=.mjs', '--log-level=warning'],
    ],
    { cwd: root },
  );
  const flags = unitNodeFlags();
  const forms = [
    {
      name: '`npm run agent` (tsx compiles the TypeScript at start)',
      args: ['--import', 'tsx', 'edge-agent/cli/main.ts'],
    },
    {
      name: `deployed: bundle, \`node ${flags.join(' ')}\``,
      args: [...flags, path.join(outDir, 'main.mjs')],
    },
  ];
  const broker = await startBroker();
  const rows: string[] = [];
  const deployedRss: number[] = [];
  const verdicts: string[] = [];
  try {
    for (const form of forms) {
      const runs: Run[] = [];
      for (let i = 0; i < RUNS; i++) {
        runs.push(await measure(form.args, broker));
        console.error(`${form.name}: run ${i + 1}/${RUNS}: ${JSON.stringify(runs.at(-1))}`);
      }
      const rss = median(runs.map((r) => r.rssKb)) / MB;
      if (form === forms[1]) deployedRss.push(...runs.map((r) => r.rssKb));
      const cpu = median(runs.map((r) => r.cpuPct));
      // tsx's esbuild service process is not always alive when sampled: the largest seen is the honest figure
      const kids = Math.max(...runs.map((r) => r.childKb)) / MB;
      rows.push(
        `| ${form.name} | ${runs[0]?.armed} | ${rss.toFixed(1)} | ${(median(runs.map((r) => r.hwmKb)) / MB).toFixed(1)} | ${kids.toFixed(1)} | ${cpu.toFixed(3)} | ${runs.map((r) => `${(r.rssKb / MB).toFixed(0)} MB / ${r.cpuPct.toFixed(3)} %`).join(', ')} |`,
      );
      verdicts.push(
        `${form.name}: RSS ${rss <= 60 ? 'meets' : 'misses'} the 60 MB goal (${rss.toFixed(1)} MB${kids > 0 ? `, plus ${kids.toFixed(1)} MB in child processes` : ''}); idle CPU ${cpu < 0.5 ? 'meets' : 'misses'} the 0.5 % goal (${cpu.toFixed(3)} %).`,
      );
    }
    const bare = (await baselineKb(flags)) / MB;
    rows.push(
      `| baseline: bare \`node ${flags.join(' ')}\` with an empty timer, no agent | - | ${bare.toFixed(1)} | - | - | - | - |`,
    );
    verdicts.push(
      `Node itself takes ${bare.toFixed(1)} MB here; the deployed agent adds ${(median(deployedRss) / MB - bare).toFixed(1)} MB: the modules it loads (zod, mqtt.js, hono, better-sqlite3, node-schedule), its heap and SQLite, not broken down here.`,
    );
  } finally {
    await broker.close();
    rmSync(outDir, { recursive: true, force: true });
  }
  console.log(`## Edge agent footprint (idle, a week's timetable armed)

The real agent process (simulated relay, \`null\` audio) with ${SLOTS_PER_DAY} slots a day for 7 days
armed (\`horizonHours\` 168: one node-schedule job per entry plus the re-plan jobs), connected to a
local aedes broker, idle: no entry falls in the window. After ${SETTLE_S} s of settling, RSS is sampled
every ${SAMPLE_MS / 1000} s for ${WINDOW_S} s from \`/proc/PID/status\` (VmRSS; VmHWM is the peak since
start) and CPU is utime+stime from \`/proc/PID/stat\` over the window. ${RUNS} runs per form, each a fresh
process; the table gives medians, then each run.

| form | entries armed | RSS (MB) | peak RSS (MB) | children RSS, largest (MB) | idle CPU (%) | runs (RSS / CPU) |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Goals for a Pi Zero 2 W: RSS at most 60 MB, idle CPU under 0.5 %.

${verdicts.map((v) => `- ${v}`).join('\n')}
- Measured on this machine (see below), not on a Pi: an arm64 Pi runs the same 64-bit V8, so RSS should
  be close; its cores are several times slower, so idle CPU will be higher by about that factor.`);
}

runBench(main);
