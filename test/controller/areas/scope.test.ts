// People's areas at every level of a five-level tree: a scope covers its areas and everything under them,
// for reading and for acting, and nothing above or beside them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { covers } from '../../../controller/areas/scope.ts';
import { makeController, type TestController } from '../../support/controller.ts';
import { buildTree, FIVE_LEVELS } from './trees.ts';

let ctl: TestController;
beforeEach(async () => {
  ctl = await makeController({ now: () => new Date('2026-11-26T03:00:00Z') });
  await buildTree(ctl, FIVE_LEVELS);
  ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at)
       VALUES ('clip-a', 't', 't.wav', 'wav', ?, 10, 30000, '2026-01-01T00:00:00Z')`,
    )
    .run('a'.repeat(64));
});
afterEach(() => ctl.cleanup());

const slot = (areaId: string) => ({
  clipIds: ['clip-a'],
  startTime: '06:00',
  weekdays: [1],
  startDate: '2026-12-01',
  endDate: '2026-12-31',
  target: { scope: 'area', id: areaId },
});

describe('covers', () => {
  it('an area in or under one of the scope’s areas; nowhere known only for everyone', () => {
    const place = { path: ['nghe-an', 'huyen-nam-dan', 'xa-kim-lien'], name: 'Xã Kim Liên' };
    expect(covers({ kind: 'all' }, place)).toBe(true);
    expect(covers({ kind: 'areas', ids: ['huyen-nam-dan'] }, place)).toBe(true);
    expect(covers({ kind: 'areas', ids: ['xa-kim-lien', 'xa-da-son'] }, place)).toBe(true);
    expect(covers({ kind: 'areas', ids: ['thon-sen-1'] }, place)).toBe(false);
    expect(covers({ kind: 'areas', ids: [] }, place)).toBe(false);
    expect(covers({ kind: 'areas', ids: ['nghe-an'] }, { path: [], name: '?' })).toBe(false);
  });
});

describe('a technician scoped at each level', () => {
  const LEVELS = [
    ['nghe-an', ['st-da-son', 'st-kim-lien', 'st-xom-3']],
    ['huyen-nam-dan', ['st-kim-lien', 'st-xom-3']],
    ['xa-kim-lien', ['st-kim-lien', 'st-xom-3']],
    ['thon-sen-1', ['st-xom-3']],
    ['xom-3', ['st-xom-3']],
  ] as const;
  for (const [area, stations] of LEVELS) {
    it(`in ${area}: sees and plans for the stations under it, nothing above or beside`, async () => {
      const token = await ctl.tokenFor(`kt-${area}`, 'technician', { areas: [area] });
      const as = (method: string, url: string, body?: unknown) => ctl.call(method, url, body, token);
      expect((await as('GET', '/api/stations')).body.map((s: { id: string }) => s.id).sort()).toEqual([
        ...stations,
      ]);
      expect((await as('POST', '/api/slots', slot(area))).status).toBe(201);
      expect((await as('POST', '/api/slots', slot('xom-3'))).status).toBe(201);
      const above = FIVE_LEVELS.root.id === area ? null : 'nghe-an';
      if (above) {
        const r = await as('POST', '/api/slots', slot(above));
        expect(r.status).toBe(403);
        expect(r.body.message).toMatch(/Tỉnh Nghệ An is outside your area/);
      }
      expect((await as('GET', '/api/stations/st-da-son')).status).toBe(area === 'nghe-an' ? 200 : 403);
      // the bulletin to the hamlet is theirs to send; the province's is not, unless they cover it
      const send = await as('POST', '/api/alerts', {
        level: 'priority',
        title: 'Thông báo',
        reason: 'Họp xóm',
        clipId: 'clip-a',
        targets: [{ scope: 'area', id: 'nghe-an' }],
      });
      expect(send.status).toBe(area === 'nghe-an' ? 201 : 403);
    });
  }

  it('ward staff of a village add a quiet window for it, not for the commune above', async () => {
    const token = await ctl.tokenFor('cb-thon', 'ward', { areas: ['thon-sen-1'] });
    const qw = (id: string) => ({
      weekdays: [1],
      startTime: '13:00',
      endTime: '15:00',
      startDate: '2026-12-01',
      endDate: '2026-12-31',
      reason: 'local-event',
      target: { scope: 'area', id },
    });
    expect((await ctl.call('POST', '/api/quiet-windows', qw('thon-sen-1'), token)).status).toBe(201);
    expect((await ctl.call('POST', '/api/quiet-windows', qw('xa-kim-lien'), token)).status).toBe(403);
  });

  it('a viewer scoped to a district reads only under it; without areas, everything', async () => {
    const scoped = await ctl.tokenFor('xem-nam-dan', 'viewer', { areas: ['huyen-nam-dan'] });
    const all = await ctl.tokenFor('xem', 'viewer');
    const ids = async (t: string) =>
      (await ctl.call('GET', '/api/stations', undefined, t)).body.map((s: { id: string }) => s.id).sort();
    expect(await ids(scoped)).toEqual(['st-kim-lien', 'st-xom-3']);
    expect(await ids(all)).toEqual(['st-da-son', 'st-kim-lien', 'st-xom-3']);
  });
});
