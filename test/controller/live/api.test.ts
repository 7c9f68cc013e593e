// /api/live with a real icecast2 and real ffmpeg: who may speak where, the audio path from WebM chunks to
// an Ogg/Opus mount, publication at the first audio, and every way a session ends (and is recorded).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusStatements } from '../../../controller/alerts/status-store.ts';
import { liveAudience } from '../../../controller/live/audience.ts';
import { Alert } from '../../../schedules/alerts.ts';
import { makeController } from '../../support/controller.ts';
import { waitFor } from '../../support/wait.ts';
import { chunksOf, type LiveWorld, makeWebm, openMic, pushChunks, startLiveWorld } from './world.ts';

let w: LiveWorld;
let webm: string;
const SECONDS = 3;

beforeAll(async () => {
  w = await startLiveWorld({ startTimeoutMs: 1500, silenceTimeoutMs: 700, tickMs: 50 });
  webm = makeWebm(w.dir, SECONDS);
}, 30_000);
afterAll(() => w?.stop());

const session = (over: object = {}) => ({
  level: 'emergency',
  title: 'Thông báo khẩn về nước lũ',
  targets: [{ scope: 'district', id: 'ninh-kieu' }],
  ...over,
});
const sessionOf = async (id: string) => (await w.call('GET', `/api/live/${id}`)).body;

describe('opening a live session', () => {
  it('answers a token and the push path, records who and where, and publishes nothing before audio', async () => {
    const r = await w.call('POST', '/api/live', session(), w.tokens['kt-ninh-kieu']);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      level: 'emergency',
      speaker: 'kt-ninh-kieu',
      status: 'waiting-for-audio',
      stationCount: 2,
      reason: 'Thông báo khẩn về nước lũ',
      pushPath: `/api/live/${r.body.id}/audio`,
    });
    expect(r.body.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(w.alertsOf(r.body.id)).toEqual([]);
    const detail = await sessionOf(r.body.id);
    expect(detail.stations.map((s: { name: string; whyNot: string }) => [s.name, s.whyNot])).toEqual([
      ['Đài phường An Hòa', 'offline'],
      ['Đài phường Tân An', 'offline'],
    ]);
    await w.call('POST', `/api/live/${r.body.id}/end`);
  });

  it('refuses areas outside the speaker, levels above ward staff, and bad input, with the reason', async () => {
    const other = await w.call('POST', '/api/live', session(), w.tokens['kt-cai-rang']);
    expect(other.status).toBe(403);
    expect(other.body.message).toMatch(/outside your area/);
    const ward = w.tokens['cb-an-hoa'];
    const wardEmergency = await w.call(
      'POST',
      '/api/live',
      session({ targets: [{ scope: 'station', id: 'st-an-hoa' }] }),
      ward,
    );
    expect(wardEmergency.status).toBe(403);
    expect(wardEmergency.body.message).toMatch(/normal level/);
    const wardElsewhere = await w.call(
      'POST',
      '/api/live',
      session({ level: 'normal', targets: [{ scope: 'station', id: 'st-tan-an' }] }),
      ward,
    );
    expect(wardElsewhere.status).toBe(403);
    const wardOwn = await w.call(
      'POST',
      '/api/live',
      session({ level: 'normal', targets: [{ scope: 'station', id: 'st-an-hoa' }] }),
      ward,
    );
    expect(wardOwn.status).toBe(201);
    expect((await w.call('POST', `/api/live/${wardOwn.body.id}/end`, {}, ward)).status).toBe(200);
    expect((await w.call('POST', '/api/live', session(), w.tokens.xem)).status).toBe(403);
    const quiet = await w.call('POST', '/api/live', session({ level: 'priority', ignoreQuietWindows: true }));
    expect(quiet.status).toBe(400);
    expect(quiet.body.message).toMatch(/only for emergency/);
    const nowhere = await w.call(
      'POST',
      '/api/live',
      session({ targets: [{ scope: 'area', id: 'khong-co' }] }),
    );
    expect(nowhere.status).toBe(400);
    expect((await w.call('POST', '/api/live', { title: 'x' })).status).toBe(400);
  });
});

describe('speaking', () => {
  it('carries WebM chunks to the mount as Ogg/Opus for the stations, publishes the bulletin at the first audio, ends it once', async () => {
    const opened = await w.call('POST', '/api/live', session());
    const { id, token, pushPath } = opened.body;
    const mic = await openMic(w.base, pushPath, token);
    const chunks = chunksOf(webm);
    const pushing = pushChunks(mic.ws, chunks);
    const [bulletin] = await waitFor(() => w.alertsOf(id).length > 0 && w.alertsOf(id), 5000, 'the bulletin');
    expect(Alert.safeParse(bulletin).success).toBe(true);
    expect(bulletin).toMatchObject({
      id,
      level: 'emergency',
      live: { sessionId: id, speaker: 'admin' },
    });
    expect(bulletin.clip).toBeUndefined();
    expect(bulletin.live.url).toBe(w.stream.listenUrl(`/live/${id}.ogg`));
    // a station of the session hears it with its own secret; a station it was not opened for gets nothing
    const heard = w.listen(bulletin.live.url, 'st-an-hoa');
    await expect(w.listen(bulletin.live.url, 'st-le-binh')).rejects.toThrow(/HTTP 401/);
    await pushing;
    const ended = await w.call('POST', `/api/live/${id}/end`, { reason: 'Đã nói xong' });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ status: 'ended', endReason: 'ended', endDetail: 'Đã nói xong' });
    expect(ended.body.bytes).toBe(chunks.reduce((n, c) => n + c.length, 0));
    expect((await mic.closed).code).toBe(1000);

    // what a station heard: Ogg/Opus that decodes, ending with the stream (the source left cleanly)
    const ogg = await heard;
    expect(ogg.subarray(0, 4).toString()).toBe('OggS');
    const file = path.join(w.dir, `${id}.ogg`);
    writeFileSync(file, ogg);
    const probe = execFileSync('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_name',
      '-of',
      'csv=p=0',
      file,
    ]);
    expect(probe.toString().trim()).toBe('opus');

    // the bulletin went out again, ending now: no station starts it any more; it was not withdrawn
    const last = w.alertsOf(id).at(-1);
    expect(last.cancelledAt).toBeNull();
    expect(Date.parse(last.expiresAt)).toBeLessThanOrEqual(Date.now());
    const again = await w.call('POST', `/api/live/${id}/end`);
    expect(again.status).toBe(409);
  }, 20_000);

  it('tells per station whether it is on air and why not, by name', async () => {
    const opened = await w.call('POST', '/api/live', session());
    const { id, token, pushPath } = opened.body;
    const mic = await openMic(w.base, pushPath, token);
    const pushing = pushChunks(mic.ws, chunksOf(webm).slice(0, 10));
    await waitFor(() => w.alertsOf(id).length > 0, 5000, 'the bulletin');
    const moves = statusStatements(w.db);
    const at = new Date().toISOString();
    w.db.prepare("UPDATE stations SET online = 1 WHERE id IN ('st-an-hoa', 'st-tan-an')").run();
    moves.move({ alertId: id, stationId: 'st-an-hoa', state: 'sounding', at, reason: null, detail: null });
    moves.move({
      alertId: id,
      stationId: 'st-tan-an',
      state: 'held',
      at,
      reason: 'online-class',
      detail: null,
    });
    const detail = await sessionOf(id);
    expect(detail.status).toBe('on-air');
    expect(detail.onAirCount).toBe(1);
    expect(
      detail.stations.map((s: { name: string; onAir: boolean; whyNot: string }) => [
        s.name,
        s.onAir,
        s.whyNot,
      ]),
    ).toEqual([
      ['Đài phường An Hòa', true, null],
      ['Đài phường Tân An', false, 'online-class'],
    ]);
    // a technician of another district sees nothing of it
    expect((await w.call('GET', `/api/live/${id}`, undefined, w.tokens['kt-cai-rang'])).status).toBe(403);
    await pushing;
    await w.call('POST', `/api/live/${id}/end`);
    await mic.closed;
  }, 20_000);
});

describe('a session that ends by itself', () => {
  it('ends, unpublished, when the socket pushes garbage', async () => {
    const { id, token, pushPath } = (await w.call('POST', '/api/live', session())).body;
    const mic = await openMic(w.base, pushPath, token);
    mic.ws.send(Buffer.from('this is not audio at all, just words'));
    expect((await mic.closed).code).toBe(1003);
    const s = await waitFor(async () => {
      const d = await sessionOf(id);
      return d.status === 'ended' && d;
    });
    expect(s).toMatchObject({ endReason: 'bad-audio', firstAudioAt: null });
    expect(w.alertsOf(id)).toEqual([]);
  });

  it('ends when no chunk comes, and when the chunks stop: recorded, its bulletin expired', async () => {
    const silent = (await w.call('POST', '/api/live', session())).body;
    const mic = await openMic(w.base, silent.pushPath, silent.token);
    expect((await mic.closed).code).toBe(1000);
    expect(await sessionOf(silent.id)).toMatchObject({ status: 'ended', endReason: 'no-audio' });
    expect(w.alertsOf(silent.id)).toEqual([]);

    const stopped = (await w.call('POST', '/api/live', session())).body;
    const mic2 = await openMic(w.base, stopped.pushPath, stopped.token);
    await pushChunks(mic2.ws, chunksOf(webm).slice(0, 5));
    const closed = await mic2.closed;
    expect(closed).toEqual({ code: 1000, reason: 'no-audio' });
    const s = await sessionOf(stopped.id);
    expect(s).toMatchObject({ status: 'ended', endReason: 'no-audio' });
    expect(s.endDetail).toMatch(/microphone stopped/);
    expect(Date.parse(w.alertsOf(stopped.id).at(-1).expiresAt)).toBeLessThanOrEqual(Date.now());
  }, 15_000);

  it('ends when the socket closes, and refuses a wrong token or a second microphone', async () => {
    const { id, token, pushPath } = (await w.call('POST', '/api/live', session())).body;
    const wrong = await openMic(w.base, pushPath, 'not-the-token');
    expect((await wrong.closed).code).toBe(4401);
    const mic = await openMic(w.base, pushPath, token);
    const second = await openMic(w.base, pushPath, token);
    expect((await second.closed).code).toBe(4409);
    await pushChunks(mic.ws, chunksOf(webm).slice(0, 3));
    mic.ws.close();
    const s = await waitFor(async () => {
      const d = await sessionOf(id);
      return d.status === 'ended' && d;
    });
    expect(s.endReason).toBe('socket-closed');
  });

  it('ends when its bulletin is withdrawn through /api/alerts', async () => {
    const { id, token, pushPath } = (await w.call('POST', '/api/live', session())).body;
    const mic = await openMic(w.base, pushPath, token);
    const pushing = pushChunks(mic.ws, chunksOf(webm));
    await waitFor(() => w.alertsOf(id).length > 0, 5000, 'the bulletin');
    expect((await w.call('POST', `/api/alerts/${id}/cancel`, { reason: 'Nhầm khu vực' })).status).toBe(200);
    expect((await mic.closed).reason).toBe('cancelled');
    await pushing;
    expect(await sessionOf(id)).toMatchObject({ status: 'ended', endReason: 'cancelled' });
    expect(w.alertsOf(id).at(-1).cancelledAt).not.toBeNull();
  }, 15_000);
});

describe('who may hear a session', () => {
  it('lets in the stations it was opened for, while it runs, and no other', async () => {
    const { id } = (await w.call('POST', '/api/live', session())).body;
    const may = liveAudience(w.db);
    const mount = `/live/${id}.ogg`;
    expect([may(mount, 'st-an-hoa'), may(mount, 'st-tan-an'), may(mount, 'st-le-binh')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(may('/live/lv-khong-co.ogg', 'st-an-hoa')).toBe(false);
    expect(may('/live/../relay/x.ogg', 'st-an-hoa')).toBe(false);
    expect(may('/relay/abc.ogg', 'st-le-binh')).toBe(true); // the relay mounts' own rules apply
    await w.call('POST', `/api/live/${id}/end`);
    expect(may(mount, 'st-an-hoa')).toBe(false);
  });

  it('answers 503 with the reason when there is no stream server', async () => {
    const ctl = await makeController();
    try {
      const r = await ctl.call('POST', '/api/live', session());
      expect(r.status).toBe(503);
      expect(r.body).toMatchObject({ error: 'no_stream_server' });
      expect(r.body.message).toMatch(/apt-get install icecast2/);
    } finally {
      ctl.cleanup();
    }
  });
});
