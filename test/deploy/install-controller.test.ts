// deploy/install-controller.sh as far as this machine allows: run against a temporary root (no apt, users
// or systemctl), its units checked by systemd-analyze, the release it built started from its bundle and
// answering /healthz, its backup command run, and a second run (an upgrade) keeping the releases asked.
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, ROOT, spawnCollecting } from '../support/process.ts';
import { type TempDir, tempDir } from '../support/temp.ts';
import { waitFor } from '../support/wait.ts';

let tmp: TempDir;
beforeAll(() => {
  tmp = tempDir('install');
});
afterAll(() => tmp.cleanup());

async function install(...args: string[]) {
  const p = spawnCollecting('bash', [
    path.join(ROOT, 'deploy/install-controller.sh'),
    '--root',
    tmp.dir,
    ...args,
  ]);
  const code = await p.exited();
  return { code, out: p.output() };
}

describe('install-controller.sh', () => {
  it('installs a release, units that systemd-analyze accepts, settings, and a bundle that serves', async () => {
    const first = await install();
    expect(first.code, first.out).toBe(0);
    expect(first.out).toContain('checked with systemd-analyze verify');
    for (const unit of [
      'loa-controller.service',
      'loa-controller-backup.service',
      'loa-controller-backup.timer',
    ])
      expect(existsSync(path.join(tmp.dir, 'etc/systemd/system', unit))).toBe(true);
    const env = readFileSync(path.join(tmp.dir, 'etc/loa/controller.env'), 'utf8');
    expect(env).toContain('DATA_DIR=/var/lib/loa-controller');
    expect(env).toContain('BACKUP_AT=off');
    const current = path.join(tmp.dir, 'opt/loa-controller/current');
    expect(readdirSync(path.join(current, 'dist/controller')).sort()).toEqual([
      'backup.mjs',
      'broker-files.mjs',
      'main.mjs',
      'restore.mjs',
    ]);

    // the bundle as the unit starts it, on this machine's ports and a temporary data directory
    const [port, mqtt] = [await freePort(), await freePort()];
    const dataDir = path.join(tmp.dir, 'var/lib/loa-controller');
    const settings = {
      ...process.env,
      DATA_DIR: dataDir,
      BACKUP_DIR: path.join(tmp.dir, 'var/backups/loa-controller'),
      BACKUP_AT: 'off',
      HOST: '127.0.0.1',
      PORT: String(port),
      MQTT_HOST: '127.0.0.1',
      MQTT_PORT: String(mqtt),
      ADMIN_PASSWORD: 'mat-khau-quan-tri',
    };
    const controller = spawnCollecting(process.execPath, [path.join(current, 'dist/controller/main.mjs')], {
      cwd: current,
      env: settings,
    });
    try {
      await waitFor(
        () => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok),
        60_000,
        'the installed controller to answer',
      );
      const backup = spawnCollecting(
        process.execPath,
        [path.join(current, 'dist/controller/backup.mjs'), '--check'],
        {
          cwd: current,
          env: settings,
        },
      );
      expect(await backup.exited(), backup.output()).toBe(0);
      expect(backup.output()).toContain('Kiểm tra: cơ sở dữ liệu nguyên vẹn');
      const taken = /Đã sao lưu: (\S+) \(/.exec(backup.output())?.[1] as string;
      const restore = spawnCollecting(
        process.execPath,
        [path.join(current, 'dist/controller/restore.mjs'), taken],
        {
          cwd: current,
          env: settings,
        },
      );
      expect(await restore.exited()).toBe(1);
      expect(restore.output()).toContain('bộ điều khiển đang chạy'); // a live controller's data is not replaced
    } finally {
      await controller.stop();
    }
  }, 240_000);

  it('run again, installs the next release beside the last and keeps as many as asked', async () => {
    const releases = () => readdirSync(path.join(tmp.dir, 'opt/loa-controller/releases')).sort();
    const before = releases();
    await new Promise((r) => setTimeout(r, 1100)); // release names are to the second
    const again = await install('--keep', '1');
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain('kept as it is'); // the settings are not overwritten
    const after = releases();
    expect(after).toHaveLength(1);
    expect(before).not.toContain(after[0]);
    expect(readlinkSync(path.join(tmp.dir, 'opt/loa-controller/current'))).toContain(after[0]);
  }, 240_000);
});
