// The console's backups page for the admin: a warning on every page until there is a good backup less
// than a day old, the backup taken with a button and listed in local time, the integrity check shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, makeController, type TestController } from '../support/controller.ts';
import { consoleSession } from './session.ts';

let ctl: TestController;
beforeAll(async () => {
  ctl = await makeController(undefined, {}, { backups: true });
});
afterAll(() => ctl.cleanup());

describe('console: Sao lưu dữ liệu', () => {
  it('warns the admin until a backup is taken, then lists it in local time with the integrity check', async () => {
    const admin = consoleSession(ctl);
    await admin.signIn('admin', ADMIN_PASSWORD);
    const home = await admin.get('/console');
    expect(home.html).toContain('data-backup-warning');
    expect(home.html).toContain('Chưa có bản sao lưu nào: hãy sao lưu ngay.');

    expect((await admin.post('/console/backups', {})).status).toBe(303);
    expect((await admin.post('/console/backups/check', {})).status).toBe(303);
    const page = await admin.get('/console/backups');
    expect(page.html).not.toContain('data-backup-warning');
    expect(page.html).toMatch(/data-last-good="true">\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}</);
    expect(page.html).toContain('Làm ngay');
    expect(page.html).toContain('Cơ sở dữ liệu nguyên vẹn');
    expect((await admin.get('/console')).html).not.toContain('data-backup-warning');
  });

  it('is for admins only', async () => {
    await ctl.tokenFor('duyet', 'reviewer');
    const reviewer = consoleSession(ctl);
    await reviewer.signIn('duyet', 'mat-khau-thu-nghiem');
    const home = await reviewer.get('/console');
    expect(home.html).not.toContain('/console/backups');
    expect((await reviewer.get('/console/backups')).html).toContain('class="error"');
  });
});
