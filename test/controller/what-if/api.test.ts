// POST /api/what-if: what a slot, a quiet window, an air-time policy or a bulletin would do to the next two
// weeks, asked before saving, with real SQLite and the agent's own compiler; nothing is stored.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type World, wardSlot, whatIfWorld } from './world.ts';

let w: World;
beforeAll(async () => {
  w = await whatIfWorld();
});
afterAll(() => {
  vi.useRealTimers();
  return w.ctl.cleanup();
});

// biome-ignore lint/suspicious/noExplicitAny: the answer read loosely
type Change = any;
const ask = (body: object) => w.ctl.call('POST', '/api/what-if', body);
const slotCount = () => (w.ctl.db.prepare('SELECT count(*) AS n FROM slots').get() as { n: number }).n;

describe('POST /api/what-if', () => {
  it("names the city campaign's plays a ward's new slot pushes off, at the ward's station, in local time", async () => {
    const before = slotCount();
    const res = await ask({ kind: 'slot', body: wardSlot(w) });
    expect(res.status).toBe(200);
    expect(slotCount()).toBe(before); // nothing stored
    const a = res.body;
    expect(a.stations).toEqual({ reached: 1, checked: 1 });
    const pushed = a.changes.filter((c: Change) => c.change === 'pushed-off');
    // 5 to 18 December at 06:30: the 4th's has passed at 10:00
    expect(pushed).toHaveLength(14);
    const first = pushed[0];
    expect(first).toMatchObject({
      own: false,
      stationId: 'st-an-hoa',
      stationName: 'Đài phường An Hòa',
      entryId: `${w.citySlot}@2026-12-05`,
      entry: { kind: 'slot', name: 'Tuyên truyền mùa mưa', time: '06:30', proposed: false },
      local: '05/12/2026 06:30',
      reason: 'overlap',
      reasonWords: { vi: 'Trùng lịch với lượt phát khác', en: 'Overlaps another entry' },
      cause: { kind: 'slot', name: 'Ngày chủ nhật xanh', time: '06:29', proposed: true },
    });
    expect(pushed.at(-1).local).toBe('18/12/2026 06:30');
    expect(a.changes.some((c: Change) => c.stationId !== 'st-an-hoa')).toBe(false);
    expect(a.own).toEqual([
      {
        stationId: 'st-an-hoa',
        stationName: 'Đài phường An Hòa',
        before: 0,
        after: 14,
        first: ['05/12/2026 06:29', '06/12/2026 06:29', '07/12/2026 06:29'],
      },
    ]);
  });

  it('names the entries a quiet window will skip, and the window as their cause', async () => {
    const res = await ask({
      kind: 'quiet-window',
      body: {
        weekdays: [1],
        startTime: '06:00',
        endTime: '07:00',
        startDate: '2026-12-01',
        endDate: '2026-12-31',
        reason: 'online-class',
        note: 'Học trực tuyến lớp 9',
        target: { scope: 'area', id: 'ninh-kieu' },
      },
    });
    expect(res.status).toBe(200);
    const a = res.body;
    expect(a.stations).toEqual({ reached: 2, checked: 2 });
    // the Mondays, 7 and 14 December, at both wards of Ninh Kiều
    expect(a.changes.map((c: Change) => `${c.stationId} ${c.local} ${c.change} ${c.reason}`)).toEqual([
      'st-an-hoa 07/12/2026 06:30 skipped online-class',
      'st-tan-an 07/12/2026 06:30 skipped online-class',
      'st-an-hoa 14/12/2026 06:30 skipped online-class',
      'st-tan-an 14/12/2026 06:30 skipped online-class',
    ]);
    expect(a.changes[0].cause).toMatchObject({
      kind: 'quiet-window',
      name: 'Học trực tuyến lớp 9',
      time: '06:00-07:00',
      quietReason: 'online-class',
      proposed: true,
    });
    expect(a.changes[0].reasonWords.vi).toBe('Giờ học trực tuyến');
    expect(a.own).toEqual([]);
  });

  it("an edit replaces the old slot: moved away, the city's plays come back", async () => {
    const saved = await w.ctl.call('POST', '/api/slots', wardSlot(w));
    expect(saved.status).toBe(201);
    const res = await ask({ kind: 'slot', replaces: saved.body.id, body: { startTime: '07:00' } });
    expect(res.status).toBe(200);
    const a = res.body;
    const back = a.changes.filter((c: Change) => c.change === 'plays-again');
    expect(back).toHaveLength(14);
    expect(back[0]).toMatchObject({
      local: '05/12/2026 06:30',
      entry: { name: 'Tuyên truyền mùa mưa' },
      cause: { kind: 'slot', id: saved.body.id, name: 'Ngày chủ nhật xanh', time: '06:29', proposed: true },
    });
    expect(a.changes.filter((c: Change) => c.change !== 'plays-again')).toEqual([]);
    expect(a.own[0]).toMatchObject({
      before: 14,
      after: 14,
      first: ['05/12/2026 07:00', '06/12/2026 07:00', '07/12/2026 07:00'],
    });
    // still stored as it was
    expect((await w.ctl.call('GET', `/api/slots/${saved.body.id}`)).body.startTime).toBe('06:29');
    await w.ctl.call('DELETE', `/api/slots/${saved.body.id}`);
  });

  // Entries that start together at equal priority are ordered by slot id: the answer names the id it tried
  // the new slot under, and a save under it does what was answered, whichever side of it the other id sorts.
  it.each(['slot-0000', 'slot-zzzz'])(
    'a tie at the same instant falls as answered once saved under proposedId (other slot %s)',
    async (otherId) => {
      const at = { ...wardSlot(w), campaignId: w.cityCampaign, startTime: '20:00' };
      const le = { ...at, target: { scope: 'area', id: 'le-binh' } };
      expect((await w.ctl.call('POST', '/api/slots', { ...le, id: otherId })).status).toBe(201);
      const a = (await ask({ kind: 'slot', body: le })).body;
      expect(a.proposedId).toMatch(/^slot-[0-9a-f]{8}$/);
      const loser = a.changes.some((c: Change) => c.change === 'pushed-off' && !c.own)
        ? otherId
        : a.proposedId;
      expect((await w.ctl.call('POST', '/api/slots', { ...le, id: a.proposedId })).status).toBe(201);
      const from = encodeURIComponent('2026-12-05T00:00:00Z');
      const to = encodeURIComponent('2026-12-06T00:00:00Z');
      const day = await w.ctl.call('GET', `/api/stations/st-le-binh/timetable?from=${from}&to=${to}`);
      const skipped = (day.body as { slotId: string; status: string }[]).filter(
        (e) => e.status === 'skipped',
      );
      expect(skipped.map((e) => e.slotId)).toEqual([loser]);
      for (const id of [otherId, a.proposedId]) await w.ctl.call('DELETE', `/api/slots/${id}`);
    },
  );

  it('answers no change when nothing else plays near it', async () => {
    const res = await ask({
      kind: 'slot',
      body: {
        ...wardSlot(w),
        campaignId: w.cityCampaign,
        startTime: '20:00',
        target: { scope: 'area', id: 'le-binh' },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.changes).toEqual([]);
    expect(res.body.own).toMatchObject([{ stationId: 'st-le-binh', before: 0, after: 14 }]);
  });

  it("its own entries kept off air are listed with the reason (the ward's slot inside its online-class hours)", async () => {
    const q = await w.ctl.call('POST', '/api/quiet-windows', {
      weekdays: [3],
      startTime: '06:00',
      endTime: '07:00',
      startDate: '2026-12-01',
      endDate: '2026-12-31',
      reason: 'online-class',
      target: { scope: 'area', id: 'an-hoa' },
    });
    const res = await ask({ kind: 'slot', body: wardSlot(w) });
    const own = res.body.changes.filter((c: Change) => c.own);
    expect(own.map((c: Change) => `${c.local} ${c.change} ${c.reason}`)).toEqual([
      '09/12/2026 06:29 skipped online-class',
      '16/12/2026 06:29 skipped online-class',
    ]);
    expect(own[0].cause).toMatchObject({ kind: 'quiet-window', id: q.body.id, proposed: false });
    await w.ctl.call('DELETE', `/api/quiet-windows/${q.body.id}`);
  });

  it('a policy answers the breaches its limits add', async () => {
    const res = await ask({
      kind: 'policy',
      body: { target: { scope: 'area', id: 'le-binh' }, policy: { maxDaysPerWeek: 5, enforcement: 'warn' } },
    });
    expect(res.status).toBe(200);
    const weeks = res.body.breaches.map(
      (b: Change) => `${b.stationName} ${b.change} ${b.code} ${b.localDate}`,
    );
    expect(weeks).toContain('Đài phường Lê Bình new days-per-week 2026-12-07');
    expect(res.body.changes).toEqual([]);
  });

  it('a priority bulletin moves the session it goes first in', async () => {
    const res = await ask({
      kind: 'alert',
      body: {
        level: 'priority',
        title: 'Lịch cắt nước',
        reason: 'Thông báo của công ty cấp nước',
        clipId: 'clip-ve-sinh',
        targets: [{ scope: 'station', id: 'st-tan-an' }],
      },
    });
    expect(res.status).toBe(200);
    const moved = res.body.changes.filter((c: Change) => c.change === 'moved');
    expect(moved[0]).toMatchObject({
      stationName: 'Đài phường Tân An',
      local: '05/12/2026 06:30',
      cause: { kind: 'alert', name: 'Lịch cắt nước', level: 'priority', proposed: true },
    });
    expect(moved[0].movedTo.local).toMatch(/^05\/12\/2026 06:3[2-3]$/);
    expect(res.body.own).toMatchObject([{ stationId: 'st-tan-an', after: 1, first: ['05/12/2026 06:30'] }]);
  });

  it('refuses what the save would refuse, naming the field', async () => {
    const late = await ask({ kind: 'slot', body: wardSlot(w, { endDate: '2027-01-31' }) });
    expect(late.status).toBe(400);
    const bad = await ask({ kind: 'slot', body: wardSlot(w, { startTime: '25:00' }) });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.details)).toContain('startTime');
    const none = await ask({ kind: 'quiet-window', replaces: 'qw-none', body: {} });
    expect(none.status).toBe(404);
  });

  it('a ward officer may ask about quiet windows and bulletins of their ward, not about slots', async () => {
    const ward = await w.ctl.tokenFor('can-bo-an-hoa', 'ward', { areas: ['an-hoa'] });
    const slot = await w.ctl.call('POST', '/api/what-if', { kind: 'slot', body: wardSlot(w) }, ward);
    expect(slot.status).toBe(403);
    const elsewhere = await w.ctl.call(
      'POST',
      '/api/what-if',
      {
        kind: 'quiet-window',
        body: {
          weekdays: [1],
          startTime: '06:00',
          endTime: '07:00',
          startDate: '2026-12-01',
          endDate: '2026-12-31',
          reason: 'local-event',
          target: { scope: 'area', id: 'le-binh' },
        },
      },
      ward,
    );
    expect(elsewhere.status).toBe(403);
  });
});
