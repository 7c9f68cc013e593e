// The console page "Từ điển đọc viết tắt": add, change and remove the province's entries (who and when in
// local dd/mm/yyyy time), refusals in Vietnamese shown with the form as typed, candidates from recent
// text clips, the built-in entries beside them; read-only for a reviewer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleSession } from '../../../console/session.ts';
import { ADMIN_PASSWORD, makeController, type TestController } from '../../../support/controller.ts';

let ctl: TestController;
beforeAll(async () => {
  ctl = await makeController();
}, 30_000);
afterAll(() => ctl.cleanup());
const PAGE = '/console/speech/dictionary';

describe('console: Từ điển đọc viết tắt', () => {
  it('adds, changes and removes an entry, with who and when', async () => {
    const admin = consoleSession(ctl);
    await admin.signIn('admin', ADMIN_PASSWORD);
    const empty = await admin.get(PAGE);
    expect(empty.html).toContain('Từ điển đọc viết tắt');
    expect(empty.html).toContain('Chưa có mục nào của tỉnh.');
    expect(empty.html).toContain('ủy ban nhân dân'); // the built-in UBND
    expect((await admin.post(PAGE, { written: 'TPCT', spoken: 'thành phố Cần Thơ' })).status).toBe(303);
    let page = await admin.get(PAGE);
    expect(page.html).toContain('data-entry="TPCT"');
    expect(page.html).toContain('value="thành phố Cần Thơ"');
    expect(page.html).toMatch(/<td>admin<\/td><td>\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}<\/td>/);
    expect((await admin.post(PAGE, { written: 'TPCT', spoken: 'thành phố Cần Thơ thân yêu' })).status).toBe(
      303,
    );
    expect((await admin.get(PAGE)).html).toContain('value="thành phố Cần Thơ thân yêu"');
    // replacing a built-in entry marks it there
    expect((await admin.post(PAGE, { written: 'CA', spoken: 'công an' })).status).toBe(303);
    expect((await admin.get(PAGE)).html).toContain('công an (đã thay bằng mục của tỉnh)');
    expect((await admin.post(`${PAGE}/remove`, { written: 'CA' })).status).toBe(303);
    page = await admin.get(PAGE);
    expect(page.html).not.toContain('data-entry="CA"');
    expect(page.html).toContain('data-entry="TPCT"');
  });

  it('says why in Vietnamese and keeps what was typed', async () => {
    const admin = consoleSession(ctl);
    await admin.signIn('admin', ADMIN_PASSWORD);
    const refused = await admin.post(PAGE, { written: '7h30', spoken: 'bảy rưỡi' });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('Bộ đọc văn bản không nhận');
    expect(html).toContain('value="7h30"');
    expect(html).toContain('value="bảy rưỡi"');
    const digits = await admin.post(PAGE, { written: 'PC07', spoken: 'phòng 7' });
    expect(digits.status).toBe(400);
    expect(await digits.text()).toContain('số hãy viết bằng chữ');
  });

  // a waited text clip goes through the whole pipeline: slow when the two cores are busy
  it('offers the words recent text clips spelled out, ready to add', { timeout: 180_000 }, async () => {
    const r = await ctl.call('POST', '/api/clips?wait=true', {
      title: 'Nhắn tin',
      text: 'Gửi SMS đến tổng đài.',
    });
    expect(r.status).toBe(201);
    const admin = consoleSession(ctl);
    await admin.signIn('admin', ADMIN_PASSWORD);
    const page = await admin.get(PAGE);
    expect(page.html).toContain('data-candidate="SMS"');
    expect(page.html).toContain('Đã đánh vần');
  });

  it('is read-only for a reviewer', async () => {
    await ctl.tokenFor('duyet', 'reviewer');
    const reviewer = consoleSession(ctl);
    await reviewer.signIn('duyet', 'mat-khau-thu-nghiem');
    const page = await reviewer.get(PAGE);
    expect(page.html).toContain('thành phố Cần Thơ thân yêu');
    expect(page.html).not.toContain(`action="${PAGE}/remove"`);
    expect((await reviewer.post(PAGE, { written: 'ABC', spoken: 'a bê xê' })).status).toBe(403);
  });
});
