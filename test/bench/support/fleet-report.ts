// The fleet benchmark's Markdown: two tables per run (reach and fan-out, bulletin; storm, ingest, memory),
// goals beside, and what each phase reached when it did not finish.

import { mb, median, sec } from './bench.ts';
import type { EmergencyRun, Marks } from './fleet-phases.ts';

export type BrokerKind = 'aedes' | 'aedes-indexed' | 'aedes-process' | 'mosquitto';

export interface Row {
  broker: BrokerKind;
  n: number;
  connect: { ms: number | null; marks: Marks; online: number };
  restMb: number;
  connectedMb: number;
  brokerMb: number | null;
  fleetMb: number;
  /** Stations online after the connect phase: what the later phases count on. */
  population: number;
  fanout: { ms: number[]; ctlMs: number[] };
  alerts: EmergencyRun[];
  /** cpu: share of one core used during the phase by the controller, the broker process and the simulator. */
  asRun: {
    perSec: number | null;
    stored: number;
    total: number;
    cpu?: { controller: number; broker: number | null; sim: number } | null;
  };
  /** ctlSeen: stations the controller saw back and in sync when the wait ended. */
  storm: {
    downMs: number | null;
    ms: number | null;
    ctlMs: number | null;
    marks: Marks;
    online: number;
    ctlSeen?: number;
  };
  notes: string[];
}

const BROKER_NAME: Record<BrokerKind, string> = {
  aedes: 'aedes in the controller',
  'aedes-indexed': 'aedes in the controller, retained index',
  'aedes-process': 'aedes, own process',
  mosquitto: 'Mosquitto 2.0.11',
};

const marks = (m: Marks, n: number) =>
  m.map(([s, c]) => `${c.toLocaleString('en')} at ${s} s`).join(', ') || `${n}`;
/** A time, or what was reached instead. */
const timeOr = (ms: number | null, reached: string) => (ms === null ? `not reached: ${reached}` : sec(ms));
const runs = (xs: (number | null)[], limitMs: number) => {
  const done = xs.filter((x): x is number => x !== null);
  if (!xs.length) return '-';
  const all = xs.map((x) => (x === null ? `>${sec(limitMs)}` : sec(x))).join(', ');
  return done.length === xs.length
    ? `${sec(median(done))} [${all}]`
    : `not reached in ${xs.length - done.length} of ${xs.length} [${all}]`;
};
const met = (ok: boolean) => (ok ? 'met' : 'missed');
/** Megabytes, or '-' when a row (pieced together from a log) has no figure. */
const mbOr = (x: number | null) => (x === null || !Number.isFinite(x) ? '-' : mb(x * 2 ** 20));

export function printFleet(
  rows: Row[],
  o: {
    haveMosquitto: boolean;
    crashes: string[];
    /** When the run started; null for a report pieced together from logged rows (then `runs` says which). */
    started: Date | null;
    runs?: string;
    limits: { connectMs: number; alertMs: number; asRunMs: number; stormMs: number };
    alertClipMs: number;
  },
): string {
  const out: string[] = [];
  out.push(
    '## Fleet over MQTT: aedes (in the controller, with a retained index, in its own process) and Mosquitto 2.0.11',
  );
  out.push('');
  out.push(
    "N simulated stations (`scripts/sim`: the agent's MQTT protocol, own credentials, last will, the agent's " +
      'reconnect backoff of 5 s doubling to 120 s with full jitter, bulletin topics and states) in 2 worker ' +
      'processes, against the controller core with its HTTP API (`scripts/sim/controller.ts`: SQLite, desired-state ' +
      'sync, MQTT link, `createApp` on 127.0.0.1) in the benchmark process. Four brokers: **aedes in the ' +
      'controller** (its process and thread, as `npm run controller` runs it); the same with a **retained ' +
      'index** (`scripts/sim/retained-index.ts`, a prototype patched into aedes-persistence: a SUBSCRIBE reads ' +
      "its topic or its parent's bucket instead of testing every retained message); **aedes in its own process** " +
      '(`scripts/sim/broker.ts`: the same `startBroker`, logins and ACL on the same database, reached by the ' +
      'controller like an external broker, as `MQTT_URL` would), and **Mosquitto** (generated password, ACL and ' +
      'config files plus `max_queued_messages 0`). aedes has its per-address connection limit lifted (all ' +
      "stations come from 127.0.0.1). Everything shares the machine's 2 cores.",
  );
  out.push('');
  out.push(
    '| broker | N | connect at 1000/s: all online + applied (s) | fan-out: all applied (s), median [runs] (goal 5 s) | fan-out: controller sees all in sync (s) | emergency: API answer (ms), median | emergency: 99% started at the controller (s), median [runs] (goal 2 s) | emergency: 100% (s), median | emergency: 99% started at the stations (s) |',
  );
  out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const connect = timeOr(r.connect.ms, `${marks(r.connect.marks, r.connect.online)} online`);
    const a = r.alerts;
    out.push(
      `| ${BROKER_NAME[r.broker]} | ${r.n} | ${connect} | ${runs(r.fanout.ms, 60_000)} | ${runs(r.fanout.ctlMs, 60_000)} | ${a.length ? Math.round(median(a.map((x) => x.apiMs))) : '-'} | ${runs(
        a.map((x) => x.p99Ms),
        o.limits.alertMs,
      )} | ${runs(
        a.map((x) => x.allMs),
        o.limits.alertMs,
      )} | ${runs(
        a.map((x) => x.sentP99Ms),
        o.limits.alertMs,
      )} |`,
    );
  }
  out.push('');
  out.push(
    '| broker | N | storm: broker down (s) | storm: all back online + in sync (s) (goal 60 s at 10,000) | storm: controller sees all (s) | as-run stored/s (stored / sent) (goal 20,000/s, none lost) | controller RSS at rest / N connected (MB) (goal < 1 GB) | broker process RSS (MB) | sim RSS (MB) |',
  );
  out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const s = r.storm;
    const back = timeOr(s.ms, `${marks(s.marks, s.online)} back`);
    const ingest = r.asRun.perSec === null ? '-' : Math.round(r.asRun.perSec).toLocaleString('en');
    const c = r.asRun.cpu;
    const pc = (x: number) => `${Math.round(x * 100)}%`;
    const cpu = c
      ? `; CPU: controller ${pc(c.controller)}${c.broker === null ? '' : `, broker ${pc(c.broker)}`}, simulator ${pc(c.sim)}`
      : '';
    out.push(
      `| ${BROKER_NAME[r.broker]} | ${r.n} | ${s.downMs === null ? '-' : sec(s.downMs)} | ${back} | ${s.ctlMs === null ? `not reached${s.ctlSeen === undefined ? '' : `: ${s.ctlSeen.toLocaleString('en')} seen`}` : sec(s.ctlMs)} | ${ingest} (${r.asRun.stored} / ${r.asRun.total})${cpu} | ${mbOr(r.restMb)} / ${mbOr(r.connectedMb)} | ${r.brokerMb === null ? '- (in the controller)' : mbOr(r.brokerMb)} | ${mbOr(r.fleetMb)} |`,
    );
  }
  out.push('');
  out.push('Fleet goals at 10,000 stations:');
  out.push('');
  for (const r of rows.filter((x) => x.n === 10_000)) {
    const fan = r.fanout.ms.length === 3 ? median(r.fanout.ms) : null;
    const alert = r.alerts.map((a) => a.p99Ms);
    const alertMed = alert.every((x) => x !== null) && alert.length ? median(alert as number[]) : null;
    const parts = [
      `storm ${s(r.storm.ms)} (60 s: ${r.storm.ms === null ? 'missed' : met(r.storm.ms <= 60_000)})`,
      `fan-out ${s(fan)} (5 s: ${fan === null ? 'missed' : met(fan <= 5000)})`,
      `emergency 99% started ${s(alertMed)} (2 s: ${alertMed === null ? 'missed' : met(alertMed <= 2000)})`,
      `as-run ${r.asRun.perSec === null ? '-' : Math.round(r.asRun.perSec).toLocaleString('en')}/s with ${r.asRun.total - r.asRun.stored} not stored (20,000/s: ${met((r.asRun.perSec ?? 0) >= 20_000 && r.asRun.stored === r.asRun.total)})`,
      Number.isFinite(r.connectedMb ?? Number.NaN)
        ? `controller memory ${mbOr(r.connectedMb)} MB (1 GB: ${met(r.connectedMb < 1024)})`
        : 'controller memory not logged',
    ];
    out.push(`- ${BROKER_NAME[r.broker]}: ${parts.join('; ')}.`);
  }
  out.push('');
  for (const c of new Set(o.crashes))
    out.push(`- uncaught in the benchmark process (a broker or link shutting down): ${c}`);
  if (!o.haveMosquitto) out.push('- mosquitto was not found: only aedes was measured.');
  for (const r of rows) for (const x of r.notes) out.push(`- ${BROKER_NAME[r.broker]} N=${r.n}: ${x}`);
  out.push('');
  out.push(
    `- connect: the fleet opens 1000 connections/s; timed until every station is online and has applied its ` +
      `retained desired state (at most ${o.limits.connectMs / 1000} s; otherwise the online count at each mark). ` +
      'Later phases count on the stations online then. fan-out: a city-wide quiet window is stored and ' +
      '`desired.sync()` runs (rebuild, hash, publish N desired states), 3 runs. emergency: `POST /api/alerts` ' +
      `(level emergency, target the city, ignoreQuietWindows, an approved ${o.alertClipMs / 1000} s clip) over HTTP, ` +
      "timed from just before the call until the controller's store (`alert_stations`, what `GET /api/alerts/:id` " +
      'shows; counted by SQL every 50 ms) has 99% and 100% of the N target stations `started`; the controller ' +
      'publishes one retained message for the city and every station answers on its `alert-status` topic. A ' +
      'simulated station answers `received` and `started` at once (it has no relay or sound) and `finished` after ' +
      'the clip\'s length; 3 runs. "At the stations" is the 99th percentile of the `at` of their `started` reports ' +
      '(same machine clock), so the difference to the controller column is delivery and ingest of the reports. storm: the broker ' +
      'is stopped, down 1 s and started again (retained messages are lost; the controller republishes desired ' +
      'states and active bulletins when its link is back); timed from the stop, counting the stations online ' +
      'before it. aedes in the controller has every socket dropped at once (as a restart of the controller ' +
      'process does), then `EmbeddedBroker.close()` (waited for at most 10 s) and a new broker on the same port; ' +
      'the aedes process is killed (SIGKILL) and started again (its start-up, about 1.5 s under tsx, is part of ' +
      '"down"); Mosquitto is stopped (SIGTERM) and started again. as-run: about 100,000 records from all N stations ' +
      '(one offline keeps its records until it is back), batches of up to 100, QoS 1, until every record is ' +
      'acknowledged; stored counts rows new in `plays`; CPU is the share of one core each used during the phase ' +
      "(the controller's process includes aedes when it runs there; 2 cores in all). One storm and one ingest " +
      'run per row.',
  );
  out.push(
    "- Controller RSS is the benchmark process's: the controller core with its HTTP API (and aedes, when it " +
      'runs there), measured after a GC. Memory is not given back to the system between rows, so only the ' +
      'first row of each run (process) is a clean figure; compare "at rest" with "N connected" within a row.',
  );
  out.push(
    o.started
      ? `- Started ${o.started.toISOString()}.`
      : `- Rows from several runs: ${o.runs ?? 'see the logs'}.`,
  );
  return out.join('\n');

  function s(ms: number | null): string {
    return ms === null ? 'not reached' : `${sec(ms)} s`;
  }
}
