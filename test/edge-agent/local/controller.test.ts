// An override made on the station's page reaches the controller: the agent reports it over the controller's
// own broker (station login and ACL), GET /api/overrides shows who made it and why, and a cancel there comes
// back to the station through its desired state.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TIMEZONE } from '../../../schedules/model.ts';
import { utcToZoned } from '../../../schedules/time.ts';
import { STATION } from '../../support/records.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';
import { waitFor } from '../../support/wait.ts';
import { type BulletinController, makeBulletinController } from '../../support/wired-controller.ts';
import { openStation, type StaffClient, type Station, signIn, testPinHash } from './station.ts';

describe('local overrides at the controller', () => {
  let tmp: TempDir;
  let h: BulletinController;
  let st: Station;
  let staff: StaffClient;

  beforeAll(() => testPinHash());

  beforeEach(async () => {
    tmp = tempDir();
    h = await makeBulletinController({ now: () => new Date() }, [
      { id: STATION, district: 'd-ninh-kieu', ward: 'w-an-binh' },
    ]);
    st = await openStation({
      dir: tmp.dir,
      mqttUrl: `mqtt://127.0.0.1:${h.broker.port}`,
      controllerUrl: 'http://127.0.0.1:9',
      config: { secret: h.secrets[STATION] },
    });
    // the station's desired state, as the controller publishes it
    const state = h.ctl.published.findLast((s) => s.station.id === STATION);
    if (!state) throw new Error('no desired state published for the station');
    h.link.publishDesired(STATION, state);
    await waitFor(() => st.store.desiredVersion() === state.version, 5000, 'desired state at the station');
    staff = await signIn(st.base, 'Chị Lan');
  });

  afterEach(async () => {
    await st.close();
    await h.close();
    tmp.cleanup();
  });

  it('shows a pause made at the station, then cancels it from the controller', async () => {
    const end = utcToZoned(new Date(Date.now() + 2 * 3_600_000), DEFAULT_TIMEZONE);
    const made = await staff.call('POST', '/api/overrides', {
      kind: 'pause',
      endsAt: `${end.date}T${end.time.slice(0, 5)}`,
      reason: 'Lễ tang trong khu phố',
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);

    const seen = await waitFor(
      async () =>
        (await h.call('GET', `/api/overrides?station=${STATION}`)).body.find(
          (o: { id: string }) => o.id === made.body.id,
        ),
      5000,
      'override at the controller',
    );
    expect(seen).toMatchObject({
      id: made.body.id,
      stationId: STATION,
      kind: 'pause',
      createdBy: 'Chị Lan',
      reason: 'Lễ tang trong khu phố',
      endsAt: made.body.endsAt,
    });

    const cancel = await h.call('POST', `/api/overrides/${made.body.id}/cancel`, { reason: 'Nhầm ngày' });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    const next = h.ctl.published.findLast((s) => s.station.id === STATION);
    expect(next?.cancelledOverrides).toContain(made.body.id);
    h.link.publishDesired(STATION, next as NonNullable<typeof next>);
    const local = await waitFor(
      async () =>
        (await staff.call('GET', '/api/overrides')).body.find(
          (o: { id: string; cancelledAt: string | null }) => o.id === made.body.id && o.cancelledAt,
        ),
      5000,
      'cancel at the station',
    );
    expect(local).toMatchObject({ cancelledBy: 'controller', active: false });
    await waitFor(
      async () => (await h.call('GET', `/api/overrides/${made.body.id}`)).body.cancelledAt !== null,
      5000,
      'cancel reported back to the controller',
    );
  });
});
