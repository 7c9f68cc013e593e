// `npm run restore -- BACKUP`: puts a backup (a folder name in BACKUP_DIR, or a path) back into DATA_DIR.
// The controller must be stopped; the backup is checked in full before anything is replaced.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../common/log.ts';
import { holder } from '../controller/backup/lock.ts';
import { BackupRefused, restoreBackup } from '../controller/backup/restore.ts';
import { loadConfig } from '../controller/config.ts';
import { schemaVersion } from '../controller/db.ts';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const arg = process.argv[2];
  if (!arg)
    throw new Error(
      'usage: npm run restore -- BACKUP   (a folder of BACKUP_DIR, see npm run backup -- --list)',
    );
  const dir = existsSync(arg) ? path.resolve(arg) : path.join(config.backups.dir, arg);
  if (!existsSync(dir)) throw new Error(`không có bản sao lưu ${arg} (${dir})`);
  const running = holder(config.dataDir);
  if (running !== null)
    throw new Error(
      `bộ điều khiển đang chạy (pid ${running}): dừng nó trước (systemctl stop loa-controller)`,
    );
  const done = await restoreBackup(dir, config.dataDir, schemaVersion(), new Date());
  console.log(
    `Đã khôi phục bản sao lưu ngày ${done.manifest.createdAt} (phiên bản dữ liệu ${done.manifest.schemaVersion}).`,
  );
  if (done.keptAside) console.log(`Cơ sở dữ liệu cũ được giữ lại tại ${done.keptAside}.`);
  console.log(`${done.clipsCopied} tệp âm thanh được chép lại.`);
}

main().catch((e) => {
  const reasons = e instanceof BackupRefused ? e.problems.map((p) => `\n  - ${p}`).join('') : '';
  console.error(
    `Không khôi phục: ${e instanceof BackupRefused ? 'bản sao lưu không đạt kiểm tra' : errorMessage(e)}${reasons}`,
  );
  process.exit(1);
});
