// The province's speech dictionary through the API: entries kept with who and when, refusals in both
// languages with nothing stored, used by the preview and text clips, sent to every station once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AN_HOA, makeController, type TestController } from '../../../support/controller.ts';

let ctl: TestController;
const tokens: Record<string, string> = {};
const put = (written: string, body: unknown, who = 'kt') =>
  ctl.call('PUT', `/api/speech/dictionary/${encodeURIComponent(written)}`, body, tokens[who]);
const del = (written: string, who = 'kt') =>
  ctl.call('DELETE', `/api/speech/dictionary/${encodeURIComponent(written)}`, undefined, tokens[who]);
const list = () => ctl.call('GET', '/api/speech/dictionary', undefined, tokens.kt);
const rows = () => (ctl.db.prepare('SELECT COUNT(*) AS n FROM speech_dictionary').get() as { n: number }).n;

beforeAll(async () => {
  ctl = await makeController();
  await ctl.call('POST', '/api/stations', AN_HOA);
  await ctl.call('POST', '/api/stations', { ...AN_HOA, id: 'st-xuan-khanh', name: 'Đài phường Xuân Khánh' });
  tokens.kt = await ctl.tokenFor('ky-thuat', 'technician', { districts: ['ninh-kieu'] });
  tokens.duyet = await ctl.tokenFor('duyet', 'reviewer');
  tokens.phuong = await ctl.tokenFor('can-bo', 'ward', { ward: 'an-hoa' });
}, 30_000);
afterAll(() => ctl.cleanup());

describe('the speech dictionary', () => {
  it('adds, changes and lists an entry with who changed it and when, beside the built-in ones', async () => {
    const added = await put('TPCT', { spoken: 'thành phố Cần Thơ' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ written: 'TPCT', spoken: 'thành phố Cần Thơ', changedBy: 'ky-thuat' });
    expect(Date.parse(added.body.changedAt)).not.toBeNaN();
    const changed = await put('TPCT', { spoken: '  thành phố   Cần Thơ ' });
    expect(changed.status).toBe(200);
    expect(changed.body.spoken).toBe('thành phố Cần Thơ');
    const l = await list();
    expect(l.status).toBe(200);
    expect(l.body.entries).toEqual([changed.body]);
    expect(l.body.builtIn).toContainEqual({ written: 'UBND', spoken: 'ủy ban nhân dân' });
  });

  it('takes written forms with dots, ampersands and spaces in the path', async () => {
    for (const w of ['PC07', 'BQL&DA', 'TP. Cần Thơ'])
      expect((await put(w, { spoken: 'một cụm từ' })).status).toBe(201);
    expect((await list()).body.entries.map((e: { written: string }) => e.written)).toEqual(
      expect.arrayContaining(['PC07', 'BQL&DA', 'TP. Cần Thơ']),
    );
    for (const w of ['PC07', 'BQL&DA', 'TP. Cần Thơ']) expect((await del(w)).status).toBe(204);
  });

  it('refuses, in Vietnamese, what it cannot keep, and stores nothing', async () => {
    const before = rows();
    const cases: [string, unknown, number, string][] = [
      [' ', { spoken: 'gì đó' }, 400, 'dictionary_written_empty'],
      ['ABC', { spoken: '   ' }, 400, 'dictionary_spoken_empty'],
      ['X'.repeat(41), { spoken: 'dài' }, 400, 'dictionary_written_too_long'],
      ['ABC', { spoken: 'a '.repeat(150) }, 400, 'dictionary_spoken_too_long'],
      ['ABC', { spoken: 'phòng 12' }, 400, 'dictionary_spoken_not_words'],
      ['ABC', { spoken: 'a <b>' }, 400, 'dictionary_spoken_not_words'],
      ['www.cantho.gov.vn', { spoken: 'cổng thông tin' }, 422, 'dictionary_unmatched'],
      ['23/9', { spoken: 'quốc khánh' }, 422, 'dictionary_unmatched'],
      ['7h30', { spoken: 'bảy rưỡi' }, 422, 'dictionary_unmatched'],
      ['???', { spoken: 'hỏi' }, 422, 'dictionary_unmatched'],
      // the place initial is read first ("phường"), then the built-in CSGT
      ['P.CSGT', { spoken: 'phòng cảnh sát giao thông' }, 422, 'dictionary_unmatched'],
      ['Q.1', { spoken: 'quận nhất' }, 422, 'dictionary_unmatched'],
    ];
    for (const [w, body, status, code] of cases) {
      const r = await put(w, body);
      expect({ w, status: r.status, code: r.body.error }).toEqual({ w, status, code });
      expect(r.body.details.vi).toMatch(/[ạảãàáâậầấẩẫăắằặẳẵđêếềệểễôốồộổỗơớờợởỡưứừựửữ]/);
    }
    expect((await put('ABC', {})).status).toBe(400);
    expect(rows()).toBe(before);
    const missing = await del('KHONGCO');
    expect(missing.status).toBe(404);
    expect(missing.body.details.vi).toContain('KHONGCO');
  });

  it('may be changed by technicians and admins, read by any user', async () => {
    expect((await put('BQLDA', { spoken: 'ban quản lý dự án' }, 'duyet')).status).toBe(403);
    expect((await put('BQLDA', { spoken: 'ban quản lý dự án' }, 'phuong')).status).toBe(403);
    expect((await ctl.call('GET', '/api/speech/dictionary', undefined, tokens.phuong)).status).toBe(200);
    expect(
      (await ctl.call('PUT', '/api/speech/dictionary/BQLDA', { spoken: 'ban quản lý dự án' })).status,
    ).toBe(201);
    expect((await del('BQLDA')).status).toBe(204);
  });

  it("is in every station's desired state, each republished once a change", async () => {
    ctl.published.length = 0;
    expect((await put('EVNCT', { spoken: 'điện lực Cần Thơ' })).status).toBe(201);
    const ids = ctl.published.map((s) => s.station.id).sort();
    expect(ids).toEqual(['st-an-hoa', 'st-xuan-khanh']);
    for (const s of ctl.published)
      expect(s.speechDictionary).toMatchObject({ EVNCT: 'điện lực Cần Thơ', TPCT: 'thành phố Cần Thơ' });
    ctl.published.length = 0;
    expect((await del('EVNCT')).status).toBe(204);
    expect(ctl.published).toHaveLength(2);
    expect(ctl.published[0]?.speechDictionary).not.toHaveProperty('EVNCT');
  });

  it('is read by the preview', { timeout: 60_000 }, async () => {
    const spoken = async (text: string) => {
      const r = await ctl.app.request('/api/clips/preview', {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.kt}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text, voice: 'espeak-ng:vi' }),
      });
      expect(r.status).toBe(200);
      return (await r.arrayBuffer()).byteLength;
    };
    // the entry is read as three words: longer speech than the three letters spelled
    const before = await spoken('Họp tại BQLDA.');
    await put('BQLDA', { spoken: 'ban quản lý dự án các công trình xây dựng' });
    expect(await spoken('Họp tại BQLDA.')).toBeGreaterThan(before * 1.3);
    await del('BQLDA');
  });

  it('offers the words recent text clips spelled or left unknown, and text clips read the entries', {
    timeout: 180_000,
  }, async () => {
    const clip = (text: string) =>
      ctl.call('POST', '/api/clips?wait=true', { title: 'Thông báo', text }, tokens.kt);
    const first = await clip('Nhắn tin SMS cho ABBA.');
    expect(first.status).toBe(201);
    const candidates = (await list()).body.candidates;
    expect(candidates).toContainEqual(expect.objectContaining({ word: 'SMS', kind: 'spelled', clips: 1 }));
    expect(candidates).toContainEqual(expect.objectContaining({ word: 'ABBA', kind: 'unknownCapital' }));
    await put('ABBA', { spoken: 'áp ba' });
    expect((await list()).body.candidates.map((c: { word: string }) => c.word)).not.toContain('ABBA');
    const second = await clip('Họp tại ABBA lúc chín giờ.');
    expect(second.body.text.notes.expanded).toContain('ABBA');
    expect(second.body.text.spoken).toContain('áp ba');
  });
});
