// Their time and their names: every console page, rendered for a world around local midnight (a play at
// 00:20 on 5 December in Cần Thơ is 17:20Z on the 4th), shows local dd/mm/yyyy times and names, never an
// ISO instant, a yyyy-mm-dd day or a raw id outside a title attribute or a details element; the campaign
// CSV writes local times with the zone in its header; a form's "today" is the local today.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../common/log.ts';
import { ingestAlertStatus } from '../../controller/alerts/ingest.ts';
import {
  localizeText,
  readClock,
  readDay,
  readStamp,
  stampRange,
} from '../../controller/console/local-time.ts';
import { ingestOverrides } from '../../controller/overrides/ingest.ts';
import { storeAsRun } from '../../controller/plays/store.ts';
import { setHealth } from '../../controller/stations/store.ts';
import { slotEntryId } from '../../schedules/entry-ids.ts';
import { buildTree } from '../controller/areas/trees.ts';
import { ADMIN_PASSWORD, makeController, type TestController } from '../support/controller.ts';
import { asRunRecord } from '../support/records.ts';
import { CAN_THO, consoleSession } from './session.ts';

/** 01:30 on Saturday 5 December 2026 in Cần Thơ: UTC's day is still the 4th. */
const NOW = new Date('2026-12-04T18:30:00.000Z');
const PLAY_AT = '2026-12-04T17:20:00.000Z'; // 00:20 local, 5 December

let ctl: TestController;
let session: ReturnType<typeof consoleSession>;
const world = { campaignId: '', slotId: '', clipId: 'clip-6722a8c145', alertId: '', quietId: '' };

/** What a person reads: the text of the page outside scripts, styles, details elements and attributes. */
function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<details[\s\S]*?<\/details>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ');
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  ctl = await makeController({ now: () => new Date() });
  await buildTree(ctl, CAN_THO);
  ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at, status)
       VALUES (?, ?, 't', 'wav', ?, 10, 44000, '2026-12-01T00:00:00Z', 'approved')`,
    )
    .run(world.clipId, 'Phòng chống sốt xuất huyết', 'a'.repeat(64));
  const campaign = await ctl.call('POST', '/api/campaigns', {
    name: 'Tuyên truyền mùa mưa',
    message: 'Diệt lăng quăng',
    startDate: '2026-12-01',
    endDate: '2026-12-31',
  });
  expect(campaign.status).toBe(201);
  world.campaignId = campaign.body.id;
  const slot = await ctl.call('POST', '/api/slots', {
    campaignId: world.campaignId,
    clipIds: [world.clipId],
    startTime: '00:20',
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    startDate: '2026-12-01',
    endDate: '2026-12-31',
    target: { scope: 'area', id: 'an-hoa' },
  });
  expect(slot.status).toBe(201);
  world.slotId = slot.body.id;
  const quiet = await ctl.call('POST', '/api/quiet-windows', {
    weekdays: [1, 2, 3, 4, 5],
    startTime: '19:00',
    endTime: '21:00',
    startDate: '2026-12-01',
    endDate: '2027-05-31',
    exceptDates: ['2026-12-24'],
    reason: 'online-class',
    note: 'Học trực tuyến',
    target: { scope: 'area', id: 'ninh-kieu' },
  });
  expect(quiet.status).toBe(201);
  world.quietId = quiet.body.id;
  const entryId = slotEntryId(world.slotId, '2026-12-05');
  storeAsRun(
    ctl.db,
    [
      asRunRecord(entryId, {
        stationId: 'st-an-hoa',
        slotId: world.slotId,
        campaignId: world.campaignId,
        clipIds: [world.clipId],
        scheduledAt: PLAY_AT,
        audioStartAt: '2026-12-04T17:20:01.000Z',
        audioEndAt: '2026-12-04T17:20:45.000Z',
      }),
    ],
    new Date(),
  );
  setHealth(ctl.db, 'st-an-hoa', {
    desiredVersion: 1,
    relayOn: true,
    playing: entryId,
    clockTrusted: true,
    clockOffsetMs: 3,
  });
  const alert = await ctl.call('POST', '/api/alerts', {
    level: 'priority',
    title: 'Lịch tiêm chủng',
    reason: 'Tiêm vắc-xin sởi',
    clipId: world.clipId,
    targets: [{ scope: 'area', id: 'an-hoa' }],
  });
  expect(alert.status).toBe(201);
  world.alertId = alert.body.id;
  ingestAlertStatus(
    ctl.db,
    'st-an-hoa',
    {
      statuses: [
        {
          alertId: world.alertId,
          stationId: 'st-an-hoa',
          state: 'held',
          at: NOW.toISOString(),
          reason: 'next-session',
          detail: 'plays at 2026-12-04T23:30:00.000Z',
        },
      ],
    },
    silentLogger,
  );
  ingestOverrides(
    ctl.db,
    'st-an-hoa',
    {
      at: NOW.toISOString(),
      overrides: [
        {
          id: 'ov-1',
          stationId: 'st-an-hoa',
          kind: 'skip',
          entryId,
          startsAt: '2026-12-04T17:00:00.000Z',
          endsAt: '2026-12-04T18:00:00.000Z',
          reason: 'Đám tang',
          createdBy: 'Chị Lan',
          createdAt: '2026-12-04T16:55:00.000Z',
        },
      ],
    },
    NOW,
    silentLogger,
  );
  await ctl.tokenFor('kt-ninh-kieu', 'technician', { areas: ['ninh-kieu'] });
  session = consoleSession(ctl);
  await session.signIn('admin', ADMIN_PASSWORD);
});
afterAll(() => {
  ctl?.cleanup();
  vi.useRealTimers();
});

const PAGES = () => [
  '/console',
  '/console/stations/st-an-hoa',
  '/console/stations/st-an-hoa?week=2026-11-30',
  '/console/campaigns',
  `/console/campaigns/${world.campaignId}`,
  `/console/campaigns/${world.campaignId}/report`,
  '/console/quiet-windows',
  '/console/alerts',
  '/console/clips',
  `/console/alerts/${world.alertId}`,
  '/console/audit',
  `/console/audit?object=${world.slotId}`,
  '/console/areas',
  '/console/mobile',
  '/console/backups',
];

describe('console: their time and their names', () => {
  it('no page shows an ISO instant, a yyyy-mm-dd day or a raw id; the 00:20 play is on 5 December', async () => {
    const ids = [
      world.slotId,
      world.clipId,
      world.campaignId,
      world.alertId,
      world.quietId,
      ...['can-tho', 'ninh-kieu', 'an-hoa', 'tan-an', 'cai-rang', 'le-binh'],
      ...['st-an-hoa', 'st-tan-an', 'st-le-binh'],
    ];
    for (const lang of ['vi', 'en']) {
      session.jar.loa_lang = lang;
      for (const url of PAGES()) {
        const page = await session.get(url);
        expect(page.status, url).toBe(200);
        const text = visibleText(page.html);
        expect(text, url).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
        expect(text, url).not.toMatch(/\b\d{4}-\d{2}-\d{2}\b|YYYY-MM-DD/);
        for (const id of ids)
          expect(text, `${url}: ${id}`).not.toMatch(new RegExp(`(^|[^\\w-])${id}($|[^\\w-])`));
      }
    }
    delete session.jar.loa_lang;
  });

  it('shows the 00:20 play, the hold and the names where people look for them', async () => {
    const station = visibleText((await session.get('/console/stations/st-an-hoa?week=2026-11-30')).html);
    expect(station).toContain('05/12/2026 00:20 Đã phát'); // the as-run log, on the local day
    expect(station).toContain('T7 05/12 00:20 Phòng chống sốt xuất huyết'); // the week, Saturday
    expect(station).toContain('05/12/2026 00:00 → 01:00'); // the skip override, local
    expect(station).toContain('Tuyên truyền mùa mưa: Phòng chống sốt xuất huyết (00:20 05/12)');
    const list = visibleText((await session.get('/console')).html);
    expect(list).toContain('Tuyên truyền mùa mưa: Phòng chống sốt xuất huyết'); // now playing
    expect(list).toContain('05/12/2026 00:20 Đã phát'); // last as-run
    const alert = visibleText((await session.get(`/console/alerts/${world.alertId}`)).html);
    expect(alert).toContain('Chờ buổi phát kế tiếp');
    expect(alert).toContain('Sẽ phát lúc 05/12/2026 06:30');
    const campaign = visibleText((await session.get(`/console/campaigns/${world.campaignId}/report`)).html);
    expect(campaign).toContain('01/12/2026 - 31/12/2026');
    expect(campaign).toContain('05/12/2026');
    const audit = await session.get('/console/audit');
    // each entry a sentence
    expect(visibleText(audit.html)).toContain('đã thêm đợt tuyên truyền Tuyên truyền mùa mưa');
    expect(visibleText(audit.html)).toContain('đã thêm người dùng kt-ninh-kieu');
    expect(visibleText(audit.html)).toContain('đã thêm khung giờ phát 00:20 · Tuyên truyền mùa mưa');
    expect(audit.html).toContain(`title="${world.slotId}"`);
    expect(visibleText(audit.html)).toMatch(/05\/12\/2026 01:30:\d\d admin/);
  });

  it('writes the campaign CSV in local time with the zone in its header, ids kept', async () => {
    const res = await ctl.app.request(`/console/campaigns/${world.campaignId}/report.csv`, {
      headers: {
        cookie: Object.entries(session.jar)
          .map(([k, v]) => `${k}=${v}`)
          .join('; '),
      },
    });
    const [head, ...rows] = (await res.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(head).toContain('"Giờ theo lịch (Asia/Ho_Chi_Minh)"');
    expect(head).toContain('"Kết quả"');
    expect(rows).toHaveLength(1);
    const cells = JSON.parse(`[${rows[0]}]`) as string[];
    expect(cells.slice(0, 5)).toEqual([
      slotEntryId(world.slotId, '2026-12-05'),
      'st-an-hoa',
      'Đài phường An Hòa',
      'an-hoa',
      'Phường An Hòa',
    ]);
    expect(cells[5]).toBe('05/12/2026 00:20:00');
    expect(cells[6]).toBe('Đã phát');
    expect(cells.slice(9)).toEqual(['05/12/2026 00:20:01', '05/12/2026 00:20:45', '1', 'played', '']);
  });

  it("a form's today at 18:30Z on the 4th is 05/12/2026, the local today", async () => {
    for (const url of ['/console/campaigns', '/console/quiet-windows']) {
      const html = (await session.get(url)).html;
      expect(html, url).toMatch(/name="startDate" value="05\/12\/2026"/);
      expect(html, url).toMatch(/name="endDate" value="05\/12\/2026"/);
    }
  });

  it('takes dates typed as dd/mm/yyyy or yyyy-mm-dd, and says so when one cannot be read', async () => {
    expect(readDay('05/12/2026')).toBe('2026-12-05');
    expect(readDay('5/12/2026')).toBe('2026-12-05');
    expect(readDay('2026-12-05')).toBe('2026-12-05');
    expect(readDay('31/02/2026')).toBeNull();
    expect(readDay('12/31/2026')).toBeNull();
    expect(readStamp('05/12/2026 01:30')).toBe(NOW.toISOString());
    expect(readStamp('2026-12-05T01:30')).toBe(NOW.toISOString());
    expect(readStamp('05/12/2026 24:00')).toBeNull();
    expect(localizeText('plays at 2026-12-04T23:30:00.000Z; ends 2026-12-31')).toBe(
      'plays at 05/12/2026 06:30; ends 31/12/2026',
    );
    expect(stampRange('2026-12-04T16:30:00Z', '2026-12-04T17:30:00Z')).toBe(
      '04/12/2026 23:30 → 05/12/2026 00:30',
    );
    expect(['6:30', '06:30', '6h30', '17:45:05', '24:00', '6:3'].map(readClock)).toEqual([
      '06:30',
      '06:30',
      '06:30',
      '17:45:05',
      null,
      null,
    ]);
    const slot = await session.post(`/console/campaigns/${world.campaignId}/slots`, {
      clipId: world.clipId,
      startTime: '6h30',
      flexibleUntil: '',
      startDate: '07/12/2026',
      endDate: '08/12/2026',
      target: 'area:an-hoa',
      weekdays: ['1', '2'],
    });
    expect(slot.status).toBe(303);
    const slots = (await ctl.call('GET', `/api/slots?campaign=${world.campaignId}`)).body as {
      startTime: string;
      startDate: string;
    }[];
    expect(slots.find((x) => x.startDate === '2026-12-07')?.startTime).toBe('06:30');
    const badTime = await session.post('/console/quiet-windows', {
      reason: 'other',
      startTime: '7 giờ',
      endTime: '08:00',
      startDate: '07/12/2026',
      endDate: '08/12/2026',
      target: 'area:an-hoa',
      weekdays: ['1'],
    });
    expect(badTime.status).toBe(400);
    expect(await badTime.text()).toContain('Giờ &quot;7 giờ&quot; không hợp lệ');
    const made = await session.post('/console/campaigns', {
      name: 'Ngày Quốc phòng toàn dân',
      message: '',
      startDate: '22/12/2026',
      endDate: '2026-12-23',
      area: '',
    });
    expect(made.status).toBe(303);
    const list = (await ctl.call('GET', '/api/campaigns')).body as { name: string; startDate: string }[];
    expect(list.find((c) => c.name === 'Ngày Quốc phòng toàn dân')?.startDate).toBe('2026-12-22');
    const refused = await session.post('/console/campaigns', {
      name: 'Sai ngày',
      startDate: '31/02/2026',
      endDate: '01/03/2026',
      area: '',
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Ngày &quot;31/02/2026&quot; không hợp lệ');
  });
});
