// A fleet worker process: runs a slice of the simulated stations and reports to its parent over IPC.
import type { SimCredential, StationsReport, ToWorker, WorkerStats } from './messages.ts';
import { SimStation } from './station.ts';

const sims: SimStation[] = [];
let opener: NodeJS.Timeout | null = null;

const send = (m: object) => process.send?.(m);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function stats(): WorkerStats {
  const versions: Record<string, number> = {};
  let online = 0;
  let acked = 0;
  let pending = 0;
  let malformed = 0;
  let hellos = 0;
  let rollCalls = 0;
  let asRunSent = 0;
  const nodes: number[] = [];
  const alerts: WorkerStats['alerts'] = {};
  for (const s of sims) {
    for (const [id, state] of s.alerts) {
      const a = alerts[id] ?? { started: 0, finished: 0 };
      alerts[id] = a;
      a.started++;
      if (state === 'finished') a.finished++;
    }
    if (s.online) {
      online++;
      nodes[s.node] = (nodes[s.node] ?? 0) + 1;
    }
    hellos += s.hellos;
    rollCalls += s.rollCalls;
    asRunSent += s.asRunSent;
    versions[s.appliedVersion] = (versions[s.appliedVersion] ?? 0) + 1;
    acked += s.acked;
    pending += s.pending.size;
    malformed += s.malformed;
  }
  return {
    type: 'stats',
    started: sims.length,
    online,
    versions,
    acked,
    pending,
    malformed,
    nodes: Array.from(nodes, (n) => n ?? 0),
    hellos,
    rollCalls,
    asRunSent,
    alerts,
    rssBytes: process.memoryUsage.rss(),
    cpuMs: cpuMs(),
  };
}

const report = (s: SimStation): StationsReport['stations'][number] => ({
  id: s.id,
  online: s.online,
  node: s.node,
  moves: [...s.moves],
  reportedAt: s.reportedAt,
  asRunSent: s.asRunSent,
  pending: s.pending.size,
  appliedVersion: s.appliedVersion,
  alerts: Object.fromEntries(s.alerts),
});

process.on('message', (m: ToWorker) => {
  if (m.type === 'start') {
    // Connections are opened at a bounded rate: a fleet coming up must not look like a flood.
    const queue = [...m.stations];
    let credit = 0;
    const tick = 20;
    opener = setInterval(() => {
      credit += (m.ratePerSec * tick) / 1000;
      while (credit >= 1 && queue.length) {
        credit--;
        const st = queue.shift() as SimCredential;
        const sim = new SimStation({
          urls: m.urls,
          ...st,
          ...(m.province === undefined ? {} : { province: m.province }),
          ...(m.login ? { login: m.login } : {}),
          backoff: m.backoff,
          keepaliveSec: m.keepaliveSec,
        });
        sims.push(sim);
        sim.start();
      }
      if (!queue.length && opener) {
        clearInterval(opener);
        opener = null;
      }
    }, tick);
  } else if (m.type === 'asrun') {
    for (const s of sims) s.sendAsRun(m.perStation, m.batchSize);
  } else if (m.type === 'report') {
    send({ type: 'report', stations: sims.map(report) } satisfies StationsReport);
  } else if (m.type === 'stop') {
    if (opener) clearInterval(opener);
    void Promise.all(sims.map((s) => s.stop())).then(() => {
      send(stats());
      process.exit(0);
    });
  }
});

setInterval(() => send(stats()), 200);
process.on('disconnect', () => process.exit(0));
