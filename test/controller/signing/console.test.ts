// The console's station list says when a station refused a schedule or a bulletin for its signature, and
// when its as-run chain broke, in Vietnamese first, with the local time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainNext } from '../../../common/chain.ts';
import { storeAsRun } from '../../../controller/plays/store.ts';
import { setHealth } from '../../../controller/stations/store.ts';
import { consoleSession } from '../../console/session.ts';
import { ADMIN_PASSWORD, makeController, type TestController } from '../../support/controller.ts';
import { asRunRecord } from '../../support/records.ts';

let ctl: TestController;
let session: ReturnType<typeof consoleSession>;
beforeAll(async () => {
  ctl = await makeController();
  for (const id of ['st-tu-choi', 'st-dut-chuoi', 'st-binh-thuong'])
    expect(
      (await ctl.call('POST', '/api/stations', { id, name: `Đài ${id}`, district: 'd', ward: 'w' })).status,
    ).toBe(201);
  setHealth(ctl.db, 'st-tu-choi', {
    at: '2026-12-05T01:00:00.000Z',
    agentVersion: '0.1.0',
    desiredVersion: 0,
    relayOn: false,
    playing: null,
    clockTrusted: true,
    uptimeSec: 5,
    outboxLength: 0,
    refused: {
      count: 2,
      last: {
        kind: 'desired',
        reason: 'unsigned',
        at: '2026-12-05T01:02:00.000Z',
        topic: 'loa/v1/station/st-tu-choi/desired',
      },
    },
  });
  const first = chainNext(asRunRecord('a@2026-12-05', { stationId: 'st-dut-chuoi' }), null);
  const skip = chainNext(asRunRecord('b@2026-12-05', { stationId: 'st-dut-chuoi' }), first);
  const third = chainNext(asRunRecord('c@2026-12-05', { stationId: 'st-dut-chuoi' }), skip);
  storeAsRun(ctl.db, [first, third], new Date('2026-12-05T03:00:00Z'));
  session = consoleSession(ctl);
  await session.signIn('admin', ADMIN_PASSWORD);
});
afterAll(() => ctl?.cleanup());

const row = (html: string, id: string) =>
  html.slice(html.indexOf(`data-station="${id}"`)).split('</tr>')[0] ?? '';

describe('the station list', () => {
  it('flags the station that refused, and the one whose chain broke, in their words and local time', async () => {
    const { html } = await session.get('/console');
    expect(row(html, 'st-tu-choi')).toContain(
      'Trạm đã từ chối một lịch phát không có chữ ký hợp lệ (lần gần nhất lúc 05/12/2026 08:02)',
    );
    expect(row(html, 'st-tu-choi')).toContain('data-refused="2"');
    expect(row(html, 'st-dut-chuoi')).toContain(
      'Nhật ký phát của trạm bị đứt chuỗi: thiếu bản ghi (05/12/2026 10:00)',
    );
    expect(row(html, 'st-dut-chuoi')).toContain('a@2026-12-05, c@2026-12-05');
    expect(row(html, 'st-binh-thuong')).not.toContain('pill bad" data-');
    session.jar.loa_lang = 'en';
    const en = (await session.get('/console')).html;
    expect(row(en, 'st-tu-choi')).toContain('The station refused a schedule without a valid signature');
    expect(row(en, 'st-dut-chuoi')).toContain('as-run log has a break in its chain: records are missing');
  });
});
