// The fleet benchmark's Markdown: two tables per run (reach and fan-out, bulletin; storm, ingest, memory),
// goals beside, and what each phase reached when it did not finish.

import { mb, median, sec } from './bench.ts';
import { BROKER_NAME, fleetSummary } from './fleet-goals.ts';
import type { EmergencyRun, Marks } from './fleet-phases.ts';

export type BrokerKind = 'aedes' | 'aedes-process' | 'mosquitto';

export interface Row {
  broker: BrokerKind;
  n: number;
  /** The machine's 1-minute load average at each phase's end (other work on the machine shows here). */
  load?: number[];
  connect: { ms: number | null; marks: Marks; online: number };
  restMb: number;
  connectedMb: number;
  brokerMb: number | null;
  fleetMb: number;
  /** Stations online after the connect phase: what the later phases count on. */
  population: number;
  /** syncMs: the controller's own part of each run (`desired.sync()`). */
  fanout: { ms: number[]; ctlMs: number[]; syncMs?: number[] };
  alerts: EmergencyRun[];
  /** cpu: share of one core used during the phase by the controller, the broker process and the simulator. */
  asRun: {
    perSec: number | null;
    stored: number;
    total: number;
    cpu?: { controller: number; broker: number | null; sim: number } | null;
  };
  /**
   * ctlSeen: stations the controller saw back and in sync when the wait ended; cpu: share of one core the
   * controller's process used from the restart until all were back; lagP99Ms: its event-loop lag then.
   */
  storm: {
    downMs: number | null;
    ms: number | null;
    ctlMs: number | null;
    marks: Marks;
    online: number;
    ctlSeen?: number;
    cpu?: number;
    lagP99Ms?: number;
  };
  notes: string[];
}

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
  out.push('## Fleet over MQTT: the embedded aedes broker (as shipped) and Mosquitto 2.0.11, side by side');
  out.push('');
  out.push('<!-- summary -->');
  out.push(fleetSummary(rows));
  out.push('<!-- /summary -->');
  out.push('');
  out.push(
    "N simulated stations (`scripts/sim`: the agent's MQTT protocol, own credentials, last will, the agent's " +
      'reconnect backoff of 5 s doubling to 120 s with full jitter, bulletin topics and states) in 2 worker ' +
      'processes, against the controller core with its HTTP API (`scripts/sim/controller.ts`: SQLite, desired-state ' +
      'sync, the MQTT link, `createApp` on 127.0.0.1) in the benchmark process. Brokers, in the same run: **aedes ' +
      "embedded**, as `npm run controller` runs it (in the controller's process and thread; retained messages " +
      'indexed by topic level, `controller/mqtt/retained.ts`; the controller linked to it in process, ' +
      '`controller/mqtt/local-link.ts`; its bounded close drops every station at once), and **Mosquitto** (generated ' +
      'password, ACL and config files plus `max_queued_messages 0`, the controller over MQTT); on request ' +
      '(`BENCH_FLEET_BROKERS`) aedes in a process of its own (`scripts/sim/broker.ts`). aedes has its ' +
      "per-address connection limit lifted (all stations come from 127.0.0.1). Everything shares the machine's 2 cores.",
  );
  out.push('');
  out.push(
    '| broker | N | connect at 1000/s: all online + applied (s) | fan-out: all applied (s), median [runs] (goal 2 s) | fan-out: controller sees all in sync (s) | emergency: API answer (ms), median | emergency: 99% started at the controller (s), median [runs] (goal 1 s) | emergency: 100% (s), median | emergency: 99% started at the stations (s) |',
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
    '| broker | N | storm: broker down (s) | storm: all back online + in sync (s) (goal 30 s at 10,000) | storm: controller sees all (s) | as-run stored/s (stored / sent) (goal 20,000/s, none lost) | controller RSS at rest / N connected (MB) (goal < 600 MB) | broker process RSS (MB) | sim RSS (MB) |',
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
  for (const c of new Set(o.crashes))
    out.push(`- uncaught in the benchmark process (a broker or link shutting down): ${c}`);
  if (!o.haveMosquitto) out.push('- mosquitto was not found: only aedes was measured.');
  for (const r of rows) for (const x of r.notes) out.push(`- ${BROKER_NAME[r.broker]} N=${r.n}: ${x}`);
  out.push('');
  out.push(
    `- connect: the fleet opens 1000 connections/s; timed until every station is online and has applied its ` +
      `retained desired state (at most ${o.limits.connectMs / 1000} s; otherwise the online count at each mark). ` +
      'Later phases count on the stations online then. fan-out: a city-wide quiet window is stored and ' +
      '`desired.sync()` runs (rebuild, hash, publish N desired states; its own time is the "controller\'s part" of a miss), 3 runs. emergency: `POST /api/alerts` ' +
      `(level emergency, target the city, ignoreQuietWindows, an approved ${o.alertClipMs / 1000} s clip) over HTTP, ` +
      "timed from just before the call until the controller's store (`alert_stations`, what `GET /api/alerts/:id` " +
      'shows; counted by SQL every 50 ms) has 99% and 100% of the N target stations `started`; the controller ' +
      'publishes one retained message for the city and every station answers on its `alert-status` topic. A ' +
      'simulated station answers `received` and `started` at once (it has no relay or sound) and `finished` after ' +
      'the clip\'s length; 3 runs. "At the stations" is the 99th percentile of the `at` of their `started` reports ' +
      '(same machine clock), so the difference to the controller column is delivery and ingest of the reports. storm: the broker ' +
      'is stopped, down 1 s and started again (retained messages are lost; the controller republishes desired ' +
      'states and active bulletins when its link is back); timed from the stop, counting the stations online ' +
      "before it. aedes embedded: the controller's link closed, then `EmbeddedBroker.close()` (it drops every " +
      'station at once, as a restart of the controller process does, and waits for aedes at most 5 s) and a new ' +
      'broker on the same port; the storm also gives the share of a core the controller used and its event-loop ' +
      'lag (p99) from the restart until all were back; ' +
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
}
