// The demo's two simulated stations: registered at the controller, each with an agent config file and
// one PIN for their local pages.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { updateConfigFile } from '../../edge-agent/config/config-file.ts';
import { hashPin } from '../../edge-agent/local/auth.ts';
import type { DemoApi } from './api.ts';

export const STATIONS = [
  {
    id: 'demo-an-hoa',
    name: 'Đài truyền thanh phường An Hòa',
    district: 'ninh-kieu',
    ward: 'an-hoa',
    agentPort: 8091,
    agentHttpsPort: 8491,
  },
  {
    id: 'demo-tan-an',
    name: 'Đài truyền thanh phường Tân An',
    district: 'ninh-kieu',
    ward: 'tan-an',
    agentPort: 8092,
    agentHttpsPort: 8492,
  },
];

/** Registers the stations (once) and writes their configs; answers the local pages' PIN. */
export async function prepareStations(api: DemoApi, token: string, demoDir: string): Promise<string> {
  const { call, must } = api;
  for (const s of STATIONS) {
    const cfgFile = path.join(demoDir, `${s.id}.json`);
    const exists = (await call('GET', `/api/stations/${s.id}`, token)).ok;
    if (exists && existsSync(cfgFile)) {
      // configs from before the local page's HTTPS port: two stations on one machine must not share one
      const cfg = JSON.parse(readFileSync(cfgFile, 'utf8')) as Record<string, unknown>;
      if (cfg.agentHttpsPort === undefined)
        writeFileSync(cfgFile, JSON.stringify({ ...cfg, agentHttpsPort: s.agentHttpsPort }, null, 2), {
          mode: 0o600,
        });
      continue;
    }
    const { secret } = exists
      ? await must(call('POST', `/api/stations/${s.id}/secret`, token), 'rotate secret')
      : await must(
          call('POST', '/api/stations', token, {
            id: s.id,
            name: s.name,
            district: s.district,
            ward: s.ward,
          }),
          'station',
        );
    const agentConfig = {
      stationId: s.id,
      secret,
      controllerUrl: api.url,
      mqttUrl: `mqtt://127.0.0.1:${process.env.MQTT_PORT ?? 1883}`,
      dataDir: `./${s.id}`,
      gpio: 'sim',
      // A simulated station on a developer's machine: do not wait for time synchronisation.
      clockTrust: 'always',
      audio: `file:./${s.id}/speaker`,
      agentPort: s.agentPort,
      agentHttpsPort: s.agentHttpsPort,
      agentHost: '127.0.0.1',
    };
    writeFileSync(cfgFile, JSON.stringify(agentConfig, null, 2), { mode: 0o600 });
  }

  // The ward staff's PIN for the stations' local pages (one for both demo stations).
  const pinFile = path.join(demoDir, 'station-pin');
  if (!existsSync(pinFile))
    writeFileSync(pinFile, String(100000 + (randomBytes(4).readUInt32BE() % 900000)), { mode: 0o600 });
  const pin = readFileSync(pinFile, 'utf8').trim();
  for (const s of STATIONS) {
    const cfgFile = path.join(demoDir, `${s.id}.json`);
    if (!(JSON.parse(readFileSync(cfgFile, 'utf8')) as { localPinHash?: string }).localPinHash)
      updateConfigFile(cfgFile, { localPinHash: await hashPin(pin) });
  }
  return pin;
}
