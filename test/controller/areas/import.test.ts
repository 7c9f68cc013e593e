// Loading the official list of administrative units (code, name, level, parent code) and stations by CSV:
// all rows or none, missing parents and unknown levels refused with the line.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeController, type TestController } from '../../support/controller.ts';

let ctl: TestController;
beforeEach(async () => {
  ctl = await makeController({ now: () => new Date('2026-11-26T03:00:00Z') });
  await ctl.call('POST', '/api/areas/levels', {
    levels: [
      { id: 'province', name: 'Tỉnh/thành phố' },
      { id: 'commune', name: 'Xã/phường/đặc khu' },
      { id: 'village', name: 'Thôn/ấp/khu phố' },
    ],
  });
});
afterEach(() => ctl.cleanup());

/** As the national list writes it: Vietnamese headers and level names, children before their parent. */
const OFFICIAL = [
  'Mã,Tên,Cấp,Mã cấp trên',
  '31117,Phường Ninh Kiều,Phường,92',
  '31120,Phường Cái Khế,Phường,92',
  '31261,Xã Phong Điền,Xã,92',
  '92,Thành phố Cần Thơ,Thành phố,',
  '31261-01,Ấp Nhơn Lộc,Ấp,31261',
].join('\n');

const importCsv = (csv: string, dryRun = false) => ctl.call('POST', '/api/areas/import', { csv, dryRun });
const areas = async () => (await ctl.call('GET', '/api/areas')).body.areas;

describe('the official list', () => {
  it('loads a whole tree at once, in Vietnamese, whatever the order of the lines', async () => {
    const dry = await importCsv(OFFICIAL, true);
    expect(dry.status).toBe(200);
    expect(dry.body.created).toHaveLength(5);
    expect(await areas()).toEqual([]);
    const r = await importCsv(OFFICIAL);
    expect(r.body.created.map((c: { id: string }) => c.id)).toEqual([
      '92',
      '31117',
      '31120',
      '31261',
      '31261-01',
    ]);
    const tree = await areas();
    expect(tree.map((a: { name: string; depth: number }) => `${'  '.repeat(a.depth)}${a.name}`)).toEqual([
      'Thành phố Cần Thơ',
      '  Phường Cái Khế',
      '  Phường Ninh Kiều',
      '  Xã Phong Điền',
      '    Ấp Nhơn Lộc',
    ]);
    expect(tree[4]).toMatchObject({ level: 'village', code: '31261-01', parentId: '31261' });
    // the same list again changes nothing; a corrected name is corrected
    const again = await importCsv(OFFICIAL.replace('Phường Cái Khế', 'Phường Cái Khế (mới)'));
    expect(again.body).toMatchObject({
      created: [],
      unchanged: 4,
      updated: [{ id: '31120', name: 'Phường Cái Khế (mới)' }],
    });
  });

  it('gives its code to a root made before codes were known (a migrated city), and stations take codes as areas', async () => {
    await ctl.call('POST', '/api/areas', {
      id: 'city',
      name: 'Thành phố',
      level: 'province',
      parentId: null,
    });
    const r = await importCsv(OFFICIAL);
    expect(r.status).toBe(200);
    expect(r.body.updated).toEqual([
      { id: 'city', code: '92', name: 'Thành phố Cần Thơ', before: 'Thành phố' },
    ]);
    const st = await ctl.call('POST', '/api/stations/import', {
      csv: 'id,name,area\nst-nk,Đài phường Ninh Kiều,31117\nst-nl,Cụm loa ấp Nhơn Lộc,31261-01',
    });
    expect(st.body).toEqual({ created: ['st-nk', 'st-nl'], updated: [] });
    expect((await ctl.call('GET', '/api/stations/st-nl')).body.areaPath).toEqual([
      'city',
      '31261',
      '31261-01',
    ]);
  });

  it('refuses the whole file for a missing parent, an unknown level, a repeated code, a child above its parent', async () => {
    const cases: [string, RegExp][] = [
      [
        `${OFFICIAL}\n31299,Xã Trường Long,Xã,31999`,
        /line 7: parent code 31999 is neither in the file nor in the tree/,
      ],
      [`${OFFICIAL}\n31300,Xóm 1,Xóm,31261`, /line 7: unknown level 'Xóm'/],
      [`${OFFICIAL}\n31117,Phường Ninh Kiều,Phường,92`, /code 31117 is listed twice/],
      [`${OFFICIAL}\n31301,Xã con,Xã,31261-01`, /a commune cannot hang from a village/],
      ['Mã,Tên\n1,Tỉnh', /must name a level column/],
      [`${OFFICIAL}\n31302,Ấp vòng,Ấp,31303\n31303,Ấp vòng 2,Ấp,31302`, /its chain of parents loops/],
    ];
    for (const [csv, message] of cases) {
      const r = await importCsv(csv);
      expect(r.status, csv.split('\n').at(-1)).toBe(400);
      expect([r.body.message, ...(r.body.details ?? [])].join('\n')).toMatch(message);
    }
    expect(await areas()).toEqual([]);
  });
});

describe('stations by CSV', () => {
  const OLD = [
    'id,name,district,ward,timezone',
    'st-an-hoa,"Đài phường An Hòa, Ninh Kiều",ninh-kieu,an-hoa,Asia/Ho_Chi_Minh',
    'st-le-binh,Đài phường Lê Bình,cai-rang,le-binh,',
  ].join('\r\n');

  it('takes the old district,ward form too, placing the stations under areas of those ids', async () => {
    await ctl.call('POST', '/api/areas/levels', {
      levels: [
        { id: 'city', name: 'Thành phố' },
        { id: 'district', name: 'Quận/huyện' },
        { id: 'ward', name: 'Phường/xã' },
      ],
    });
    const r = await ctl.call('POST', '/api/stations/import', { csv: OLD });
    expect(r.body).toEqual({ created: ['st-an-hoa', 'st-le-binh'], updated: [] });
    const again = await ctl.call('POST', '/api/stations/import', {
      csv: OLD.replace('cai-rang,le-binh', 'cai-rang,ba-lang'),
    });
    expect(again.body).toEqual({ created: [], updated: ['st-an-hoa', 'st-le-binh'] });
    expect((await ctl.call('GET', '/api/stations/st-le-binh')).body.areaPath).toEqual([
      'city',
      'cai-rang',
      'ba-lang',
    ]);
    expect((await ctl.call('POST', '/api/stations/st-an-hoa/enrolment')).status).toBe(201);
  });

  it('refuses the whole file when a line is wrong, naming the line', async () => {
    await importCsv(OFFICIAL);
    const bad = 'id,name,area\nst-a,Đài A,31117\nst-b,Đài B,khong-co\nst-a,again,31120';
    const r = await ctl.call('POST', '/api/stations/import', { csv: bad });
    expect(r.status).toBe(400);
    expect(r.body.details.join(' ')).toMatch(/listed twice: st-a/);
    expect(r.body.details.join(' ')).toMatch(/line 2: area 'khong-co' does not exist/);
    expect((await ctl.call('GET', '/api/stations')).body).toEqual([]);
  });
});
