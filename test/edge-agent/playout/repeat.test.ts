// Repeat and chime at the station: a slot read 3 times with gaps and chimes plays as one sound (the relay on
// throughout) into a real ffmpeg file of the whole length, its record saying 3 of 3; an emergency cutting
// after the second reading records 2 of 3, interrupted; a repeated emergency bulletin is shaped the same way.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createPlayer, parseAudioOutput } from '../../../audio/index.ts';
import { createClipCache } from '../../../edge-agent/clips/cache.ts';
import type { AsRunRecord } from '../../../schedules/protocol.ts';
import { CHIME_MS, shapedMs } from '../../../schedules/repeat.ts';
import { utcToZoned } from '../../../schedules/time.ts';
import { paths, toneClip } from '../../audio/fixtures.ts';
import { alertRecord, clipBytes, clipRef, STATION } from '../../support/records.ts';
import { waitFor } from '../../support/wait.ts';
import { desired, FakePlayer, slot, startClipServer, testConfig } from '../helpers.ts';
import { useRunnerRig } from '../rigs.ts';

const three = { repeat: { times: 3, gapSeconds: 1 }, chime: { before: true, after: true } };

/** The 16-bit PCM of a WAV file the file output wrote, and its loudness (RMS) between two instants (ms). */
function pcmOf(file: string) {
  const buf = readFileSync(file);
  const channels = buf.readUInt16LE(22);
  const rate = buf.readUInt32LE(24);
  const data = buf.subarray(44);
  const frames = data.length / (2 * channels);
  const rms = (fromMs: number, toMs: number) => {
    const [a, b] = [Math.round((fromMs * rate) / 1000), Math.min(frames, Math.round((toMs * rate) / 1000))];
    let sum = 0;
    for (let i = a; i < b; i++) sum += (data.readInt16LE(i * 2 * channels) / 32768) ** 2;
    return Math.sqrt(sum / Math.max(1, b - a));
  };
  return { ms: (frames / rate) * 1000, rms };
}

describe('a slot read 3 times with chimes, through the real file player', () => {
  // real time: the player runs ffmpeg
  const rig = useRunnerRig(new Date(), { timers: null });

  it('plays chime, 3 readings with 1 s gaps, chime, as one file of the whole length; records 3 of 3', async () => {
    const { ref: clip, bytes } = toneClip(rig.dir, 'clip-tone', 1);
    const server = await startClipServer(new Map([[clip.id, bytes]]));
    const config = testConfig(rig.dir, {
      controllerUrl: server.url,
      audio: `file:${join(rig.dir, 'out')}`,
      warmUpMs: 100,
      tailMs: 100,
    });
    const clips = createClipCache({ ...config, store: rig.store, log: rig.log });
    await clips.ensure(clip);
    await server.close();

    const local = utcToZoned(new Date(Date.now() - 1000), 'Asia/Ho_Chi_Minh');
    const entry = slot('doc-ba-lan', local.time, [clip.id], {
      startDate: '2000-01-01',
      endDate: '2099-12-31',
      ...three,
    });
    rig.store.applyDesired(desired(1, { slots: [entry], clips: [clip] }));
    const clock = { now: () => new Date() };
    const runner = rig.runner({
      config,
      player: createPlayer(paths, parseAudioOutput(config.audio), clock),
      clips,
    });
    runner.start();
    await waitFor(() => rig.records.length, 20_000, 'as-run record');
    await runner.stop();

    const r = rig.records[0] as AsRunRecord;
    expect(r).toMatchObject({ outcome: 'played', repeat: { planned: 3, played: 3 } });
    const whole = shapedMs(1000, three); // 1.6 + 1 + 1 + 1 + 1 + 1 + 1.6 = 8.2 s
    const wav = pcmOf(join(rig.dir, 'out', `doc-ba-lan@${local.date}.wav`));
    expect(Math.abs(wav.ms - whole)).toBeLessThan(150);
    // the chime sounds, the tone sounds, and the gaps between readings are silent
    expect(wav.rms(0, 1000)).toBeGreaterThan(0.02);
    expect(wav.rms(CHIME_MS + 100, CHIME_MS + 900)).toBeGreaterThan(0.05);
    expect(wav.rms(CHIME_MS + 1100, CHIME_MS + 1900)).toBeLessThan(0.001);
    expect(wav.rms(CHIME_MS + 3100, CHIME_MS + 3900)).toBeLessThan(0.001);
    expect(wav.rms(whole - CHIME_MS, whole - 600)).toBeGreaterThan(0.02);
    // one relay-on, one relay-off: the amplifier stays on through the gaps
    expect(rig.relay.changes.slice(1).map((c) => c.on)).toEqual([true, false]);
    const sounded = Date.parse(r.audioEndAt as string) - Date.parse(r.audioStartAt as string);
    expect(sounded).toBeGreaterThanOrEqual(whole - 200);
  });
});

describe('a repeated slot cut by an emergency (fake clock)', () => {
  const NOON = new Date('2025-03-03T12:00:00+07:00');
  const notice = clipRef('clip-thong-bao', clipBytes('thong-bao'), 60_000);
  const alarm = clipRef('clip-canh-bao', clipBytes('canh-bao'), 5_000);
  const shape = { repeat: { times: 3, gapSeconds: 10 }, chime: { before: true, after: true } };
  const whole = shapedMs(notice.durationMs, shape);
  const rig = useRunnerRig(NOON, { verifiedPath: (ref) => join(rig.dir, 'clips', `${ref.id}.opus`) });

  function start() {
    const s = slot('doc', '12:00:30', [notice.id], shape);
    rig.store.applyDesired(desired(1, { slots: [s], clips: [notice] }));
    rig.player = new FakePlayer();
    rig.player.durationOf = (files) => (files.length > 1 ? whole : alarm.durationMs);
    const runner = rig.runner({ player: rig.player }, { warmUpMs: 500, tailMs: 200 });
    runner.start();
    return runner;
  }
  const recordOf = (id: string) => rig.records.find((r) => r.entryId === id);

  it('hands the player chime, reading, gap, reading, gap, reading, chime; played to the end: 3 of 3', async () => {
    start();
    await vi.advanceTimersByTimeAsync(30_000 + whole + 5_000);
    const files = rig.player.calls[0]?.files.map((f) => f.split('/').at(-1));
    const reading = `${notice.id}.opus`;
    expect(files).toEqual([
      `chime-${CHIME_MS}.wav`,
      reading,
      'gap-10000.wav',
      reading,
      'gap-10000.wav',
      reading,
      `chime-${CHIME_MS}.wav`,
    ]);
    expect(recordOf('doc@2025-03-03')).toMatchObject({
      outcome: 'played',
      repeat: { planned: 3, played: 3 },
    });
  });

  it('an emergency in the gap after the second reading: interrupted, 2 of 3 played', async () => {
    const runner = start();
    // sound from 12:00:30; chime 1.6 s, 60 s, gap 10 s, 60 s: the second reading ends 131.6 s in
    await vi.advanceTimersByTimeAsync(30_000 + CHIME_MS + 2 * 60_000 + 10_000 + 4_000);
    expect(rig.player.calls).toHaveLength(1);
    rig.store.receiveAlert(
      alertRecord('al-lu', alarm, { targets: [{ scope: 'station', id: STATION }] }),
      new Date().toISOString(),
    );
    rig.store.alertReady('al-lu', new Date().toISOString()); // its clip is on the station
    runner.replan('bulletin al-lu received');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(recordOf('doc@2025-03-03')).toMatchObject({
      outcome: 'interrupted',
      reason: 'emergency',
      repeat: { planned: 3, played: 2 },
    });
    expect(recordOf('alert:al-lu')).toMatchObject({ outcome: 'played' });
    expect(recordOf('alert:al-lu')?.repeat).toBeUndefined();
  });

  it('an emergency read twice with an opening chime: shaped the same way, recorded 2 of 2', async () => {
    rig.store.applyDesired(desired(1, { clips: [notice] }));
    rig.player = new FakePlayer();
    const twice = { repeat: { times: 2, gapSeconds: 10 }, chime: { before: true, after: false } };
    rig.player.durationOf = () => shapedMs(alarm.durationMs, twice);
    const runner = rig.runner({ player: rig.player }, { warmUpMs: 500, tailMs: 200 });
    runner.start();
    const bulletin = alertRecord('al-hai-lan', alarm, {
      targets: [{ scope: 'station', id: STATION }],
      ...twice,
    });
    rig.store.receiveAlert(bulletin, new Date().toISOString());
    rig.store.alertReady('al-hai-lan', new Date().toISOString());
    runner.replan('bulletin al-hai-lan received');
    await vi.advanceTimersByTimeAsync(60_000);
    const files = rig.player.calls[0]?.files.map((f) => f.split('/').at(-1));
    const reading = `${alarm.id}.opus`;
    expect(files).toEqual([`chime-${CHIME_MS}.wav`, reading, 'gap-10000.wav', reading]);
    const r = recordOf('alert:al-hai-lan');
    expect(r).toMatchObject({ outcome: 'played', repeat: { planned: 2, played: 2 } });
    const sounded = Date.parse(r?.audioEndAt ?? '') - Date.parse(r?.audioStartAt ?? '');
    expect(sounded).toBe(CHIME_MS + 2 * alarm.durationMs + 10_000);
  });
});
