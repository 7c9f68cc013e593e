// One controller per data directory: its pid in `controller.pid` while it runs, so that a restore (or a
// second controller) started by mistake stops instead of replacing a database in use.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const pidFile = (dataDir: string) => path.join(dataDir, 'controller.pid');

/** The pid of a live controller holding this data directory, or null. */
export function holder(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile(dataDir), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

/** Claims the data directory for this process until it exits; refuses if a live process holds it. */
export function holdDataDir(dataDir: string): void {
  const other = holder(dataDir);
  if (other !== null) throw new Error(`another controller (pid ${other}) is using ${dataDir}: stop it first`);
  writeFileSync(pidFile(dataDir), `${process.pid}\n`);
  process.once('exit', () => rmSync(pidFile(dataDir), { force: true }));
}
