// The link's outward side against the fake provincial server: login and token renewal, every station's
// status, the broadcast log of provincial content, and the durable outbox through outages (nothing lost,
// nothing kept twice), a controller restart, and messages the province refuses.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProvinceLink } from '../../../controller/province/link.ts';
import { parseProvinceSettings } from '../../../controller/province/settings.ts';
import { backlogOf, forgetDelivered, linkRow } from '../../../controller/province/store.ts';
import { addPlay, type ProvinceWorld, provinceBulletin, provinceWorld } from './world.ts';

// The first test to fetch the province's audio processes it with ffmpeg: slow on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

let w: ProvinceWorld;
beforeAll(async () => {
  w = await provinceWorld();
});
afterAll(() => w.close());
beforeEach(() => w.reset());

/** A bulletin from the province, taken over the link: answers our alert id. */
async function provincialAlert(): Promise<string> {
  w.server.state.bulletins = [provinceBulletin(w)];
  await w.link.poll();
  w.server.state.bulletins = [];
  return (w.ctl.db.prepare("SELECT id FROM alerts WHERE issued_by = 'province'").get() as { id: string }).id;
}

/** `n` stations' records of the provincial bulletin, and one local record each. */
function plays(alertId: string, stations: string[], tag = 'r') {
  for (const station of stations) {
    addPlay(w, { id: `${tag}-${station}-p`, station, entryId: `alert:${alertId}` });
    addPlay(w, {
      id: `${tag}-${station}-l`,
      station,
      entryId: 'slot-local@2026-11-26',
      slotId: 'slot-local',
      clipIds: ['clip-ok'],
    });
  }
}
const STATIONS = ['st-an-hoa', 'st-tan-an', 'st-le-binh'];

describe('status', () => {
  it('logs in once and sends every station’s status with the firmware’s fields', async () => {
    w.ctl.db
      .prepare(`UPDATE stations SET online = 1, presence_at = ?, health_json = ? WHERE id = 'st-an-hoa'`)
      .run(
        '2026-11-26T02:00:00.000Z',
        JSON.stringify({
          at: '2026-11-26T02:59:00Z',
          agentVersion: '1.4.0',
          playing: 'slot-1@2026-11-26',
          cpuTempC: 51.5,
        }),
      );
    expect(w.link.queueStatuses()).toBe(3);
    const r = await w.link.send();
    expect(r).toMatchObject({ sent: 3, refused: 0, outage: null });
    expect(w.server.state.logins).toBeGreaterThanOrEqual(1);
    const an = w.server.state.statuses.find((s) => (s as { CumLoaID: string }).CumLoaID === 'CUMLOA-0001');
    expect(an).toEqual({
      NguonID: 'NGUON-CT-01',
      TenNguon: 'Hệ thống truyền thanh thành phố Cần Thơ',
      // the nearest area up the chain the province knows: the ward, by its national code
      DichID: '31117',
      CumLoaID: 'CUMLOA-0001',
      TenThietBi: 'Đài an-hoa',
      AmLuong: null,
      TrangThaiHoatDong: 0,
      TrangThaiKetNoi: 1,
      ViDo: null,
      KinhDo: null,
      ThongTinThietBi: { CongSuat: null, NhietDo: 51.5, DungLuongSuDung: null },
      ThoiDiemBatDau: Date.parse('2026-11-26T02:00:00Z') / 1000,
      NoiDungPhat: 'slot-1@2026-11-26',
      PhienBanUngDung: '1.4.0',
    });
    // an offline station: not connected, stopped; reported under its own id when the settings map none
    expect(w.server.state.statuses).toContainEqual(
      expect.objectContaining({
        CumLoaID: 'st-le-binh',
        TrangThaiKetNoi: 0,
        TrangThaiHoatDong: 2,
        DichID: '31186',
      }),
    );
    expect(linkRow(w.ctl.db).last_success_at).toBe(w.clock.now().toISOString());
  });

  it('waiting through an outage, only the newest of each station is sent', async () => {
    w.server.state.outage = '500';
    for (let i = 0; i < 5; i++) w.link.queueStatuses();
    expect(backlogOf(w.ctl.db)).toMatchObject({ statuses: 3 });
  });
});

describe('broadcast log', () => {
  it('is sent once for each provincial record heard, with the province’s own bulletin fields', async () => {
    const alertId = await provincialAlert();
    plays(alertId, STATIONS);
    addPlay(w, { id: 'skipped', station: 'st-an-hoa', entryId: `alert:${alertId}`, outcome: 'skipped' });
    expect(await w.link.send()).toMatchObject({ sent: 3, outage: null });
    expect([...w.server.state.logs.keys()].sort()).toEqual(STATIONS.map((s) => `log:${s}:r-${s}-p:0`).sort());
    expect(w.server.state.logs.get('log:st-an-hoa:r-st-an-hoa-p:0')).toMatchObject({
      NguonID: 'NGUON-CT-01',
      CumLoaID: 'CUMLOA-0001',
      BanTinID: 'BT-2026-0001',
      // the province's own values, as it sent them
      LoaiBanTin: 1,
      MucDoUuTien: 1,
      TieuDe: 'Cảnh báo triều cường',
      LoaiLinhVuc: 'PCTT',
      TacGia: 'Ban Chỉ huy PCTT thành phố',
      ThoiDiemBatDau: w.clock.now().getTime() / 1000,
      ThoiLuong: 2,
      TiepAm: 0,
      NoiDung: w.audio('canh-bao.wav'),
    });
    // nothing new: nothing sent again
    expect(await w.link.send()).toMatchObject({ sent: 0 });
    expect(w.server.state.repeats).toBe(0);
  });

  it('of local content too, when the settings ask for it', async () => {
    const local = createProvinceLink(w.deps, parseProvinceSettings({ ...w.settings, logLocalContent: true }));
    const alertId = await provincialAlert();
    plays(alertId, ['st-tan-an']);
    expect(await local.send()).toMatchObject({ sent: 2 });
    expect(w.server.state.logs.get('log:st-tan-an:r-st-tan-an-l:0')).toMatchObject({
      BanTinID: 'clip-ok',
      TieuDe: 'Bản tin clip-ok',
      MucDoUuTien: 3,
      ThoiLuong: 30,
    });
  });
});

describe('outages', () => {
  it('lose nothing and send nothing twice: 500s, then back', async () => {
    const alertId = await provincialAlert();
    w.server.state.outage = '500';
    plays(alertId, STATIONS, 'a');
    w.link.queueStatuses();
    const down = await w.link.send();
    expect(down?.outage?.kind).toBe('outage');
    expect(backlogOf(w.ctl.db)).toMatchObject({ logs: 3, statuses: 3 });
    expect(linkRow(w.ctl.db).last_error_vi).toMatch(/hệ thống của tỉnh trả lời 500/);
    // backing off: the next send waits
    expect(w.link.retryAt()).toBeGreaterThan(w.clock.now().getTime());
    expect(await w.link.send()).toBeNull();
    plays(alertId, STATIONS, 'b');
    w.server.state.outage = null;
    w.advance(w.link.retryAt() - w.clock.now().getTime());
    expect(await w.link.send()).toMatchObject({ sent: 9, outage: null });
    expect(w.server.state.logs.size).toBe(6);
    expect(w.server.state.repeats).toBe(0);
    expect(backlogOf(w.ctl.db)).toMatchObject({ waiting: 0, delivered: 6 });
  });

  it('an answer lost after the province kept the log: sent again with the same key, kept once', async () => {
    const alertId = await provincialAlert();
    plays(alertId, ['st-an-hoa']);
    w.server.state.outage = 'lose-answer';
    expect((await w.link.send())?.outage).not.toBeNull();
    w.server.state.outage = null;
    w.advance(60_000);
    expect(await w.link.send()).toMatchObject({ sent: 1 });
    expect(w.server.state.logs.size).toBe(1);
    expect(w.server.state.repeats).toBe(1);
  });

  it('no answer at all (timeouts), then a restart of the controller: the outbox is still there', async () => {
    const alertId = await provincialAlert();
    plays(alertId, STATIONS);
    w.server.state.outage = 'timeout';
    const down = await w.link.send();
    expect(down?.outage?.message).toMatch(/no answer in 1 s/);
    w.server.release();
    w.server.state.outage = null;
    // a new link on the same database, as after a restart
    const again = createProvinceLink(w.deps, w.settings);
    expect(await again.send()).toMatchObject({ sent: 3 });
    expect(w.server.state.logs.size).toBe(3);
    expect(w.server.state.repeats).toBe(0);
  });

  it('a message the province refuses (4xx) is kept aside with its reason; the others go', async () => {
    w.link.queueStatuses();
    w.ctl.db.prepare("UPDATE province_outbox SET payload = '{}' WHERE station_id = 'st-tan-an'").run();
    expect(await w.link.send()).toMatchObject({ sent: 2, refused: 1, outage: null });
    expect(backlogOf(w.ctl.db)).toMatchObject({ waiting: 0, refused: 1 });
  });
});

describe('the token', () => {
  it('is renewed before it expires, and again when the province drops it', async () => {
    w.server.state.tokenTtlSec = 120;
    const link = createProvinceLink(w.deps, w.settings);
    link.queueStatuses();
    await link.send();
    const logins = w.server.state.logins;
    w.advance(100_000);
    link.queueStatuses();
    await link.send();
    expect(w.server.state.logins).toBe(logins + 1);
    expect(w.server.state.unauthorised).toBe(0);
    w.server.dropTokens();
    link.queueStatuses();
    expect(await link.send()).toMatchObject({ sent: 3, outage: null });
    expect(w.server.state.logins).toBe(logins + 2);
    // the three stations' requests in flight each met the 401; one login served them all
    expect(w.server.state.unauthorised).toBeGreaterThanOrEqual(1);
  });

  it('a login refused is the link’s error, and nothing is lost', async () => {
    const wrong = createProvinceLink(w.deps, parseProvinceSettings({ ...w.settings, password: 'sai' }));
    wrong.queueStatuses();
    const r = await wrong.send();
    expect(r?.outage?.messageVi).toMatch(/đăng nhập không thành công/);
    expect(backlogOf(w.ctl.db).statuses).toBe(3);
  });
});

describe('the link’s life', () => {
  it('start() queues the statuses and asks the province at once; its timers send; stop() clears them', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const link = createProvinceLink(w.deps, w.settings);
      link.start();
      expect(backlogOf(w.ctl.db).statuses).toBe(3);
      await vi.waitFor(() => expect(linkRow(w.ctl.db).last_poll_at).not.toBeNull());
      await vi.advanceTimersByTimeAsync(1000);
      await vi.waitFor(() => expect(w.server.state.statuses).toHaveLength(3));
      await link.stop();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the keys delivered', () => {
  it('are forgotten after a while, and the records they came from are not sent again', async () => {
    const alertId = await provincialAlert();
    plays(alertId, ['st-an-hoa']);
    expect(await w.link.send()).toMatchObject({ sent: 1 });
    expect(forgetDelivered(w.ctl.db, new Date(w.clock.now().getTime() + 1).toISOString())).toBe(1);
    expect(await w.link.send()).toMatchObject({ sent: 0 });
    expect(w.server.state.logs.size).toBe(1);
    expect(w.server.state.repeats).toBe(0);
  });
});
