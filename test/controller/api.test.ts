// The controller's HTTP API through app.request: auth, validation, stations, campaigns, slots, quiet windows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiSlot, IN_SLOT_DATES, makeController, type TestController } from '../support/controller.ts';

let ctl: TestController;
beforeEach(async () => {
  ctl = await makeController(IN_SLOT_DATES);
});
afterEach(() => ctl.cleanup());

const station = {
  id: 'st-an-hoa',
  name: 'Đài truyền thanh phường An Hòa',
  district: 'ninh-kieu',
  ward: 'an-hoa',
};

/** Inserts a clip row directly so scheduling tests do not depend on ffmpeg. */
function seedClip(id = 'clip-a', durationMs = 30_000) {
  ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at)
       VALUES (?, 't', 't.wav', 'wav/pcm', ?, 1000, ?, '2026-01-01T00:00:00Z')`,
    )
    .run(id, 'a'.repeat(64), durationMs);
}

const slot = (extra: object = {}) => apiSlot(['clip-a'], extra);

describe('auth', () => {
  it('refuses a wrong password and unauthenticated calls', async () => {
    const bad = await ctl.app.request('/api/auth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'nope' }),
    });
    expect(bad.status).toBe(401);
    expect((await ctl.app.request('/api/stations')).status).toBe(401);
    expect((await ctl.call('GET', '/api/stations', undefined, 'ut_forged')).status).toBe(401);
  });

  // which operations need a credential, and that they refuse without one: test/security/openapi-auth.test.ts
  it('the OpenAPI document lists the resources', async () => {
    const doc = (await (await ctl.app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/stations',
        '/api/clips',
        '/api/campaigns',
        '/api/slots',
        '/api/quiet-windows',
        '/api/plays',
      ]),
    );
  });

  it('a station secret only downloads clips', async () => {
    const { body } = await ctl.call('POST', '/api/stations', station);
    expect((await ctl.call('GET', '/api/stations', undefined, body.secret)).status).toBe(403);
  });
});

describe('stations', () => {
  it('creates a station, answers its secret once, and publishes its desired state', async () => {
    const res = await ctl.call('POST', '/api/stations', station);
    expect(res.status).toBe(201);
    expect(res.body.secret).toMatch(/^st_/);
    expect(res.body.station).toMatchObject({
      id: 'st-an-hoa',
      timezone: 'Asia/Ho_Chi_Minh',
      desiredVersion: 1,
    });
    expect(ctl.published.at(-1)).toMatchObject({ version: 1, station: { id: 'st-an-hoa' }, slots: [] });
    const list = await ctl.call('GET', '/api/stations');
    expect(JSON.stringify(list.body)).not.toContain(res.body.secret);
  });

  it('refuses bad input with the reason and changes nothing', async () => {
    await ctl.call('POST', '/api/stations', station);
    const cases = [
      [{ ...station, id: 'st-2', timezone: 'Mars/Olympus' }, 'time zone'],
      [{ ...station, id: '../etc' }, 'id'],
      [{ ...station, id: 'st-3', extra: 1 }, 'extra'],
      [{ name: 'x' }, 'district'],
    ] as const;
    for (const [body, word] of cases) {
      const r = await ctl.call('POST', '/api/stations', body);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body)).toContain(word);
    }
    expect((await ctl.call('POST', '/api/stations', station)).status).toBe(409);
    expect((await ctl.call('GET', '/api/stations')).body).toHaveLength(1);
  });
});

describe('slots and quiet windows', () => {
  beforeEach(async () => {
    await ctl.call('POST', '/api/stations', station);
    seedClip();
  });

  it('refuses a slot with an unknown clip, an invalid time, an unknown station or campaign', async () => {
    const before = ctl.published.length;
    const bad: [object, number, string][] = [
      [slot({ clipIds: ['clip-nope'] }), 400, "clip 'clip-nope' does not exist"],
      [slot({ startTime: '25:00' }), 400, 'HH:MM'],
      [slot({ startDate: '2026-02-30' }), 400, 'calendar'],
      [slot({ endDate: '2026-10-01' }), 400, 'endDate'],
      [slot({ target: { scope: 'station', id: 'st-ghost' } }), 400, "station 'st-ghost' does not exist"],
      [slot({ target: { scope: 'area', id: 'tan-an' } }), 400, "area 'tan-an' does not exist"],
      [slot({ target: { scope: 'ward', id: 'tan-an' } }), 400, "no ward area 'tan-an'"],
      [slot({ campaignId: 'camp-x' }), 400, "campaign 'camp-x' does not exist"],
      [slot({ weekdays: [] }), 400, 'weekday'],
    ];
    for (const [body, status, message] of bad) {
      const r = await ctl.call('POST', '/api/slots', body);
      expect(r.status, message).toBe(status);
      expect(r.body.message).toContain(message);
    }
    expect((await ctl.call('GET', '/api/slots')).body).toEqual([]);
    expect(ctl.published.length).toBe(before);
  });

  it('a new slot and quiet window give the station a new desired state and show in its preview', async () => {
    const s = await ctl.call('POST', '/api/slots', slot({ id: 'slot-chieu' }));
    expect(s.status).toBe(201);
    const q = await ctl.call('POST', '/api/quiet-windows', {
      weekdays: [1, 2, 3, 4, 5, 6],
      startTime: '13:30',
      endTime: '17:45',
      startDate: '2026-11-01',
      endDate: '2026-12-31',
      reason: 'online-class',
      target: { scope: 'city' },
    });
    expect(q.status).toBe(201);
    const last = ctl.published.at(-1);
    expect(last?.version).toBe(3);
    expect(last?.slots.map((x) => x.id)).toEqual(['slot-chieu']);
    expect(last?.clips.map((c) => c.id)).toEqual(['clip-a']);

    // 2026-11-29 is a Sunday (no class): plays; Monday 30th: skipped for online classes.
    const tt = await ctl.call(
      'GET',
      '/api/stations/st-an-hoa/timetable?from=2026-11-29T00:00:00%2B07:00&to=2026-12-01T00:00:00%2B07:00',
    );
    expect(tt.status).toBe(200);
    expect(tt.body.map((e: { status: string }) => e.status)).toEqual(['scheduled', 'skipped']);
    expect(tt.body[0].startsAt).toBe('2026-11-29T10:30:00.000Z');
    expect(tt.body[1].skip).toMatchObject({ code: 'quiet-window', quietReason: 'online-class' });
  });

  it('patches validate the whole result; deleting a used clip is refused', async () => {
    await ctl.call('POST', '/api/slots', slot({ id: 'slot-chieu' }));
    expect((await ctl.call('PATCH', '/api/slots/slot-chieu', { startTime: '5pm' })).status).toBe(400);
    const ok = await ctl.call('PATCH', '/api/slots/slot-chieu', { startTime: '18:00' });
    expect(ok.body.startTime).toBe('18:00');
    expect((await ctl.call('DELETE', '/api/clips/clip-a')).status).toBe(409);
    expect((await ctl.call('DELETE', '/api/slots/slot-chieu')).status).toBe(204);
    expect((await ctl.call('DELETE', '/api/clips/clip-a')).status).toBe(204);
  });

  it('a campaign bounds its slots and deleting it removes them', async () => {
    const c = await ctl.call('POST', '/api/campaigns', {
      id: 'camp-xet-nghiem',
      name: 'Xét nghiệm là then chốt',
      startDate: '2026-11-23',
      endDate: '2026-11-30',
    });
    expect(c.status).toBe(201);
    const outside = await ctl.call('POST', '/api/slots', slot({ campaignId: 'camp-xet-nghiem' }));
    expect(outside.status).toBe(400);
    const inside = await ctl.call(
      'POST',
      '/api/slots',
      slot({ campaignId: 'camp-xet-nghiem', startDate: '2026-11-23', endDate: '2026-11-30' }),
    );
    expect(inside.status).toBe(201);
    expect((await ctl.call('GET', '/api/campaigns/camp-xet-nghiem')).body.slots).toHaveLength(1);
    expect((await ctl.call('DELETE', '/api/campaigns/camp-xet-nghiem')).status).toBe(204);
    expect((await ctl.call('GET', '/api/slots')).body).toEqual([]);
  });
});

describe('health and metrics', () => {
  it('serves /healthz and Prometheus text', async () => {
    expect((await ctl.app.request('/healthz')).status).toBe(200);
    const m = await (await ctl.app.request('/metrics')).text();
    expect(m).toContain('loa_stations 0');
  });
});
