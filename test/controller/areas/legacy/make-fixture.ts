// Builds the legacy fixture of the area migration: a realistic city/district/ward database made through
// the API of the last version before the area tree (commit a773c69), dumped as SQL, and what that version
// answered about it (every station's week, air time, desired-state content, each user's view, reports).
//
// It talks to the controller only through JSON over app.request, so it type-checks with any version, but
// it must RUN on the old version, or it would dump the new schema:
//   git archive a773c69 | tar -x -C /tmp/legacy && ln -s "$PWD/node_modules" /tmp/legacy/node_modules
//   cp test/controller/areas/legacy/make-fixture.ts /tmp/legacy/test/controller/areas/legacy/
//   (cd /tmp/legacy && npx tsx test/controller/areas/legacy/make-fixture.ts OUT_DIR)
// then copy OUT_DIR/legacy.sql and OUT_DIR/expected.json here.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { silentLogger } from '../../../../common/log.ts';
import { ingestOverrides } from '../../../../controller/overrides/ingest.ts';
import { storeAsRun } from '../../../../controller/plays/store.ts';
import { makeController } from '../../../support/controller.ts';
import { dump } from '../../../support/sql-dump.ts';

const NOW = new Date('2026-11-22T01:00:00Z');
/** The week compared: Monday 23 to Sunday 29 November 2026, local time. */
const WEEK = { from: '2026-11-23T00:00:00+07:00', to: '2026-11-30T00:00:00+07:00' };
const PASSWORD = 'mat-khau-co-dinh-1';

/** [id, name, district, ward]; the town of Phong Điền shares its district's id, as people write it. */
const STATIONS = [
  ['st-an-hoa', 'Đài phường An Hòa', 'ninh-kieu', 'an-hoa'],
  ['st-an-hoa-2', 'Cụm loa chợ An Hòa', 'ninh-kieu', 'an-hoa'],
  ['st-tan-an', 'Đài phường Tân An', 'ninh-kieu', 'tan-an'],
  ['st-xuan-khanh', 'Đài phường Xuân Khánh', 'ninh-kieu', 'xuan-khanh'],
  ['st-le-binh', 'Đài phường Lê Bình', 'cai-rang', 'le-binh'],
  ['st-hung-phu', 'Đài phường Hưng Phú', 'cai-rang', 'hung-phu'],
  ['st-hung-phu-2', 'Cụm loa bến phà Hưng Phú', 'cai-rang', 'hung-phu'],
  ['st-phong-dien', 'Đài thị trấn Phong Điền', 'phong-dien', 'phong-dien'],
  ['st-nhon-ai', 'Đài xã Nhơn Ái', 'phong-dien', 'nhon-ai'],
  ['st-my-khanh', 'Đài xã Mỹ Khánh', 'phong-dien', 'my-khanh'],
] as const;

const USERS = [
  ['kt-ninh-kieu', 'technician', { districts: ['ninh-kieu'] }],
  ['kt-ngoai-thanh', 'technician', { districts: ['cai-rang', 'phong-dien'] }],
  ['cb-an-hoa', 'ward', { ward: 'an-hoa' }],
  ['cb-phong-dien', 'ward', { ward: 'phong-dien' }],
  ['xem-cai-rang', 'viewer', { districts: ['cai-rang'] }],
  ['xem', 'viewer', {}],
  ['duyet', 'reviewer', {}],
] as const;

const slot = (id: string, target: object, extra: object = {}) => ({
  id,
  clipIds: ['clip-tin'],
  startTime: '06:30',
  weekdays: [1, 2, 3, 4, 5, 6, 7],
  startDate: '2026-11-01',
  endDate: '2026-12-31',
  target,
  ...extra,
});
const qw = (id: string, target: object, extra: object = {}) => ({
  id,
  weekdays: [1, 2, 3, 4, 5],
  startTime: '07:00',
  endTime: '11:30',
  startDate: '2026-09-05',
  endDate: '2027-01-15',
  reason: 'online-class',
  target,
  ...extra,
});

async function build(outDir: string) {
  const ctl = await makeController({ now: () => NOW });
  const ok = async (method: string, url: string, body?: unknown, token?: string) => {
    const r = await ctl.call(method, url, body, token);
    if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  for (const [id, name, district, ward] of STATIONS)
    await ok('POST', '/api/stations', { id, name, district, ward });
  for (const [id, title, ms] of [
    ['clip-tin', 'Bản tin phòng dịch', 240_000],
    ['clip-vac', 'Tiêm vắc-xin là then chốt', 180_000],
    ['clip-ngan', 'Thông báo ngắn', 45_000],
  ] as const) {
    ctl.db
      .prepare(
        `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, status, created_at)
         VALUES (?, ?, ?, 'wav', ?, 1000, ?, 'approved', '2026-10-01T00:00:00Z')`,
      )
      .run(id, title, `${id}.wav`, id.charCodeAt(5).toString(16).padStart(2, '0').repeat(32), ms);
  }
  const tokens: Record<string, string> = { admin: ctl.token };
  for (const [username, role, extra] of USERS) {
    await ok('POST', '/api/users', { username, role, password: PASSWORD, ...extra });
    tokens[username] = (await ctl.loginAs(username, PASSWORD)).token as string;
  }

  await ok('POST', '/api/campaigns', {
    id: 'camp-xet-nghiem',
    name: 'Xét nghiệm là then chốt',
    message: 'Xét nghiệm là then chốt, vắc-xin là cơ bản',
    startDate: '2026-11-01',
    endDate: '2026-12-31',
  });
  await ok(
    'POST',
    '/api/campaigns',
    {
      id: 'camp-ninh-kieu',
      name: 'Tiêm chủng Ninh Kiều',
      startDate: '2026-11-10',
      endDate: '2026-12-20',
    },
    tokens['kt-ninh-kieu'],
  );
  const city = { scope: 'city' };
  const district = (id: string) => ({ scope: 'district', id });
  const ward = (id: string) => ({ scope: 'ward', id });
  const station = (id: string) => ({ scope: 'station', id });
  const slots = [
    slot('slot-sang-tp', city, { campaignId: 'camp-xet-nghiem', clipIds: ['clip-tin', 'clip-vac'] }),
    slot('slot-chieu-tp', city, { campaignId: 'camp-xet-nghiem', startTime: '17:00', weekdays: [1, 3, 5] }),
    slot('slot-nk-trua', district('ninh-kieu'), {
      campaignId: 'camp-ninh-kieu',
      startTime: '11:00',
      startDate: '2026-11-10',
      endDate: '2026-12-20',
      clipIds: ['clip-vac'],
    }),
    slot('slot-nk-linh-hoat', district('ninh-kieu'), {
      startTime: '09:00',
      flexibleUntil: '12:30',
      clipIds: ['clip-ngan'],
      priority: 5,
    }),
    slot('slot-an-hoa', ward('an-hoa'), { startTime: '17:00', clipIds: ['clip-ngan'], priority: 10 }),
    slot('slot-tan-an', ward('tan-an'), { startTime: '18:15', weekdays: [6, 7] }),
    slot('slot-cai-rang', district('cai-rang'), { startTime: '10:00', clipIds: ['clip-vac'] }),
    slot('slot-hung-phu-2', station('st-hung-phu-2'), { startTime: '05:45', clipIds: ['clip-ngan'] }),
    slot('slot-pd-huyen', district('phong-dien'), { startTime: '16:00' }),
    slot('slot-pd-thi-tran', ward('phong-dien'), { startTime: '16:02', clipIds: ['clip-ngan'], priority: 3 }),
    slot('slot-pd-linh-hoat', ward('phong-dien'), {
      startTime: '08:00',
      flexibleUntil: '13:00',
      clipIds: ['clip-vac'],
    }),
    slot('slot-nhon-ai', ward('nhon-ai'), { startTime: '19:00', weekdays: [2, 4] }),
    slot('slot-het-han', ward('xuan-khanh'), { startDate: '2026-10-01', endDate: '2026-10-31' }),
  ];
  for (const s of slots) await ok('POST', '/api/slots', s);
  const windows = [
    qw('qw-hoc-truc-tuyen', city, { exceptDates: ['2026-11-20', '2026-11-27'] }),
    qw('qw-hoc-chieu-nk', district('ninh-kieu'), { startTime: '13:30', endTime: '17:05' }),
    qw('qw-vov', district('cai-rang'), {
      reason: 'national-relay',
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      startTime: '18:00',
      endTime: '18:30',
    }),
    qw('qw-le-hoi', ward('phong-dien'), {
      reason: 'local-event',
      weekdays: [6],
      startTime: '15:00',
      endTime: '20:00',
      startDate: '2026-11-28',
      endDate: '2026-11-28',
    }),
    qw('qw-dem', station('st-an-hoa-2'), {
      reason: 'other',
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      startTime: '22:00',
      endTime: '05:00',
    }),
  ];
  for (const w of windows) await ok('POST', '/api/quiet-windows', w);
  await ok('POST', '/api/airtime-policies', {
    id: 'policy-tp',
    target: city,
    policy: { maxSessionsPerDay: 2, maxMinutesPerSession: 15, maxDaysPerWeek: 5, enforcement: 'warn' },
  });
  await ok('POST', '/api/airtime-policies', {
    id: 'policy-phong-dien',
    target: ward('phong-dien'),
    policy: { maxMinutesPerSession: 45 },
  });
  await ok('POST', '/api/airtime-policies', {
    id: 'policy-cai-rang',
    target: district('cai-rang'),
    policy: { maxSessionsPerDay: 3 },
  });

  const at = (local: string) => new Date(`${local}+07:00`).toISOString();
  const override = (id: string, kind: string, startsAt: string, endsAt: string, extra: object = {}) => ({
    id,
    stationId: 'st-an-hoa',
    kind,
    startsAt: at(startsAt),
    endsAt: at(endsAt),
    reason: 'Họp tổ dân phố',
    createdBy: 'Chị Lan',
    createdAt: NOW.toISOString(),
    ...extra,
  });
  ingestOverrides(
    ctl.db,
    'st-an-hoa',
    {
      at: NOW.toISOString(),
      overrides: [
        override('ov-skip', 'skip', '2026-11-24T00:00:00', '2026-11-25T00:00:00', {
          entryId: 'slot-an-hoa@2026-11-24',
        }),
        override('ov-quiet', 'quiet', '2026-11-25T05:00:00', '2026-11-25T08:00:00'),
        override('ov-pause', 'pause', '2026-11-27T16:00:00', '2026-11-27T18:00:00'),
      ],
    },
    NOW,
    silentLogger,
  );

  const alert = async (level: string, targets: object[], token = ctl.token, extra: object = {}) =>
    (
      await ok(
        'POST',
        '/api/alerts',
        {
          level,
          title: `Bản tin ${level}`,
          reason: 'Diễn biến phức tạp',
          clipId: 'clip-ngan',
          targets,
          expiresAt: '2026-11-28T00:00:00Z',
          ...extra,
        },
        token,
      )
    ).id as string;
  const alerts = [
    await alert('normal', [ward('an-hoa')], tokens['cb-an-hoa']),
    await alert('priority', [district('cai-rang'), station('st-nhon-ai')], tokens['kt-ngoai-thanh']),
    await alert('emergency', [ward('phong-dien')], tokens['kt-ngoai-thanh']),
    await alert('priority', [city]),
  ];
  const withdrawn = await alert('normal', [district('ninh-kieu')], tokens['kt-ninh-kieu']);
  await ok('POST', `/api/alerts/${withdrawn}/cancel`, { reason: 'Nhầm nội dung' }, tokens['kt-ninh-kieu']);
  alerts.push(withdrawn);

  // As-run records of the campaign's first three weeks at a few stations.
  const records = [];
  for (const st of ['st-an-hoa', 'st-le-binh', 'st-phong-dien']) {
    for (let d = 1; d <= 21; d++) {
      const date = `2026-11-${String(d).padStart(2, '0')}`;
      const start = at(`${date}T06:30:00`);
      records.push({
        id: `${st}-${date}`,
        stationId: st,
        entryId: `slot-sang-tp@${date}`,
        slotId: 'slot-sang-tp',
        campaignId: 'camp-xet-nghiem',
        clipIds: ['clip-tin', 'clip-vac'],
        scheduledAt: start,
        outcome: d % 7 === 0 ? 'skipped' : 'played',
        reason: d % 7 === 0 ? 'online-class' : null,
        detail: null,
        relayOnAt: null,
        audioStartAt: d % 7 === 0 ? null : start,
        audioEndAt: d % 7 === 0 ? null : new Date(Date.parse(start) + 420_000).toISOString(),
        relayOffAt: null,
        desiredVersion: 1,
        recordedAt: start,
      });
    }
  }
  storeAsRun(ctl.db, records as never, NOW);

  // What this version answers.
  const q = `from=${encodeURIComponent(WEEK.from)}&to=${encodeURIComponent(WEEK.to)}`;
  const stationIds = STATIONS.map(([id]) => id);
  const timetables: Record<string, unknown> = {};
  const airtime: Record<string, unknown> = {};
  const desired: Record<string, unknown> = {};
  for (const id of stationIds) {
    timetables[id] = await ok('GET', `/api/stations/${id}/timetable?${q}`);
    airtime[id] = await ok('GET', `/api/stations/${id}/airtime?${q}`);
    const d = await ok('GET', `/api/stations/${id}/desired`);
    desired[id] = {
      slots: d.slots.map((s: { id: string }) => s.id),
      quietWindows: d.quietWindows.map((w: { id: string }) => w.id),
      clips: d.clips.map((c: { id: string }) => c.id),
    };
  }
  const ids = (list: { id: string }[]) => list.map((x) => x.id).sort();
  const views: Record<string, unknown> = {};
  for (const user of Object.keys(tokens)) {
    const t = tokens[user];
    const get = async (url: string) => (await ctl.call('GET', url, undefined, t)).body;
    const stationStatus: Record<string, number> = {};
    for (const id of stationIds)
      stationStatus[id] = (await ctl.call('GET', `/api/stations/${id}`, undefined, t)).status;
    views[user] = {
      stations: ids(await get('/api/stations')),
      slots: ids(await get('/api/slots')),
      quietWindows: ids(await get('/api/quiet-windows')),
      policies: ids(await get('/api/airtime-policies')),
      campaigns: ids(await get('/api/campaigns')),
      alerts: ids(await get('/api/alerts')),
      stationStatus,
    };
  }
  const alertStations: Record<string, unknown> = {};
  for (const id of alerts) {
    const a = await ok('GET', `/api/alerts/${id}`);
    alertStations[id] = a.stations.map((s: { stationId: string }) => s.stationId).sort();
  }
  const reports: Record<string, unknown> = {};
  for (const id of ['camp-xet-nghiem', 'camp-ninh-kieu']) {
    const r = await ok('GET', `/api/reports/campaigns/${id}`);
    reports[id] = { total: r.total, byDay: r.byDay, byArea: r.byArea };
  }
  const expected = {
    generatedBy: 'test/controller/areas/legacy/make-fixture.ts at commit a773c69',
    now: NOW.toISOString(),
    week: WEEK,
    stations: STATIONS.map(([id, name, district, ward]) => ({ id, name, district, ward })),
    alerts,
    timetables,
    airtime,
    desired,
    views,
    alertStations,
    reports,
  };
  ctl.db.pragma('wal_checkpoint(TRUNCATE)');
  const file = path.join(ctl.dataDir, 'controller.db');
  writeFileSync(path.join(outDir, 'legacy.sql'), dump(file));
  writeFileSync(path.join(outDir, 'expected.json'), `${JSON.stringify(expected, null, 1)}\n`);
  ctl.cleanup();
}

await build(path.resolve(process.argv[2] ?? '.'));
