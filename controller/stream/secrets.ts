// The stream server's source and admin passwords and the listener check's token: made once at random, kept in DATA_DIR (mode 0600),
// never logged, so a restart keeps the pushes and pulls that know them working.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface IcecastPasswords {
  source: string;
  admin: string;
  /** The token in the listener-check URL Icecast calls: only Icecast knows it. */
  auth: string;
}

const fresh = () => randomBytes(18).toString('base64url');

/** Reads `dir`/secrets.json, or writes a new one; a damaged file is replaced (nothing else depends on it). */
export function icecastPasswords(dir: string): IcecastPasswords {
  const file = path.join(dir, 'secrets.json');
  mkdirSync(dir, { recursive: true });
  if (existsSync(file)) {
    try {
      const p = JSON.parse(readFileSync(file, 'utf8')) as Partial<IcecastPasswords>;
      if ([p.source, p.admin, p.auth].every((v) => typeof v === 'string' && v.length >= 16)) {
        chmodSync(file, 0o600);
        return p as IcecastPasswords;
      }
    } catch {}
  }
  const made = { source: fresh(), admin: fresh(), auth: fresh() };
  writeFileSync(file, `${JSON.stringify(made)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return made;
}
