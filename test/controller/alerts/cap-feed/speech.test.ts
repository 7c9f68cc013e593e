// A CAP alert with no audio but a Vietnamese <description>: its clip is spoken (espeak-ng, for real)
// through the text-clip pipeline. An emergency goes out at once with the processed draft, as a bulletin a
// station plays (an Opus file under its hash); a priority alert waits for the spoken clip's review; a
// description in another language is refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { probeAudio, resolveFfmpeg } from '../../../../audio/index.ts';
import { clipPath } from '../../../../controller/clips/files.ts';
import type { TestController } from '../../../support/controller.ts';
import { alertCount, capWorld, postCap } from '../cap/world.ts';
import {
  alertRows,
  atomFeed,
  capDoc,
  entriesOf,
  feedOf,
  pollerFor,
  type WarningService,
  warningService,
} from './world.ts';

let now = new Date('2026-11-26T03:00:00Z');
const clock = { now: () => now };
let ctl: TestController;
let service: WarningService;
beforeEach(async () => {
  now = new Date('2026-11-26T03:00:00Z');
  ctl = await capWorld(clock);
  service = await warningService();
});
afterEach(async () => {
  await service.close();
  ctl.cleanup();
});

const clipCount = () => (ctl.db.prepare('SELECT COUNT(*) AS n FROM clips').get() as { n: number }).n;
/** A short text for the tests about review: less audio to process. */
const SHORT = 'Mưa lớn tại phường An Hòa.';
const SPOKEN =
  'Lũ quét đang xảy ra tại phường An Hòa. Người dân di chuyển ngay lên chỗ cao, không đi qua ngầm, tràn.';

// real speech and the real broadcast pipeline on a shared 2-core machine: more time than the default
describe('speech from a CAP description', { timeout: 90_000 }, () => {
  it('speaks an emergency at once and publishes a bulletin a station would play', async () => {
    service.answers.set('/cap/khan-cap.xml', {
      body: capDoc({ identifier: 'KC-1', severity: 'Extreme', urgency: 'Immediate', description: SPOKEN }),
    });
    service.answers.set('/feed.atom', { body: atomFeed(service.base, ['/cap/khan-cap.xml']) });
    const feed = feedOf(service.base);
    const { poller, published } = pollerFor(ctl, clock, [feed]);
    await poller.tick();

    const [row] = alertRows(ctl);
    expect(row).toMatchObject({ level: 'emergency' });
    const clip = ctl.db.prepare('SELECT * FROM clips WHERE id = ?').get(row?.clip_id) as Record<
      string,
      unknown
    >;
    // a processed draft: an emergency does not wait for a reviewer
    expect(clip).toMatchObject({ status: 'draft' });
    expect(String(clip.title)).toMatch(/\(đọc tự động: espeak-ng:/);
    const text = ctl.db.prepare('SELECT * FROM clip_texts WHERE clip_id = ?').get(row?.clip_id) as Record<
      string,
      unknown
    >;
    expect(text).toMatchObject({ text: SPOKEN, engine: 'espeak-ng' });
    expect(String(text.spoken)).toMatch(/^Lũ quét đang xảy ra/);
    expect(String(entriesOf(ctl, feed.url).get('/cap/khan-cap.xml')?.reason)).toMatch(/spoken by espeak-ng:/);

    // what the station receives: the bulletin naming the clip by its hash, and the file under it
    const message = published.find((m) => m.payload.includes(String(row?.id)));
    const payload = JSON.parse(message?.payload ?? '{}');
    expect(payload).toMatchObject({ level: 'emergency', clip: { id: row?.clip_id, sha256: clip.sha256 } });
    const probe = await probeAudio(resolveFfmpeg(process.env), clipPath(ctl.dataDir, String(clip.sha256)));
    expect(probe.codec).toBe('opus');
    expect(probe.durationMs).toBeGreaterThan(2000);
  });

  it('holds a priority alert until its spoken clip is approved, then issues it at the next poll', async () => {
    service.answers.set('/cap/uu-tien.xml', { body: capDoc({ identifier: 'UT-1', description: SHORT }) });
    service.answers.set('/feed.atom', { body: atomFeed(service.base, ['/cap/uu-tien.xml']) });
    const feed = feedOf(service.base);
    const { poller } = pollerFor(ctl, clock, [feed]);
    await poller.tick();
    const held = entriesOf(ctl, feed.url).get('/cap/uu-tien.xml');
    expect(held).toMatchObject({ state: 'held' });
    expect(String(held?.reason_vi)).toMatch(/đang chờ duyệt/);
    expect(alertCount(ctl)).toBe(0);
    const clips = clipCount();

    // not reviewed yet: the next poll neither speaks again nor issues
    now = new Date(now.getTime() + 120_000);
    await poller.tick();
    expect(clipCount()).toBe(clips);
    expect(alertCount(ctl)).toBe(0);

    const approved = await ctl.call('POST', `/api/clips/${held?.clip_id}/approve`, {});
    expect(approved.status).toBe(200);
    now = new Date(now.getTime() + 120_000);
    await poller.tick();
    expect(entriesOf(ctl, feed.url).get('/cap/uu-tien.xml')).toMatchObject({
      state: 'imported',
      document: null,
    });
    expect(alertRows(ctl)).toMatchObject([{ level: 'priority', clip_id: held?.clip_id }]);
    expect(clipCount()).toBe(clips);
  });

  it('refuses a held alert for good once it expires unreviewed', async () => {
    const doc = capDoc({ identifier: 'UT-3', description: SHORT, expires: '2026-11-26T10:30:00+07:00' });
    service.answers.set('/cap/uu-tien.xml', { body: doc });
    service.answers.set('/feed.atom', { body: atomFeed(service.base, ['/cap/uu-tien.xml']) });
    const feed = feedOf(service.base);
    const { poller } = pollerFor(ctl, clock, [feed]);
    await poller.tick();
    expect(entriesOf(ctl, feed.url).get('/cap/uu-tien.xml')).toMatchObject({ state: 'held' });
    now = new Date(now.getTime() + 40 * 60_000);
    await poller.tick();
    const entry = entriesOf(ctl, feed.url).get('/cap/uu-tien.xml');
    expect(entry).toMatchObject({ state: 'refused', document: null });
    expect(String(entry?.reason)).toMatch(/alert\/info\/expires/);
    expect(alertCount(ctl)).toBe(0);
  });

  it('over the API: 409 naming the clip to review; sent again once approved, it is issued with that clip', async () => {
    const doc = capDoc({ identifier: 'UT-2', description: SHORT });
    const first = await postCap(ctl, doc);
    expect(first.status).toBe(409);
    expect(first.body.error).toBe('cap_awaiting_review');
    const clipId = first.body.details[0].clipId;
    expect(first.body.details[0].messageVi).toMatch(/^Văn bản CAP chưa phát: /);
    expect((await ctl.call('POST', `/api/clips/${clipId}/approve`, {})).status).toBe(200);
    const again = await postCap(ctl, doc);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ level: 'priority', clipId, speech: { clipId, engine: 'espeak-ng' } });
  });

  it('refuses a description in another language, and says why in both', async () => {
    const r = await postCap(
      ctl,
      capDoc({ identifier: 'EN-1', language: 'en-US', description: 'Flash flood.' }),
    );
    expect(r.status).toBe(400);
    expect(r.body.details[0]).toMatchObject({ path: 'alert/info/language' });
    expect(r.body.details[0].messageVi).toMatch(/chỉ đọc tự động phần mô tả tiếng Việt/);
    expect(clipCount()).toBe(2);
  });

  it('checks the bulletin before speaking: an unknown area or a past expiry speaks nothing', async () => {
    const nowhere = capDoc({ identifier: 'X-1', severity: 'Extreme', urgency: 'Immediate' }).replace(
      '31117',
      '99999',
    );
    expect((await postCap(ctl, nowhere)).status).toBe(400);
    const past = await postCap(
      ctl,
      capDoc({
        identifier: 'X-2',
        severity: 'Extreme',
        urgency: 'Immediate',
        expires: '2026-11-26T09:00:00+07:00',
      }),
    );
    expect(past.status).toBe(400);
    expect(past.body.details[0]).toMatchObject({ path: 'alert/info/expires' });
    expect(clipCount()).toBe(2);
  });
});
