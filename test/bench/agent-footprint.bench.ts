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
import { importCosts } from './support/import-cost.ts';
import { loadTracker } from './support/slot-timing.ts';

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
  /** Process start to the week armed (the relays were driven off before anything else). */
  coldMs: number;
  rssKb: number;
  /** After the station page's first request (it is loaded then, and kept). */
  pageRssKb: number;
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
  const spawnedAt = Date.now();
  const agent = spawnCollecting(process.execPath, [...nodeArgs, '--config', config], { cwd: ROOT });
  const { child } = agent;
  try {
    const pid = child.pid as number;
    const ready = Date.now() + 60_000;
    // ready by its log (the week armed, the broker connected), not by asking its page: the page is loaded at
    // its first request, and the idle station is measured without it
    const planned = /^(\S+) info \S+ runner: planned v1 \(start\): \d+ entries, (\d+) armed/m;
    while (!(planned.test(agent.output()) && /mqtt: connected/.test(agent.output()))) {
      if (Date.now() > ready || child.exitCode !== null)
        throw new Error(`agent did not get ready:\n${agent.output()}`);
      await sleep(50);
    }
    const [, plannedAt, armedText] = planned.exec(agent.output()) as RegExpExecArray;
    const armed = Number(armedText);
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
    const hwmKb = statusKb(pid, 'VmHWM');
    const s = (await fetch(`http://127.0.0.1:${statusPort}/api/status`).then((r) => r.json())) as {
      next?: [];
    };
    if (!s.next?.length) throw new Error('the status shows nothing armed');
    await sleep(3000);
    const pageRssKb = statusKb(pid, 'VmRSS');
    const coldMs = Date.parse(plannedAt as string) - spawnedAt;
    return { coldMs, rssKb: median(rss), pageRssKb, hwmKb, childKb: childrenRssKb(pid), cpuPct, armed };
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
      ...[
        'edge-agent/cli/main.ts',
        'edge-agent/cli/relay-off.ts',
        '--bundle',
        '--platform=node',
        '--format=esm',
      ],
      ...['--target=node20', '--packages=external', '--splitting', `--outdir=${outDir}`],
      ...['--out-extension:.js=.mjs', '--log-level=warning'],
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
    // what the unit's --no-opt buys, measured in the same run
    ...(flags.includes('--no-opt')
      ? [
          {
            name: `the bundle without \`--no-opt\` (TurboFan on): \`node ${flags.filter((f) => f !== '--no-opt').join(' ')}\``,
            args: [...flags.filter((f) => f !== '--no-opt'), path.join(outDir, 'main.mjs')],
          },
        ]
      : []),
  ];
  const load = loadTracker();
  const broker = await startBroker();
  const rows: string[] = [];
  const deployedRss: number[] = [];
  const deployed: { rss: number; page: number; cold: number; cpu: number }[] = [];
  let costs: { module: string; mb: number }[] = [];
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
      const cold = median(runs.map((r) => r.coldMs));
      const page = median(runs.map((r) => r.pageRssKb)) / MB;
      if (form === forms[1]) deployed.push({ rss, page, cold, cpu });
      rows.push(
        `| ${form.name} | ${runs[0]?.armed} | ${cold.toFixed(0)} | ${rss.toFixed(1)} | ${page.toFixed(1)} | ${(median(runs.map((r) => r.hwmKb)) / MB).toFixed(1)} | ${kids.toFixed(1)} | ${cpu.toFixed(3)} | ${runs.map((r) => `${(r.rssKb / MB).toFixed(0)} MB / ${r.cpuPct.toFixed(3)} %`).join(', ')} |`,
      );
      verdicts.push(
        `${form.name}: RSS ${rss <= 60 ? 'meets' : 'misses'} the 60 MB goal (${rss.toFixed(1)} MB${kids > 0 ? `, plus ${kids.toFixed(1)} MB in child processes` : ''}); idle CPU ${cpu < 0.5 ? 'meets' : 'misses'} the 0.5 % goal (${cpu.toFixed(3)} %).`,
      );
    }
    const bare = (await baselineKb(flags)) / MB;
    rows.push(
      `| baseline: bare \`node ${flags.join(' ')}\` with an empty timer, no agent | - | - | ${bare.toFixed(1)} | - | - | - | - | - |`,
    );
    verdicts.push(
      `Node itself takes ${bare.toFixed(1)} MB here; the deployed agent adds ${(median(deployedRss) / MB - bare).toFixed(1)} MB: the modules it loads (below), its heap and SQLite.`,
    );
    costs = importCosts(flags);
  } finally {
    await broker.close();
    rmSync(outDir, { recursive: true, force: true });
  }
  console.log(`## Edge agent footprint (idle, a week's timetable armed)

The real agent process (simulated relay, \`null\` audio) with ${SLOTS_PER_DAY} slots a day for 7 days
armed (\`horizonHours\` 168: one timer per entry plus the re-plan timers), connected to a
local aedes broker, idle: no entry falls in the window. After ${SETTLE_S} s of settling, RSS is sampled
every ${SAMPLE_MS / 1000} s for ${WINDOW_S} s from \`/proc/PID/status\` (VmRSS; VmHWM is the peak since
start) and CPU is utime+stime from \`/proc/PID/stat\` over the window. ${RUNS} runs per form, each a fresh
process; the table gives medians, then each run.

| form | entries armed | cold start (ms) | RSS idle (MB) | RSS after the page's first request (MB) | peak RSS (MB) | children RSS, largest (MB) | idle CPU (%) | runs (RSS / CPU) |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Goals for a Pi Zero 2 W: RSS at most 60 MB, idle CPU under 0.5 %, cold start (process start to the week
armed, relays driven off first) under 3 s.

${verdicts.map((v) => `- ${v}`).join('\n')}

What each module costs at import, alone (bundled as deployed, imported in a fresh \`node ${flags.join(' ')}\`, RSS
after a GC minus a bare node's; modules share Node's own parts, so the costs overlap and do not add up).
The agent loads zod, mqtt, better-sqlite3 and the agent's code at start; hono, @hono/node-server and
the station page at the page's first request; fluent-ffmpeg at the first transcode; onoff only with
\`gpio: onoff\`; pino only for \`LOG_FORMAT=json\` (the agent logs text); node-schedule no longer (plain timers).
Not in this table, measured in \`1-agent-notes\`: the agent's wall clocks read from Date in the station's zone
(process TZ) rather than Intl.DateTimeFormat, whose ICU locale data cost ~7 MB of mapped pages; mqtt.js's
number cache off (\`writeCache: false\`, 6 MB of heap); the agent's own mqtt/mqtts transport (mqtt.js's
WebSocket one not loaded).

| module | MB at import |
| --- | --- |
${costs.map((c) => `| \`${c.module}\` | ${c.mb.toFixed(1)} |`).join('\n')}

<!-- summary -->
${deployed.map((d) => `Deployed agent, a week armed: idle RSS **${d.rss.toFixed(1)} MB** (goal 60: ${d.rss <= 60 ? 'met' : 'missed'}), ${d.page.toFixed(1)} MB once its page was used; idle CPU **${d.cpu.toFixed(3)} %** (goal 0.5: ${d.cpu < 0.5 ? 'met' : 'missed'}); cold start **${d.cold.toFixed(0)} ms** (goal 3 s: ${d.cold < 3000 ? 'met' : 'missed'}).`).join('\n')}
<!-- /summary -->
- Measured on this machine (see below), not on a Pi: an arm64 Pi runs the same 64-bit V8, so RSS should
  be close; its cores are several times slower, so idle CPU will be higher by about that factor.

${load.note()}`);
}

runBench(main);
