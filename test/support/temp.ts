// Temporary folders for tests: one made per call under the system's temp dir, removed whole by cleanup().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TempDir {
  dir: string;
  cleanup(): void;
}

/** A new empty folder named `loa-<tag>-XXXXXX`. */
export function tempDir(tag = 'test'): TempDir {
  const dir = mkdtempSync(path.join(tmpdir(), `loa-${tag}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
