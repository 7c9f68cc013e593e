// Clip review in words: a draft shows "Chờ duyệt" with a note field and buttons that say what they do;
// rejecting without a note comes back asking for one (the field marked); an approval's note and a
// rejection's reason are kept with the review (the API's reviewNote) and shown beside the clip.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, makeController, type TestController } from '../support/controller.ts';
import { consoleSession } from './session.ts';

let ctl: TestController;
let session: ReturnType<typeof consoleSession>;

beforeAll(async () => {
  ctl = await makeController({ now: () => new Date('2026-12-04T03:00:00Z') });
  const add = ctl.db.prepare(
    `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at, status, uploaded_by)
     VALUES (?, ?, 't', 'wav', ?, 10, 44000, '2026-12-01T00:00:00Z', 'draft', 'kt-ninh-kieu')`,
  );
  add.run('clip-tiem-chung', 'Thông báo tiêm chủng', 'a'.repeat(64));
  add.run('clip-sai-ten', 'Thông báo sai tên phường', 'b'.repeat(64));
  session = consoleSession(ctl);
  await session.signIn('admin', ADMIN_PASSWORD);
});
afterAll(() => ctl.cleanup());

/** The row of a clip in the library's table. */
const rowOf = (html: string, id: string) =>
  html.slice(html.indexOf(`<tr id="${id}"`), html.indexOf('</tr>', html.indexOf(`<tr id="${id}"`)));
const visible = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');

describe('console: clip review with labelled buttons and the reviewer note', () => {
  it('offers a draft for review in words', async () => {
    const row = rowOf((await session.get('/console/clips')).html, 'clip-tiem-chung');
    expect(visible(row)).toContain('Chờ duyệt');
    expect(row).toContain('Ý kiến người duyệt<input name="note"');
    expect(row).toMatch(/<button name="decision" value="approve" type="submit">Duyệt phát<\/button>/);
    expect(row).toMatch(
      /<button name="decision" value="reject" type="submit" class="danger">Từ chối<\/button>/,
    );
    expect(row).not.toContain('✓');
  });

  it('asks for the reason when a rejection has none, and keeps the clip a draft', async () => {
    const res = await session.post('/console/clips/clip-sai-ten/review', { decision: 'reject', note: '  ' });
    expect(res.status).toBe(400);
    const row = rowOf(await res.text(), 'clip-sai-ten');
    expect(row).toMatch(/<input name="note"[^>]*aria-invalid="true"/);
    expect(row).toContain('Hãy ghi lý do từ chối');
    expect((await ctl.call('GET', '/api/clips/clip-sai-ten')).body.status).toBe('draft');
  });

  it('keeps an approval note with the review and shows it', async () => {
    const res = await session.post('/console/clips/clip-tiem-chung/review', {
      decision: 'approve',
      note: 'Đã nghe hết, nội dung đúng văn bản của Sở',
    });
    expect(res.status).toBe(303);
    const clip = (await ctl.call('GET', '/api/clips/clip-tiem-chung')).body;
    expect(clip).toMatchObject({
      status: 'approved',
      reviewNote: 'Đã nghe hết, nội dung đúng văn bản của Sở',
    });
    const row = visible(rowOf((await session.get('/console/clips')).html, 'clip-tiem-chung'));
    expect(row).toContain('Đã duyệt');
    expect(row).toContain('Ý kiến người duyệt: Đã nghe hết, nội dung đúng văn bản của Sở (admin)');
  });

  it('keeps a rejection reason as the note', async () => {
    const res = await session.post('/console/clips/clip-sai-ten/review', {
      decision: 'reject',
      note: 'Đọc nhầm tên phường An Hòa',
    });
    expect(res.status).toBe(303);
    expect((await ctl.call('GET', '/api/clips/clip-sai-ten')).body).toMatchObject({
      status: 'rejected',
      rejectionReason: 'Đọc nhầm tên phường An Hòa',
      reviewNote: 'Đọc nhầm tên phường An Hòa',
    });
    const row = visible(rowOf((await session.get('/console/clips')).html, 'clip-sai-ten'));
    expect(row).toContain('Bị từ chối');
    expect(row).toContain('Ý kiến người duyệt: Đọc nhầm tên phường An Hòa (admin)');
  });

  it('approves without a note through the API as before', async () => {
    const add = ctl.db.prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at, status, uploaded_by)
       VALUES ('clip-3', 'Ba', 't', 'wav', ?, 10, 44000, '2026-12-01T00:00:00Z', 'draft', 'kt-ninh-kieu')`,
    );
    add.run('c'.repeat(64));
    const res = await ctl.call('POST', '/api/clips/clip-3/approve');
    expect(res.status).toBe(200);
    expect(res.body.reviewNote).toBeNull();
  });
});
