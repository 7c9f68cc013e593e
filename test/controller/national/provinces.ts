// Provinces for the national tests: a real province controller process (its own SQLite file and embedded
// broker) with stations, the account the national level sends as (a technician of the whole province) and
// a reviewer; and the national controller process over a PROVINCES_FILE naming them.
import net from 'node:net';
import path from 'node:path';
import { expect } from 'vitest';
import { type ControllerProcess, startControllerProcess } from '../../support/apps.ts';
import { freePort } from '../../support/process.ts';
import { nationalLogins, writeProvincesFile as writeProvincesFileFor } from '../../support/provinces-file.ts';

export const NATIONAL_PASSWORD = 'national-pw-123';

export interface ProvinceUnderTest {
  id: string;
  name: string;
  dataDir: string;
  /** The port the national level reaches it on (its API, or a door in front of it). */
  port: number;
  ctl: ControllerProcess;
  secrets: Record<string, string>;
}

export async function startProvince(
  dir: string,
  id: string,
  name: string,
  stations: { id: string; district: string; ward: string }[],
): Promise<ProvinceUnderTest> {
  const dataDir = path.join(dir, id);
  const ctl = await startControllerProcess({ dataDir, env: { PROVINCE_ID: id } });
  const secrets: Record<string, string> = {};
  for (const s of stations) {
    const r = await ctl.call('POST', '/api/stations', { ...s, name: `Đài ${s.id}` });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    secrets[s.id] = r.body.secret;
  }
  const tree = await ctl.call('GET', '/api/areas');
  const root = tree.body.areas[0].id as string;
  for (const user of nationalLogins(root, NATIONAL_PASSWORD)) {
    const r = await ctl.call('POST', '/api/users', user);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
  return { id, name, dataDir, port: Number(new URL(ctl.api).port), ctl, secrets };
}

/**
 * A TCP door in front of a province's API: the national level reaches the province through it, and a
 * test closes it (no connection, as when the province is down) and opens it again on the same port.
 */
export async function provinceDoor(target: number) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  const port = await freePort();
  const open = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((inbound) => {
        const outbound = net.connect(target, '127.0.0.1');
        for (const s of [inbound, outbound]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        inbound.pipe(outbound).pipe(inbound);
      });
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server) return resolve();
      server.close(() => resolve());
      server = null;
    });
  await open();
  return { port, open, close };
}

export const writeProvincesFile = (dir: string, provinces: ProvinceUnderTest[], extra: object = {}) =>
  writeProvincesFileFor(dir, provinces, NATIONAL_PASSWORD, extra);

export const startNational = (dir: string, provincesFile: string) =>
  startControllerProcess({
    dataDir: path.join(dir, 'national'),
    env: { CONTROLLER_ROLE: 'national', PROVINCES_FILE: provincesFile },
  });
