// PROVINCE_LINK_FILE: read and checked once at start, with defaults; a bad file stops the controller
// with the field named.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../controller/config.ts';
import { parseProvinceSettings } from '../../../controller/province/settings.ts';
import { tempDir } from '../../support/temp.ts';

const dir = tempDir('province-settings');
afterAll(() => dir.cleanup());
const MINIMAL = {
  name: 'Sở VHTTDL tỉnh Hậu Giang',
  baseUrl: 'https://ttn.haugiang.gov.vn',
  username: 'xa-vi-thanh',
  password: 'bi-mat',
  sourceId: 'NGUON-01',
  sourceName: 'Đài truyền thanh xã',
};

describe('the provincial link settings', () => {
  it('take defaults: the firmware’s levels, 60 s pings, emergencies through quiet windows', () => {
    const s = parseProvinceSettings(MINIMAL);
    expect(s).toMatchObject({
      levels: { '1': 'emergency', '2': 'priority', '3': 'normal' },
      statusEverySeconds: 60,
      emergencyIgnoresQuietWindows: true,
      logLocalContent: false,
      logRelays: true,
      paths: { login: '/api/auth/login', log: '/api/ban-tin/nhat-ky' },
    });
    expect(Object.isFrozen(s)).toBe(true);
  });

  it('rank a province’s normal bulletins as priority when told', () => {
    expect(parseProvinceSettings({ ...MINIMAL, levels: { '3': 'priority' } }).levels).toEqual({
      '1': 'emergency',
      '2': 'priority',
      '3': 'priority',
    });
  });

  it.each([
    [{ ...MINIMAL, baseUrl: 'ftp://x' }, /baseUrl/],
    [{ ...MINIMAL, password: undefined }, /password/],
    [{ ...MINIMAL, levels: { '1': 'urgent' } }, /levels.1/],
    [{ ...MINIMAL, areas: { 'DB-1': 'not an id!' } }, /areas.DB-1/],
    [{ ...MINIMAL, fields: { CumLoaID: 'X', TenThietBi: 'X' } }, /two of our fields/],
    [{ ...MINIMAL, fields: { Unknown: 'X' } }, /fields/],
    [{ ...MINIMAL, statusEverySeconds: 1 }, /statusEverySeconds/],
    [{ ...MINIMAL, extra: true }, /extra|Unrecognized/],
  ])('refuse a bad file, naming the field (%#)', (raw, why) => {
    expect(() => parseProvinceSettings(raw)).toThrow(why);
  });

  it('PROVINCE_LINK_FILE is read at start; a file that is not JSON stops the controller', () => {
    const good = path.join(dir.dir, 'good.json');
    writeFileSync(good, JSON.stringify(MINIMAL));
    expect(loadConfig({ DATA_DIR: dir.dir, PROVINCE_LINK_FILE: good }).province?.name).toBe(MINIMAL.name);
    expect(loadConfig({ DATA_DIR: dir.dir }).province).toBeNull();
    const bad = path.join(dir.dir, 'bad.json');
    writeFileSync(bad, '{ name: ');
    expect(() => loadConfig({ DATA_DIR: dir.dir, PROVINCE_LINK_FILE: bad })).toThrow(
      /PROVINCE_LINK_FILE .*bad.json: cannot read it as JSON/,
    );
  });
});
