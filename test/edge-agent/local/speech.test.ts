// Announcements typed by ward staff on the station's page: read out at the station by espeak-ng (for real),
// made broadcast-ready, and played now or at a time with the controller stopped (no broker, no clip server);
// refusals in Vietnamese that keep nothing.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { durationMs, paths, toneClip } from '../../audio/fixtures.ts';
import { tempDir } from '../../support/temp.ts';
import { waitFor } from '../../support/wait.ts';
import { desired, slot } from '../helpers.ts';
import type { AgentWorld } from '../rigs.ts';
import {
  type Answer,
  playEntry,
  recordOf,
  type StaffClient,
  useLocalStation,
  vn,
  wavPeak,
} from './station.ts';

const DAY = '2025-03-03';
const fixtures = tempDir('fixtures');
const tone = toneClip(fixtures.dir, 'clip-sang', 2);
const state = desired(1, {
  slots: [slot('sang', '07:00', [tone.ref.id])],
  clips: [tone.ref],
  speechDictionary: { TPCT: 'thành phố Cần Thơ' },
});
afterAll(() => fixtures.cleanup());

/** The controller goes away: its broker and clip server close (the world's own closing becomes a no-op). */
async function stopController(world: AgentWorld): Promise<void> {
  await world.controller.close();
  await world.broker.close();
  await world.clips.close();
  world.controller = { ...world.controller, close: async () => {} };
  world.broker = { ...world.broker, close: async () => {} };
  world.clips = { ...world.clips, close: async () => {} };
}

/** Vietnamese syllables (words) of a spoken text; espeak-ng reads 160 a minute at speed 1. */
const syllables = (spoken: string) => spoken.split(/[\s,.;:!?]+/).filter(Boolean).length;
const CHIME_MS = 1600;

const announce = (staff: StaffClient, body: Record<string, unknown>): Promise<Answer> =>
  staff.call('POST', '/api/announcements', body);

function codec(file: string) {
  const out = execFileSync(paths.ffprobe, [
    ...['-v', 'error', '-show_entries', 'stream=codec_name,channels', '-of', 'json', file],
  ]).toString();
  return (JSON.parse(out) as { streams: { codec_name: string; channels: number }[] }).streams[0];
}

describe('announcements typed at the station', () => {
  const local = useLocalStation({
    startAt: vn(DAY, '06:50:00'),
    clips: [tone],
    desired: state,
    staff: 'Chị Hoa',
  });

  it('reads a typed notice now with the controller stopped: speech of the expected length, on air, recorded', async () => {
    await stopController(local.world);
    await waitFor(() => !local.st.agent.status().online, 10_000, 'station offline');

    const text =
      'UBND phường An Bình thông báo: ngày 5/3/2025, từ 7h30 đến 11h30 cắt điện để sửa chữa đường dây.';
    const r = await announce(local.staff, {
      text,
      voice: 'espeak-ng:vi',
      speed: 1,
      chime: { before: true, after: false },
      reason: 'Điện lực báo cắt điện',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const { override, clip, text: read } = r.body;
    expect(clip.id).toMatch(/^local-/);
    expect(read.spoken).toContain('Ủy ban nhân dân phường An Bình thông báo: ngày năm tháng ba năm');
    expect(read.spoken).toContain('từ bảy giờ ba mươi phút đến mười một giờ ba mươi phút');
    expect(read.voice).toBe('espeak-ng:vi');
    // about the length espeak-ng gives those words at 160 a minute, with the chime before
    const expected = (syllables(read.spoken) * 60_000) / 160 + CHIME_MS;
    expect(clip.durationMs).toBeGreaterThan(expected * 0.6);
    expect(clip.durationMs).toBeLessThan(expected * 1.6);
    // broadcast-ready like an upload: mono Opus in the cache
    expect(codec(local.st.store.getClip(clip.id)?.path as string)).toMatchObject({
      codec_name: 'opus',
      channels: 1,
    });
    expect(override).toMatchObject({
      kind: 'announce',
      createdBy: 'Chị Hoa',
      reason: 'Điện lực báo cắt điện',
    });

    const entryId = `local:${override.id}`;
    const rec = await recordOf(local.st, entryId, 30_000);
    expect(rec).toMatchObject({ outcome: 'played', clipIds: [clip.id] });
    const wav = local.st.wav(entryId) as string;
    expect(Math.abs(durationMs(wav) - clip.durationMs)).toBeLessThan(200);
    expect(wavPeak(wav)).toBeGreaterThan(0.1);
    expect(local.st.agent.status().online).toBe(false);
    const listed = (await local.staff.call('GET', '/api/clips')).body;
    expect(listed).toContainEqual(
      expect.objectContaining({
        id: clip.id,
        local: true,
        title: 'UBND phường An Bình thông báo: ngày 5/3/2025, từ 7h30 đến 11h30 cắt điện để sửa…',
      }),
    );
  }, 120_000);

  it('reads one at a time with the southern voice, its number words and the province dictionary, offline', async () => {
    await stopController(local.world);
    const r = await announce(local.staff, {
      text: 'TPCT hỗ trợ 1.500.000 đồng cho 105 hộ.',
      voice: 'espeak-ng:vi-vn-x-south',
      title: 'Hỗ trợ hộ nghèo',
      startsAt: `${DAY}T07:20`,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.text.spoken).toBe(
      'Thành phố Cần Thơ hỗ trợ một triệu năm trăm ngàn đồng cho một trăm lẻ năm hộ.',
    );
    const entryId = `local:${r.body.override.id}`;
    const tt = (await local.staff.call('GET', '/api/timetable')).body.entries as {
      id: string;
      status: string;
    }[];
    expect(tt.find((e) => e.id === entryId)).toMatchObject({ status: 'scheduled' });
    const page = await fetch(`${local.st.base}/`, { headers: { cookie: local.staff.cookie } }).then((x) =>
      x.text(),
    );
    expect(page).toContain('Thông báo: Hỗ trợ hộ nghèo');

    await playEntry(local.st, `sang@${DAY}`, vn(DAY, '07:00:00'));
    const rec = await playEntry(local.st, entryId, vn(DAY, '07:20:00'));
    expect(rec.outcome).toBe('played');
    // at its time (how close is the slot-timing benchmark's to measure; a loaded machine adds seconds here)
    expect(Math.abs(Date.parse(rec.audioStartAt ?? '') - vn(DAY, '07:20:00').getTime())).toBeLessThan(5000);
    expect(wavPeak(local.st.wav(entryId) as string)).toBeGreaterThan(0.1);
  }, 120_000);
});

describe('typed announcements refused', () => {
  const local = useLocalStation({
    startAt: vn(DAY, '06:50:00'),
    clips: [tone],
    desired: state,
    staff: 'Chị Hoa',
    open: false,
  });
  const tmpLocal = () => readdirSync(join(local.st.dataDir, 'tmp-local'));

  it('refuses empty, too long, symbols only, unknown voice, a past time and a quiet window, in Vietnamese', async () => {
    await local.open();
    const staff = local.staff;
    const cases: [Record<string, unknown>, number, string, RegExp][] = [
      [{ text: '   ' }, 400, 'text_empty', /Văn bản trống/],
      [{ text: 'a'.repeat(2001) }, 413, 'text_too_long', /tối đa 2000 ký tự/],
      [{ text: '🙂🙂 *** ### !!!' }, 422, 'text_nothing_to_read', /không có chữ hay số/],
      [{ text: 'Xin chào', voice: 'espeak-ng:fr' }, 400, 'unknown_voice', /Không có giọng đọc/],
      [{ text: 'Xin chào', startsAt: `${DAY}T06:00` }, 400, 'past', /Giờ phát đã qua/],
      [{ text: 'Xin chào', speed: 5 }, 400, 'bad_request', /tốc độ đọc từ 0,5 đến 2/],
    ];
    for (const [body, status, error, message] of cases) {
      const r = await announce(staff, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.error).toBe(error);
      expect(r.body.message).toMatch(message);
    }
    // English when the page's language is English
    const en = await staff.call(
      'POST',
      '/api/announcements',
      { text: ' ' },
      { cookie: `${staff.cookie}; loa_lang=en` },
    );
    expect(en.body.message).toMatch(/The text is empty/);

    const quiet = await staff.call('POST', '/api/overrides', {
      kind: 'quiet',
      startsAt: `${DAY}T07:30`,
      endsAt: `${DAY}T08:00`,
      reason: 'Thi học kỳ',
    });
    expect(quiet.status).toBe(201);
    const held = await announce(staff, { text: 'Mời bà con họp tổ.', startsAt: `${DAY}T07:40` });
    expect(held.status).toBe(409);
    expect(held.body.message).toContain(
      'Thông báo không phát được lúc 03/03 07:40: Khung giờ không phát của đài',
    );

    // nothing was kept: no local clip, no announcement, no file left
    expect((await staff.call('GET', '/api/clips')).body.filter((c: { local: boolean }) => c.local)).toEqual(
      [],
    );
    expect((await staff.call('GET', '/api/overrides')).body.map((o: { kind: string }) => o.kind)).toEqual([
      'quiet',
    ]);
    expect(tmpLocal()).toEqual([]);
  }, 60_000);

  it('plays a preview without keeping it', async () => {
    await local.open();
    const res = await fetch(`${local.st.base}/api/announcements/preview`, {
      method: 'POST',
      headers: {
        cookie: local.staff.cookie,
        'x-csrf-token': local.staff.csrf,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ text: 'Nghe thử 1 2 3.', chime: { before: true, after: true } }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect(res.headers.get('x-spoken-by')).toBe('espeak-ng:vi');
    const wav = Buffer.from(await res.arrayBuffer());
    expect(wav.toString('latin1', 0, 4)).toBe('RIFF');
    expect(Number(res.headers.get('x-duration-ms'))).toBeGreaterThan(2 * CHIME_MS);
    expect(
      (await local.staff.call('GET', '/api/clips')).body.filter((c: { local: boolean }) => c.local),
    ).toEqual([]);
    expect(tmpLocal()).toEqual([]);
  });

  it('says so in Vietnamese when the station has no espeak-ng, and keeps nothing', async () => {
    await local.open({ espeakBinary: join(local.world.dir, 'no-espeak-ng') });
    const r = await announce(local.staff, { text: 'Mời bà con họp tổ lúc 19h.' });
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ error: 'speech_unavailable' });
    expect(r.body.message).toContain('Đài chưa cài chương trình đọc văn bản (espeak-ng)');
    expect((await local.staff.call('GET', '/api/overrides')).body).toEqual([]);
    expect(
      (await local.staff.call('GET', '/api/clips')).body.filter((c: { local: boolean }) => c.local),
    ).toEqual([]);
    expect(tmpLocal()).toEqual([]);
  });
});
