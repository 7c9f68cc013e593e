// One agent of the skew benchmark, in its own process: the real runner, clip cache, ffmpeg player (`file:DIR`)
// and a simulated relay, playing the day it is given, on a wall clock `offsetMs` off the machine's (as a
// station whose clock is that far from true time). Prints its as-run records as JSON on stdout when done.
import { readFileSync } from 'node:fs';
import { createPlayer, parseAudioOutput } from '../../../audio/index.ts';
import { sleep } from '../../../common/sleep.ts';
import { createClipCache } from '../../../edge-agent/clips/cache.ts';
import { SimRelay } from '../../../edge-agent/hardware/relay.ts';
import { spinningWait } from '../../../edge-agent/playout/player.ts';
import { createRunner } from '../../../edge-agent/playout/runner.ts';
import { openStore } from '../../../edge-agent/state/store.ts';
import type { ClipRef } from '../../../schedules/model.ts';
import type { AsRunRecord } from '../../../schedules/protocol.ts';
import { utcToZoned } from '../../../schedules/time.ts';
import { paths } from '../../audio/fixtures.ts';
import { desired, recordingBus, slot, startClipServer, testConfig } from '../../edge-agent/helpers.ts';
import { recordingLogger } from '../../support/log.ts';

export interface SkewJob {
  dataDir: string;
  outDir: string;
  offsetMs: number;
  warmUpMs: number;
  tailMs: number;
  clips: { ref: ClipRef; file: string }[];
  day: { id: string; clipId: string; startMs: number }[];
}

async function main(): Promise<void> {
  const job = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as SkewJob;
  const server = await startClipServer(new Map(job.clips.map((c) => [c.ref.id, readFileSync(c.file)])));
  const config = testConfig(job.dataDir, {
    controllerUrl: server.url,
    audio: `file:${job.outDir}`,
    warmUpMs: job.warmUpMs,
    tailMs: job.tailMs,
  });
  const clock = { now: () => new Date(Date.now() + job.offsetMs) };
  const store = openStore(config.dataDir);
  const log = recordingLogger();
  const clips = createClipCache({ ...config, store, log });
  for (const c of job.clips) await clips.ensure(c.ref);
  await server.close();
  const slots = job.day.map((e) => {
    const local = utcToZoned(new Date(e.startMs), 'Asia/Ho_Chi_Minh');
    return slot(e.id, local.time, [e.clipId], {
      campaignId: null,
      startDate: local.date,
      endDate: local.date,
    });
  });
  store.applyDesired(desired(1, { slots, clips: job.clips.map((c) => c.ref) }));
  const player = createPlayer(paths, parseAudioOutput(config.audio), clock);
  const records: AsRunRecord[] = [];
  const runner = createRunner({
    config,
    clock,
    store,
    relay: new SimRelay(clock),
    player,
    clips,
    log,
    bus: recordingBus((r) => records.push(r)),
    // as the agent's main: released by polling the last few ms before the instant (BENCH_TIMER=1: a plain timer)
    instantWait: process.env.BENCH_TIMER ? undefined : spinningWait(clock),
  });
  runner.start();
  const last = job.day.at(-1) as SkewJob['day'][number];
  const end = last.startMs + 10_000 + 30_000;
  while (records.length < job.day.length && Date.now() < end) await sleep(200);
  await runner.stop();
  player.close();
  store.close();
  const problems = log.lines.filter((l) => l.startsWith('error') || l.startsWith('warn'));
  process.stdout.write(`${JSON.stringify({ records, problems })}\n`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
