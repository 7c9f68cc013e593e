// The province's bulletins and schedules received over the link (fake provincial server, real clip
// pipeline with ffmpeg): each becomes ours with its level, targets and approved-at-source clip; a schedule
// deleted there is cancelled here; bad items are refused with their reason and store nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProvinceLink } from '../../../controller/province/link.ts';
import { parseProvinceSettings } from '../../../controller/province/settings.ts';
import { linkRow, recentInbox } from '../../../controller/province/store.ts';
import { type ProvinceWorld, provinceBulletin, provinceSchedule, provinceWorld } from './world.ts';

// The first test to fetch the province's audio processes it with ffmpeg: slow on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

// One world for the file: the province's audio is processed once, then found again by its bytes.
let w: ProvinceWorld;
beforeAll(async () => {
  w = await provinceWorld();
});
afterAll(() => w.close());
beforeEach(() => w.reset());

const alerts = () =>
  w.ctl.db.prepare('SELECT * FROM alerts ORDER BY issued_at').all() as Record<string, unknown>[];
const count = (table: string) =>
  (w.ctl.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('bulletins from the province', () => {
  it('become bulletins with their level and areas, the audio processed and approved at its source', async () => {
    w.server.state.bulletins = [provinceBulletin(w)];
    const r = await w.link.poll();
    expect(r).toEqual({ bulletins: 1, schedules: 0, cancelled: 0, refused: 0 });
    const [a] = alerts();
    expect(a).toMatchObject({
      level: 'emergency',
      title: 'Cảnh báo triều cường',
      issued_by: 'province',
      ignore_quiet_windows: 1,
    });
    expect(JSON.parse(a?.targets_json as string)).toEqual([{ scope: 'area', id: 'an-hoa' }]);
    const clip = w.ctl.db.prepare('SELECT * FROM clips WHERE id = ?').get(a?.clip_id) as Record<
      string,
      unknown
    >;
    expect(clip).toMatchObject({ status: 'approved', reviewed_by: 'province' });
    expect(clip.reason).toMatch(/approved at source: Sở VHTTDL thành phố Cần Thơ, bulletin BT-2026-0001/);
    // published at once, one retained message per target
    expect(w.published.map((p) => p.topic)).toEqual([expect.stringContaining(a?.id as string)]);
    // offered again on the next poll: taken once
    expect(await w.link.poll()).toMatchObject({ bulletins: 0, refused: 0 });
    expect(alerts()).toHaveLength(1);
    expect(recentInbox(w.ctl.db)[0]).toMatchObject({
      outcome: 'accepted',
      province_id: 'BT-2026-0001',
      alert_id: a?.id,
    });
  });

  it('rank by the configured table: MucDoUuTien 2 is priority, 3 normal, and the end time is the expiry', async () => {
    const end = Math.floor(w.clock.now().getTime() / 1000) + 3600;
    w.server.state.bulletins = [
      provinceBulletin(w, { BanTinID: 'P', MucDoUuTien: 2, ThoiDiemKetThuc: end }),
      provinceBulletin(w, { BanTinID: 'N', MucDoUuTien: 3, DanhSachDiaBan: ['DB-NK'] }),
    ];
    await w.link.poll();
    const [p, n] = alerts();
    expect(p).toMatchObject({
      level: 'priority',
      ignore_quiet_windows: 0,
      expires_at: new Date(end * 1000).toISOString(),
    });
    expect(n).toMatchObject({ level: 'normal' });
    expect(JSON.parse(n?.targets_json as string)).toEqual([{ scope: 'area', id: 'ninh-kieu' }]);
  });

  it('are refused with the reason, field by field, storing nothing, while the good ones come in', async () => {
    w.server.state.bulletins = [
      provinceBulletin(w, { BanTinID: 'NO-AUDIO', NoiDung: undefined }),
      provinceBulletin(w, { BanTinID: 'LEVEL-TEXT', MucDoUuTien: '1' }),
      provinceBulletin(w, { BanTinID: 'NOWHERE', DanhSachDiaBan: ['99999'] }),
      provinceBulletin(w, { BanTinID: 'GONE', NoiDung: w.audio('missing.wav') }),
      provinceBulletin(w, { BanTinID: 'PAST', ThoiDiemKetThuc: 1000 }),
      provinceBulletin(w, { BanTinID: 'GOOD' }),
    ];
    const clipsBefore = count('clips');
    const r = await w.link.poll();
    expect(r).toMatchObject({ bulletins: 1, refused: 5 });
    expect(alerts().map((a) => a.title)).toEqual(['Cảnh báo triều cường']);
    // at most the good bulletin's clip (the first test may have made it already)
    expect(count('clips')).toBeLessThanOrEqual(clipsBefore + 1);
    const why = Object.fromEntries(
      recentInbox(w.ctl.db)
        .filter((e) => e.outcome === 'refused')
        .map((e) => [e.province_id, e.reason_vi]),
    );
    expect(why['NO-AUDIO']).toMatch(/thiếu trường NoiDung/);
    expect(why['LEVEL-TEXT']).toMatch(/trường MucDoUuTien sai kiểu/);
    expect(why.NOWHERE).toMatch(/địa bàn '99999' chưa được ánh xạ/);
    expect(why.GONE).toMatch(/không tải được .*404/);
    expect(why.PAST).toMatch(/ThoiDiemKetThuc đã qua/);
    // refused once, not again on every poll while the document is the same
    await w.link.poll();
    expect(recentInbox(w.ctl.db).filter((e) => e.outcome === 'refused')).toHaveLength(5);
  });

  it('an answer that is not a list is the link’s error, and changes nothing', async () => {
    w.server.state.listBody = () => ({ message: 'bảo trì' });
    expect(await w.link.poll()).toBeNull();
    expect(linkRow(w.ctl.db).last_error_vi).toMatch(/không phải danh sách/);
    expect(count('alerts')).toBe(0);
  });
});

describe('schedules from the province', () => {
  const slots = () =>
    (w.ctl.db.prepare('SELECT body FROM slots ORDER BY id').all() as { body: string }[]).map((r) =>
      JSON.parse(r.body),
    );

  it('become a campaign with a slot per day, time and area; deleted there, cancelled here', async () => {
    w.server.state.schedules = [provinceSchedule(w)];
    w.ctl.published.length = 0;
    expect(await w.link.poll()).toMatchObject({ schedules: 1, refused: 0 });
    const campaign = w.ctl.db.prepare('SELECT * FROM campaigns').get() as Record<string, unknown>;
    expect(campaign).toMatchObject({
      name: 'Tuyên truyền bầu cử đại biểu Quốc hội',
      start_date: '2026-12-01',
      end_date: '2026-12-02',
    });
    const s = slots();
    expect(s.map((x) => [x.startDate, x.startTime, x.flexibleUntil ?? null])).toEqual([
      ['2026-12-01', '06:00:00', null],
      ['2026-12-01', '17:00:00', '17:30:00'],
      ['2026-12-02', '06:00:00', null],
      ['2026-12-02', '17:00:00', null],
    ]);
    // the province's slots win ties with the commune's (schedulePriority, default 100)
    expect(s.every((x) => x.priority === 100)).toBe(true);
    expect(new Set(s.map((x) => JSON.stringify(x.target)))).toEqual(
      new Set([JSON.stringify({ scope: 'area', id: 'ninh-kieu' })]),
    );
    const clip = w.ctl.db.prepare('SELECT status, reviewed_by FROM clips WHERE id = ?').get(s[0].clipIds[0]);
    expect(clip).toEqual({ status: 'approved', reviewed_by: 'province' });
    // the stations of Ninh Kiều got their new desired state
    expect(w.ctl.published.map((d) => d.station.id).sort()).toEqual(['st-an-hoa', 'st-tan-an']);

    // unchanged: nothing happens; deleted at the province: cancelled here
    expect(await w.link.poll()).toMatchObject({ schedules: 0, cancelled: 0 });
    w.server.state.schedules = [];
    expect(await w.link.poll()).toMatchObject({ cancelled: 1 });
    expect(slots()).toEqual([]);
    expect(count('campaigns')).toBe(1);
    expect(recentInbox(w.ctl.db)[0]).toMatchObject({
      outcome: 'cancelled',
      province_id: 'LP-2026-12',
      reason_vi: 'tỉnh đã xoá lịch phát',
    });
  });

  it('changed at the province, replaces its slots', async () => {
    w.server.state.schedules = [provinceSchedule(w)];
    await w.link.poll();
    w.server.state.schedules = [
      provinceSchedule(w, {
        DanhSachNgayPhat: [{ NgayPhat: '03-12-2026', ThoiDiemPhat: [{ ThoiGianBatDau: '07:00' }] }],
      }),
    ];
    expect(await w.link.poll()).toMatchObject({ schedules: 1 });
    expect(slots().map((x) => [x.startDate, x.startTime])).toEqual([['2026-12-03', '07:00']]);
    expect(count('campaigns')).toBe(1);
  });

  it('with a bad date or a missing field is refused and changes nothing stored', async () => {
    w.server.state.schedules = [provinceSchedule(w)];
    await w.link.poll();
    const before = slots();
    w.server.state.schedules = [
      provinceSchedule(w, {
        DanhSachNgayPhat: [{ NgayPhat: '31-02-2026', ThoiDiemPhat: [{ ThoiGianBatDau: '07:00' }] }],
      }),
      provinceSchedule(w, { LichPhatID: 'LP-X', TenLichPhat: undefined }),
    ];
    expect(await w.link.poll()).toMatchObject({ schedules: 0, refused: 2, cancelled: 0 });
    expect(slots()).toEqual(before);
    const reasons = recentInbox(w.ctl.db)
      .filter((e) => e.outcome === 'refused')
      .map((e) => e.reason_vi);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/thiếu trường TenLichPhat/),
        expect.stringMatching(/NgayPhat '31-02-2026'/),
      ]),
    );
  });
});

describe('a province whose system names fields differently', () => {
  it('is read and written through the field mapping of the settings', async () => {
    const fields = { CumLoaID: 'MaCumLoa', MucDoUuTien: 'MucDo', BanTinID: 'MaBanTin' };
    const link = createProvinceLink(w.deps, parseProvinceSettings({ ...w.settings, fields }));
    const { BanTinID, MucDoUuTien, ...rest } = provinceBulletin(w, { BanTinID: 'MAP-1', MucDoUuTien: 2 });
    w.server.state.bulletins = [{ ...rest, MaBanTin: BanTinID, MucDo: MucDoUuTien }];
    expect(await link.poll()).toMatchObject({ bulletins: 1, refused: 0 });
    expect(alerts()[0]).toMatchObject({ level: 'priority' });
    // the fake server checks our CumLoaID: under its new name it is missing there, and refused (400)
    link.queueStatuses();
    expect(await link.send()).toMatchObject({ sent: 0, refused: 3 });
    const row = w.ctl.db
      .prepare("SELECT payload FROM province_outbox WHERE station_id = 'st-an-hoa'")
      .get() as {
      payload: string;
    };
    expect(JSON.parse(row.payload)).toMatchObject({ MaCumLoa: 'CUMLOA-0001' });
    expect(JSON.parse(row.payload)).not.toHaveProperty('CumLoaID');
  });
});
