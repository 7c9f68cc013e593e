// Enrolment at install: the code from the console becomes the station's secret in the agent's config,
// with the controller's signing keys.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrol, storeSecret } from '../../../edge-agent/cli/enrol.ts';
import { makeController, type TestController } from '../../support/controller.ts';
import { tempDir } from '../../support/temp.ts';

let ctl: TestController;
let server: ReturnType<typeof serve>;
let url = '';
const tmp = tempDir();
const { dir } = tmp;

beforeAll(async () => {
  ctl = await makeController();
  server = serve({ fetch: ctl.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await ctl.call('POST', '/api/stations', { id: 'st-moi', name: 'Đài mới', district: 'd', ward: 'w' });
});
afterAll(() => {
  server.close();
  ctl.cleanup();
  tmp.cleanup();
});

describe('enrolment', () => {
  it('exchanges the code once and stores the secret for the agent, never readable by others', async () => {
    const { code } = (await ctl.call('POST', '/api/stations/st-moi/enrolment')).body;
    const file = path.join(dir, 'agent.json');
    writeFileSync(
      file,
      JSON.stringify({
        stationId: 'st-moi',
        controllerUrl: url,
        mqttUrl: 'mqtt://127.0.0.1:1',
        dataDir: '.',
      }),
    );
    const { secret, signingKeys } = await enrol(url, 'st-moi', code, { fetch });
    storeSecret(file, secret, signingKeys);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    // with the controller's signing key, which the agent checks desired states and bulletins against
    const keys = (await ctl.call('GET', '/api/signing/keys')).body as { id: string; publicKey: string }[];
    expect(signingKeys).toEqual(keys.map(({ id, publicKey }) => ({ id, publicKey })));
    expect(stored).toMatchObject({ stationId: 'st-moi', secret, controllerKeys: signingKeys });
    // the file was group-readable (0644 here; the install script makes it root:loa 0640): the group keeps
    // reading it, nobody else may
    expect(statSync(file).mode & 0o777).toBe(0o640);
    // The secret works; the code does not work twice.
    expect((await ctl.call('GET', '/api/clips/nope/audio', undefined, secret)).status).toBe(404);
    await expect(enrol(url, 'st-moi', code, { fetch })).rejects.toThrow(/enrolment refused \(HTTP 401\)/);
  });
});
