// Plays a real (1 s) clip through helper-2's file player: download, verify, relay on, ffmpeg to wav, relay off.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPlayer, parseAudioOutput, resolveFfmpeg } from '../../audio/index.ts';
import { createClipCache } from '../../edge-agent/clips/cache.ts';
import { SimRelay } from '../../edge-agent/hardware/relay.ts';
import { createRunner } from '../../edge-agent/playout/runner.ts';
import { openStore } from '../../edge-agent/state/store.ts';
import type { AsRunRecord } from '../../schedules/protocol.ts';
import { utcToZoned } from '../../schedules/time.ts';
import {
  clipRef,
  desired,
  memoryLogger,
  recordingBus,
  slot,
  startClipServer,
  tempDir,
  testConfig,
  waitFor,
} from './helpers.ts';

describe('runner with the real file player', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('plays an entry that is due now into a wav file, inside the relay window', async () => {
    const paths = resolveFfmpeg(process.env);
    const source = join(tmp.dir, 'tone.opus');
    execFileSync(paths.ffmpeg, [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1'],
      ...['-c:a', 'libopus', '-b:a', '40k', '-y', source],
    ]);
    const bytes = readFileSync(source);
    const clip = clipRef('clip-tone', bytes, 1000);
    const server = await startClipServer(new Map([[clip.id, bytes]]));
    const config = testConfig(join(tmp.dir, 'data'), {
      controllerUrl: server.url,
      audio: `file:${join(tmp.dir, 'out')}`,
      warmUpMs: 100,
      tailMs: 100,
    });
    const clock = { now: () => new Date() };
    const store = openStore(config.dataDir);
    const log = memoryLogger();
    const clips = createClipCache({ ...config, store, log });
    await clips.ensure(clip);
    await server.close();

    // an entry that became due a second ago: within graceMs, so it starts right away
    const local = utcToZoned(new Date(Date.now() - 1000), 'Asia/Ho_Chi_Minh');
    const entry = slot('ngay', local.time, [clip.id], { startDate: '2000-01-01', endDate: '2099-12-31' });
    store.applyDesired(desired(1, { slots: [entry], clips: [clip] }));
    const relay = new SimRelay(clock);
    const records: AsRunRecord[] = [];
    const runner = createRunner({
      config,
      clock,
      store,
      relay,
      player: createPlayer(paths, parseAudioOutput(config.audio), clock),
      clips,
      log,
      bus: recordingBus((r) => records.push(r)),
    });
    runner.start();
    await waitFor(() => records.length, 10_000, 'as-run record');
    await runner.stop();
    store.close();

    const r = records[0] as AsRunRecord;
    expect(r).toMatchObject({ entryId: `ngay@${local.date}`, outcome: 'played' });
    const wav = join(config.audio.slice('file:'.length), `ngay@${local.date}.wav`);
    expect(existsSync(wav)).toBe(true);
    expect(statSync(wav).size).toBeGreaterThan(48_000); // ~1 s of 48 kHz 16-bit mono
    const [on, off] = relay.changes.slice(1);
    expect(on?.on).toBe(true);
    expect(off?.on).toBe(false);
    expect(on && r.audioStartAt && on.at <= r.audioStartAt).toBe(true);
    expect(off && r.audioEndAt && off.at >= r.audioEndAt).toBe(true);
    expect(Date.parse(r.audioEndAt as string) - Date.parse(r.audioStartAt as string)).toBeGreaterThanOrEqual(
      900,
    );
  });
});
