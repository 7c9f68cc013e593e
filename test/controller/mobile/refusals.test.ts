// Mobile loudspeakers' bad input: an area drawn with fewer than 3 corners or coordinates off the globe, a
// position out of range or from the future, a station speaking for another: each refused with its reason,
// nothing stored changed.
import mqtt from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type MobileDeps, receivePosition } from '../../../controller/mobile/deliver.ts';
import { locate } from '../../../controller/mobile/geometry.ts';
import { positionOf } from '../../../controller/mobile/store.ts';
import { mosquittoFiles } from '../../../controller/mqtt/broker-files.ts';
import { topics } from '../../../schedules/protocol.ts';
import { recordingLogger } from '../../support/log.ts';
import { stationLogin } from '../../support/mqtt/clients.ts';
import { waitFor } from '../../support/wait.ts';
import { type BulletinController, makeBulletinController } from '../../support/wired-controller.ts';

const SQUARE = [
  [105.77, 10.03],
  [105.79, 10.03],
  [105.79, 10.05],
  [105.77, 10.05],
];
const fix = (over: object = {}) => ({
  lat: 10.04,
  lon: 105.78,
  accuracyM: 5,
  at: new Date().toISOString(),
  ...over,
});

let h: BulletinController;
beforeEach(async () => {
  h = await makeBulletinController({ now: () => new Date() }, [
    { id: 'st-xe', district: 'd1', ward: 'w1' },
    { id: 'st-cho', district: 'd1', ward: 'w2' },
  ]);
});
afterEach(() => h.close());

describe('drawing areas', () => {
  const put = (area: string, body: unknown) => h.call('PUT', `/api/areas/${area}/geometry`, body);

  it('refuses an outline of fewer than 3 corners, coordinates out of range and bad places, keeping the old one', async () => {
    expect((await put('w2', { polygon: SQUARE })).status).toBe(200);
    for (const [body, reason] of [
      [{ polygon: SQUARE.slice(0, 2) }, /at least 3 distinct corners.*2/],
      [{ polygon: [...SQUARE.slice(0, 2), SQUARE[0]] }, /at least 3 distinct corners/],
      [{ polygon: [[200, 10], ...SQUARE.slice(1)] }, /longitude above 180/],
      [{ polygon: [[105, -91], ...SQUARE.slice(1)] }, /latitude below -90/],
      [{ places: [{ name: 'Chợ', lat: 10, lon: 105, radiusM: 0 }] }, /radiusM/],
      [{ places: [{ name: '', lat: 10, lon: 105, radiusM: 100 }] }, /name/],
      [{ shape: 'circle' }, /shape/],
    ] as const) {
      const r = await put('w2', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(r.body), JSON.stringify(body)).toMatch(reason);
    }
    expect((await h.call('GET', '/api/areas/w2/geometry')).body).toMatchObject({
      polygon: SQUARE,
      places: [],
    });
    expect((await put('no-such-area', { polygon: SQUARE })).status).toBe(404);
  });

  it('locates a point in the deepest drawn area, by outline or by a place and its radius', async () => {
    expect(
      (
        await put('d1', {
          polygon: [
            [105, 9],
            [107, 9],
            [107, 11],
            [105, 11],
          ],
        })
      ).status,
    ).toBe(200);
    expect((await put('w2', { polygon: SQUARE })).status).toBe(200);
    const ferry = { name: 'Bến phà Cần Thơ', lat: 10.0, lon: 105.8, radiusM: 500 };
    expect((await put('w1', { places: [ferry] })).status).toBe(200);
    const db = h.ctl.db;
    expect(locate(db, { lat: 10.04, lon: 105.78 })).toBe('w2');
    expect(locate(db, { lat: 10.003, lon: 105.8 })).toBe('w1'); // about 330 m from the ferry
    expect(locate(db, { lat: 10.01, lon: 105.8 })).toBe('d1'); // about 1.1 km: only the district
    expect(locate(db, { lat: 21.03, lon: 105.85 })).toBeNull(); // Hà Nội
    // Neither outline nor places: the drawing is removed.
    expect((await put('w2', {})).status).toBe(200);
    expect(locate(db, { lat: 10.04, lon: 105.78 })).toBe('d1');
  });
});

describe('positions', () => {
  const deps = () => {
    const log = recordingLogger();
    const d: MobileDeps = { db: h.ctl.db, log, publishCopy: () => {} };
    return { d, log };
  };
  const send = (d: MobileDeps, station: string, body: unknown) =>
    receivePosition(
      d,
      station,
      Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
      new Date(),
    );

  it('drops a position out of range, from the future, malformed or of an unknown station, with the reason', () => {
    const { d, log } = deps();
    send(d, 'st-xe', fix());
    const good = positionOf(h.ctl.db, 'st-xe');
    for (const [body, reason] of [
      [fix({ lat: 95 }), /lat: latitude above 90/],
      [fix({ lon: -181 }), /lon: longitude below -180/],
      [fix({ accuracyM: -1 }), /accuracyM/],
      [fix({ at: new Date(Date.now() + 3_600_000).toISOString() }), /in the future/],
      [fix({ extra: 1 }), /extra/],
      ['{not json', /non-JSON/],
    ] as const) {
      send(d, 'st-xe', body);
      expect(log.lines.at(-1), JSON.stringify(body)).toMatch(reason);
    }
    send(d, 'st-ghost', fix());
    expect(log.lines.at(-1)).toMatch(/unknown station 'st-ghost'/);
    expect(positionOf(h.ctl.db, 'st-xe')).toEqual(good);
    expect(positionOf(h.ctl.db, 'st-ghost')).toBeUndefined();
    // An older fix (a retained one delivered again) does not move the unit back.
    send(d, 'st-xe', fix({ lat: 10.5, at: new Date(Date.now() - 60_000).toISOString() }));
    expect(positionOf(h.ctl.db, 'st-xe')).toEqual(good);
  });

  it('lets a station publish only its own position, on the broker and in the Mosquitto ACL', async () => {
    const url = `mqtt://127.0.0.1:${h.broker.port}`;
    const own = await mqtt.connectAsync(url, stationLogin('st-xe', h.secrets['st-xe']));
    await own.publishAsync(topics.position('st-xe'), JSON.stringify(fix()), { qos: 1, retain: true });
    await waitFor(() => positionOf(h.ctl.db, 'st-xe'), 5000, 'its own position stored');
    await own.endAsync();

    const other = await mqtt.connectAsync(url, stationLogin('st-cho', h.secrets['st-cho']));
    const closed = new Promise<void>((resolve) => other.once('close', () => resolve()));
    other.publish(topics.position('st-xe'), JSON.stringify(fix({ lat: 11 })), { qos: 1, retain: true });
    await closed;
    other.end(true);
    expect(positionOf(h.ctl.db, 'st-xe')?.lat).toBe(10.04);

    const acl = mosquittoFiles([], {
      username: 'controller',
      brokerHash: `$7$101$${'a'.repeat(16)}$${'b'.repeat(88)}`,
    }).acl;
    expect(acl).toContain('pattern write loa/v1/station/%u/position');
    expect(acl).not.toMatch(/pattern read loa\/v1\/station\/%u\/position/);
  });
});
