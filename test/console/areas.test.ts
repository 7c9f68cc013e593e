// The area pages in-process: an admin builds a tree from nothing (levels, the official list previewed
// then imported, an area added, a name corrected), places a station under an area, and renames, moves and
// splits areas through the preview and its confirm button; refusals come back with the API's reason and
// change nothing; a technician sees only their part of the tree.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, makeController, type TestController } from '../support/controller.ts';
import { consoleSession } from './session.ts';

let ctl: TestController;
let admin: ReturnType<typeof consoleSession>;
beforeAll(async () => {
  ctl = await makeController();
  admin = consoleSession(ctl);
  await admin.signIn('admin', ADMIN_PASSWORD);
});
afterAll(() => ctl.cleanup());

const OFFICIAL = [
  'Mã,Tên,Cấp,Mã cấp trên',
  '31117,Phường Ninh Kiều,Phường,92',
  '31120,Phường Cái Khế,Phường,92',
  '31261,Xã Phong Điền,Xã,92',
  '92,Thành phố Cần Thơ,Thành phố,',
  '31261-01,Ấp Nhơn Lộc,Ấp,31261',
].join('\n');
const tree = async () =>
  ((await ctl.call('GET', '/api/areas')).body.areas as { id: string; name: string; parentId: string }[]).map(
    (a) => `${a.name} < ${a.parentId ?? '-'}`,
  );
/** The preview's op field, as the confirm button sends it back. */
const opOf = (html: string) =>
  (/name="op" value="([^"]*)"/.exec(html)?.[1] ?? '').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

describe('the areas page, for an admin', () => {
  it('starts empty, takes the levels, then the official list (previewed first)', async () => {
    let page = await admin.get('/console/areas');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Chưa có khu vực nào');
    let res = await admin.post('/console/areas/levels', {
      levelId: ['province', 'commune', 'village', ''],
      levelName: ['Tỉnh/thành phố', 'Xã/phường/đặc khu', 'Thôn/ấp/khu phố', ''],
    });
    expect(res.status).toBe(303);
    expect((await ctl.call('GET', '/api/areas/levels')).body.map((l: { name: string }) => l.name)).toEqual([
      'Tỉnh/thành phố',
      'Xã/phường/đặc khu',
      'Thôn/ấp/khu phố',
    ]);

    res = await admin.post('/console/areas/official', { csv: OFFICIAL, dryRun: 'true' });
    expect(res.status).toBe(200);
    let html = await res.text();
    expect(html).toContain('Kết quả nhập · Xem trước: chưa có gì thay đổi');
    expect(html).toContain('Tạo mới (5):');
    expect(html).toContain('Ấp Nhơn Lộc (Thôn/ấp/khu phố) · 31261-01');
    expect(await tree()).toEqual([]);

    // a missing parent: the line and the reason, nothing imported
    res = await admin.post('/console/areas/official', {
      csv: `${OFFICIAL}\n31299,Xã Mỹ Khánh,Xã,99999`,
      dryRun: 'false',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/class="error"[^>]*>[^<]*nothing imported: line 7/);
    expect(await tree()).toEqual([]);

    res = await admin.post('/console/areas/official', { csv: OFFICIAL, dryRun: 'false' });
    html = await res.text();
    expect(html).toContain('Kết quả nhập · Đã áp dụng');
    expect(await tree()).toHaveLength(5);
    page = await admin.get('/console/areas');
    expect(page.html).toMatch(
      /<b title="31261-01">Ấp Nhơn Lộc<\/b> <span class="muted">\(Thôn\/ấp\/khu phố\) · Mã 31261-01/,
    );
  });

  it('adds an area, corrects a name and places a station under an area by picking it', async () => {
    let res = await admin.post('/console/areas/add', {
      parent: 'area:31261',
      name: 'Ấp Mỹ Ái',
      code: '',
      level: 'village',
      id: 'ap-my-ai',
    });
    expect(res.status).toBe(303);
    res = await admin.post('/console/areas/correct', {
      area: 'area:31120',
      name: 'Phường Cái Khế',
      code: '31121',
    });
    expect(res.status).toBe(303);
    expect((await ctl.call('GET', '/api/areas/31120')).body).toMatchObject({ code: '31121' });
    // a level that is not below the parent's: refused with the reason, nothing added
    res = await admin.post('/console/areas/add', { parent: 'area:31261', name: 'Xã Lạ', level: 'commune' });
    expect(res.status).toBe(400);
    expect(await tree()).toHaveLength(6);

    expect(
      (await ctl.call('POST', '/api/stations', { id: 'st-nhon-loc', name: 'Đài ấp', areaId: '31261' }))
        .status,
    ).toBe(201);
    res = await admin.post('/console/areas/stations', {
      station: 'station:st-nhon-loc',
      name: 'Cụm loa ấp Nhơn Lộc',
      area: 'area:31261-01',
    });
    expect(res.status).toBe(303);
    expect((await ctl.call('GET', '/api/stations/st-nhon-loc')).body).toMatchObject({
      name: 'Cụm loa ấp Nhơn Lộc',
      areaId: '31261-01',
    });
    const page = await admin.get('/console/areas');
    expect(page.html).toMatch(/data-area="31261-01"[\s\S]*?data-station="st-nhon-loc"/);
  });

  it('renames and moves through the preview and the confirm button', async () => {
    let res = await admin.post('/console/areas/reorganise', {
      operation: 'rename',
      area: 'area:31261',
      name: 'Xã Phong Điền Mới',
      code: '',
    });
    expect(res.status).toBe(200);
    let html = await res.text();
    expect(html).toContain('Đổi tên · Xem trước: chưa có gì thay đổi');
    expect(html).toMatch(
      /data-area-change="renamed"[^>]*>\s*<td>Đổi tên<\/td><td>Xã Phong Điền<\/td><td>Xã Phong Điền Mới<\/td>/,
    );
    expect(html).toContain('Xã Phong Điền › Ấp Nhơn Lộc');
    expect((await ctl.call('GET', '/api/areas/31261')).body.name).toBe('Xã Phong Điền');
    res = await admin.post('/console/areas/reorganise', { op: opOf(html), confirm: 'yes' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/areas?applied=1');
    const detail = (await ctl.call('GET', '/api/areas/31261')).body;
    expect(detail.name).toBe('Xã Phong Điền Mới');
    expect(detail.history.map((h: { name: string }) => h.name)).toEqual([
      'Xã Phong Điền',
      'Xã Phong Điền Mới',
    ]);

    res = await admin.post('/console/areas/reorganise', {
      operation: 'move',
      area: 'area:31261-01',
      parent: 'area:31117',
    });
    html = await res.text();
    expect(html).toContain('Chuyển trực thuộc · Xem trước');
    expect(html).toMatch(
      /Cụm loa ấp Nhơn Lộc<\/td><td>Xã Phong Điền Mới › Ấp Nhơn Lộc<\/td><td>Phường Ninh Kiều › Ấp Nhơn Lộc/,
    );
    res = await admin.post('/console/areas/reorganise', { op: opOf(html), confirm: 'yes' });
    expect(res.status).toBe(303);
    expect((await ctl.call('GET', '/api/areas/31261-01')).body.parentId).toBe('31117');
  });

  it('previews a split; a merge of areas of different levels is refused with the reason', async () => {
    let res = await admin.post('/console/areas/reorganise', {
      operation: 'split',
      area: 'area:31261',
      parts: 'Xã Phong Điền A | 31262 | | ap my ai\nXã Phong Điền B | 31263 | |',
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Chia tách · Xem trước');
    expect(html.match(/data-area-change="created"/g)).toHaveLength(2);
    expect(html).toContain('Xã Phong Điền B');
    const before = await tree();
    res = await admin.post('/console/areas/reorganise', {
      operation: 'merge',
      areas: ['area:31117', 'area:ap-my-ai'],
      into: '',
      name: 'Lạ',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/class="error"/);
    expect(await tree()).toEqual(before);
  });
});

describe('campaigns', () => {
  it('belong to an area picked by name, shown by name', async () => {
    const res = await admin.post('/console/campaigns', {
      name: 'Phòng chống sốt xuất huyết',
      message: 'Diệt lăng quăng',
      startDate: '2026-12-01',
      endDate: '2026-12-31',
      area: 'area:31117',
    });
    expect(res.status).toBe(303);
    const list = (await ctl.call('GET', '/api/campaigns')).body as { areaId: string }[];
    expect(list.map((c) => c.areaId)).toEqual(['31117']);
    const page = await admin.get('/console/campaigns');
    expect(page.html).toMatch(
      /<span title="area:31117 · Mã 31117">Phường Ninh Kiều <span class="muted">\(Xã\/phường\/đặc khu\)/,
    );
  });
});

describe('the areas page, for a technician', () => {
  it('shows only their part of the tree, and pickers offer only it', async () => {
    const made = await ctl.call('POST', '/api/users', {
      username: 'kt-ninh-kieu',
      role: 'technician',
      password: 'mat-khau-dai-du',
      areas: ['31117'],
    });
    expect(made.status).toBe(201);
    const tech = consoleSession(ctl);
    await tech.signIn('kt-ninh-kieu', 'mat-khau-dai-du');
    const page = await tech.get('/console/areas');
    expect(page.html).toContain('data-area="31117"');
    expect(page.html).toContain('data-area="31261-01"');
    expect(page.html).not.toContain('Cái Khế');
    // reorganisations inside their areas, previewed as for an admin; adding areas and levels are the admin's
    expect(page.html).toContain('data-op="rename"');
    expect(page.html).not.toContain('data-form="add-area"');
    let res = await tech.post('/console/areas/reorganise', {
      operation: 'rename',
      area: 'area:31261-01',
      name: 'Khu phố Nhơn Lộc',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Đổi tên · Xem trước');
    res = await tech.post('/console/areas/reorganise', {
      operation: 'rename',
      area: 'area:31120',
      name: 'Lạ',
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/class="error"/);
    const quiet = await tech.get('/console/quiet-windows');
    expect(quiet.html).toContain('value="area:31117"');
    expect(quiet.html).toContain('value="station:st-nhon-loc"');
    expect(quiet.html).not.toContain('value="area:92"');
    expect(quiet.html).not.toContain('value="area:31120"');
    tech.jar.loa_lang = 'en';
    expect((await tech.get('/console/areas')).html).toContain('Stations by area');
  });
});
