// Issue 12, finding 3: a PATCH changes exactly the fields it names; every created resource can be edited.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeController, type TestController } from '../../support/controller.ts';

let ctl: TestController;
beforeEach(async () => {
  ctl = await makeController({ now: () => new Date('2026-11-26T03:00:00Z') });
  for (const [id, district, ward] of [
    ['st-an-hoa', 'ninh-kieu', 'an-hoa'],
    ['st-le-binh', 'cai-rang', 'le-binh'],
  ] as const) {
    expect((await ctl.call('POST', '/api/stations', { id, name: id, district, ward })).status).toBe(201);
  }
  // an approved clip, straight into the table: these tests are about PATCH, not about ffmpeg
  ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at)
       VALUES ('clip-a', 'Tiêm chủng', 't.wav', 'wav', ?, 10, 30000, '2026-01-01T00:00:00Z')`,
    )
    .run('c'.repeat(64));
});
afterEach(() => ctl.cleanup());

const PASSWORD = 'mat-khau-dai-du';
const campaign = (extra: object = {}) => ({
  id: 'camp-xet-nghiem',
  name: 'Xét nghiệm là then chốt',
  message: 'Tiêm vắc xin là nền tảng',
  startDate: '2027-01-01',
  endDate: '2027-03-31',
  district: 'ninh-kieu',
  ...extra,
});
const slot = (extra: object = {}) => ({
  id: 'slot-sang',
  campaignId: 'camp-xet-nghiem',
  clipIds: ['clip-a'],
  startTime: '06:30',
  weekdays: [1, 3, 5],
  startDate: '2027-01-05',
  endDate: '2027-03-01',
  target: { scope: 'ward', id: 'an-hoa' },
  priority: 7,
  ...extra,
});
const patch = (url: string, body: object, auth?: string) => ctl.call('PATCH', url, body, auth);
const userNamed = async (username: string) =>
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers loosely
  ((await ctl.call('GET', '/api/users')).body as any[]).find((u) => u.username === username);

describe('the findings of issue 12', () => {
  it("changing a slot's start time keeps its campaign and priority", async () => {
    expect((await ctl.call('POST', '/api/campaigns', campaign())).status).toBe(201);
    expect((await ctl.call('POST', '/api/slots', slot())).status).toBe(201);
    expect((await patch('/api/slots/slot-sang', { startTime: '07:00' })).status).toBe(200);
    const after = (await ctl.call('GET', '/api/slots/slot-sang')).body;
    expect(after).toMatchObject({ startTime: '07:00', campaignId: 'camp-xet-nghiem', priority: 7 });
  });

  it("a quiet window's PATCH keeps its note", async () => {
    const made = await ctl.call('POST', '/api/quiet-windows', {
      id: 'qw-hoc-online',
      weekdays: [1, 2, 3, 4, 5],
      startTime: '07:00',
      endTime: '11:00',
      startDate: '2027-01-01',
      endDate: '2027-05-31',
      reason: 'online-class',
      note: 'Học trực tuyến khối tiểu học',
      target: { scope: 'district', id: 'ninh-kieu' },
    });
    expect(made.status).toBe(201);
    expect((await patch('/api/quiet-windows/qw-hoc-online', { endTime: '11:30' })).status).toBe(200);
    const after = (await ctl.call('GET', '/api/quiet-windows/qw-hoc-online')).body;
    expect(after).toMatchObject({ endTime: '11:30', note: 'Học trực tuyến khối tiểu học' });
  });

  it('renaming a station keeps its time zone', async () => {
    const made = await ctl.call('POST', '/api/stations', {
      id: 'st-vientiane',
      name: 'Đài thử',
      district: 'ninh-kieu',
      ward: 'an-khanh',
      timezone: 'Asia/Vientiane',
    });
    expect(made.status).toBe(201);
    const renamed = await patch('/api/stations/st-vientiane', { name: 'Đài truyền thanh An Khánh' });
    expect(renamed.body).toMatchObject({ name: 'Đài truyền thanh An Khánh', timezone: 'Asia/Vientiane' });
  });

  it("disabling an area-scoped viewer keeps their scope (and the admin's answer says so)", async () => {
    const made = await ctl.call('POST', '/api/users', {
      username: 'xem-ninh-kieu',
      role: 'viewer',
      areas: ['ninh-kieu'],
      password: PASSWORD,
    });
    expect(made.body.scope).toEqual({ kind: 'areas', ids: ['ninh-kieu'] });
    const disabled = await patch(`/api/users/${made.body.id}`, { disabled: true });
    expect(disabled.body).toMatchObject({ disabled: true, scope: { kind: 'areas', ids: ['ninh-kieu'] } });
    const enabled = await patch(`/api/users/${made.body.id}`, { disabled: false });
    expect(enabled.body.scope).toEqual({ kind: 'areas', ids: ['ninh-kieu'] });
  });

  it("changing a disabled user's password does not re-enable the account", async () => {
    const made = await ctl.call('POST', '/api/users', {
      username: 'nghi-viec',
      role: 'reviewer',
      password: PASSWORD,
      disabled: true,
    });
    const changed = await patch(`/api/users/${made.body.id}`, { password: 'mot-mat-khau-moi' });
    expect(changed.status).toBe(200);
    expect(changed.body.disabled).toBe(true);
    expect((await ctl.loginAs('nghi-viec', 'mot-mat-khau-moi')).status).toBe(401);
  });

  it('technicians and ward staff can be disabled without resending their areas', async () => {
    const kt = await ctl.tokenFor('kt-ninh-kieu', 'technician', { districts: ['ninh-kieu'] });
    const cb = await ctl.tokenFor('cb-an-hoa', 'ward', { ward: 'an-hoa' });
    for (const [username, token] of [
      ['kt-ninh-kieu', kt],
      ['cb-an-hoa', cb],
    ] as const) {
      const u = await userNamed(username);
      const res = await patch(`/api/users/${u.id}`, { disabled: true });
      expect(res.status, username).toBe(200);
      expect(res.body).toMatchObject({ disabled: true, areas: u.areas, scope: u.scope });
      expect((await ctl.call('GET', '/api/stations', undefined, token)).status).toBe(401);
    }
  });
});

describe('scope and role changes keep their own rules', () => {
  it('a role change that needs an area still demands it', async () => {
    const made = await ctl.call('POST', '/api/users', {
      username: 'xem',
      role: 'viewer',
      password: PASSWORD,
    });
    const toTechnician = await patch(`/api/users/${made.body.id}`, { role: 'technician' });
    expect(toTechnician.status).toBe(400);
    expect(toTechnician.body.message).toMatch(/technician needs at least one area/);
    expect((await patch(`/api/users/${made.body.id}`, { role: 'ward' })).body.message).toMatch(
      /ward staff need at least one area/,
    );
    const ok = await patch(`/api/users/${made.body.id}`, { role: 'ward', areas: ['an-hoa'] });
    expect(ok.body).toMatchObject({ role: 'ward', scope: { kind: 'areas', ids: ['an-hoa'] } });
    // named the old way, as before the area tree
    const old = await patch(`/api/users/${made.body.id}`, { role: 'technician', districts: ['cai-rang'] });
    expect(old.body).toMatchObject({ role: 'technician', areas: ['cai-rang'] });
    const unknown = await patch(`/api/users/${made.body.id}`, { areas: ['khong-co'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/area 'khong-co' does not exist/);
  });

  it('an empty PATCH is refused with the reason, and changes nothing', async () => {
    for (const url of ['/api/stations/st-an-hoa', '/api/users/1']) {
      const res = await patch(url, {});
      expect(res.status, url).toBe(400);
      expect(res.body.message).toMatch(/name at least one field to change/);
    }
  });

  it('null clears what may be absent or null: a slot leaves its campaign, its volume goes back to 1', async () => {
    expect((await ctl.call('POST', '/api/campaigns', campaign())).status).toBe(201);
    expect((await ctl.call('POST', '/api/slots', slot({ volume: 1.5 }))).status).toBe(201);
    const res = await patch('/api/slots/slot-sang', { campaignId: null, volume: null });
    expect(res.status).toBe(200);
    const after = (await ctl.call('GET', '/api/slots/slot-sang')).body;
    expect(after.campaignId).toBeNull();
    expect(after).not.toHaveProperty('volume');
    expect(after.priority).toBe(7);
  });
});

describe('editing what could only be created', () => {
  it('a campaign changes its name, message and dates; its slots stay', async () => {
    expect((await ctl.call('POST', '/api/campaigns', campaign())).status).toBe(201);
    expect((await ctl.call('POST', '/api/slots', slot())).status).toBe(201);
    const res = await patch('/api/campaigns/camp-xet-nghiem', { name: 'Đợt 2', endDate: '2027-04-30' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Đợt 2',
      message: 'Tiêm vắc xin là nền tảng',
      startDate: '2027-01-01',
      endDate: '2027-04-30',
      areaId: 'ninh-kieu',
    });
    expect((await ctl.call('GET', '/api/campaigns/camp-xet-nghiem')).body.slots).toHaveLength(1);
  });

  it('a campaign cannot shrink or move away from its slots: 409 naming them', async () => {
    expect((await ctl.call('POST', '/api/campaigns', campaign())).status).toBe(201);
    expect((await ctl.call('POST', '/api/slots', slot())).status).toBe(201);
    const shrink = await patch('/api/campaigns/camp-xet-nghiem', { endDate: '2027-02-01' });
    expect(shrink.status).toBe(409);
    expect(shrink.body.message).toMatch(/slot-sang/);
    const moved = await patch('/api/campaigns/camp-xet-nghiem', { areaId: 'cai-rang' });
    expect(moved.status).toBe(409);
    expect(moved.body.message).toMatch(/slot-sang/);
    const inverted = await patch('/api/campaigns/camp-xet-nghiem', { startDate: '2027-06-01' });
    expect(inverted.status).toBe(400);
    expect((await ctl.call('GET', '/api/campaigns/camp-xet-nghiem')).body).toMatchObject({
      startDate: '2027-01-01',
      endDate: '2027-03-31',
      areaId: 'ninh-kieu',
    });
    // a campaign of the whole tree holds any slot
    expect((await patch('/api/campaigns/camp-xet-nghiem', { areaId: null })).status).toBe(200);
  });

  it("a technician edits only their district's campaigns, and cannot move one out of it", async () => {
    const kt = await ctl.tokenFor('kt-ninh-kieu', 'technician', { districts: ['ninh-kieu'] });
    expect((await ctl.call('POST', '/api/campaigns', campaign())).status).toBe(201);
    expect(
      (await ctl.call('POST', '/api/campaigns', campaign({ id: 'camp-cr', district: 'cai-rang' }))).status,
    ).toBe(201);
    expect((await patch('/api/campaigns/camp-xet-nghiem', { message: 'Ở nhà' }, kt)).status).toBe(200);
    expect((await patch('/api/campaigns/camp-cr', { message: 'Ở nhà' }, kt)).status).toBe(403);
    expect((await patch('/api/campaigns/camp-xet-nghiem', { areaId: 'cai-rang' }, kt)).status).toBe(403);
    expect((await patch('/api/campaigns/camp-xet-nghiem', { areaId: null }, kt)).status).toBe(403);
    expect((await patch('/api/campaigns/camp-xet-nghiem', { district: 'cai-rang' }, kt)).status).toBe(403);
  });

  it('an air-time policy changes the caps it names and keeps the others', async () => {
    const made = await ctl.call('POST', '/api/airtime-policies', {
      id: 'policy-nk',
      target: { scope: 'area', id: 'ninh-kieu' },
      policy: { maxSessionsPerDay: 2, maxMinutesPerSession: 15, enforcement: 'refuse' },
    });
    expect(made.status).toBe(201);
    const res = await patch('/api/airtime-policies/policy-nk', {
      policy: { maxMinutesPerSession: 45, maxSessionsPerDay: null },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: 'policy-nk',
      target: { scope: 'area', id: 'ninh-kieu' },
      policy: { maxMinutesPerSession: 45, enforcement: 'refuse' },
    });
  });

  it("a clip's title can be corrected", async () => {
    const res = await patch('/api/clips/clip-a', { title: '  Tiêm chủng mũi 3 ' });
    expect(res.status).toBe(200);
    expect((await ctl.call('GET', '/api/clips/clip-a')).body).toMatchObject({
      title: 'Tiêm chủng mũi 3',
      status: 'approved',
    });
  });
});
