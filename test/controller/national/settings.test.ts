// CONTROLLER_ROLE and PROVINCES_FILE: checked once at start, with errors that name the field.
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../controller/config.ts';
import { tempDir } from '../../support/temp.ts';

const tmp = tempDir('national-settings');
afterAll(() => tmp.cleanup());

const good = {
  provinces: [
    {
      id: 'can-tho',
      name: 'Thành phố Cần Thơ',
      baseUrl: 'https://loa.cantho.gov.vn',
      sender: { username: 'quoc-gia', password: 'mat-khau' },
    },
  ],
};

function file(name: string, content: unknown, mode = 0o600): string {
  const f = path.join(tmp.dir, name);
  writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  chmodSync(f, mode);
  return f;
}

const load = (env: NodeJS.ProcessEnv) => () => loadConfig({ DATA_DIR: tmp.dir, ...env });

describe('national settings', () => {
  it('a province controller by default; national with its provinces', () => {
    expect(load({})()).toMatchObject({ role: 'province', national: null });
    const c = load({ CONTROLLER_ROLE: 'national', PROVINCES_FILE: file('ok.json', good) })();
    expect(c.role).toBe('national');
    expect(c.national?.provinces[0]?.name).toBe('Thành phố Cần Thơ');
    expect(c.national?.retry).toEqual({ minSeconds: 2, maxSeconds: 300 });
  });

  it('refuses a national role without a file, a file others may read, bad JSON, a bad field, an id twice', () => {
    expect(load({ CONTROLLER_ROLE: 'national' })).toThrow(/CONTROLLER_ROLE=national needs PROVINCES_FILE/);
    expect(load({ CONTROLLER_ROLE: 'nation' })).toThrow(/CONTROLLER_ROLE/);
    expect(load({ CONTROLLER_ROLE: 'national', PROVINCES_FILE: file('open.json', good, 0o644) })).toThrow(
      /others may read it: chmod 600/,
    );
    expect(load({ CONTROLLER_ROLE: 'national', PROVINCES_FILE: file('bad.json', '{') })).toThrow(
      /cannot read it as JSON/,
    );
    const noUrl = { provinces: [{ ...good.provinces[0], baseUrl: 'ftp://x' }] };
    expect(load({ CONTROLLER_ROLE: 'national', PROVINCES_FILE: file('url.json', noUrl) })).toThrow(
      /provinces\.0\.baseUrl/,
    );
    const twice = { provinces: [good.provinces[0], good.provinces[0]] };
    expect(load({ CONTROLLER_ROLE: 'national', PROVINCES_FILE: file('twice.json', twice) })).toThrow(
      /'can-tho' is listed twice/,
    );
    expect(load({ PROVINCES_FILE: file('ok2.json', good) })).toThrow(
      /PROVINCES_FILE is for CONTROLLER_ROLE=national/,
    );
  });
});
