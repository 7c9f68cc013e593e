// The API's refusals in Vietnamese at their source (issue 19): each answer keeps its English `message`
// for clients and carries `messageVi` for the console's people: Vietnamese, names not ids, no paths.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fromSqlite, fromZod } from '../../controller/http/errors.ts';
import { AN_HOA, apiSlot, makeController, type TestController } from '../support/controller.ts';

let ctl: TestController;
let technician: string;
let viewer: string;
let ward: string;

beforeAll(async () => {
  ctl = await makeController({ now: () => new Date('2026-11-26T00:00:00Z') });
  expect((await ctl.call('POST', '/api/stations', AN_HOA)).status).toBe(201);
  technician = await ctl.tokenFor('ky-thuat', 'technician', { districts: ['ninh-kieu'] });
  viewer = await ctl.tokenFor('nguoi-xem', 'viewer');
  ward = await ctl.tokenFor('can-bo', 'ward', { areas: ['an-hoa'] });
  const clip = ctl.db.prepare(
    `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, status, created_at)
     VALUES (?, ?, 't', 'wav', ?, 10, 300000, ?, '2026-01-01T00:00:00Z')`,
  );
  clip.run('clip-a', 'Tuyên truyền phòng cháy', 'e'.repeat(64), 'approved');
  clip.run('clip-p', 'Thông báo tiêm chủng', '', 'processing');
});
afterAll(() => ctl.cleanup());

interface Answer {
  status: number;
  body: { error: string; message: string; messageVi?: string; details?: unknown };
}

const VIETNAMESE = /[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]/i;
const seen = new Set<string>();

/** The refusal is as before in English and has its Vietnamese; answers the Vietnamese. */
function refusedInBoth(a: Answer, status: number, english: string | RegExp): string {
  expect(a.status, JSON.stringify(a.body)).toBe(status);
  if (typeof english === 'string') expect(a.body.message).toBe(english);
  else expect(a.body.message).toMatch(english);
  const vi = a.body.messageVi ?? '';
  expect(vi, a.body.message).toMatch(VIETNAMESE);
  expect(vi).not.toContain(a.body.message);
  expect(vi).not.toMatch(/\/api\/|\/tmp\/|SQLITE|Bearer|\bid\b/);
  seen.add(a.body.message);
  return vi;
}

describe('refusals answered in Vietnamese beside the English', () => {
  it('signing in and the roles', async () => {
    const login = await ctl.loginAs('admin', 'sai-mat-khau');
    refusedInBoth(
      { status: login.status, body: (await login.res.json()) as Answer['body'] },
      401,
      'wrong username or password',
    );
    refusedInBoth(
      await ctl.call('GET', '/api/areas', undefined, 'khong-phai-ma'),
      401,
      'the bearer token is unknown, expired or revoked; sign in again (POST /api/auth/token)',
    );
    const admin = refusedInBoth(
      await ctl.call(
        'POST',
        '/api/users',
        { username: 'x', role: 'viewer', password: 'mat-khau-dai' },
        technician,
      ),
      403,
      'this action needs the admin role',
    );
    expect(admin).toContain('Quản trị');
    refusedInBoth(
      await ctl.call('POST', '/api/slots', apiSlot(['clip-a']), viewer),
      403,
      'viewers can only read',
    );
    const roles = refusedInBoth(
      await ctl.call('POST', '/api/clips/clip-a/approve', {}, ward),
      403,
      /^this action needs one of the roles: admin, /,
    );
    expect(roles).toContain('Quản trị');
  });

  it('users and stations', async () => {
    const pw = 'mat-khau-thu-nghiem';
    refusedInBoth(
      await ctl.call('POST', '/api/users', { username: 'ky-thuat', role: 'viewer', password: pw }),
      409,
      "username 'ky-thuat' is taken",
    );
    refusedInBoth(
      await ctl.call('POST', '/api/users', { username: 'moi', role: 'technician', password: pw }),
      400,
      'a technician needs at least one area',
    );
    refusedInBoth(
      await ctl.call('POST', '/api/users', {
        username: 'moi',
        role: 'ward',
        password: pw,
        areas: ['khong-co'],
      }),
      400,
      "area 'khong-co' does not exist",
    );
    const taken = refusedInBoth(
      await ctl.call('POST', '/api/stations', { ...AN_HOA, name: 'Đài khác' }),
      409,
      "station 'st-an-hoa' already exists",
    );
    expect(taken).toContain(AN_HOA.name);
    refusedInBoth(
      await ctl.call('POST', '/api/stations', { id: 'st-2', name: 'Đài 2', district: 'ninh-kieu' }),
      400,
      'name both district and ward, or the area with areaId',
    );
    refusedInBoth(
      await ctl.call('POST', '/api/stations', { id: 'st-3', name: 'Đài 3', areaId: 'khong-co' }),
      400,
      "area 'khong-co' does not exist",
    );
    const invalid = refusedInBoth(
      await ctl.call('POST', '/api/stations', { id: 'st-4' }),
      400,
      /^invalid body: name: /,
    );
    expect(invalid).toBe('Dữ liệu không hợp lệ ở mục «name»: chưa được điền.');
    refusedInBoth(
      await ctl.call(
        'GET',
        '/api/stations/st-an-hoa/timetable?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z',
      ),
      400,
      '"to" must be after "from"',
    );
  });

  it('the area tree', async () => {
    const root = refusedInBoth(
      await ctl.call('POST', '/api/areas', { name: 'Cần Thơ', level: 'province', parentId: null }),
      409,
      /^the tree has a root already/,
    );
    expect(root).toContain('Cây địa bàn đã có địa bàn gốc');
    refusedInBoth(
      await ctl.call('POST', '/api/areas', { name: 'Ấp 1', level: 'ap', parentId: 'an-hoa' }),
      400,
      /^unknown level 'ap'/,
    );
    const hang = refusedInBoth(
      await ctl.call('POST', '/api/areas', { name: 'Quận mới', level: 'district', parentId: 'an-hoa' }),
      400,
      /^a district cannot hang from a /,
    );
    expect(hang).toContain('«Quận/huyện»');
    refusedInBoth(
      await ctl.call('DELETE', '/api/areas/ninh-kieu'),
      409,
      /^area 'ninh-kieu' is in use \(1 area\(s\)/,
    );
    const levels = (await ctl.call('GET', '/api/areas/levels')).body as { id: string; name: string }[];
    refusedInBoth(
      await ctl.call('POST', '/api/areas/levels', { levels: levels.slice(0, 2) }),
      400,
      /^level\(s\) still used by areas: /,
    );
  });

  it('clips, lists, live speech, backups and the stream server', async () => {
    const state = refusedInBoth(
      await ctl.call('POST', '/api/clips/clip-p/approve', {}),
      409,
      "clip 'clip-p' is processing; it cannot become approved",
    );
    expect(state).toBe(
      'Tệp âm thanh «Thông báo tiêm chủng» đang ở trạng thái «Đang xử lý», không thể chuyển sang «Đã duyệt».',
    );
    refusedInBoth(
      await ctl.call('GET', '/api/clips/clip-p/audio'),
      409,
      "clip 'clip-p' is processing: there is no processed audio",
    );
    refusedInBoth(
      await ctl.call('DELETE', '/api/clips/clip-p'),
      409,
      "clip 'clip-p' is still being processed",
    );
    const slot = await ctl.call('POST', '/api/slots', apiSlot(['clip-a']));
    expect(slot.status).toBe(201);
    const played = refusedInBoth(
      await ctl.call('DELETE', '/api/clips/clip-a'),
      409,
      `clip 'clip-a' is played by slot '${slot.body.id}'`,
    );
    expect(played).toContain('17:30');
    refusedInBoth(
      await ctl.call('GET', '/api/audit?cursor=khong-hop-le'),
      400,
      'cursor is not one this list gave out: start again with an empty cursor',
    );
    refusedInBoth(
      await ctl.call('POST', '/api/live', {
        level: 'normal',
        title: 'Thử',
        targets: [{ scope: 'ward', id: 'an-hoa' }],
      }),
      503,
      /^live speech needs the stream server/,
    );
    refusedInBoth(await ctl.call('GET', '/api/backups'), 404, 'backups are not set up on this controller');
    refusedInBoth(
      await ctl.call('POST', '/api/stream/listener', {}),
      403,
      'this route is for the stream server only',
    );
  });

  it('air-time: the refusal and each warning name the station and say it in Vietnamese, dates dd/mm/yyyy', async () => {
    const policy = {
      id: 'ha-noi',
      target: { scope: 'city' },
      policy: { maxSessionsPerDay: 1, enforcement: 'warn' },
    };
    expect((await ctl.call('POST', '/api/airtime-policies', policy)).status).toBe(201);
    refusedInBoth(await ctl.call('POST', '/api/airtime-policies', policy), 400, "policy 'ha-noi' exists");
    const warned = await ctl.call('POST', '/api/slots', apiSlot(['clip-a'], { startTime: '06:30' }));
    expect(warned.status).toBe(201);
    const warning = warned.body.airTimeWarnings[0];
    expect(warning).toMatchObject({
      stationId: AN_HOA.id,
      stationName: AN_HOA.name,
      code: 'sessions-per-day',
    });
    expect(warning.messageVi).toMatch(
      /^Ngày \d{2}\/\d{2}\/2026: 2 buổi phát, vượt mức tối đa 1 buổi một ngày$/,
    );
    expect(
      (await ctl.call('PATCH', '/api/airtime-policies/ha-noi', { policy: { enforcement: 'refuse' } })).status,
    ).toBe(200);
    const refusal = refusedInBoth(
      await ctl.call('POST', '/api/slots', apiSlot(['clip-a'], { startTime: '19:00' })),
      409,
      /^refused by the air-time policy: st-an-hoa: /,
    );
    expect(refusal).toMatch(
      /^Vượt giới hạn thời lượng phát tại Đài phường An Hòa\. Ngày \d{2}\/\d{2}\/2026: /,
    );
  });

  it('provoked at least 15 distinct refusals', () => {
    expect(seen.size).toBeGreaterThanOrEqual(15);
  });
});

describe('invalid input and database refusals in Vietnamese', () => {
  const Body = z.strictObject({
    name: z.string().min(1),
    count: z.number().int().max(10),
    at: z.iso.datetime(),
    kind: z.enum(['a', 'b']),
    items: z.array(z.string()).min(1),
  });
  const good = { name: 'x', count: 1, at: '2026-12-01T00:00:00Z', kind: 'a', items: ['x'] };
  const vi = (value: unknown) => {
    const r = Body.safeParse(value);
    if (r.success) throw new Error('accepted');
    const e = fromZod(r.error, 'body');
    expect(e.message).toMatch(/^invalid body: /);
    return e.messageVi;
  };

  it('says what the field must be, in words', () => {
    expect(vi({ ...good, name: undefined })).toBe('Dữ liệu không hợp lệ ở mục «name»: chưa được điền.');
    expect(vi({ ...good, name: '' })).toBe('Dữ liệu không hợp lệ ở mục «name»: không được để trống.');
    expect(vi({ ...good, name: 3 })).toBe('Dữ liệu không hợp lệ ở mục «name»: phải là văn bản.');
    expect(vi({ ...good, count: 11 })).toBe('Dữ liệu không hợp lệ ở mục «count»: nhiều nhất là 10.');
    expect(vi({ ...good, count: 1.5 })).toBe('Dữ liệu không hợp lệ ở mục «count»: phải là một số nguyên.');
    expect(vi({ ...good, at: 'hôm qua' })).toBe('Dữ liệu không hợp lệ ở mục «at»: phải là ngày giờ hợp lệ.');
    expect(vi({ ...good, kind: 'c' })).toBe(
      'Dữ liệu không hợp lệ ở mục «kind»: không thuộc các giá trị được chấp nhận.',
    );
    expect(vi({ ...good, items: [] })).toBe('Dữ liệu không hợp lệ ở mục «items»: cần ít nhất 1 mục.');
    expect(vi({ ...good, extra: 1 })).toBe('Dữ liệu không hợp lệ: có mục không được chấp nhận: «extra».');
  });

  it('a conflict or a busy database, without SQLite’s words', () => {
    for (const code of ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_FOREIGNKEY', 'SQLITE_BUSY']) {
      const e = fromSqlite({ code });
      expect(e?.messageVi).toMatch(VIETNAMESE);
      expect(e?.messageVi).not.toMatch(/SQLITE|constraint/i);
    }
  });
});
