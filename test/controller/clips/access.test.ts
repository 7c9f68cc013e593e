// Clip downloads are authorised from the index of which station's desired state names which clip: it
// follows a slot moved to another area and a station moved to another area, without a desired state
// being built per request.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as stationRules from '../../../controller/rules/station-rules.ts';
import { makeController, type TestController } from '../../support/controller.ts';
import { buildTree, THREE_LEVELS } from '../areas/trees.ts';
import { addApprovedClip, slotFor } from '../stations/fixtures.ts';

let ctl: TestController;
let secrets: Record<string, string>;
const clock = { now: () => new Date('2026-11-26T03:00:00Z') };

const fetchAs = async (stationId: string, clipId: string) =>
  (
    await ctl.app.request(`/api/clips/${clipId}/audio`, {
      headers: { authorization: `Bearer ${secrets[stationId]}` },
    })
  ).status;
const whoMay = async (clipId: string) => {
  const out: string[] = [];
  for (const id of ['st-ninh-kieu', 'st-kp-1', 'st-kp-2', 'st-nhon-loc'])
    if ((await fetchAs(id, clipId)) === 200) out.push(id);
  return out;
};

beforeAll(async () => {
  ctl = await makeController(clock);
  secrets = await buildTree(ctl, THREE_LEVELS);
  addApprovedClip(ctl, 'clip-tin');
  addApprovedClip(ctl, 'clip-khac');
  await ctl.call('POST', '/api/slots', { ...slotFor('kp-1', ['clip-tin']), id: 'slot-tin' });
});
afterAll(() => ctl.cleanup());

describe('who may download a clip', () => {
  it('the stations whose desired state names it, and no desired state is built to decide', async () => {
    const build = vi.spyOn(stationRules, 'buildDesiredState');
    expect(await whoMay('clip-tin')).toEqual(['st-kp-1']);
    expect(await whoMay('clip-khac')).toEqual([]);
    expect(build).not.toHaveBeenCalled();
    build.mockRestore();
  });

  it('follows a slot moved to another area', async () => {
    expect(
      (await ctl.call('PATCH', '/api/slots/slot-tin', { target: { scope: 'area', id: 'kp-2' } })).status,
    ).toBe(200);
    expect(await whoMay('clip-tin')).toEqual(['st-kp-2']);
    await ctl.call('PATCH', '/api/slots/slot-tin', { clipIds: ['clip-khac'] });
    expect(await whoMay('clip-tin')).toEqual([]);
    expect(await whoMay('clip-khac')).toEqual(['st-kp-2']);
  });

  it('follows a station moved to another area', async () => {
    expect((await ctl.call('PATCH', '/api/stations/st-kp-2', { areaId: 'ap-nhon-loc' })).status).toBe(200);
    expect(await whoMay('clip-khac')).toEqual([]);
    await ctl.call('PATCH', '/api/stations/st-nhon-loc', { areaId: 'kp-2' });
    expect(await whoMay('clip-khac')).toEqual(['st-nhon-loc']);
  });

  it('a deleted station leaves nothing behind in the index', async () => {
    expect((await ctl.call('DELETE', '/api/stations/st-nhon-loc')).status).toBe(204);
    const left = ctl.db
      .prepare("SELECT COUNT(*) AS n FROM station_clips WHERE station_id = 'st-nhon-loc'")
      .get();
    expect(left).toEqual({ n: 0 });
  });
});
