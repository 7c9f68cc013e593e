// Console tests' pieces: Cần Thơ before July 2025 (city > districts > wards) built through the API, and a
// signed-in console session in-process (cookies, CSRF field, form posts).
import { expect } from 'vitest';
import { DEFAULT_TIMEZONE } from '../../schedules/model.ts';
import { utcToZoned } from '../../schedules/time.ts';
import type { TreeSpec } from '../controller/areas/trees.ts';
import type { TestController } from '../support/controller.ts';

/** The city before July 2025: districts and wards, a station per ward. */
export const CAN_THO: TreeSpec = {
  levels: [
    ['province', 'Thành phố'],
    ['district', 'Quận/huyện'],
    ['ward', 'Phường/xã'],
  ],
  root: {
    id: 'can-tho',
    name: 'Thành phố Cần Thơ',
    code: '92',
    children: [
      {
        id: 'ninh-kieu',
        name: 'Quận Ninh Kiều',
        code: '916',
        children: [
          { id: 'an-hoa', name: 'Phường An Hòa', stations: [['st-an-hoa', 'Đài phường An Hòa']] },
          { id: 'tan-an', name: 'Phường Tân An', stations: [['st-tan-an', 'Đài phường Tân An']] },
        ],
      },
      {
        id: 'cai-rang',
        name: 'Quận Cái Răng',
        code: '919',
        children: [
          { id: 'le-binh', name: 'Phường Lê Bình', stations: [['st-le-binh', 'Đài phường Lê Bình']] },
        ],
      },
    ],
  },
};

/** A console session in-process: sign in, GET pages, POST forms with the CSRF field. */
/** The local day `days` from today in Cần Thơ, as the forms take it (dd/mm/yyyy) and as the API keeps it. */
export function localDay(days: number) {
  const { date } = utcToZoned(new Date(Date.now() + days * 86_400_000), DEFAULT_TIMEZONE);
  return { iso: date, typed: date.split('-').reverse().join('/') };
}

export function consoleSession(ctl: TestController) {
  const jar: Record<string, string> = {};
  const cookie = () =>
    Object.entries(jar)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
  return {
    jar,
    async signIn(username: string, password: string) {
      const res = await ctl.app.request('/console/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username, password }).toString(),
      });
      expect(res.status).toBe(303);
      for (const c of res.headers.getSetCookie()) {
        const [kv] = c.split(';');
        const [k, v] = (kv as string).split('=');
        jar[k as string] = v as string;
      }
    },
    async get(url: string) {
      const res = await ctl.app.request(url, { headers: { cookie: cookie() } });
      return { status: res.status, html: await res.text() };
    },
    post(url: string, fields: Record<string, string | string[]>) {
      const body = new URLSearchParams();
      body.append('_csrf', jar.loa_csrf as string);
      for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
      return ctl.app.request(url, {
        method: 'POST',
        headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
      });
    },
  };
}
