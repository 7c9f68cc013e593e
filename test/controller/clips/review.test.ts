// Clip review: drafts wait for a reviewer; only approved clips are scheduled and sent to stations;
// rejections keep their reason; a retired clip keeps playing where it is scheduled and is not deleted.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tone } from '../../audio/fixtures.ts';
import { AN_HOA, apiSlot, makeController, type TestController } from '../../support/controller.ts';
import { tempDir } from '../../support/temp.ts';

let ctl: TestController;
const tokens: Record<string, string> = {};
let stationSecret = '';
const tmp = tempDir('clips-review');
const clock = { now: () => new Date('2026-11-26T03:00:00Z') };

const as = (who: string) => (method: string, url: string, body?: unknown) =>
  ctl.call(method, url, body, tokens[who]);
const slot = (id: string, clipIds: string[], extra: object = {}) => apiSlot(clipIds, { id, ...extra });
/** What a station gets when it downloads the clip's audio with its secret. */
const stationFetch = async (clipId: string) =>
  (
    await ctl.app.request(`/api/clips/${clipId}/audio`, {
      headers: { authorization: `Bearer ${stationSecret}` },
    })
  ).status;
const lastDesired = () => ctl.published.filter((s) => s.station.id === 'st-an-hoa').at(-1);

async function uploadDraft(seconds: number, title: string) {
  const file = tone(path.join(tmp.dir, `${title}.wav`), seconds, ['-ar', '16000']);
  const r = await ctl.upload(`${title}.wav`, readFileSync(file), title, tokens.kt, '?wait=true');
  expect(r.status).toBe(201);
  expect(r.body.status).toBe('draft');
  return r.body as { id: string; sha256: string };
}

beforeAll(async () => {
  ctl = await makeController(clock);
  const st = await ctl.call('POST', '/api/stations', AN_HOA);
  stationSecret = st.body.secret;
  tokens.kt = await ctl.tokenFor('kt-ninh-kieu', 'technician', { districts: ['ninh-kieu'] });
  tokens.duyet = await ctl.tokenFor('duyet', 'reviewer');
  tokens.xem = await ctl.tokenFor('xem', 'viewer');
}, 30_000);
afterAll(() => {
  ctl.cleanup();
  tmp.cleanup();
});

describe('review', () => {
  it('a draft cannot be scheduled or fetched by a station until a reviewer approves it', async () => {
    const clip = await uploadDraft(1, 'nhap');
    const refused = await ctl.call('POST', '/api/slots', slot('slot-nhap', [clip.id]));
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/draft: a reviewer must approve it/);
    expect(await stationFetch(clip.id)).toBe(404);

    // only reviewers (and admin) review; technicians and viewers are told which role it needs
    expect((await as('kt')('POST', `/api/clips/${clip.id}/approve`)).status).toBe(403);
    expect((await as('xem')('POST', `/api/clips/${clip.id}/approve`)).status).toBe(403);
    expect((await as('duyet')('POST', '/api/clips', {})).status).toBe(403); // reviewers do not upload
    const ok = await as('duyet')('POST', `/api/clips/${clip.id}/approve`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      status: 'approved',
      reviewedBy: 'duyet',
      reviewedAt: clock.now().toISOString(),
    });
    // a station fetches only what its own desired state names
    expect(await stationFetch(clip.id)).toBe(404);

    const scheduled = await ctl.call('POST', '/api/slots', slot('slot-nhap', [clip.id]));
    expect(scheduled.status).toBe(201);
    expect(await stationFetch(clip.id)).toBe(200);
    expect(lastDesired()?.clips.map((c) => c.id)).toEqual([clip.id]);
    expect((await as('duyet')('POST', `/api/clips/${clip.id}/approve`)).status).toBe(409);
    expect((await as('duyet')('POST', `/api/clips/${clip.id}/reject`, { reason: 'muộn' })).status).toBe(409);
    await ctl.call('DELETE', '/api/slots/slot-nhap');
  });

  it('a rejected clip keeps the reviewer reason, which the uploader sees again on re-upload', async () => {
    const clip = await uploadDraft(1.5, 'sai-ngay');
    expect((await as('duyet')('POST', `/api/clips/${clip.id}/reject`, {})).status).toBe(400);
    const r = await as('duyet')('POST', `/api/clips/${clip.id}/reject`, {
      reason: 'Sai ngày tiêm: 28/11, không phải 27/11',
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'rejected', reason: 'Sai ngày tiêm: 28/11, không phải 27/11' });
    const slotTry = await ctl.call('POST', '/api/slots', slot('slot-sai', [clip.id]));
    expect(slotTry.status).toBe(400);
    expect(slotTry.body.message).toContain('Sai ngày tiêm');
    const again = await ctl.upload(
      'sai-ngay.wav',
      readFileSync(path.join(tmp.dir, 'sai-ngay.wav')),
      'x',
      tokens.kt,
    );
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      id: clip.id,
      status: 'rejected',
      reason: expect.stringContaining('28/11'),
    });
    // a reviewer may change their mind
    expect((await as('duyet')('POST', `/api/clips/${clip.id}/approve`)).body.status).toBe('approved');
  });

  it('nobody but admin reviews a clip they uploaded themselves', async () => {
    const clip = await uploadDraft(1.2, 'tu-duyet');
    ctl.db.prepare("UPDATE clips SET uploaded_by = 'duyet' WHERE id = ?").run(clip.id);
    const r = await as('duyet')('POST', `/api/clips/${clip.id}/approve`);
    expect(r.status).toBe(403);
    expect(r.body.message).toMatch(/someone other than the person who uploaded it/);
    expect((await ctl.call('GET', `/api/clips/${clip.id}`)).body.status).toBe('draft');
  });
});

describe('retiring', () => {
  it('keeps the clip on air where it is scheduled, refuses new uses, and keeps it until no slot needs it', async () => {
    const clip = await uploadDraft(2, 'cu');
    await as('duyet')('POST', `/api/clips/${clip.id}/approve`);
    expect((await ctl.call('POST', '/api/slots', slot('slot-cu', [clip.id]))).status).toBe(201);
    const version = lastDesired()?.version;

    const retired = await as('kt')('POST', `/api/clips/${clip.id}/retire`);
    expect(retired.status).toBe(200);
    expect(retired.body.status).toBe('retired');
    // the station's content did not change: no new version, the clip still in it
    expect(lastDesired()?.version).toBe(version);
    expect(lastDesired()?.clips.map((c) => c.id)).toContain(clip.id);
    expect(await stationFetch(clip.id)).toBe(200);

    const newUse = await ctl.call('POST', '/api/slots', slot('slot-moi', [clip.id]));
    expect(newUse.status).toBe(400);
    expect(newUse.body.message).toMatch(/retired/);
    // the slot that has it can still be moved
    expect((await ctl.call('PATCH', '/api/slots/slot-cu', { startTime: '18:00' })).status).toBe(200);

    const del = await ctl.call('DELETE', `/api/clips/${clip.id}`);
    expect(del.status).toBe(409);
    expect(del.body.message).toContain('slot-cu');
    const file = path.join(ctl.dataDir, 'clips', clip.sha256.slice(0, 2), `${clip.sha256}.opus`);
    expect(existsSync(file)).toBe(true);

    await ctl.call('DELETE', '/api/slots/slot-cu');
    expect(lastDesired()?.clips.map((c) => c.id)).not.toContain(clip.id);
    expect(await stationFetch(clip.id)).toBe(404);
    expect((await as('kt')('DELETE', `/api/clips/${clip.id}`)).status).toBe(204);
    expect(existsSync(file)).toBe(false);
    expect((await ctl.call('GET', `/api/clips/${clip.id}`)).status).toBe(404);
  });

  it('a retired clip can be reinstated by a reviewer; drafts cannot be retired', async () => {
    const clip = await uploadDraft(2.5, 'lai');
    expect((await as('kt')('POST', `/api/clips/${clip.id}/retire`)).status).toBe(409);
    await as('duyet')('POST', `/api/clips/${clip.id}/approve`);
    await as('kt')('POST', `/api/clips/${clip.id}/retire`);
    expect((await as('duyet')('POST', `/api/clips/${clip.id}/approve`)).body.status).toBe('approved');
    const listed = await ctl.call('GET', '/api/clips?status=approved');
    expect(listed.body.map((c: { id: string }) => c.id)).toContain(clip.id);
  });
});
