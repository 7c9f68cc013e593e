// Live speech latency, end to end: from the WebSocket chunk that carries a tone's onset (100 ms WebM/Opus
// chunks pushed as MediaRecorder pushes them) to that onset at a real agent's audio output. The controller is
// a process with its embedded Icecast 2.4 (burst 0, stations let in by the controller's listener check); the
// agent is a process with the `file:` output, which writes PCM at the pace of speakers (up to LEAD_MS ahead,
// as a sound card's buffer takes it). In the same runs an HTTP listener (ffmpeg decoding the mount, with a
// second station's secret) gives the controller's part. 20 runs, each its own session. The browser's part
// (fake microphone to MediaRecorder's chunk) is measured apart in Chromium (support/browser-capture.ts).
// Prints Markdown.
import { execFileSync, spawn } from 'node:child_process';
import { openSync, readdirSync, readSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { type LiveChain, startLiveChain } from '../controller/live/chain.ts';
import { chunksOf, makeWebm, openMic } from '../controller/live/world.ts';
import { waitFor } from '../support/wait.ts';
import { log, median, runBench } from './support/bench.ts';
import { measureCapture } from './support/browser-capture.ts';

const RUNS = Number(process.env.BENCH_LIVE_RUNS ?? 20);
const GOAL = { medianMs: 1000, p95Ms: 1500 };
/** The tone starts this far into the sound: the agent has joined (about 1 s after the first chunk) by then. */
const ONSET_S = 4;
const TIMESLICE_MS = 100;
/** Seconds the browser records: a tone's onset every 2 s, about one per run. */
const CAPTURE_S = 2 * RUNS + 2;
const AGENT = 'st-an-hoa';
const LISTENER = 'st-tan-an';

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1] as number;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 200 ms at 48 kHz: an onset is a loud sample after at least this many quiet ones. */
const QUIET_SAMPLES = 9600;

/**
 * The onsets of the tone in 16-bit PCM (sample indices): over ~3 % of full scale after 200 ms or more
 * under it; `state` carries the quiet count from one piece of a stream to the next.
 */
function onsetsIn(pcm: Buffer, state = { quiet: QUIET_SAMPLES }): number[] {
  const found: number[] = [];
  for (let i = 0; i + 1 < pcm.length; i += 2) {
    const loud = Math.abs(pcm.readInt16LE(i)) > 1000;
    if (loud && state.quiet >= QUIET_SAMPLES) found.push(i / 2);
    state.quiet = loud ? 0 : state.quiet + 1;
  }
  return found;
}
const onsetIn = (pcm: Buffer): number | null => onsetsIn(pcm)[0] ?? null;

/** Decodes the mount as a station does; resolves at the first sample of the tone. */
function listenForOnset(url: string): { onset: Promise<number>; stop(): void } {
  const ff = spawn('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-fflags', 'nobuffer', '-probesize', '4096'],
    ...['-analyzeduration', '0', '-i', url, '-f', 's16le', '-ac', '1', '-ar', '48000'],
    ...['-flush_packets', '1', 'pipe:1'],
  ]);
  const onset = new Promise<number>((resolve, reject) => {
    ff.stdout.on('data', (b: Buffer) => {
      if (onsetIn(b) === null) return;
      resolve(performance.now());
      ff.kill('SIGKILL');
    });
    ff.once('close', () => reject(new Error('the listener ended before the tone')));
  });
  onset.catch(() => {});
  return { onset, stop: () => ff.kill('SIGKILL') };
}

/** The chunk that holds onset `nth` (from 0): the shortest prefix of chunks that decodes past it. */
function onsetChunkOf(chunks: Buffer[], nth: number): number {
  const decode = (n: number) =>
    execFileSync(
      'ffmpeg',
      ['-v', 'error', '-f', 'matroska', '-i', 'pipe:0', '-f', 's16le', '-ac', '1', 'pipe:1'],
      {
        input: Buffer.concat(chunks.slice(0, n)),
        maxBuffer: 64 * 2 ** 20,
      },
    );
  let lo = 1;
  let hi = chunks.length;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (onsetsIn(decode(mid)).length > nth) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

/**
 * Watches the agent's wav for this session as it grows (polled every 5 ms) and answers when the two onsets
 * have played (`device`, `model`: one moment each): each new stretch of samples plays when the one before has played, or when it was written if the
 * output had run dry (a sound card after an underrun); `model` is the player's own reckoning (first
 * sample's moment + offset), which knows no underruns.
 */
function watchOutput(dir: string, id: string, stop: AbortSignal) {
  return (async () => {
    const name = await waitFor(
      () => readdirSync(dir).find((f) => f.includes(id) && f.endsWith('.wav')),
      15_000,
      'the agent output file',
      5,
    );
    const fd = openSync(path.join(dir, name), 'r');
    // the header and the first samples are written at once: the format from the header (16-bit PCM)
    const header = Buffer.alloc(44);
    await waitFor(() => readSync(fd, header, 0, 44, 0) === 44, 2000, 'the wav header', 5);
    const channels = header.readUInt16LE(22);
    const bytesPerMs = header.readUInt32LE(28) / 1000;
    let offset = 44;
    let first: number | null = null;
    let deviceEnd = 0;
    const buf = Buffer.alloc(1 << 20);
    const quiet = { quiet: QUIET_SAMPLES };
    const device: number[] = [];
    const model: number[] = [];
    while (!stop.aborted) {
      const n = readSync(fd, buf, 0, buf.length, offset);
      const at = performance.now();
      const whole = n - (n % (2 * channels));
      if (whole > 0) {
        first ??= at;
        const playsAt = Math.max(deviceEnd, at);
        deviceEnd = playsAt + whole / bytesPerMs;
        for (const k of onsetsIn(buf.subarray(0, whole), quiet)) {
          const frameBytes = Math.floor(k / channels) * 2 * channels;
          model.push(first + (offset - 44 + frameBytes) / bytesPerMs);
          device.push(playsAt + frameBytes / bytesPerMs);
        }
        if (device.length >= 2) return { device, model, firstAt: first };
        offset += whole;
      }
      await sleep(5);
    }
    throw new Error(`stopped with ${device.length} of the 2 onsets played`);
  })();
}

interface Run {
  listenerMs: number;
  agentMs: number;
  modelMs: number;
  /** The second onset, 2 s later in the same session, to the agent's output: whether the delay holds. */
  secondMs: number;
  /** How long before the onset chunk was sent the agent's output had started. */
  joinedAheadMs: number;
}

async function oneRun(c: LiveChain, chunks: Buffer[], onsetChunks: [number, number]): Promise<Run> {
  const opened = await c.ctl.call('POST', '/api/live', {
    level: 'emergency',
    title: 'Đo độ trễ',
    targets: [{ scope: 'area', id: 'ninh-kieu' }],
  });
  if (opened.status !== 201) throw new Error(`open: ${opened.status} ${JSON.stringify(opened.body)}`);
  const { id, token, pushPath } = opened.body;
  const mic = await openMic(c.ctl.api, pushPath, token);
  const stop = new AbortController();
  const output = watchOutput(c.speakerDir(AGENT), id, stop.signal);
  output.catch(() => {});
  const sentAt = [0, 0];
  let listener: Promise<ReturnType<typeof listenForOnset>> | null = null;
  // paced on an absolute schedule, as MediaRecorder hands chunks out on the audio clock: a sleep of 100 ms
  // after each send would fall behind (a few ms a chunk), and the sound would reach the agent slower than
  // it plays
  const startAt = performance.now();
  try {
    for (const [i, chunk] of chunks.entries()) {
      const k = onsetChunks.indexOf(i);
      if (k >= 0) sentAt[k] = performance.now();
      mic.ws.send(chunk);
      // the listener joins once the bulletin is out (at the first chunk) and the mount answers
      if (i === 3) listener = joinListener(c, id);
      await sleep(startAt + (i + 1) * TIMESLICE_MS - performance.now());
    }
    const heard = await (await (listener as NonNullable<typeof listener>)).onset;
    const out = await output;
    const [first, second] = sentAt as [number, number];
    return {
      listenerMs: heard - first,
      agentMs: (out.device[0] as number) - first,
      modelMs: (out.model[0] as number) - first,
      secondMs: (out.device[1] as number) - second,
      joinedAheadMs: first - out.firstAt,
    };
  } finally {
    stop.abort();
    void listener?.then(
      (l) => l.stop(),
      () => {},
    );
    await c.ctl.call('POST', `/api/live/${id}/end`);
    await mic.closed;
    // the next session starts once this one is off the agent's air (its as-run record is in): else it
    // would wait behind it, and the agent would join late
    const recorded = async () => (await c.plays(AGENT)).some((p) => p.entryId === `alert:${id}`);
    await waitFor(recorded, 30_000, 'the as-run record', 100);
  }
}

async function joinListener(c: LiveChain, id: string) {
  const mount = `${c.streamOrigin}/live/${id}.ogg`;
  const url = new URL(mount);
  url.username = LISTENER;
  url.password = c.secrets[LISTENER] as string;
  const answers = async () => {
    const r = await fetch(mount, {
      headers: { authorization: `Basic ${btoa(`${LISTENER}:${c.secrets[LISTENER]}`)}` },
    });
    await r.body?.cancel();
    return r.ok;
  };
  await waitFor(answers, 3000, 'the mount', 20);
  return listenForOnset(url.toString());
}

const row = (what: string, xs: number[], goal = '', verdict = '') =>
  `| ${what} | ${goal} | **${median(xs).toFixed(0)} ms** | **${p95(xs).toFixed(0)} ms** | ${verdict} |`;

async function main(): Promise<void> {
  const c = await startLiveChain([
    { id: AGENT, name: 'Đài phường An Hòa', district: 'ninh-kieu', ward: 'an-hoa', agent: true },
    { id: LISTENER, name: 'Đài phường Tân An', district: 'ninh-kieu', ward: 'tan-an', agent: false },
  ]);
  try {
    const webm = makeWebm(
      c.dir,
      ONSET_S + 3.5,
      'onset.webm',
      // two tones of 1 s, 2 s apart
      `aevalsrc='if(between(t,${ONSET_S},${ONSET_S + 1})+between(t,${ONSET_S + 2},${ONSET_S + 3}),0.5*sin(2*PI*1000*t),0)':s=48000:d=${ONSET_S + 3.5}`,
    );
    const chunks = chunksOf(webm);
    const onsetChunks: [number, number] = [onsetChunkOf(chunks, 0), onsetChunkOf(chunks, 1)];
    log(`${chunks.length} chunks; the onsets are in chunks ${onsetChunks.join(' and ')}`);
    const load = loadavg()[0] as number;
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await oneRun(c, chunks, onsetChunks);
      runs.push(r);
      log(
        `run ${i + 1}/${RUNS}: listener ${r.listenerMs.toFixed(0)} ms, agent output ${r.agentMs.toFixed(0)} ms (model ${r.modelMs.toFixed(0)}; second onset ${r.secondMs.toFixed(0)}), joined ${r.joinedAheadMs.toFixed(0)} ms ahead`,
      );
    }
    log('the browser: capture in Chromium with the fake microphone');
    const capture = await measureCapture(c.dir, CAPTURE_S);
    log(`capture (ms): ${capture.map((x) => x.toFixed(0)).join(', ')}`);
    const loadEnd = loadavg()[0] as number;
    const agent = runs.map((r) => r.agentMs);
    // each run's network and agent part with one measured capture (independent draws, paired in order)
    const total = agent.map((x, i) => x + (capture[i % capture.length] as number));
    const worst = agent.map((x) => x + TIMESLICE_MS);
    const m = median(total);
    const p = p95(total);
    const met = (v: number, goal: number) =>
      v <= goal ? 'met' : `**missed** by ${(v - goal).toFixed(0)} ms`;
    const ms = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
    const goal = `≤ ${GOAL.medianMs} ms median, ≤ ${GOAL.p95Ms} ms p95`;
    console.log(`## Live speech latency (microphone to the station's output)

<!-- summary -->
Live speech, microphone to the station's audio output (the browser's capture measured in Chromium, then the pushed chunk to the onset at a real agent's output): median **${m.toFixed(0)} ms**, p95 **${p.toFixed(0)} ms** over ${RUNS} runs (goal 1000 / 1500 ms: ${met(m, GOAL.medianMs)} / ${met(p, GOAL.p95Ms)}); of it, the browser ${median(capture).toFixed(0)} ms and chunk to a listener's decoded output ${median(runs.map((r) => r.listenerMs)).toFixed(0)} ms (medians); at load ${load.toFixed(1)}.
<!-- /summary -->

${RUNS} sessions, each its own bulletin; WebSocket chunks of 100 ms (one WebM cluster each, as MediaRecorder's \`start(100)\` sends them). Controller and agent are processes on this machine (the agent joins the mount when the bulletin reaches it over MQTT, about 1 s after the first chunk; a 1 s tone starts ${ONSET_S} s into the sound, and another 2 s later). The browser's part is measured apart in headless Chromium with the fake microphone (a 1 s tone every 2 s, ${capture.length} onsets), the console's recorder settings (WebM/Opus 32 kbit/s, \`start(100)\`, echo cancellation, noise suppression, automatic gain): from the onset seen by an AudioWorklet on the microphone's track to the \`dataavailable\` event of the chunk that holds it (\`test/bench/support/browser-capture.ts\`).

| part of the path | goal | median | p95 | verdict |
| --- | --- | --- | --- | --- |
${row('the browser: onset in the page’s audio graph → its chunk handed to the page (MediaRecorder)', capture)}
${row(
  'chunk with the onset sent → onset in a listener’s decoded PCM (controller remux, Icecast, HTTP, ffmpeg decode)',
  runs.map((r) => r.listenerMs),
)}
${row('chunk with the onset sent → onset plays at the agent’s output', agent)}
${row(
  'listener → agent output (the agent’s decoder and what it holds when its output starts; per run)',
  runs.map((r) => r.agentMs - r.listenerMs),
)}
${row(
  'the second onset, 2 s later in the same session → agent output',
  runs.map((r) => r.secondMs),
)}
${row(
  'second minus first (per run): whether the agent’s delay holds through a session',
  runs.map((r) => r.secondMs - r.agentMs),
)}
${row('chunk → agent output + one 100 ms timeslice (the earlier estimate of the browser’s part)', worst)}
${row('**microphone → station output**: measured browser capture + chunk → agent output', total, goal, `${met(m, GOAL.medianMs)} / ${met(p, GOAL.p95Ms)}`)}

How the onset's moment at the output is found: the wav the agent writes for the session is read as it grows (every 5 ms); each new stretch of samples plays when the stretch before it has played, or when it was written if the output had run dry, as a sound card does after an underrun; the first stretch plays when it appears. The agent writes up to a device buffer's worth ahead of the speakers (LEAD_MS in audio/playback.ts, 200 ms), so a sample appears in the file before it plays, and the time it plays is the honest figure, not the time it is written. The player's own reckoning (first sample + offset, which knows no underruns) gives a median of ${median(runs.map((r) => r.modelMs)).toFixed(0)} ms; the difference is time lost to underruns. Not counted: a real sound card's own buffer beyond that (ALSA period, a few ms to tens of ms), the microphone driver's capture buffer and the page's audio graph's own delay (the browser's figure starts when the graph sees the onset, one render quantum or so after the fake device gave it); and a real network: here the browser, controller and agent talk over loopback.

Runs, agent output (ms): ${ms(agent)}. Listener (ms): ${ms(runs.map((r) => r.listenerMs))}. Browser capture (ms): ${ms(capture)}. The agent's output had started ${ms(runs.map((r) => r.joinedAheadMs))} ms before the onset chunk was sent (${runs.filter((r) => r.joinedAheadMs <= 0).length} runs joined late, when the onset had already left: counted all the same). Load average ${load.toFixed(1)} at the start, ${loadEnd.toFixed(1)} at the end, on ${cpus().length} cores (other work shares them: figures under load).`);
  } finally {
    await c.stop();
  }
}

runBench(main);
