// The area tree: stations imported from CSV (all or nothing), edited, and shown district by ward in the console.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, makeController, type TestController } from '../support/controller.ts';

let ctl: TestController;
beforeEach(async () => {
  ctl = await makeController();
});
afterEach(() => ctl.cleanup());

const CSV = [
  'id,name,district,ward,timezone',
  'st-an-hoa,"Đài phường An Hòa, Ninh Kiều",ninh-kieu,an-hoa,Asia/Ho_Chi_Minh',
  'st-le-binh,Đài phường Lê Bình,cai-rang,le-binh,',
].join('\r\n');

describe('station import', () => {
  it('creates stations from CSV, updates known ones, and they enrol with a code', async () => {
    const r = await ctl.call('POST', '/api/stations/import', { csv: CSV });
    expect(r.body).toEqual({ created: ['st-an-hoa', 'st-le-binh'], updated: [] });
    const again = await ctl.call('POST', '/api/stations/import', {
      csv: CSV.replace('cai-rang,le-binh', 'cai-rang,ba-lang'),
    });
    expect(again.body).toEqual({ created: [], updated: ['st-an-hoa', 'st-le-binh'] });
    const st = (await ctl.call('GET', '/api/stations/st-an-hoa')).body;
    expect(st).toMatchObject({ name: 'Đài phường An Hòa, Ninh Kiều', district: 'ninh-kieu' });
    expect((await ctl.call('GET', '/api/stations/st-le-binh')).body.ward).toBe('ba-lang');
    expect((await ctl.call('POST', '/api/stations/st-an-hoa/enrolment')).status).toBe(201);
  });

  it('refuses the whole file when a line is wrong, naming the line', async () => {
    const bad = `${CSV}\nst-x,Đài X,../etc,w\nst-an-hoa,again,d,w`;
    const r = await ctl.call('POST', '/api/stations/import', { csv: bad });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/line 3: district/);
    expect(r.body.details.join(' ')).toMatch(/listed twice: st-an-hoa/);
    expect((await ctl.call('GET', '/api/stations')).body).toEqual([]);
  });
});

describe('areas page', () => {
  it('shows the tree to a signed-in admin and edits a station through a form', async () => {
    await ctl.call('POST', '/api/stations/import', { csv: CSV });
    const login = await ctl.app.request('/console/login', {
      method: 'POST',
      body: new URLSearchParams({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    expect(login.status).toBe(303);
    const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0] as string);
    const cookie = cookies.join('; ');
    const csrf = cookies.find((c) => c.startsWith('loa_csrf='))?.split('=')[1] as string;
    const page = await (await ctl.app.request('/console/areas', { headers: { cookie } })).text();
    expect(page).toMatch(/Quận\/huyện: cai-rang[\s\S]*Phường\/xã: le-binh[\s\S]*Đài phường Lê Bình/);

    const noCsrf = await ctl.app.request('/console/areas/stations/st-le-binh', {
      method: 'POST',
      headers: { cookie },
      body: new URLSearchParams({ name: 'x', district: 'cai-rang', ward: 'le-binh' }),
    });
    expect(noCsrf.status).toBe(403);
    const edit = await ctl.app.request('/console/areas/stations/st-le-binh', {
      method: 'POST',
      headers: { cookie },
      body: new URLSearchParams({
        _csrf: csrf,
        name: 'Đài xã Lê Bình',
        district: 'cai-rang',
        ward: 'le-binh',
      }),
    });
    expect(edit.status).toBe(303);
    expect((await ctl.call('GET', '/api/stations/st-le-binh')).body.name).toBe('Đài xã Lê Bình');
  });
});
