// A national controller's PROVINCES_FILE (docs/national.md) for tests and benchmarks: each province on
// 127.0.0.1 at its port, the national level signing in there as `quoc-gia` (a technician of the whole
// province) and `quoc-gia-duyet` (a reviewer), both with `password`; quick retries; owner-only, as required.
// And those two users as a province creates them (POST /api/users).
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SENDER = 'quoc-gia';
const REVIEWER = 'quoc-gia-duyet';

/** The bodies of POST /api/users that make the national level's two logins at a province whose tree is `root`. */
export const nationalLogins = (root: string, password: string) => [
  { username: SENDER, role: 'technician', password, areas: [root] },
  { username: REVIEWER, role: 'reviewer', password, areas: [] },
];

export function writeProvincesFile(
  dir: string,
  provinces: { id: string; name: string; port: number }[],
  password: string,
  extra: object = {},
): string {
  const file = path.join(dir, 'provinces.json');
  writeFileSync(
    file,
    JSON.stringify({
      provinces: provinces.map((p) => ({
        id: p.id,
        name: p.name,
        baseUrl: `http://127.0.0.1:${p.port}`,
        sender: { username: SENDER, password },
        reviewer: { username: REVIEWER, password },
      })),
      retry: { minSeconds: 0.2, maxSeconds: 1 },
      watchSeconds: 0.2,
      // a recording's upload waits for its processing there, slow on a busy machine
      timeoutSeconds: 30,
      ...extra,
    }),
  );
  chmodSync(file, 0o600);
  return file;
}
