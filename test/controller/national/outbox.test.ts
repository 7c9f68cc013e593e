// The national outbox on a real SQLite file with a fake clock and a fake province API (the remote service):
// retries with backoff, the steps a retry does not repeat, one key per item per province, a province down
// for a while then back (sent once), a refusal kept with its reason.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.ts';
import { openDb } from '../../../controller/db.ts';
import type { Answer, NationalClient } from '../../../controller/national/client.ts';
import { createSender } from '../../../controller/national/sender.ts';
import { parseNationalSettings } from '../../../controller/national/settings.ts';
import { addItem, cancelItem, sendsOf } from '../../../controller/national/store.ts';
import { ProvinceFailure } from '../../../controller/province/client.ts';
import { tempDir } from '../../support/temp.ts';

const dirs: { cleanup(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

const settings = parseNationalSettings({
  provinces: ['can-tho', 'hau-giang'].map((id) => ({
    id,
    name: id,
    baseUrl: 'http://127.0.0.1:1',
    sender: { username: 'quoc-gia', password: 'x' },
  })),
  retry: { minSeconds: 2, maxSeconds: 60 },
});

/** A province that keeps what it was asked, answers an Idempotency-Key's first id again, and can be down. */
function fakeProvince(name: string) {
  const created = new Map<string, string>();
  const calls: string[] = [];
  const p = { down: false, refuse: null as string | null, calls, created };
  const outage = () => new ProvinceFailure('outage', `${name}: no connection`, `${name}: không kết nối được`);
  const client: NationalClient = {
    async call(method, url, o = {}): Promise<Answer> {
      calls.push(`${method} ${url}`);
      if (p.down) throw outage();
      if (url === '/api/areas') return { status: 200, body: { areas: [{ id: 'root' }] } };
      if (p.refuse)
        throw new ProvinceFailure(
          'refused',
          `${name} answered 400: ${p.refuse}`,
          `${name} trả lời 400: lý do`,
        );
      const key = o.key as string;
      if (!created.has(key)) created.set(key, `${url.split('/')[2]}-${created.size + 1}`);
      return { status: 201, body: { id: created.get(key) } };
    },
    async upload() {
      calls.push('UPLOAD');
      if (p.down) throw outage();
      return { status: 201, body: { id: 'clip-1' } };
    },
  };
  return { ...p, p, client };
}

function setup() {
  const tmp = tempDir('national-outbox');
  dirs.push(tmp);
  const db = openDb(path.join(tmp.dir, 'n.db'));
  let now = new Date('2026-12-05T08:00:00Z');
  const clock = { now: () => now };
  const ct = fakeProvince('Cần Thơ');
  const hg = fakeProvince('Hậu Giang');
  const sender = createSender({
    db,
    clock,
    log: silentLogger,
    settings,
    clients: new Map([
      ['can-tho', ct.client],
      ['hau-giang', hg.client],
    ]),
    clipFile: () => ({ file: '/dev/null', title: 'clip' }),
    random: () => 1,
  });
  const item = (id: string, level = 'emergency') =>
    addItem(
      db,
      {
        id,
        kind: 'bulletin',
        level,
        title: 'Cảnh báo',
        body: JSON.stringify({
          level,
          title: 'Cảnh báo',
          reason: 'bão',
          clipId: 'c',
          ignoreQuietWindows: false,
        }),
        clip_id: 'c',
        created_by: 'admin',
      },
      ['can-tho', 'hau-giang'],
      level === 'emergency',
      now.toISOString(),
    );
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };
  return { db, ct, hg, sender, item, advance, rows: (id: string) => sendsOf(db, id) };
}

describe('national outbox', () => {
  it('sends to every province; a province down waits with backoff and is sent once when back', async () => {
    const t = setup();
    t.hg.p.down = true;
    t.item('nat-1');
    expect(await t.sender.runDue()).toEqual({ accepted: 1, refused: 0, waiting: 1 });
    let [ct, hg] = t.rows('nat-1');
    expect(ct).toMatchObject({ state: 'accepted', remote_id: 'alerts-1' });
    // first retry after min + jitter (random 1: min·2^0 = 2 s more), capped at 60 s
    expect(hg).toMatchObject({ state: 'waiting', attempts: 1, next_at: '2026-12-05T08:00:04.000Z' });
    expect(hg?.error_vi).toMatch(/không kết nối được/);
    expect(await t.sender.runDue()).toEqual({ accepted: 0, refused: 0, waiting: 0 });
    t.advance(4000);
    await t.sender.runDue();
    expect(t.rows('nat-1')[1]).toMatchObject({ attempts: 2, next_at: '2026-12-05T08:00:10.000Z' });
    for (let i = 0; i < 8; i++) {
      t.advance(60_000);
      await t.sender.runDue();
    }
    hg = t.rows('nat-1')[1];
    expect(hg?.attempts).toBe(10);
    // never more than the maximum apart
    expect(
      new Date(hg?.next_at as string).getTime() - Date.parse('2026-12-05T08:08:10Z'),
    ).toBeLessThanOrEqual(60_000);
    t.hg.p.down = false;
    t.advance(60_000);
    await t.sender.runDue();
    [ct, hg] = t.rows('nat-1');
    expect(hg).toMatchObject({ state: 'accepted', remote_id: 'alerts-1', attempts: 11 });
    expect(t.hg.created.size).toBe(1);
    expect(t.ct.created.size).toBe(1);
    t.advance(600_000);
    await t.sender.runDue();
    expect(t.hg.calls.filter((c) => c === 'POST /api/alerts')).toHaveLength(1);
    // a second item with the same recording finds its copy there
    t.item('nat-1b');
    await t.sender.runDue();
    expect(t.hg.calls.filter((c) => c === 'UPLOAD')).toHaveLength(1);
  });

  it('a retry goes on from the last step done, under the same key', async () => {
    const t = setup();
    t.item('nat-2');
    const post = t.hg.client.call;
    let failOnce = true;
    t.hg.client.call = async (m, u, o) => {
      if (u === '/api/alerts' && failOnce) {
        failOnce = false;
        // the province took it but the answer was lost
        await post(m, u, o);
        throw new ProvinceFailure('outage', 'no answer in 15 s', 'không trả lời sau 15 giây');
      }
      return post(m, u, o);
    };
    await t.sender.runDue();
    t.advance(10_000);
    await t.sender.runDue();
    expect(t.rows('nat-2')[1]).toMatchObject({ state: 'accepted', remote_id: 'alerts-1' });
    expect(t.hg.calls.filter((c) => c === 'UPLOAD')).toHaveLength(1);
    expect(t.hg.created.size).toBe(1);
    expect([...t.hg.created.keys()]).toEqual(['national.nat-2.hau-giang.alert']);
  });

  it('keeps a refusal with its reason in both languages and does not send it again', async () => {
    const t = setup();
    t.ct.p.refuse = 'expiresAt is already past';
    t.item('nat-3');
    expect(await t.sender.runDue()).toEqual({ accepted: 1, refused: 1, waiting: 0 });
    const [ct] = t.rows('nat-3');
    expect(ct).toMatchObject({ state: 'refused', attempts: 1, error_vi: 'Cần Thơ trả lời 400: lý do' });
    expect(ct?.error).toMatch(/expiresAt is already past/);
    t.advance(3_600_000);
    await t.sender.runDue();
    expect(t.ct.calls.filter((c) => c === 'POST /api/alerts')).toHaveLength(1);
  });

  it('sends emergencies first', async () => {
    const t = setup();
    t.item('nat-normal', 'normal');
    t.item('nat-emergency', 'emergency');
    const order: string[] = [];
    const post = t.ct.client.call;
    t.ct.client.call = async (m, u, o) => {
      if (u === '/api/alerts') order.push(o?.key as string);
      return post(m, u, o);
    };
    await t.sender.runDue();
    expect(order[0]).toBe('national.nat-emergency.can-tho.alert');
  });

  it('two passes at once (a kick while one runs) send each row once', async () => {
    const t = setup();
    t.item('nat-a');
    t.item('nat-b');
    await Promise.all([t.sender.runDue(), t.sender.runDue(), t.sender.runDue()]);
    for (const p of [t.ct, t.hg]) expect(p.calls.filter((c) => c === 'POST /api/alerts')).toHaveLength(2);
    expect(t.rows('nat-a').map((r) => r.attempts)).toEqual([1, 1]);
  });

  it('withdraws a bulletin where the province has it, and stops it where it was never made', async () => {
    const t = setup();
    t.hg.p.down = true;
    t.item('nat-w');
    await t.sender.runDue();
    expect(cancelItem(t.db, 'nat-w', 'Bão đã tan', '2026-12-05T08:00:01.000Z')).toBe(true);
    expect(cancelItem(t.db, 'nat-w', null, '2026-12-05T08:00:02.000Z')).toBe(false);
    t.advance(1000);
    await t.sender.runDue();
    const [ct, hg] = t.rows('nat-w');
    expect(ct).toMatchObject({ state: 'cancelled', remote_id: 'alerts-1' });
    expect(t.ct.calls).toContain('POST /api/alerts/alerts-1/cancel');
    // Hậu Giang never made it: stopped without asking, even when it is back
    expect(hg).toMatchObject({ state: 'cancelled', remote_id: null });
    t.hg.p.down = false;
    t.advance(600_000);
    await t.sender.runDue();
    expect(t.hg.calls.filter((c) => c.startsWith('POST'))).toEqual([]);
  });
});
