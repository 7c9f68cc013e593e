// The edge guard: whatever fails inside, an answer shows no server path, stack frame or SQL; a
// database constraint that fires is a 409 in plain words, any other database failure a bare 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redact } from '../../../controller/http/errors.ts';
import { LEAK } from '../../support/clip-store.ts';
import { makeController, type TestController } from '../../support/controller.ts';

let ctl: TestController;
const campaign = { name: 'Tiêm chủng', startDate: '2026-11-01', endDate: '2026-11-30' };

beforeAll(async () => {
  ctl = await makeController();
  expect(
    (await ctl.call('POST', '/api/stations', { id: 'st-a', name: 'Đài A', district: 'd-1', ward: 'w-1' }))
      .status,
  ).toBe(201);
});
afterAll(() => ctl.cleanup());

describe('answers from failures inside', () => {
  it('a uniqueness constraint that fires (two requests racing) is a 409 that quotes no SQL, and stores nothing', async () => {
    // stands in for the race: the insert's own check passed, then SQLite refuses a duplicate key
    ctl.db.exec(
      'CREATE TEMP TRIGGER race AFTER INSERT ON main.campaigns BEGIN INSERT INTO main.stations SELECT * FROM main.stations LIMIT 1; END',
    );
    try {
      const r = await ctl.call('POST', '/api/campaigns', campaign);
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({
        error: 'conflict',
        message: 'a record with the same id or name already exists',
      });
      expect(JSON.stringify(r.body)).not.toMatch(/SQLITE|constraint|stations\.id/);
      expect(ctl.db.prepare('SELECT COUNT(*) FROM campaigns').pluck().get()).toBe(0);
    } finally {
      ctl.db.exec('DROP TRIGGER temp.race');
    }
  });

  it('any other database failure is a 500 saying only that', async () => {
    ctl.db.pragma('query_only = ON');
    try {
      const r = await ctl.call('POST', '/api/campaigns', campaign);
      expect(r.status).toBe(500);
      expect(r.body).toEqual({ error: 'internal', message: 'internal error' });
    } finally {
      ctl.db.pragma('query_only = OFF');
    }
  });

  it('a route that does not exist is named without showing a server path', async () => {
    const r = await ctl.call('GET', '/work/main/data/tmp/0a1b.upload');
    expect(r.status).toBe(404);
    expect(JSON.stringify(r.body)).not.toMatch(LEAK);
    expect(r.body.message).toBe('no route GET (server file)');
  });
});

describe('redact', () => {
  it.each([
    [
      'clip rejected: /work/main/data/tmp/9f0c.upload: not a recognised audio file',
      'clip rejected: (server file): not a recognised audio file',
    ],
    [
      "ENOENT: no such file or directory, open '/var/lib/loa/clips/ab/ab.opus'",
      "ENOENT: no such file or directory, open '(server file)'",
    ],
    ['boom\n    at transcode (/home/pi/loa/controller/clips/process.ts:61:13)\n    at async run', 'boom'],
    ['UNIQUE constraint failed: stations.id', '(database detail)'],
    ['SQLITE_BUSY: database is locked', '(database detail): database is locked'],
  ])('%s', (text, expected) => {
    expect(redact(text)).toEqual({ text: expected, changed: true });
  });

  it('leaves what names no server file alone: routes, ids, Vietnamese text', () => {
    for (const text of [
      'no route GET /api/clips/x/audio',
      "station 'st-ninh-kieu' not found",
      'Tạm dừng phát: giờ học trực tuyến 07:00-11:00',
      'invalid body: startDate: must be YYYY-MM-DD',
    ]) {
      expect(redact(text)).toEqual({ text, changed: false });
    }
  });
});
