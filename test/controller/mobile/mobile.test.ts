// A mobile loudspeaker through the real parts: the agent (in process, a fake receiver) reports its position
// over a real aedes broker to the controller, which locates it in the drawn areas and sends it an area's
// bulletin while it is inside, and withdraws it when it leaves; on protocol v1, and on v2 alone.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { spokenRoots } from '../../../controller/mqtt/roots.ts';
import type { PositionFix, PositionSource } from '../../../edge-agent/hardware/position.ts';
import { consoleSession } from '../../console/session.ts';
import { type WiredAgent, wiredAgent } from '../../edge-agent/rigs.ts';
import { ADMIN_PASSWORD } from '../../support/controller.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';
import { waitFor } from '../../support/wait.ts';
import { type BulletinController, makeBulletinController } from '../../support/wired-controller.ts';

const UNIT = 'st-loa-xe';
/** The market ward, drawn as a square around Cái Khế (lon, lat). */
const MARKET = [
  [105.77, 10.03],
  [105.79, 10.03],
  [105.79, 10.05],
  [105.77, 10.05],
];
const INSIDE: Omit<PositionFix, 'at'> = { lat: 10.04, lon: 105.78, accuracyM: 8 };
const OUTSIDE: Omit<PositionFix, 'at'> = { lat: 10.1, lon: 105.6, accuracyM: 8 };

/** The fake receiver: where the test puts the unit. */
function fakeReceiver() {
  let fix: PositionFix | null = null;
  const source: PositionSource = { current: () => fix, close: () => {} };
  return { source, move: (p: Omit<PositionFix, 'at'>) => (fix = { ...p, at: new Date() }) };
}

// v1, and v2 alone (a province moved over: the unit's own copies go on its v2 station topic)
describe.each([
  { protocol: 'v1', roots: undefined, province: undefined },
  { protocol: 'v2', roots: spokenRoots('can-tho', ['v2']), province: 'can-tho' },
])('a mobile loudspeaker speaking $protocol', ({ roots, province }) => {
  let tmp: TempDir;
  let h: BulletinController;
  let unit: WiredAgent;
  const receiver = fakeReceiver();

  const where = async () =>
    (
      (await h.call('GET', '/api/mobile')).body as {
        stationId: string;
        area: { id: string } | null;
        fixAt: string;
      }[]
    ).find((m) => m.stationId === UNIT);
  /** Moves the unit and lets its report interval pass; resolves once the controller located it there. */
  const drive = async (p: Omit<PositionFix, 'at'>, area: string | null) => {
    const fix = receiver.move(p);
    await vi.advanceTimersByTimeAsync(5000);
    await waitFor(
      async () => {
        const w = await where();
        return w && Date.parse(w.fixAt) === fix.at.getTime() && (w.area?.id ?? null) === area;
      },
      5000,
      `the unit located in ${area ?? 'no area'}`,
    );
  };
  const bulletin = async (title: string, level = 'normal') => {
    const r = await h.call('POST', '/api/alerts', {
      level,
      title,
      reason: 'Phun thuốc diệt muỗi',
      clipId: 'clip-a',
      targets: [{ scope: 'area', id: 'w-cho' }],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };
  const atUnit = (id: string) => unit.store.getAlert(id);
  const stateAtController = async (id: string) =>
    ((await h.call('GET', `/api/alerts/${id}`)).body.stations as { stationId: string; state: string }[]).find(
      (s) => s.stationId === UNIT,
    )?.state;

  beforeEach(async () => {
    // Only the intervals are fake (the report's among them): sockets and the broker run on real time.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    tmp = tempDir();
    h = await makeBulletinController(
      { now: () => new Date() },
      [
        { id: UNIT, district: 'd-ben-xe', ward: 'w-ben-xe' },
        { id: 'st-cho', district: 'd-cho', ward: 'w-cho' },
      ],
      roots,
    );
    h.ctl.db
      .prepare(
        `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at)
         VALUES ('clip-a', 't', 't', 'wav', ?, 10, 30000, '2026-01-01T00:00:00Z')`,
      )
      .run('a'.repeat(64));
    const drawn = await h.call('PUT', '/api/areas/w-cho/geometry', { polygon: MARKET });
    expect(drawn.status, JSON.stringify(drawn.body)).toBe(200);
    receiver.move(OUTSIDE);
    unit = wiredAgent({
      dataDir: tmp.dir,
      config: {
        stationId: UNIT,
        secret: h.secrets[UNIT],
        ...(province ? { province } : {}),
        mqttUrl: `mqtt://127.0.0.1:${h.broker.port}`,
        mobile: { reportEverySec: 5 },
        emergencyClipWaitMs: 60_000,
      },
      deps: {
        link: {
          keepaliveSec: 3600,
          retryMs: 15_000,
          backoff: { minMs: 100, maxMs: 1000 },
          position: receiver.source,
        },
      },
    });
    await unit.agent.start();
    const state = h.ctl.published.findLast((s) => s.station.id === UNIT);
    if (!state) throw new Error('no desired state for the unit');
    h.link.publishDesired(UNIT, state);
    await waitFor(() => unit.store.desiredVersion() === state.version, 5000, 'desired state at the unit');
    await waitFor(async () => (await where())?.area === null, 5000, 'the unit seen outside');
  });

  afterEach(async () => {
    await unit.close();
    await h.close();
    vi.useRealTimers();
    tmp.cleanup();
  });

  it('gets an area’s bulletin inside the area and has it withdrawn when it leaves', async () => {
    // An emergency: on air at once, waiting there for its clip (which cannot be fetched in this test).
    const first = await bulletin('Cháy chợ Cái Khế', 'emergency');
    // Outside (moving about, still outside): the bulletin went out on the ward's topic, which it does not read.
    await drive({ ...OUTSIDE, lon: OUTSIDE.lon + 0.001 }, null);
    expect(atUnit(first)).toBeNull();

    // Entering while the bulletin is live: it arrives on the unit's own topic.
    await drive(INSIDE, 'w-cho');
    const got = await waitFor(() => atUnit(first), 5000, 'the bulletin at the unit');
    expect(got.alert.cancelledAt).toBeNull();
    expect(got.alert.targets).toContainEqual({ scope: 'station', id: UNIT });
    const stations = (await h.call('GET', `/api/alerts/${first}`)).body.stations as { stationId: string }[];
    expect(stations.map((s) => s.stationId)).toContain(UNIT);

    // Issued while it is inside: it arrives at once (a normal one, with no session to play in, ends at once).
    const second = await bulletin('Phun thuốc diệt muỗi');
    await waitFor(() => atUnit(second)?.state === 'expired', 5000, 'the second bulletin at the unit');
    await waitFor(async () => (await stateAtController(second)) === 'expired', 5000, 'its end reported');

    // Leaving: the emergency it has not finished is withdrawn from it (cut); the ended one stays as it was.
    await drive(OUTSIDE, null);
    const left = await waitFor(() => atUnit(first)?.alert.cancelledAt && atUnit(first), 5000, 'withdrawn');
    expect(left.state).toBe('cancelled');
    expect(atUnit(second)).toMatchObject({ state: 'expired', alert: { cancelledAt: null } });
    await waitFor(
      async () => (await stateAtController(first)) === 'cancelled',
      5000,
      'the withdrawal reported to the controller',
    );

    // A bulletin issued after it left does not reach it.
    const third = await bulletin('Họp chợ');
    await drive({ ...OUTSIDE, lat: OUTSIDE.lat + 0.001 }, null);
    expect(atUnit(third)).toBeNull();
    expect(unit.log.lines.join('\n')).not.toMatch(/dropped bulletin/);
  });

  it('gets a live bulletin when its area is drawn anew around where it stands', async () => {
    const id = await bulletin('Cháy chợ Cái Khế', 'emergency');
    const wider = [
      [105.5, 10.0],
      [105.9, 10.0],
      [105.9, 10.2],
      [105.5, 10.2],
    ];
    expect((await h.call('PUT', '/api/areas/w-cho/geometry', { polygon: wider })).status).toBe(200);
    expect((await where())?.area?.id).toBe('w-cho');
    await waitFor(() => atUnit(id), 5000, 'the bulletin at the parked unit');
  });

  it('shows where the units are, in the console too', async () => {
    await drive(INSIDE, 'w-cho');
    const w = await where();
    expect(w).toMatchObject({ lat: INSIDE.lat, lon: INSIDE.lon, accuracyM: 8, area: { id: 'w-cho' } });
    // Scoped: the people of the market ward see it while it is there, those of an unrelated ward do not.
    const seen = async (areas: string[], name: string) => {
      const token = await h.ctl.tokenFor(name, 'ward', { areas });
      return (await h.call('GET', '/api/mobile', undefined, token)).body.map(
        (m: { stationId: string }) => m.stationId,
      );
    };
    expect(await seen(['w-cho'], 'cb-cho')).toEqual([UNIT]);
    expect(await seen(['w-ben-xe'], 'cb-ben-xe')).toEqual([UNIT]); // its home
    expect(await seen(['d-cho'], 'kt-cho')).toEqual([UNIT]);
    const other = await h.call('POST', '/api/stations', {
      id: 'st-khac',
      name: 'Đài khác',
      district: 'd-khac',
      ward: 'w-khac',
    });
    expect(other.status).toBe(201);
    expect(await seen(['w-khac'], 'cb-khac')).toEqual([]);
    const session = consoleSession(h.ctl);
    await session.signIn('admin', ADMIN_PASSWORD);
    const page = await session.get('/console/mobile');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Loa di động');
    expect(page.html).toContain(`data-unit="${UNIT}"`);
    expect(page.html).toContain('https://www.openstreetmap.org/?mlat=10.04&amp;mlon=105.78');
    expect(page.html).not.toMatch(/<script/);
  });
});
