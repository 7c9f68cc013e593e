// The broker-auth benchmark's load: the mix of checks connecting stations cause, the requesters that send
// it over keep-alive HTTP from a worker thread (open or closed loop), the province's callback and its process.
import { fork } from 'node:child_process';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { silentLogger } from '../../../../common/log.ts';
import {
  type AuthPath,
  type BrokerAuth,
  type BrokerAuthMetrics,
  createBrokerAuth,
} from '../../../../controller/broker-auth/index.ts';
import type { Db } from '../../../../controller/db.ts';
import { cpuMsOf } from '../../../support/process.ts';
import type { ProvinceAnswer, ProvinceMessage } from './province.ts';

export const CONCURRENCY = 50;
export const RUN_MS = 5000;

/** The mix of checks, plain JavaScript given `creds` and `seed`: `check()` answers [path, form]. */
const MIX = `
let s = seed >>> 0;
const rnd = () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const pickOf = (xs) => xs[Math.floor(rnd() * xs.length)];
// 60% of checks are about the 1,000 stations connecting now (answers cached), 40% about any of 10,000
const hot = creds.slice(0, 1000);
const rk = (t) => t.replaceAll('/', '.').replaceAll('+', '*');
function check() {
  const st = rnd() < 0.6 ? pickOf(hot) : pickOf(creds);
  const u = st.id + '@can-tho';
  const R = 'loa/v2/can-tho';
  const r = rnd();
  if (r < 0.1) return ['user', { username: u, password: rnd() < 0.02 ? 'wrong' : st.secret, client_id: 'station-' + u }];
  if (r < 0.2) return ['vhost', { username: u, vhost: '/', ip: '10.1.2.3', tags: '' }];
  if (r < 0.5) {
    const q = 'mqtt-subscription-station-' + u + 'qos1';
    const [resource, name, permission] = pickOf([
      ['exchange', 'amq.topic', 'write'], ['exchange', 'amq.topic', 'read'],
      ['queue', q, 'configure'], ['queue', q, 'write'], ['queue', q, 'read'],
    ]);
    return ['resource', { username: u, vhost: '/', resource, name, permission, tags: '' }];
  }
  const own = (k) => R + '/station/' + st.id + '/' + k;
  const [permission, topic] = rnd() < 0.03
    ? ['read', R + '/station/' + pickOf(creds).id + '/desired']
    : pickOf([
        ['read', own('desired')], ['read', own('as-run/ack')], ['read', R + '/control/roll-call'],
        ...st.areaPath.map((a) => ['read', R + '/alerts/area/' + a + '/+']),
        ['read', R + '/alerts/station/' + st.id + '/+'],
        ['write', own('presence')], ['write', own('health')], ['write', own('as-run')],
        ['write', own('alert-status')], ['write', own('hello')],
      ]);
  return ['topic', { username: u, vhost: '/', resource: 'topic', name: 'amq.topic', permission,
    routing_key: rk(topic), 'variable_map.client_id': 'station-' + u, 'variable_map.username': u,
    'variable_map.vhost': '/', tags: '' }];
}
`;

/** The province's callback as the benchmark measures it: a fresh one has an empty cache. */
export const benchCallback = (db: Db, metrics?: BrokerAuthMetrics): BrokerAuth =>
  createBrokerAuth({
    db,
    clock: { now: () => new Date() },
    log: silentLogger,
    rules: { province: 'can-tho', protocols: ['v1', 'v2'], controllerUsername: 'controller@can-tho' },
    controllerPassword: 'bench-controller',
    cacheMs: 5000,
    metrics,
  });

/** The province's process (province.ts) and its IPC. */
export async function startAuthProvince(dataDir: string, token: string) {
  const child = fork(path.join(import.meta.dirname, 'province.ts'), [dataDir, token], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = () =>
    new Promise<ProvinceAnswer>((resolve, reject) => {
      child.once('message', (m: ProvinceAnswer) => resolve(m));
      child.once('exit', (code) => reject(new Error(`the province's process exited (${code})`)));
    });
  const ready = (await next()) as { url: string };
  return {
    url: ready.url,
    pid: child.pid,
    ask: (m: ProvinceMessage) => {
      const answer = next();
      child.send(m);
      return answer;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

/** The same mix in this thread, for the callback's own figure without HTTP. */
export const mixHere = new Function('creds', 'seed', `${MIX}\nreturn check;`) as (
  creds: unknown[],
  seed: number,
) => () => [AuthPath, Record<string, string>];

/** The requesters, plain JavaScript in a worker thread: keep-alive HTTP, a seeded mix, latencies kept. */
const REQUESTERS = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { base, creds, runMs, concurrency, seed, rate } = workerData;
const target = new URL(base);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
${MIX}
function post(p, form) {
  return new Promise((resolve, reject) => {
    const body = new URLSearchParams(form).toString();
    const req = http.request({ agent, host: target.hostname, port: target.port, method: 'POST',
      path: target.pathname + '/' + p,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
      (res) => { let text = ''; res.setEncoding('utf8'); res.on('data', (d) => (text += d));
        res.on('end', () => resolve([res.statusCode, text])); });
    req.on('error', reject);
    req.end(body);
  });
}
(async () => {
  const lat = [];
  const answers = { allow: 0, deny: 0, other: 0 };
  const end = performance.now() + runMs;
  const started = performance.now();
  // rate > 0: check i is due at started + i / rate (open loop), and its time counts from then, so
  // a server falling behind shows in the latencies; rate 0: each requester sends as soon as answered
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      const [p, form] = check();
      let t0 = performance.now();
      if (rate > 0) {
        const due = started + (next++ * 1000) / rate;
        if (due >= end) break;
        if (due > t0) await new Promise((r) => setTimeout(r, due - t0));
        t0 = due;
      }
      const [status, text] = await post(p, form);
      lat.push(performance.now() - t0);
      if (status === 200 && (text === 'allow' || text === 'deny')) answers[text]++; else answers.other++;
    }
  }));
  const elapsed = performance.now() - started;
  lat.sort((a, b) => a - b);
  const q = (x) => lat[Math.min(lat.length - 1, Math.floor(x * lat.length))];
  parentPort.postMessage({ n: lat.length, rate: lat.length / (elapsed / 1000), p50: q(0.5), p99: q(0.99), max: lat[lat.length - 1], answers });
  agent.destroy();
})();
`;

export interface RunResult {
  n: number;
  rate: number;
  p50: number;
  p99: number;
  max: number;
  answers: { allow: number; deny: number; other: number };
  /** CPU time of the whole process (servers and requesters, every thread) per check, in µs. */
  cpuUs: number;
}

/**
 * `rate`: checks a second offered in all (open loop); 0: as fast as answered (closed loop). `serverPid`: the
 * province's process, whose CPU time counts too.
 */
export function requesters(
  base: string,
  creds: unknown[],
  seed: number,
  rate: number,
  serverPid?: number,
): Promise<RunResult> {
  const cpu = process.cpuUsage();
  const serverCpu = cpuMsOf(serverPid);
  return new Promise((resolve, reject) => {
    const w = new Worker(REQUESTERS, {
      eval: true,
      workerData: { base, creds, runMs: RUN_MS, concurrency: CONCURRENCY, seed, rate },
    });
    w.once('message', (m: Omit<RunResult, 'cpuUs'>) => {
      const used = process.cpuUsage(cpu);
      const server = (cpuMsOf(serverPid) - serverCpu) * 1000;
      void w.terminate().then(() => resolve({ ...m, cpuUs: (used.user + used.system + server) / m.n }));
    });
    w.once('error', reject);
  });
}
