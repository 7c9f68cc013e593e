// One real agent and an emergency bulletin with a 60 s clip it does not have: from the API call to the first
// sample in the agent's file audio output, step by step. The controller (embedded broker) and the agent
// (simulated relay, `file:DIR` audio, the default 2 s warm-up) run as separate processes, as in test/e2e; the
// relay goes on as the bulletin arrives, while its clip downloads. Prints a Markdown section.
import path from 'node:path';
import { sleep } from '../../common/sleep.ts';
import { DEFAULT_TAIL_MS, DEFAULT_WARM_UP_MS } from '../../schedules/model.ts';
import { tone } from '../audio/fixtures.ts';
import { startAgentProcess, startControllerProcess, writeAgentConfig } from '../support/apps.ts';
import { freePort, type Proc } from '../support/process.ts';
import { relayJournal } from '../support/records.ts';
import { tempDir } from '../support/temp.ts';
import { PROCESS_POLL_MS, waitFor } from '../support/wait.ts';
import { log, median, runBench } from './support/bench.ts';
import { loadTracker, watchOutputs } from './support/slot-timing.ts';

const RUNS = Number(process.env.BENCH_EMERGENCY_RUNS ?? 5);
const CLIP_S = Number(process.env.BENCH_EMERGENCY_CLIP_S ?? 60);
const GOAL_MS = 2200;
const STATION = { id: 'st-bench', name: 'Đài đo', district: 'd-bench', ward: 'w-bench' };

interface Run {
  apiMs: number;
  receivedMs: number;
  readyMs: number;
  relayOnMs: number;
  firstSampleMs: number;
  /** The station's own times, as the controller shows them (`started`, `sounding`). */
  startedMs: number;
  soundingMs: number;
}

async function main(): Promise<void> {
  const tmp = tempDir('bench-emergency');
  const { dir } = tmp;
  const procs: Proc[] = [];
  try {
    const ctl = await startControllerProcess({ dataDir: path.join(dir, 'controller') });
    procs.push(ctl.proc);
    const { call } = ctl;

    // One clip per run (a different tone each), uploaded and processed before: each bulletin's clip is new
    // to the station, so every run includes its download. Sent as drafts, as an emergency may be.
    const clipIds: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await ctl.upload(
        tone(path.join(dir, `alarm-${i}.mp3`), CLIP_S + i * 0.1),
        `Báo động ${i + 1}`,
      );
      if (r.status !== 201) throw new Error(`upload: ${r.status} ${JSON.stringify(r.body)}`);
      clipIds.push(r.body.id);
    }

    const st = await call('POST', '/api/stations', STATION);
    if (st.status !== 201) throw new Error(`station: ${st.status} ${JSON.stringify(st.body)}`);
    const agentDir = path.join(dir, 'agent');
    const agentPort = await freePort();
    const config = writeAgentConfig(path.join(dir, 'agent.json'), {
      stationId: STATION.id,
      secret: st.body.secret,
      controllerUrl: ctl.api,
      mqttUrl: ctl.mqttUrl,
      dataDir: agentDir,
      audio: `file:${path.join(agentDir, 'speaker')}`,
      agentPort,
      agentHttpsPort: 0,
    });
    const agent = startAgentProcess(config);
    procs.push(agent);
    await waitFor(
      async () => {
        const res = await fetch(`http://127.0.0.1:${agentPort}/api/status`);
        return ((await res.json()) as { desiredVersion: number }).desiredVersion > 0;
      },
      60_000,
      'the agent with its desired state',
      PROCESS_POLL_MS,
    );
    await sleep(2000);

    const load = loadTracker();
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      const watcher = watchOutputs(path.join(agentDir, 'speaker'));
      await watcher.ready;
      const t0 = Date.now();
      const r = await call('POST', '/api/alerts', {
        level: 'emergency',
        title: `Cảnh báo khẩn cấp ${i + 1}`,
        reason: 'benchmark of the emergency path',
        clipId: clipIds[i],
        targets: [{ scope: 'station', id: STATION.id }],
        ignoreQuietWindows: true,
      });
      const apiMs = Date.now() - t0;
      if (r.status !== 201) throw new Error(`alert: ${r.status} ${JSON.stringify(r.body)}`);
      const id = r.body.id as string;
      type Seen = { startedAt: string | null; soundingAt: string | null };
      let seen: Seen | undefined;
      await waitFor(
        async () => {
          seen = (await call('GET', `/api/alerts/${id}`)).body?.stations?.[0] as Seen | undefined;
          return Boolean(seen?.soundingAt);
        },
        60_000,
        `bulletin ${id} sounding`,
        PROCESS_POLL_MS,
      );
      // the rest of the minute's clip is not measured: the bulletin is withdrawn, which cuts it
      const cancel = await call('POST', `/api/alerts/${id}/cancel`, {});
      if (cancel.status >= 300) throw new Error(`cancel: ${cancel.status} ${JSON.stringify(cancel.body)}`);
      await waitFor(
        async () => (await call('GET', `/api/alerts/${id}`)).body?.counts?.cancelled === 1,
        60_000,
        `bulletin ${id} cancelled at the station`,
        PROCESS_POLL_MS,
      );
      const { created } = await watcher.stop();
      const first = [...created].find(([name]) => name.includes(id))?.[1];
      const out = agent.output();
      const at = (re: RegExp) => {
        const m = re.exec(out);
        return m ? Date.parse(m[1] as string) - t0 : Number.NaN;
      };
      const journal = relayJournal(path.join(agentDir, 'relay.jsonl'));
      const on = journal.find((c) => c.on && Date.parse(c.at) >= t0);
      const run: Run = {
        apiMs,
        receivedMs: at(new RegExp(`^(\\S+) info \\S+ bulletin ${id} \\(emergency\\) received`, 'm')),
        readyMs: at(new RegExp(`^(\\S+) info \\S+ clip ${clipIds[i]}: fetched and verified`, 'm')),
        relayOnMs: on ? Date.parse(on.at) - t0 : Number.NaN,
        firstSampleMs: first === undefined ? Number.NaN : first - t0,
        startedMs: seen?.startedAt ? Date.parse(seen.startedAt) - t0 : Number.NaN,
        soundingMs: seen?.soundingAt ? Date.parse(seen.soundingAt) - t0 : Number.NaN,
      };
      runs.push(run);
      log(`run ${i + 1}: ${JSON.stringify(run)}`);
      await sleep(DEFAULT_TAIL_MS + 1000);
    }
    console.log(`${report(runs)}\n\n${load.note()}`);
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    tmp.cleanup();
  }
}

function report(runs: Run[]): string {
  const col = (f: (r: Run) => number) => {
    const xs = runs.map(f);
    return `${Math.round(median(xs.filter(Number.isFinite)))} [${xs.map((x) => (Number.isFinite(x) ? Math.round(x) : '-')).join(', ')}]`;
  };
  const first = median(runs.map((r) => r.firstSampleMs).filter(Number.isFinite));
  const out: string[] = [];
  out.push('## Emergency bulletin at one real agent: API call to first sample');
  out.push('');
  out.push(
    `The controller (\`controller/main.ts\`, embedded broker) and one agent (\`edge-agent/cli/main.ts\`: simulated relay, ` +
      `\`file:DIR\` audio output, the default warm-up of ${DEFAULT_WARM_UP_MS} ms) as separate processes on this machine. ` +
      `Each run sends \`POST /api/alerts\` (emergency, to the station, ignoreQuietWindows) with a ${CLIP_S} s clip the ` +
      `station does not have yet (uploaded before, a draft), then withdraws it once it sounds; times from just before the call, in ms, median ` +
      `[${runs.length} runs]. Received and clip ready are the agent's log lines, relay on its relay journal, first ` +
      `sample the creation of the bulletin's wav file in its speaker folder (an inotify watcher in the benchmark).`,
  );
  out.push('');
  out.push('| step | ms from the API call, median [runs] |');
  out.push('| --- | --- |');
  out.push(`| API answered | ${col((r) => r.apiMs)} |`);
  out.push(`| agent received the bulletin (MQTT) | ${col((r) => r.receivedMs)} |`);
  out.push(
    `| relay on (its journal), warm-up begins while the clip downloads | ${col((r) => r.relayOnMs)} |`,
  );
  out.push(`| \`started\` as the controller shows it (the station's time) | ${col((r) => r.startedMs)} |`);
  out.push(`| its clip fetched and verified (HTTP from the controller) | ${col((r) => r.readyMs)} |`);
  out.push(`| first sample in the audio output | ${col((r) => r.firstSampleMs)} |`);
  out.push(`| \`sounding\` as the controller shows it (the station's time) | ${col((r) => r.soundingMs)} |`);
  out.push('');
  const verdict = first <= GOAL_MS ? 'met' : 'missed';
  out.push('<!-- summary -->');
  out.push(
    `Emergency at one real agent, ${CLIP_S} s clip not yet on the station, ${DEFAULT_WARM_UP_MS} ms warm-up: API call ` +
      `to first sample **${Math.round(first)} ms** (median of ${runs.length}; goal ${GOAL_MS} ms): **${verdict}**. ` +
      `The warm-up (${DEFAULT_WARM_UP_MS} ms from relay on) overlaps the clip's download; the rest is delivery ` +
      `(MQTT), re-planning, and the release of the player started during the warm-up.`,
  );
  out.push('<!-- /summary -->');
  return out.join('\n');
}

runBench(main);
