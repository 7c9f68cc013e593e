// The provincial link in the console and the API: its state, last error in the person's language, the
// backlog, and what came from the province, in local time.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addInbox, enqueueLog, enqueueStatus, setLink } from '../../../controller/province/store.ts';
import { consoleSession } from '../../console/session.ts';
import { ADMIN_PASSWORD, makeController, type TestController } from '../../support/controller.ts';
import { tempDir } from '../../support/temp.ts';

const dir = tempDir('province-console');
let ctl: TestController;
beforeAll(async () => {
  const file = path.join(dir.dir, 'province.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'Sở VHTTDL thành phố Cần Thơ',
      baseUrl: 'https://ttn.cantho.example',
      username: 'u',
      password: 'p',
      sourceId: 'NGUON-01',
      sourceName: 'Truyền thanh Cần Thơ',
    }),
  );
  ctl = await makeController(undefined, { PROVINCE_LINK_FILE: file });
});
afterAll(() => {
  ctl.cleanup();
  dir.cleanup();
});

describe('console: Kết nối cấp tỉnh', () => {
  it('shows the link’s state, its last error in Vietnamese, the backlog and what came', async () => {
    const db = ctl.db;
    setLink(db, {
      last_success_at: '2026-11-26T03:00:00.000Z',
      last_error: '/api/ban-tin/nhat-ky: the province answered 500',
      last_error_vi: '/api/ban-tin/nhat-ky: hệ thống của tỉnh trả lời 500',
      last_error_at: '2026-11-26T03:05:00.000Z',
    });
    enqueueStatus(db, 'st-1', { CumLoaID: 'st-1' }, '2026-11-26T03:01:00.000Z');
    enqueueLog(db, 'log:st-1:r1:0', 'st-1', {}, '2026-11-26T03:02:00.000Z');
    addInbox(db, {
      kind: 'bulletin',
      province_id: 'BT-9',
      digest: 'x',
      outcome: 'refused',
      reason: 'bulletin BT-9: field NoiDung is missing',
      reason_vi: 'bản tin BT-9: thiếu trường NoiDung',
      alert_id: null,
      campaign_id: null,
      received_at: '2026-11-26T03:03:00.000Z',
    });
    const api = await ctl.call('GET', '/api/province');
    expect(api.status).toBe(200);
    expect(api.body).toMatchObject({
      configured: true,
      backlog: { waiting: 2, logs: 1, statuses: 1, refused: 0, delivered: 0 },
      lastError: { messageVi: '/api/ban-tin/nhat-ky: hệ thống của tỉnh trả lời 500' },
      received: [{ kind: 'bulletin', provinceId: 'BT-9', outcome: 'refused' }],
    });

    const admin = consoleSession(ctl);
    await admin.signIn('admin', ADMIN_PASSWORD);
    const page = await admin.get('/console/province');
    expect(page.html).toContain('Kết nối hệ thống thông tin nguồn cấp tỉnh');
    expect(page.html).toContain('Chưa đăng nhập được');
    expect(page.html).toContain('hệ thống của tỉnh trả lời 500');
    expect(page.html).toContain('26/11/2026 10:05');
    expect(page.html).toContain('data-backlog="2"');
    expect(page.html).toContain('bản tin BT-9: thiếu trường NoiDung');
    expect(page.html).toContain('Bị từ chối');
    // the menu leads there
    expect((await admin.get('/console')).html).toContain('href="/console/province"');
  });
});
