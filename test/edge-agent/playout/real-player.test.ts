// Plays a real (1 s) clip through the ffmpeg file player: download, verify, player started ahead, relay on,
// released to wav, relay off; the as-run record's audioStartAt is the moment the first samples were written.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPlayer, parseAudioOutput } from '../../../audio/index.ts';
import { createClipCache } from '../../../edge-agent/clips/cache.ts';
import type { AsRunRecord } from '../../../schedules/protocol.ts';
import { utcToZoned } from '../../../schedules/time.ts';
import { paths, toneClip } from '../../audio/fixtures.ts';
import { waitFor } from '../../support/wait.ts';
import { desired, slot, startClipServer, testConfig } from '../helpers.ts';
import { useRunnerRig } from '../rigs.ts';

describe('runner with the real file player', () => {
  // real time: the player runs ffmpeg
  const rig = useRunnerRig(new Date(), { timers: null });

  it('plays an entry that is due now into a wav file, inside the relay window', async () => {
    const { ref: clip, bytes } = toneClip(rig.dir, 'clip-tone', 1);
    const server = await startClipServer(new Map([[clip.id, bytes]]));
    const config = testConfig(rig.dir, {
      controllerUrl: server.url,
      audio: `file:${join(rig.dir, 'out')}`,
      warmUpMs: 100,
      tailMs: 100,
    });
    const clock = { now: () => new Date() };
    const clips = createClipCache({ ...config, store: rig.store, log: rig.log });
    await clips.ensure(clip);
    await server.close();

    // an entry that became due a second ago: within graceMs, so it starts right away
    const local = utcToZoned(new Date(Date.now() - 1000), 'Asia/Ho_Chi_Minh');
    const entry = slot('ngay', local.time, [clip.id], { startDate: '2000-01-01', endDate: '2099-12-31' });
    rig.store.applyDesired(desired(1, { slots: [entry], clips: [clip] }));
    const { records, relay } = rig;
    const runner = rig.runner({
      config,
      player: createPlayer(paths, parseAudioOutput(config.audio), clock),
      clips,
    });
    runner.start();
    await waitFor(() => records.length, 10_000, 'as-run record');
    await runner.stop();

    const r = records[0] as AsRunRecord;
    expect(r).toMatchObject({ entryId: `ngay@${local.date}`, outcome: 'played' });
    const wav = join(config.audio.slice('file:'.length), `ngay@${local.date}.wav`);
    expect(existsSync(wav)).toBe(true);
    expect(statSync(wav).size).toBeGreaterThan(48_000); // ~1 s of 48 kHz 16-bit mono
    // audioStartAt is when the first samples left (the player creates the file with them), not the spawn
    const born = statSync(wav).birthtimeMs;
    const recorded = Date.parse(r.audioStartAt as string);
    expect(recorded).toBeGreaterThanOrEqual(Math.floor(born));
    expect(recorded - born).toBeLessThan(20);
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
