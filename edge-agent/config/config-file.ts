// Writes keys into the agent's JSON config file in place, for the enrolment and PIN commands.
import { chmodSync, chownSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Sets `keys` in the JSON config, the other keys untouched: temp file and rename, mode 0600 (0640 when
 * the file was group-readable, as the install script makes it for the service's group), owner and
 * group kept when run as root, so the service can still read it.
 */
export function updateConfigFile(configFile: string, keys: Record<string, unknown>): void {
  const before = statSync(configFile);
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as unknown;
  if (!config || typeof config !== 'object' || Array.isArray(config))
    throw new Error(`${configFile} does not hold a JSON object`);
  const mode = before.mode & 0o040 ? 0o640 : 0o600;
  const tmp = path.join(path.dirname(configFile), `.${path.basename(configFile)}.tmp`);
  writeFileSync(tmp, `${JSON.stringify({ ...config, ...keys }, null, 2)}\n`, { mode });
  chmodSync(tmp, mode);
  if (process.getuid?.() === 0) chownSync(tmp, before.uid, before.gid);
  renameSync(tmp, configFile);
}
