// `npm run backup [-- --check]`: an online backup of DATA_DIR now (the controller may be running), into
// BACKUP_DIR (default DATA_DIR/backups), then the rotation; with --check, the integrity check after it.
// `npm run backup -- --list` shows what is kept. The systemd timer runs the same (docs/backups.md).

import { existsSync } from 'node:fs';
import path from 'node:path';
import { systemClock } from '../common/clock.ts';
import { createLogger, errorMessage } from '../common/log.ts';
import { isProblem, readManifest } from '../controller/backup/manifest.ts';
import { listBackups } from '../controller/backup/rotation.ts';
import { createBackups } from '../controller/backup/service.ts';
import { loadConfig } from '../controller/config.ts';
import { DEFAULT_TIMEZONE } from '../schedules/model.ts';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const { dir } = config.backups;
  if (process.argv.includes('--list')) {
    for (const b of listBackups(dir)) {
      const m = readManifest(b.dir);
      console.log(
        isProblem(m)
          ? `${b.name}  (${m.problem})`
          : `${b.name}  ${m.kind}  schema ${m.schemaVersion}  ${m.clips.length} clip(s)`,
      );
    }
    return;
  }
  if (!existsSync(path.join(config.dataDir, 'controller.db')))
    throw new Error(`không có cơ sở dữ liệu trong ${config.dataDir} (DATA_DIR)`);
  const backups = createBackups({
    dataDir: config.dataDir,
    clock: systemClock,
    log: createLogger('backup', systemClock, config.logFormat),
    timeZone: DEFAULT_TIMEZONE,
    settings: { ...config.backups, at: null },
  });
  {
    const taken = await backups.takeNow('manual');
    console.log(`Đã sao lưu: ${path.join(dir, taken.name)} (${taken.clips} tệp âm thanh).`);
    if (process.argv.includes('--check')) {
      const report = await backups.checkIntegrity();
      console.log(
        `Kiểm tra: cơ sở dữ liệu ${report.database === 'ok' ? 'nguyên vẹn' : `LỖI (${report.database})`}; ` +
          `${report.clipsChecked} tệp âm thanh, ${report.repairedClips.length} tệp được chép lại từ bản sao lưu, ` +
          `${report.damagedClips.length} tệp hỏng không có bản sao.`,
      );
      if (report.database !== 'ok' || report.damagedClips.length) process.exitCode = 1;
    }
  }
}

main().catch((e) => {
  console.error(`Sao lưu không thành công: ${errorMessage(e)}`);
  process.exit(1);
});
