// Incremental desired state: a change recomputes only the stations it reaches (an area's, down the tree;
// one station; those of a clip), in one pass; importing N stations costs N computations, not N².
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SyncOutcome } from '../../../controller/mqtt/desired.ts';
import { makeController, type TestController } from '../../support/controller.ts';
import { buildTree, THREE_LEVELS } from '../areas/trees.ts';
import { addApprovedClip, slotFor } from './fixtures.ts';

let ctl: TestController;
const clock = { now: () => new Date('2026-11-26T03:00:00Z') };

beforeEach(async () => {
  ctl = await makeController(clock);
  await buildTree(ctl, THREE_LEVELS);
});
afterEach(() => ctl.cleanup());

/** Runs a change and answers what each desired-state sync it caused did, and who was published. */
async function counted(change: () => Promise<unknown>) {
  const spy = vi.spyOn(ctl.desired, 'sync');
  const before = ctl.published.length;
  await change();
  const outcomes = spy.mock.results.map((r) => r.value as SyncOutcome);
  spy.mockRestore();
  const published = ctl.published.slice(before).map((s) => s.station.id);
  return { outcomes, compiled: outcomes.reduce((n, o) => n + o.compiled, 0), published };
}

describe('a change reaches only its stations', () => {
  it('a slot for a village republishes its one station; for a ward, the ward and its villages', async () => {
    const clip = addApprovedClip(ctl, 'clip-tin');
    const village = await counted(() => ctl.call('POST', '/api/slots', slotFor('kp-1', [clip])));
    expect(village).toMatchObject({ compiled: 1, published: ['st-kp-1'] });

    const ward = await counted(() => ctl.call('POST', '/api/slots', slotFor('phuong-ninh-kieu', [clip])));
    expect(ward.compiled).toBe(3);
    expect(ward.published.sort()).toEqual(['st-kp-1', 'st-kp-2', 'st-ninh-kieu']);
    expect(ward.outcomes).toHaveLength(1);
  });

  it('moving a slot to another village recomputes the old and the new one', async () => {
    const clip = addApprovedClip(ctl, 'clip-tin');
    await ctl.call('POST', '/api/slots', { ...slotFor('kp-1', [clip]), id: 'slot-1' });
    const moved = await counted(() =>
      ctl.call('PATCH', '/api/slots/slot-1', { target: { scope: 'area', id: 'kp-2' } }),
    );
    expect(moved.compiled).toBe(2);
    expect(moved.published.sort()).toEqual(['st-kp-1', 'st-kp-2']);
    const gone = await counted(() => ctl.call('DELETE', '/api/slots/slot-1'));
    expect(gone).toMatchObject({ compiled: 1, published: ['st-kp-2'] });
  });

  it("a clip's review recomputes the stations that play it, no others", async () => {
    const clip = addApprovedClip(ctl, 'clip-tin');
    await ctl.call('POST', '/api/slots', slotFor('ap-nhon-loc', [clip]));
    const retired = await counted(() => ctl.call('POST', `/api/clips/${clip}/retire`, {}));
    expect(retired.compiled).toBe(1);
  });

  it('a station registered, changed or imported is computed alone; N imported cost N computations', async () => {
    const one = await counted(() =>
      ctl.call('POST', '/api/stations', { id: 'st-moi', name: 'Cụm loa mới', areaId: 'kp-1' }),
    );
    expect(one).toMatchObject({ compiled: 1, published: ['st-moi'] });
    const moved = await counted(() => ctl.call('PATCH', '/api/stations/st-moi', { areaId: 'kp-2' }));
    expect(moved.compiled).toBe(1);

    const n = 400;
    const lines = Array.from({ length: n }, (_, i) => `st-csv-${i},Cụm loa ${i},kp-${(i % 2) + 1}`);
    const imported = await counted(() =>
      ctl.call('POST', '/api/stations/import', { csv: ['id,name,area', ...lines].join('\n') }),
    );
    expect(imported.outcomes).toHaveLength(1);
    expect(imported.compiled).toBe(n);
    expect(imported.published).toHaveLength(n);
  });
});
