// An emergency is stored before it is announced, and the API call does not wait for the announcement:
// handing a bulletin to the embedded broker writes it to every subscribed station on the controller's
// thread (about 1 s at 5,000 stations, docs/scale.md), so it goes out at the next turn of the loop.
import { afterEach, describe, expect, it } from 'vitest';
import { makeController } from '../../support/controller.ts';

type Ctl = Awaited<ReturnType<typeof makeController>>;
let ctl: Ctl | null = null;
afterEach(() => ctl?.cleanup());

describe('POST /api/alerts, stored then announced', () => {
  it('answers first; each publish finds the bulletin and its station rows already stored', async () => {
    const seen: { topic: string; answered: boolean; alerts: number; rows: number }[] = [];
    let answered = false;
    const c = await makeController(
      { now: () => new Date('2026-11-26T03:00:00Z') },
      {},
      {
        bus: {
          publish: (topic) => {
            const db = (ctl as Ctl).db;
            const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
            seen.push({
              topic,
              answered,
              alerts: count('SELECT COUNT(*) AS n FROM alerts'),
              rows: count('SELECT COUNT(*) AS n FROM alert_stations'),
            });
          },
        },
      },
    );
    ctl = c;
    for (const id of ['st-a', 'st-b'])
      expect(
        (await c.call('POST', '/api/stations', { id, name: `Đài ${id}`, district: 'd1', ward: id })).status,
      ).toBe(201);
    c.db
      .prepare(
        `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at, status)
         VALUES ('clip-a', 't', 't', 'wav', ?, 10, 30000, '2026-01-01T00:00:00Z', 'approved')`,
      )
      .run('a'.repeat(64));
    const r = await c.call('POST', '/api/alerts', {
      level: 'emergency',
      title: 'Cảnh báo',
      reason: 'Bão số 5',
      clipId: 'clip-a',
      targets: [{ scope: 'city' }],
    });
    answered = true;
    expect(r.status).toBe(201);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.map((s) => s.topic)).toEqual([`loa/v1/alerts/area/city/${r.body.id}`]);
    expect(seen[0]).toMatchObject({ answered: true, alerts: 1, rows: 2 });
  });
});
