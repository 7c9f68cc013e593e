// `npm run backup` and `npm run restore` as an operator runs them (separate processes, the environment
// of the controller), and /api/backups for the admin.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpeg } from '../../../audio/index.ts';
import { silentLogger } from '../../../common/log.ts';
import { listBackups } from '../../../controller/backup/rotation.ts';
import { createBackups } from '../../../controller/backup/service.ts';
import { createApp } from '../../../controller/http/app.ts';
import { makeController, type TestController } from '../../support/controller.ts';
import { startProcess } from '../../support/process.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';
import { fingerprint, fixedClock, makeDataDir } from './world.ts';

let tmp: TempDir;
beforeAll(() => {
  tmp = tempDir('commands');
});
afterAll(() => tmp.cleanup());

async function run(script: string, args: string[], env: NodeJS.ProcessEnv) {
  const p = startProcess(script, args, env);
  const code = await p.exited();
  return { code, out: p.output() };
}

describe('the backup commands', () => {
  it('back up a data directory, list it, and restore it once the controller is stopped', async () => {
    const dataDir = path.join(tmp.dir, 'data');
    makeDataDir(dataDir).close();
    const env = { DATA_DIR: dataDir, BACKUP_DIR: path.join(tmp.dir, 'backups') };
    const taken = await run('scripts/backup.ts', ['--check'], env);
    expect(taken.code, taken.out).toBe(0);
    expect(taken.out).toMatch(/Đã sao lưu: .* \(2 tệp âm thanh/);
    expect(taken.out).toContain('Kiểm tra: cơ sở dữ liệu nguyên vẹn; 2 tệp âm thanh');
    const [b] = listBackups(env.BACKUP_DIR);
    expect((await run('scripts/backup.ts', ['--list'], env)).out).toContain(`${b?.name}  manual`);

    // a live controller holds the data directory: refused, nothing touched
    writeFileSync(path.join(dataDir, 'controller.pid'), `${process.pid}\n`);
    const before = fingerprint(dataDir);
    const refused = await run('scripts/restore.ts', [b?.name as string], env);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(`bộ điều khiển đang chạy (pid ${process.pid})`);
    expect(fingerprint(dataDir)).toEqual(before);

    writeFileSync(path.join(dataDir, 'controller.pid'), '999999999\n'); // left by a controller that died
    const restored = await run('scripts/restore.ts', [b?.name as string], env);
    expect(restored.code, restored.out).toBe(0);
    expect(restored.out).toContain('Cơ sở dữ liệu cũ được giữ lại tại');
    expect((await run('scripts/restore.ts', ['khong-co'], env)).out).toContain(
      'không có bản sao lưu khong-co',
    );
  }, 180_000);
});

describe('/api/backups', () => {
  let ctl: TestController;
  beforeAll(async () => {
    ctl = await makeController();
  });
  afterAll(() => ctl.cleanup());

  it('the admin takes one and sees it as the last good backup; others may not', async () => {
    const backups = createBackups({
      dataDir: ctl.dataDir,
      clock: fixedClock('2026-12-04T19:30:00Z'),
      log: silentLogger,
      timeZone: 'Asia/Ho_Chi_Minh',
      settings: {
        dir: path.join(tmp.dir, 'api-backups'),
        at: null,
        keep: { daily: 7, weekly: 4, monthly: 12 },
      },
    });
    const app = createApp(
      {
        config: ctl.config,
        db: ctl.db,
        clock: fixedClock('2026-12-04T19:30:00Z'),
        ffmpeg: resolveFfmpeg(process.env),
        desired: ctl.desired,
        log: silentLogger,
        backups,
      },
      { mqttConnected: () => true },
    );
    const callOn = async (method: string, url: string, auth = ctl.token) => {
      const res = await app.request(url, { method, headers: { authorization: `Bearer ${auth}` } });
      return { status: res.status, body: await res.json() };
    };
    const none = await callOn('GET', '/api/backups');
    expect(none.body).toMatchObject({ lastGood: null, backups: [], running: false });
    const made = await callOn('POST', '/api/backups');
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ name: '2026-12-04T193000Z', kind: 'manual' });
    const after = await callOn('GET', '/api/backups');
    expect(after.body).toMatchObject({ lastGood: { name: '2026-12-04T193000Z' } });
    const token = await ctl.tokenFor('duyet', 'reviewer');
    expect((await callOn('POST', '/api/backups', token)).status).toBe(403);
    expect((await ctl.call('GET', '/api/backups')).status).toBe(404); // a controller without backups says so
    backups.stop();
  }, 180_000);
});
