// End to end: controller (embedded broker) and an edge agent as separate processes over real TCP; a clip
// is uploaded and approved, one slot plays a few seconds ahead and one inside an online-class quiet
// window is skipped. The same scenario runs through Mosquitto in chain-mosquitto.test.ts.
import { describe, it } from 'vitest';
import { playAndSkip, startChain, useChain } from '../support/chain.ts';

// The processes' logs say why, when this fails.
const e2e = useChain((dir) => startChain({ dir }));

describe('clip to loudspeaker', () => {
  it('plays one slot with the relay around the sound and skips the one in online-class hours', async () => {
    if (!e2e.chain) throw new Error('chain did not start');
    await playAndSkip(e2e.chain, e2e.dir);
  }, 90_000);
});
