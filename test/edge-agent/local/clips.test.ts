// Local announcements: a file from a phone and in-browser recordings (webm/opus from Chrome, fragmented
// mp4/aac from iOS Safari), made broadcast-ready on the station and played now or at a given time.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { durationMs, ffmpegGen, paths, toneClip } from '../../audio/fixtures.ts';
import { tempDir } from '../../support/temp.ts';
import { desired, slot } from '../helpers.ts';
import { playEntry, recordOf, useLocalStation, vn } from './station.ts';

const DAY = '2025-03-03';
const fixtures = tempDir('fixtures');
const tone = toneClip(fixtures.dir, 'clip-sang', 2);
const state = desired(1, { slots: [slot('sang', '07:00', [tone.ref.id])], clips: [tone.ref] });

/** What a browser's MediaRecorder sends: written to a pipe, so no duration or cues in the header. */
function streamed(out: string, seconds: number, codec: string[], format: string[]): string {
  const bytes = execFileSync(paths.ffmpeg, [
    ...['-hide_banner', '-nostdin', '-v', 'error', '-f', 'lavfi'],
    ...['-i', `sine=frequency=330:duration=${seconds}`, ...codec, ...format, 'pipe:1'],
  ]);
  writeFileSync(out, bytes);
  return out;
}

function probe(file: string) {
  const out = execFileSync(paths.ffprobe, [
    ...['-v', 'error', '-show_entries', 'stream=codec_name,channels,sample_rate:format=format_name'],
    ...['-of', 'json', file],
  ]).toString();
  return JSON.parse(out) as { streams: { codec_name: string; channels: number; sample_rate: string }[] };
}

describe('local announcements', () => {
  const local = useLocalStation({
    startAt: vn(DAY, '06:50:00'),
    clips: [tone],
    desired: state,
    staff: 'Chị Hoa',
  });
  afterAll(() => fixtures.cleanup());

  /** A local announcement of a clip, now or at `startsAt`. */
  const announce = (o: { clipId: string; reason: string; startsAt?: string }) =>
    local.staff.call('POST', '/api/overrides', { kind: 'announce', ...o });
  const upload = async (file: string, title: string) => {
    const form = new FormData();
    form.set('title', title);
    form.set('file', new File([readFileSync(file)], file.split('/').pop() as string));
    const r = await local.staff.call('POST', '/api/clips', form);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as {
      clip: { id: string; durationMs: number };
      title: string;
      loudness: { outputI: number };
    };
  };

  it('makes a phone file broadcast-ready (mono Opus, -16 LUFS) and announces it now', async () => {
    const mp3 = ffmpegGen(join(local.world.dir, 'thong-bao.mp3'), [
      ...['-f', 'lavfi', '-i', 'sine=frequency=500:duration=3', '-ac', '2', '-ar', '44100'],
    ]);
    const made = await upload(mp3, 'Thông báo cắt điện');
    expect(made.clip.id).toMatch(/^local-/);
    expect(Math.abs(made.clip.durationMs - 3000)).toBeLessThan(100);
    expect(Math.abs(made.loudness.outputI + 16)).toBeLessThan(0.5);
    const cached = local.st.store.getClip(made.clip.id);
    expect(probe(cached?.path as string).streams[0]).toMatchObject({
      codec_name: 'opus',
      channels: 1,
      sample_rate: '48000',
    });
    const list = (await local.staff.call('GET', '/api/clips')).body;
    expect(list).toContainEqual({
      id: made.clip.id,
      title: 'Thông báo cắt điện',
      durationMs: made.clip.durationMs,
      local: true,
    });
    expect(list).toContainEqual(expect.objectContaining({ id: tone.ref.id, local: false }));

    const ann = await announce({ clipId: made.clip.id, reason: 'Điện lực báo cắt điện' });
    expect(ann.status, JSON.stringify(ann.body)).toBe(201);
    const entryId = `local:${ann.body.id}`;
    const r = await recordOf(local.st, entryId);
    expect(r).toMatchObject({ outcome: 'played', clipIds: [made.clip.id] });
    expect(Math.abs(durationMs(local.st.wav(entryId) as string) - made.clip.durationMs)).toBeLessThan(150);
  });

  it('announces a Chrome recording (webm/opus) at a given time, and an iOS one (mp4/aac) after it', async () => {
    const webm = streamed(
      join(local.world.dir, 'ghi-am.webm'),
      4,
      ['-c:a', 'libopus', '-b:a', '32k'],
      ['-f', 'webm'],
    );
    const mp4 = streamed(
      join(local.world.dir, 'ghi-am.m4a'),
      2,
      ['-c:a', 'aac', '-b:a', '64k'],
      ['-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4'],
    );
    const chrome = await upload(webm, 'Ghi âm: họp tổ dân phố');
    const ios = await upload(mp4, 'Ghi âm: tiêm chủng');
    expect(Math.abs(chrome.clip.durationMs - 4000)).toBeLessThan(150);
    expect(Math.abs(ios.clip.durationMs - 2000)).toBeLessThan(150);

    const first = await announce({ clipId: chrome.clip.id, startsAt: `${DAY}T07:20`, reason: 'Mời họp' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const second = await announce({ clipId: ios.clip.id, startsAt: `${DAY}T07:25`, reason: 'Lịch tiêm' });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const tt = (await local.staff.call('GET', '/api/timetable')).body.entries as {
      id: string;
      status: string;
    }[];
    expect(tt.map((e) => e.id)).toEqual([
      `sang@${DAY}`,
      `local:${first.body.id}`,
      `local:${second.body.id}`,
      'sang@2025-03-04',
    ]);

    for (const [entryId, time] of [
      [`sang@${DAY}`, '07:00:00'],
      [`local:${first.body.id}`, '07:20:00'],
      [`local:${second.body.id}`, '07:25:00'],
    ] as const) {
      const r = await playEntry(local.st, entryId, vn(DAY, time));
      expect(r.outcome).toBe('played');
      // on its instant (how close is the slot-timing benchmark's to measure; a loaded machine adds ~1 s here)
      expect(Math.abs(Date.parse(r.audioStartAt ?? '') - vn(DAY, time).getTime())).toBeLessThan(2000);
    }
  }, 90_000); // two transcodes and three plays: ~15 s, twice that on a loaded machine
});
