// The controller as it runs (controller/main.ts, a process): started with CAP_FEEDS_FILE, it polls the
// warning service's feed at once and issues its emergency, spoken from the description by espeak-ng.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type ControllerProcess, startControllerProcess } from '../../../support/apps.ts';
import { type TempDir, tempDir } from '../../../support/temp.ts';
import { PROCESS_POLL_MS, waitFor } from '../../../support/wait.ts';
import { atomFeed, capDoc, feedOf, type WarningService, warningService } from './world.ts';

let dir: TempDir;
let service: WarningService;
let ctl: ControllerProcess | null = null;
beforeEach(async () => {
  dir = tempDir('cap-feed-process');
  service = await warningService();
});
afterEach(async () => {
  await ctl?.proc.stop();
  await service.close();
  dir.cleanup();
});

/** A CAP time of the real clock, to the second, with its offset. */
const capTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

it('polls the feeds of CAP_FEEDS_FILE from the start and issues what they carry', {
  timeout: 120_000,
}, async () => {
  const dataDir = path.join(dir.dir, 'data');
  // a first start to register the station of ward An Hòa
  ctl = await startControllerProcess({ dataDir });
  const station = { id: 'st-an-hoa', name: 'Đài phường An Hòa', district: 'ninh-kieu', ward: 'an-hoa' };
  expect((await ctl.call('POST', '/api/stations', station)).status).toBe(201);
  await ctl.proc.stop();

  const doc = capDoc({
    identifier: 'KC-REAL-1',
    severity: 'Extreme',
    urgency: 'Immediate',
    sent: capTime(Date.now() - 60_000),
    expires: capTime(Date.now() + 3_600_000),
    description: 'Lũ quét tại phường An Hòa. Người dân di chuyển lên chỗ cao.',
  }).replace(
    '<valueName>MA_DVHC</valueName><value>31117</value>',
    '<valueName>LOA_AREA</valueName><value>an-hoa</value>',
  );
  service.answers.set('/cap/kc.xml', { body: doc });
  service.answers.set('/feed.atom', { body: atomFeed(service.base, ['/cap/kc.xml']) });
  const file = path.join(dir.dir, 'feeds.json');
  writeFileSync(file, JSON.stringify({ feeds: [feedOf(service.base)] }));
  ctl = await startControllerProcess({ dataDir, env: { CAP_FEEDS_FILE: file } });
  const running = ctl;

  const alerts = await waitFor(
    async () => {
      const r = await running.call('GET', '/api/alerts');
      return r.body?.length ? r.body : null;
    },
    90_000,
    'the bulletin from the feed',
    PROCESS_POLL_MS,
  );
  expect(alerts[0]).toMatchObject({ level: 'emergency', issuedBy: 'CAP: Trung tâm Dự báo KTTV quốc gia' });
  const feeds = await running.call('GET', '/api/alerts/feeds');
  expect(feeds.body[0]).toMatchObject({ failures: 0, lastError: null });
  expect(feeds.body[0].documents[0]).toMatchObject({ state: 'imported', alertId: alerts[0].id });
  expect(feeds.body[0].documents[0].reason).toMatch(/spoken by espeak-ng:/);
});
