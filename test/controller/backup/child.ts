// A separate process for the kill tests: `backup DATA_DIR BACKUPS_DIR` takes one backup; `migrate FILE`
// brings a database to the current schema. It says "go" on stdout when the work starts.
import { systemClock } from '../../../common/clock.ts';
import { takeBackup } from '../../../controller/backup/backup.ts';
import { openDb } from '../../../controller/db.ts';

const [mode, a, b] = process.argv.slice(2) as [string, string, string];
if (mode === 'backup') {
  process.stdout.write('go\n');
  await takeBackup({ dataDir: a, backupsDir: b, clock: systemClock }, 'manual');
  process.stdout.write('done\n');
} else {
  process.stdout.write('go\n');
  openDb(a).close();
  process.stdout.write('done\n');
}
