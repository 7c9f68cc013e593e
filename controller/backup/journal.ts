// What the backups folder remembers besides the backups: the last failed attempt and the last integrity
// check, whoever ran them (the controller's own schedule, the systemd timer, an operator), for the
// console and /metrics. A failure is cleared by the next backup that succeeds.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { IntegrityReport } from './integrity.ts';

export interface Journal {
  lastFailure: { at: string; message: string } | null;
  integrity: IntegrityReport | null;
}

const file = (backupsDir: string) => path.join(backupsDir, 'journal.json');

export function readJournal(backupsDir: string): Journal {
  try {
    const j = JSON.parse(readFileSync(file(backupsDir), 'utf8')) as Partial<Journal>;
    return { lastFailure: j.lastFailure ?? null, integrity: j.integrity ?? null };
  } catch {
    return { lastFailure: null, integrity: null };
  }
}

export function noteInJournal(backupsDir: string, change: Partial<Journal>): void {
  const next = { ...readJournal(backupsDir), ...change };
  writeFileSync(`${file(backupsDir)}.new`, `${JSON.stringify(next, null, 1)}\n`);
  renameSync(`${file(backupsDir)}.new`, file(backupsDir));
}
