// End to end: controller (embedded broker) and an edge agent as separate processes over real TCP; a clip
// is uploaded and approved, one slot plays a few seconds ahead and one inside an online-class quiet
// window is skipped. The same scenario runs through Mosquitto in chain-mosquitto.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it, onTestFailed } from 'vitest';
import { type Chain, playAndSkip, startChain } from '../support/chain.ts';
import { freePort } from '../support/process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'loa-e2e-'));
let chain: Chain | null = null;

beforeAll(async () => {
  const mqttPort = await freePort();
  chain = await startChain({
    dir,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    env: { MQTT_PORT: String(mqttPort), MQTT_HOST: '127.0.0.1' },
  });
}, 60_000);

afterAll(async () => {
  await chain?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('clip to loudspeaker', () => {
  it('plays one slot with the relay around the sound and skips the one in online-class hours', async () => {
    // The processes' logs say why, when this fails.
    onTestFailed(() => {
      for (const p of chain?.procs ?? []) console.error(p.output().slice(-6000));
    });
    if (!chain) throw new Error('chain did not start');
    await playAndSkip(chain, dir);
  }, 90_000);
});
