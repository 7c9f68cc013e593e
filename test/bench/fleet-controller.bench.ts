// Controller work that grows with the fleet: the timetable compile for every station, and the HTTP
// station list and timetable preview under concurrent users. Prints a Markdown section.

import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { serve } from '@hono/node-server';
import type { StationInfo } from '../../schedules/model.ts';
import { compileTimetable } from '../../schedules/timetable/compile.ts';
import { registerStations } from '../../scripts/sim/fleet.ts';
import { makeController } from '../support/controller.ts';
import { log, median, runBench } from './support/bench.ts';
import { controllerSummary, FILTERED, type HttpRow, USERS } from './support/fleet-controller-report.ts';
import { announcement, clips, localOverrides, rules } from './support/fleet-rules.ts';

const SIZES = (process.env.BENCH_FLEET_N ?? '1000,3000,10000').split(',').map(Number);
const COMPILE_RUNS = 3;
const HTTP_SECONDS = 8;

function compileBench(n: number, withOverrides: boolean): { ms: number[]; entries: number } {
  const stations: StationInfo[] = Array.from({ length: n }, (_, i) => ({
    id: `st-${i}`,
    name: `st ${i}`,
    areaPath: ['root', `d-${Math.floor(i / 100)}`, `w-${i}`],
    timezone: 'Asia/Ho_Chi_Minh',
  }));
  const from = new Date('2026-03-02T00:00:00+07:00');
  const to = new Date(from.getTime() + 7 * 86_400_000);
  const inputs = stations.map((station) => ({
    station,
    ...rules(station),
    clips: withOverrides ? [...clips, announcement] : clips,
    ...(withOverrides ? { overrides: localOverrides(station, from) } : {}),
  }));
  const ms: number[] = [];
  let entries = 0;
  for (let r = 0; r < COMPILE_RUNS; r++) {
    const t0 = performance.now();
    entries = 0;
    for (const input of inputs)
      entries += compileTimetable(input, { from, to, leadMs: 2000, tailMs: 1000 }).length;
    ms.push(performance.now() - t0);
  }
  return { ms, entries };
}

// Users in a worker thread (the other core), each requesting in a loop; latencies in ms.
const loadCode = `
const { parentPort, workerData } = require('node:worker_threads');
const { base, paths, token, users, seconds } = workerData;
const lat = []; let errors = 0; let i = 0;
const end = Date.now() + seconds * 1000;
async function user() {
  while (Date.now() < end) {
    const p = paths[i++ % paths.length];
    const t0 = performance.now();
    try {
      const r = await fetch(base + p, { headers: { authorization: 'Bearer ' + token } });
      await r.arrayBuffer();
      if (!r.ok) errors++;
    } catch { errors++; }
    lat.push(performance.now() - t0);
  }
}
Promise.all(Array.from({ length: users }, user)).then(() => parentPort.postMessage({ lat, errors }));
`;

function load(base: string, paths: string[], token: string): Promise<{ lat: number[]; errors: number }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(loadCode, {
      eval: true,
      workerData: { base, paths, token, users: USERS, seconds: HTTP_SECONDS },
    });
    w.once('message', (m) => {
      void w.terminate();
      resolve(m);
    });
    w.once('error', reject);
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

/** One CSV import of N new stations into the served controller; answers its time in ms. */
async function importBench(ctl: Awaited<ReturnType<typeof makeController>>, n: number): Promise<number> {
  const lines = Array.from({ length: n }, (_, i) => `csv-${i},Cụm loa nhập ${i},st-w${i % n}`);
  const t0 = performance.now();
  const r = await ctl.call('POST', '/api/stations/import', { csv: ['id,name,area', ...lines].join('\n') });
  const ms = performance.now() - t0;
  if (r.status !== 200) throw new Error(`import: ${JSON.stringify(r.body).slice(0, 300)}`);
  log(`import N=${n}: ${ms.toFixed(0)} ms`);
  return ms;
}

async function httpBench(n: number): Promise<HttpRow[]> {
  const ctl = await makeController(undefined, { API_RATE_PER_SEC: '1000000000' });
  // The in-memory capture of published desired states is not needed here.
  ctl.published.push = () => 0;
  try {
    registerStations(ctl.db, n, { prefix: 'st' });
    const now = new Date().toISOString();
    for (const c of clips)
      ctl.db
        .prepare(
          `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at, status)
           VALUES (?, ?, ?, 'opus', ?, ?, ?, ?, 'approved')`,
        )
        .run(c.id, c.id, `${c.id}.opus`, c.sha256, c.bytes, c.durationMs, now);
    const today = new Date().toISOString().slice(0, 10);
    const sample = rules({
      id: 'st-000000',
      name: 'x',
      areaPath: ['st-root', 'st-d0', 'st-w0'],
      timezone: 'Asia/Ho_Chi_Minh',
    });
    const dated = { startDate: today, endDate: '2099-12-31' };
    for (const s of sample.slots) {
      const { campaignId: _c, ...body } = s;
      const r = await ctl.call('POST', '/api/slots', { ...body, ...dated });
      if (r.status !== 201) throw new Error(`slot: ${JSON.stringify(r.body)}`);
    }
    for (const q of sample.quietWindows) {
      const r = await ctl.call('POST', '/api/quiet-windows', { ...q, ...dated });
      if (r.status !== 201) throw new Error(`quiet window: ${JSON.stringify(r.body)}`);
    }
    const server = serve({ fetch: ctl.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const address = server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const ids = Array.from(
      { length: 50 },
      (_, i) => `st-${String(Math.floor((i * n) / 50)).padStart(6, '0')}`,
    );
    const importMs = await importBench(ctl, n);
    const cases: [string, string[]][] = [
      ['GET /api/stations (all N, unpaged as before)', ['/api/stations']],
      ['GET /api/stations first page of 50', ['/api/stations?cursor=&limit=50']],
      [
        FILTERED,
        Array.from(
          { length: 10 },
          (_, d) => `/api/stations?cursor=&limit=50&area=st-d${d}&status=offline&q=st`,
        ),
      ],
      ['GET /api/stations/:id/timetable (7 days)', ids.map((id) => `/api/stations/${id}/timetable`)],
    ];
    const rows: HttpRow[] = [];
    for (const [what, paths] of cases) {
      const one = await fetch(`${base}${paths[0]}`, { headers: { authorization: `Bearer ${ctl.token}` } });
      const bytes = (await one.arrayBuffer()).byteLength;
      if (!one.ok) throw new Error(`${what}: ${one.status}`);
      // one request at a time, in process: the cost of one answer, whatever the queue
      const serial: number[] = [];
      for (let i = 0; i < 60; i++) {
        const t0 = performance.now();
        const r = await ctl.app.request(paths[i % paths.length] as string, {
          headers: { authorization: `Bearer ${ctl.token}` },
        });
        await r.arrayBuffer();
        serial.push(performance.now() - t0);
      }
      const { lat, errors } = await load(base, paths, ctl.token);
      rows.push({
        n,
        what,
        importMs,
        load: os.loadavg()[0] as number,
        serialMs: median(serial),
        rps: lat.length / HTTP_SECONDS,
        p50: pct(lat, 50),
        p99: pct(lat, 99),
        errors,
        bytes,
      });
      log(`http N=${n} ${what}: ${JSON.stringify(rows.at(-1))}`);
    }
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return rows;
  } finally {
    ctl.cleanup();
  }
}

async function main(): Promise<void> {
  const compile: { n: number; overrides: boolean; ms: number[]; entries: number }[] = [];
  for (const n of SIZES) {
    for (const overrides of [false, true]) {
      const r = compileBench(n, overrides);
      compile.push({ n, overrides, ...r });
      log(
        `compile N=${n}${overrides ? ' with overrides' : ''}: ${r.ms.map((x) => x.toFixed(0)).join(', ')} ms, ${r.entries} entries`,
      );
    }
  }
  const http: HttpRow[] = [];
  // BENCH_FLEET_HTTP=0 times only the compile (a quick look while working on the compiler).
  if (process.env.BENCH_FLEET_HTTP !== '0') for (const n of SIZES) http.push(...(await httpBench(n)));

  const out: string[] = [];
  out.push('## Controller at fleet scale: timetable compile and HTTP');
  out.push('');
  out.push('<!-- summary -->');
  out.push(controllerSummary(http));
  out.push('<!-- /summary -->');
  out.push('');
  out.push(
    `Timetable compile: \`compileTimetable\` (schedules/timetable/compile.ts, what the agent and the preview run) ` +
      `for every station, 7 days, each station with 6 slots (3 city-wide, 2 district, 1 flexible ward slot ` +
      `moving inside a 90-minute window) and 3 quiet windows (online classes on weekday mornings and ` +
      `afternoons, a daily national relay); warm-up 2 s and tail 1 s. With overrides, each station also has ` +
      `4 local overrides in the week (a 2-hour local quiet window, one entry skipped, a 30-minute pause, a ` +
      `2-minute local announcement), which the precedence step applies. ${COMPILE_RUNS} runs, one thread.`,
  );
  out.push('');
  out.push(
    '| stations | overrides | entries | total (ms), median [runs] | per station (µs) | goal (10,000 with quiet windows and overrides in < 1 s) |',
  );
  out.push('| --- | --- | --- | --- | --- | --- |');
  for (const c of compile) {
    const m = median(c.ms);
    const goal = c.n === 10_000 && c.overrides ? (m < 1000 ? 'met' : 'missed') : '-';
    out.push(
      `| ${c.n} | ${c.overrides ? '4 a station' : 'none'} | ${c.entries} | ${m.toFixed(0)} [${c.ms.map((x) => x.toFixed(0)).join(', ')}] | ${((m * 1000) / c.n).toFixed(0)} | ${goal} |`,
    );
  }
  out.push('');
  out.push(
    `HTTP: the controller app (makeController: SQLite in a temp dir, the same slots and quiet windows ` +
      `posted through the API) served by \`@hono/node-server\` on 127.0.0.1, per-address rate limit lifted; ` +
      `${USERS} concurrent users in a worker thread, each requesting in a loop for ${HTTP_SECONDS} s, as admin ` +
      `(the whole fleet in scope). The timetable preview cycles over 50 stations.`,
  );
  out.push('');
  out.push(
    '| stations | request | answer (KB) | one at a time (ms) | requests/s | p50 (ms) | p99 (ms) | errors | load | goal (first page p99 < 50 ms) |',
  );
  out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const h of http)
    out.push(
      `| ${h.n} | ${h.what} | ${(h.bytes / 1024).toFixed(0)} | ${h.serialMs.toFixed(1)} | ${h.rps.toFixed(0)} | ${h.p50.toFixed(0)} | ${h.p99.toFixed(0)} | ${h.errors} | ${h.load.toFixed(1)} | ${h.what.includes('first page') ? (h.p99 < 50 ? 'met' : 'missed') : '-'} |`,
    );
  out.push('');
  out.push(
    'CSV import: N more stations (each in its own ward of the tree above) in one `POST /api/stations/import`, ' +
      'the desired state of each computed once (the import reaches only its own stations), one run.',
  );
  out.push('');
  out.push('| stations | import (s) | goal (10,000 in < 30 s) |');
  out.push('| --- | --- | --- |');
  for (const h of http.filter((x, i, all) => all.findIndex((y) => y.n === x.n) === i))
    out.push(
      `| ${h.n} | ${(h.importMs / 1000).toFixed(1)} | ${h.n === 10_000 ? (h.importMs < 30_000 ? 'met' : 'missed') : '-'} |`,
    );
  console.log(out.join('\n'));
}

runBench(main);
