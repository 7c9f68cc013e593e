// /api/alerts over HTTP: what a bulletin needs (targets, clip, expiry, level), who may send it where,
// the audit trail, the per-station view, cancelling, and the station's clip download permission.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clipPath } from '../../../controller/clips/files.ts';
import { makeController, type TestController } from '../../support/controller.ts';

let ctl: TestController;
let now = new Date('2026-11-26T03:00:00Z');
const clock = { now: () => now };
const tokens: Record<string, string> = {};
const secrets: Record<string, string> = {};

const STATIONS = [
  ['st-an-hoa', 'ninh-kieu', 'an-hoa'],
  ['st-tan-an', 'ninh-kieu', 'tan-an'],
  ['st-le-binh', 'cai-rang', 'le-binh'],
] as const;

const addClip = (id: string, status: string, sha: string) => {
  ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at, status)
       VALUES (?, ?, 't', 'wav', ?, 10, 30000, '2026-01-01T00:00:00Z', ?)`,
    )
    .run(id, `Bản tin ${id}`, sha, status);
  if (sha) {
    const file = clipPath(ctl.dataDir, sha);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, Buffer.alloc(10, 1));
  }
};

beforeEach(async () => {
  now = new Date('2026-11-26T03:00:00Z');
  ctl = await makeController(clock);
  for (const [id, district, ward] of STATIONS) {
    const r = await ctl.call('POST', '/api/stations', { id, name: `Đài ${ward}`, district, ward });
    secrets[id] = r.body.secret;
  }
  tokens['kt-ninh-kieu'] = await ctl.tokenFor('kt-ninh-kieu', 'technician', { districts: ['ninh-kieu'] });
  tokens['kt-cai-rang'] = await ctl.tokenFor('kt-cai-rang', 'technician', { districts: ['cai-rang'] });
  tokens['cb-an-hoa'] = await ctl.tokenFor('cb-an-hoa', 'ward', { ward: 'an-hoa' });
  tokens.xem = await ctl.tokenFor('xem', 'viewer');
  tokens.duyet = await ctl.tokenFor('duyet', 'reviewer');
  addClip('clip-ok', 'approved', 'a'.repeat(64));
  addClip('clip-draft', 'draft', 'b'.repeat(64));
  addClip('clip-busy', 'processing', '');
  addClip('clip-no', 'rejected', 'c'.repeat(64));
  addClip('clip-old', 'retired', 'd'.repeat(64));
});
afterEach(() => ctl.cleanup());

const as = (user: string) => (method: string, url: string, body?: unknown) =>
  ctl.call(method, url, body, tokens[user]);
const bulletin = (over: object = {}) => ({
  level: 'emergency',
  title: 'Cảnh báo lũ',
  reason: 'Nước sông Hậu dâng cao',
  clipId: 'clip-ok',
  targets: [{ scope: 'district', id: 'ninh-kieu' }],
  ...over,
});

describe('sending a bulletin', () => {
  it('stores who sent it, when, the quiet-window choice and one pending row per target station', async () => {
    const r = await ctl.call('POST', '/api/alerts', bulletin({ ignoreQuietWindows: true }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      level: 'emergency',
      issuedBy: 'admin',
      issuedAt: now.toISOString(),
      // an emergency lasts two hours unless the sender says otherwise
      expiresAt: '2026-11-26T05:00:00.000Z',
      ignoreQuietWindows: true,
      status: 'active',
      stationCount: 2,
      clip: { id: 'clip-ok', sha256: 'a'.repeat(64), durationMs: 30000, bytes: 10 },
    });
    expect(r.body.counts.pending).toBe(2);
    const one = await ctl.call('GET', `/api/alerts/${r.body.id}`);
    expect(one.body.stations).toEqual([
      {
        stationId: 'st-an-hoa',
        name: 'Đài an-hoa',
        areaId: 'an-hoa',
        areaName: 'an-hoa',
        state: 'pending',
        at: null,
        startedAt: null,
        soundingAt: null,
        reason: null,
        detail: null,
        online: false,
      },
      expect.objectContaining({ stationId: 'st-tan-an', state: 'pending' }),
    ]);
    const audit = await ctl.call('GET', `/api/audit?objectType=alerts&objectId=${r.body.id}`);
    expect(audit.body[0]).toMatchObject({ action: 'POST /api/alerts', actor: 'user:admin', status: 201 });
    expect(audit.body[0].detail.body.ignoreQuietWindows).toBe(true);
    expect(await (await ctl.app.request('/metrics')).text()).toContain('loa_alerts_active 1\n');
  });

  it('other levels last a day by default; a normal or priority bulletin needs an approved clip', async () => {
    const normal = await ctl.call('POST', '/api/alerts', bulletin({ level: 'normal' }));
    expect(normal.body.expiresAt).toBe('2026-11-27T03:00:00.000Z');
    for (const level of ['normal', 'priority']) {
      const r = await ctl.call('POST', '/api/alerts', bulletin({ level, clipId: 'clip-draft' }));
      expect(r.status).toBe(400);
      expect(r.body.message).toContain(
        `clip 'clip-draft' is draft: a ${level} bulletin needs an approved clip`,
      );
    }
    // an emergency may go out with a recording just uploaded (a processed draft)...
    expect((await ctl.call('POST', '/api/alerts', bulletin({ clipId: 'clip-draft' }))).status).toBe(201);
    // ...but never with one still processing, rejected or retired
    for (const clipId of ['clip-busy', 'clip-no', 'clip-old']) {
      const r = await ctl.call('POST', '/api/alerts', bulletin({ clipId }));
      expect(r.status, clipId).toBe(400);
      expect(r.body.message).toMatch(/needs an approved clip or a processed draft/);
    }
    const unknown = await ctl.call('POST', '/api/alerts', bulletin({ clipId: 'clip-nope' }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain("clip 'clip-nope' does not exist");
  });

  it('refuses an empty target, a bad expiry and ignoreQuietWindows below emergency, storing nothing', async () => {
    const cases: [object, RegExp][] = [
      [{ targets: [{ scope: 'district', id: 'o-mon' }] }, /no district area 'o-mon'/],
      [{ targets: [{ scope: 'area', id: 'o-mon' }] }, /area 'o-mon' does not exist/],
      [
        {
          targets: [
            { scope: 'ward', id: 'an-hoa' },
            { scope: 'station', id: 'st-nope' },
          ],
        },
        /station 'st-nope' does not exist/,
      ],
      [{ targets: [] }, /targets/],
      [{ expiresAt: '2026-11-26T02:59:00Z' }, /expiresAt is already past/],
      [{ expiresAt: '2026-12-04T03:00:00+07:00' }, /at most 7 days/],
      [{ level: 'priority', ignoreQuietWindows: true }, /only for emergency/],
      [{ level: 'urgent' }, /level/],
      [{ title: '  ' }, /title/],
    ];
    for (const [over, message] of cases) {
      const r = await ctl.call('POST', '/api/alerts', bulletin(over));
      expect(r.status, JSON.stringify(over)).toBe(400);
      expect(r.body.message).toMatch(message);
    }
    expect(ctl.db.prepare('SELECT COUNT(*) AS n FROM alerts').get()).toEqual({ n: 0 });
    const ok = await ctl.call('POST', '/api/alerts', bulletin({ expiresAt: '2026-11-26T12:00:00+07:00' }));
    expect(ok.body.expiresAt).toBe('2026-11-26T05:00:00.000Z');
  });

  it('technicians send within their districts, ward staff normal bulletins to their ward, nobody else', async () => {
    const nk = as('kt-ninh-kieu');
    expect((await nk('POST', '/api/alerts', bulletin())).status).toBe(201);
    const outside = await nk(
      'POST',
      '/api/alerts',
      bulletin({ targets: [{ scope: 'ward', id: 'le-binh' }] }),
    );
    expect(outside.status).toBe(403);
    expect(outside.body.message).toContain('outside your area');
    expect((await nk('POST', '/api/alerts', bulletin({ targets: [{ scope: 'city' }] }))).status).toBe(403);

    const ward = as('cb-an-hoa');
    const mine = { level: 'normal', targets: [{ scope: 'ward', id: 'an-hoa' }] };
    expect((await ward('POST', '/api/alerts', bulletin(mine))).status).toBe(201);
    const urgent = await ward('POST', '/api/alerts', bulletin({ ...mine, level: 'priority' }));
    expect(urgent.status).toBe(403);
    expect(urgent.body.message).toContain('only normal bulletins');
    expect(
      (await ward('POST', '/api/alerts', bulletin({ ...mine, targets: [{ scope: 'ward', id: 'tan-an' }] })))
        .status,
    ).toBe(403);
    for (const user of ['xem', 'duyet'])
      expect((await as(user)('POST', '/api/alerts', bulletin())).status).toBe(403);
    // refusals for the area or the level are in the audit trail too (roles are refused before routing)
    const refused = ctl.db
      .prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'POST /api/alerts' AND status = 403`)
      .get() as { n: number };
    expect(refused.n).toBe(4);
  });
});

describe('following and withdrawing a bulletin', () => {
  it('lists newest first, each person seeing the bulletins and stations of their area', async () => {
    const city = await ctl.call('POST', '/api/alerts', bulletin({ targets: [{ scope: 'city' }] }));
    now = new Date(now.getTime() + 60_000);
    const nkOnly = await ctl.call('POST', '/api/alerts', bulletin({ level: 'priority' }));
    const all = await ctl.call('GET', '/api/alerts');
    expect(all.body.map((a: { id: string }) => a.id)).toEqual([nkOnly.body.id, city.body.id]);
    expect(all.body[1].stationCount).toBe(3);

    const cr = await as('kt-cai-rang')('GET', '/api/alerts');
    expect(cr.body.map((a: { id: string }) => a.id)).toEqual([city.body.id]);
    // a city-wide bulletin shows a district technician only their stations
    expect(cr.body[0].stationCount).toBe(1);
    const detail = await as('kt-cai-rang')('GET', `/api/alerts/${city.body.id}`);
    expect(detail.body.stations.map((s: { stationId: string }) => s.stationId)).toEqual(['st-le-binh']);
    expect((await as('kt-cai-rang')('GET', `/api/alerts/${nkOnly.body.id}`)).status).toBe(403);
    expect((await ctl.call('GET', '/api/alerts/al-nope')).status).toBe(404);
    expect((await ctl.call('GET', '/api/alerts?status=active')).body).toHaveLength(2);
    now = new Date(now.getTime() + 3 * 3_600_000);
    expect((await ctl.call('GET', '/api/alerts?status=expired')).body).toHaveLength(1);
  });

  it('cancels once; ward staff withdraw only their own; an expired one cannot be cancelled', async () => {
    const r = await ctl.call('POST', '/api/alerts', bulletin({ targets: [{ scope: 'ward', id: 'an-hoa' }] }));
    expect((await as('cb-an-hoa')('POST', `/api/alerts/${r.body.id}/cancel`)).status).toBe(403);
    expect((await as('kt-cai-rang')('POST', `/api/alerts/${r.body.id}/cancel`)).status).toBe(403);
    const c = await as('kt-ninh-kieu')('POST', `/api/alerts/${r.body.id}/cancel`, { reason: 'Nhầm khu vực' });
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({
      status: 'cancelled',
      cancelledAt: now.toISOString(),
      cancelledBy: 'kt-ninh-kieu',
      cancelReason: 'Nhầm khu vực',
    });
    const again = await ctl.call('POST', `/api/alerts/${r.body.id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('already cancelled');

    const ward = await as('cb-an-hoa')(
      'POST',
      '/api/alerts',
      bulletin({ level: 'normal', targets: [{ scope: 'station', id: 'st-an-hoa' }] }),
    );
    expect((await as('cb-an-hoa')('POST', `/api/alerts/${ward.body.id}/cancel`, {})).status).toBe(200);
    const late = await ctl.call('POST', '/api/alerts', bulletin());
    now = new Date(now.getTime() + 3 * 3_600_000);
    expect((await ctl.call('POST', `/api/alerts/${late.body.id}/cancel`)).status).toBe(409);
  });

  it("a station downloads the clip of a running bulletin to it (an emergency's draft too), nothing else", async () => {
    const r = await ctl.call('POST', '/api/alerts', bulletin({ clipId: 'clip-draft' }));
    const fetchAs = (station: string) =>
      ctl.app.request('/api/clips/clip-draft/audio', {
        headers: { authorization: `Bearer ${secrets[station]}` },
      });
    expect((await fetchAs('st-an-hoa')).status).toBe(200);
    expect((await fetchAs('st-le-binh')).status).toBe(404);
    // the draft is not in any desired state, and a running bulletin keeps its clip from being deleted
    expect((await ctl.call('DELETE', '/api/clips/clip-draft')).status).toBe(409);
    await ctl.call('POST', `/api/alerts/${r.body.id}/cancel`);
    expect((await fetchAs('st-an-hoa')).status).toBe(404);
    expect((await ctl.call('DELETE', '/api/clips/clip-draft')).status).toBe(204);
  });
});
