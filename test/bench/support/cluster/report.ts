// The cluster benchmark's Markdown: a row per broker (three RabbitMQ nodes, one Mosquitto), goals and
// verdicts in the `<!-- summary -->` block, and for each miss the CPU of each process and the load.
import { readFileSync } from 'node:fs';
import { median, sec } from '../bench.ts';
import type { CallbackCounts, SubscribeProbe } from './brokers.ts';
import type { KillRun, NationalRun } from './phases.ts';

export interface ClusterRow {
  broker: string;
  /** Stations per province, and provinces. */
  n: number;
  provinces: number;
  auth: string;
  /** `hellos`: sent by the stations (after each connect's subscriptions were granted, and to roll calls). */
  connect: { ms: number | null; online: number; nodes: number[]; hellos?: number };
  national: NationalRun[];
  kill: KillRun | null;
  storm: {
    downMs: number;
    ms: number | null;
    ctlMs: number | null;
    online: number;
    inSync: number;
    bumped: boolean;
  };
  /** Cores used by each process during each phase (CPU ms / wall ms). */
  cpu: Record<string, Record<string, number>>;
  load: number[];
  notes: string[];
  /** RabbitMQ rows: one SUBSCRIBE's wait at the first node after the connect phase, and the auth callback's
   * counts after the connect phase and at the end. */
  probe?: { idle: SubscribeProbe | null; loaded: SubscribeProbe | null };
  callback?: { connect: CallbackCounts | null; end: CallbackCounts | null };
  /** RabbitMQ rows: what the nodes logged over the row, counted. */
  nodeEvents?: Record<string, number>;
}

export const GOALS = { nationalMs: 3000, killMs: 60_000, stormMs: 60_000 };

const s = (ms: number | null | undefined) => (ms === null || ms === undefined ? '—' : `${sec(ms)} s`);
const ok = (v: boolean | null) => (v === null ? 'not measured' : v ? '**met**' : '**missed**');

function nationalMedian(r: ClusterRow): number | null {
  const xs = r.national.map((x) => x.p99Ms);
  return xs.length && !xs.includes(null) ? median(xs as number[]) : null;
}

function cpuLine(cpu: Record<string, number> | undefined): string {
  if (!cpu) return '—';
  return Object.entries(cpu)
    .sort(([, a], [, b]) => b - a)
    .map(([k, v]) => `${k} ${v.toFixed(2)}`)
    .join(', ');
}

export function printCluster(rows: ClusterRow[], o: { started: Date; runs: string }): string {
  const out: string[] = ['## Provinces on a broker cluster (three RabbitMQ nodes) beside one Mosquitto', ''];
  out.push(
    `${rows[0]?.provinces ?? 2} provinces of simulated stations (the sizes are in the rows; protocol v2: \`loa/v2/<province>\`, login \`<id>@<province>\`, hello on every connect), each province's controller in a process of its own with its own SQLite file; ${o.runs}. Run ${o.started.toISOString()}.`,
    '',
    '<!-- summary -->',
    '### Cluster: national emergency, a node killed, whole-cluster restart',
    '',
    '| broker | stations | national emergency to 99% `started` (median of runs; goal ≤ 3 s) | node killed: its stations back and reported (goal ≤ 60 s) | as-run lost / twice (goal 0 / 0) | restart storm: all online and in sync, from when the brokers are back (goal ≤ 60 s) |',
    '|---|---|---|---|---|---|',
  );
  for (const r of rows) {
    const nat = nationalMedian(r);
    const k = r.kill;
    const killCell =
      k?.onNode === 0
        ? 'not measured: no station was on the node when it was killed'
        : k
          ? `${s(k.reportedP100Ms)} for ${k.reported} of ${k.onNode} (moved: ${s(k.movedP100Ms)}): ${ok(k.reportedP100Ms !== null && k.reportedP100Ms <= GOALS.killMs)}`
          : r.broker.startsWith('RabbitMQ')
            ? 'not reached'
            : 'n/a (one broker)';
    // Lost: sent, neither stored nor still held by its station for sending again.
    const held = k?.asRun.pending ?? 0;
    const lostN = k ? k.asRun.sent - k.asRun.distinct - held : 0;
    const counted = k?.asRun.pending !== undefined;
    const lost = !k
      ? '—'
      : !counted
        ? `${k.asRun.sent} sent, ${k.asRun.stored} stored (those held by the stations not counted in this row)`
        : `${lostN} / ${k.asRun.stored - k.asRun.distinct}${held ? ` (${k.asRun.stored ? '' : 'none stored yet: '}${held} not yet acknowledged, held by the stations to send again)` : ''}`;
    const lostOk = k && counted ? ok(lostN === 0 && k.asRun.stored === k.asRun.distinct) : '';
    out.push(
      `| ${r.broker} (${r.auth}) | ${r.provinces} × ${r.n} | ${s(nat)} (${r.national.map((x) => s(x.p99Ms)).join(', ')}): ${ok(nat === null ? false : nat <= GOALS.nationalMs)} | ${killCell} | ${lost} ${lostOk} | ${s(r.storm.ms)} (${r.storm.inSync} of ${r.n * r.provinces} in sync at the controllers by ${s(r.storm.ctlMs)}): ${ok(r.storm.ms !== null && r.storm.ms <= GOALS.stormMs)} |`,
    );
  }
  const misses = rows.flatMap((r) => {
    const m: string[] = [];
    const nat = nationalMedian(r);
    const load = r.load.length
      ? `load average ${Math.min(...r.load).toFixed(1)} to ${Math.max(...r.load).toFixed(1)} (median ${median(r.load).toFixed(1)}) over the row`
      : '';
    if (nat === null || nat > GOALS.nationalMs)
      m.push(`${r.broker}, national emergency: cores used ${cpuLine(r.cpu.national)}; ${load}`);
    if (r.kill?.onNode && (r.kill.reportedP100Ms === null || r.kill.reportedP100Ms > GOALS.killMs))
      m.push(`${r.broker}, node killed: cores used ${cpuLine(r.cpu.kill)}; ${load}`);
    if (r.storm.ms === null || r.storm.ms > GOALS.stormMs)
      m.push(`${r.broker}, storm: cores used ${cpuLine(r.cpu.storm)}; ${load}`);
    return m;
  });
  if (misses.length)
    out.push(
      '',
      'Measured around each miss (cores = CPU time / wall time of that phase):',
      ...misses.map((x) => `- ${x}`),
    );
  out.push('<!-- /summary -->', '', '### Details', '');
  for (const r of rows) {
    out.push(`**${r.broker}** (${r.auth}):`, '');
    out.push(
      `- connect: ${s(r.connect.ms)} for ${r.connect.online} online with their desired state; per broker node ${r.connect.nodes.join(' / ')}${r.connect.hellos === undefined ? '' : `; ${r.connect.hellos} hellos sent (one after each connect whose subscriptions were granted, and one per roll call heard)`}`,
    );
    for (const [i, x] of r.national.entries())
      out.push(
        `- national emergency run ${i + 1}: national API ${s(x.apiMs)}; ${x.provinces.map((p) => `${p.id} bulletin made there ${s(p.madeMs)}, 99% at its store ${s(p.p99Ms)} (stations' own clocks ${s(p.sentP99Ms)}, ${p.reached} started)`).join('; ')}`,
      );
    if (r.kill) {
      const k = r.kill;
      out.push(
        `- node killed 200 ms after the call: ${k.onNode} stations on it; ${k.moved} back on another node (all by ${s(k.movedP100Ms)}), ${k.reported} with the bulletin's state at their controller (all by ${s(k.reportedP100Ms)}); the bulletin itself: ${k.run.provinces.map((p) => `${p.id} 99% ${s(p.p99Ms)}`).join(', ')}; as-run sent ${k.asRun.sent}, stored ${k.asRun.stored} (${k.asRun.distinct} distinct)`,
      );
    }
    out.push(
      `- restart storm: brokers down and up again in ${s(r.storm.downMs)}; ${r.storm.bumped ? 'a new desired version made while they were down; ' : ''}${r.storm.online} online and in sync by ${s(r.storm.ms)} after they were back (stations' view), ${r.storm.inSync} seen in sync by the controllers by ${s(r.storm.ctlMs)}`,
    );
    for (const [when, x] of Object.entries(r.probe ?? {}))
      out.push(
        `- subscriptions taken ${when === 'idle' ? 'before the stations connect' : 'after the connect phase'} (one client at the first node, 10 filters a SUBSCRIBE): ${
          x
            ? `CONNACK ${s(x.connackMs)}, first SUBACK ${s(x.firstMs)}, ${x.subscribed} filters at ${x.perSecond === null ? '—' : Math.round(x.perSecond)}/s`
            : 'the probe could not connect'
        }`,
      );
    for (const [when, c] of Object.entries(r.callback ?? {}))
      if (c)
        out.push(
          `- auth callback by ${when === 'connect' ? 'the end of the connect phase' : 'the end of the row'}: ${Object.entries(
            c.checks,
          )
            .map(([k, v]) => `${k} ${v}`)
            .join(
              ', ',
            )} checks; ${c.forwarded} forwarded to a province (mean wait ${c.forwardMeanMs.toFixed(1)} ms), the rest answered by the router's rules or cache`,
        );
    if (r.nodeEvents)
      out.push(
        `- the nodes logged over the row: ${Object.entries(r.nodeEvents)
          .map(([k, v]) => `${k} ${v}`)
          .join('; ')}`,
      );
    for (const [phase, cpu] of Object.entries(r.cpu)) out.push(`- cores used, ${phase}: ${cpuLine(cpu)}`);
    if (r.load.length)
      out.push(`- load average (1 min, every 10 s): ${r.load.map((l) => l.toFixed(1)).join(', ')}`);
    // a note may carry a node's whole log tail: its first line is the news
    for (const n of r.notes) out.push(`- note: ${(n.split('\n')[0] ?? '').slice(0, 300)}`);
    out.push('');
  }
  return out.join('\n');
}

/** The rows that earlier runs logged on stderr (`… ROW {json}`), in order. */
export function rowsFromLogs(files: string[]): ClusterRow[] {
  const rows: ClusterRow[] = [];
  for (const file of files)
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const m = / ROW (\{.*\})$/.exec(line);
      if (m) rows.push(JSON.parse(m[1] as string) as ClusterRow);
    }
  return rows;
}
