// What an upload may leave behind: clip rows, stored files and temp files, to compare before and after.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { TestController } from './controller.ts';

/** Files under `dir`, recursively; none when it does not exist. */
export const filesUnder = (dir: string) =>
  existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()) : [];

/** Every clip row, every stored clip file and every temp file of the controller. */
export const clipStoreSnapshot = (ctl: TestController) => ({
  rows: ctl.db.prepare('SELECT * FROM clips ORDER BY id').all(),
  stored: filesUnder(path.join(ctl.dataDir, 'clips')).map((d) => d.name),
  tmp: filesUnder(path.join(ctl.dataDir, 'tmp')).map((d) => d.name),
});

/**
 * What no answer may show: a server path, a temp upload's name, a stack frame, SQL. (The JSON bodies
 * of refusals are checked whole, so a leak in `details` counts too.)
 */
export const LEAK = /\/(tmp|home|work|root|var)\/|\.upload|\bat .*:\d+:\d+|SQLITE|SELECT|INSERT/;
