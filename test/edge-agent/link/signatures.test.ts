// The agent's check of the controller's signature: what it trusts (the config's keys, those a signed
// desired state announces, or on first use those of the first signed state), what it refuses and how
// the refusal is kept for the health report.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSignatureCheck, refusalReport } from '../../../edge-agent/link/signatures.ts';
import { type AgentStore, openStore } from '../../../edge-agent/state/store.ts';
import { recordingLogger } from '../../support/log.ts';
import { testSigner } from '../../support/signing.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';

const DESIRED = 'loa/v1/station/st-an-binh/desired';
const ALERT = 'loa/v1/alerts/area/p-an-binh/al-1';
const at = new Date('2026-12-05T01:02:03Z');
let tmp: TempDir;
let store: AgentStore;
beforeEach(() => {
  tmp = tempDir('signatures');
  store = openStore(tmp.dir);
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const check = (controllerKeys: { id: string; publicKey: string }[] = [], refused = () => {}) => {
  const log = recordingLogger();
  const c = createSignatureCheck({ store, clock: { now: () => at }, log, controllerKeys, refused });
  return { c, log };
};

describe('the signature check', () => {
  it('takes what the enrolled key signed and refuses the unsigned, the foreign and the altered', () => {
    const ours = testSigner();
    const theirs = testSigner();
    let told = 0;
    const { c, log } = check([ours.ref], () => told++);
    expect(c.check('bulletin', ALERT, ours.bulletin({ id: 'al-1', title: 'Bão' }))).toBe(true);
    expect(c.check('desired', DESIRED, ours.desired({ version: 2 }))).toBe(true);

    expect(c.check('bulletin', ALERT, { id: 'al-1', title: 'Bão' })).toBe(false);
    expect(c.check('bulletin', ALERT, theirs.bulletin({ id: 'al-1' }))).toBe(false);
    expect(c.check('desired', DESIRED, { ...ours.desired({ version: 2 }), version: 3 })).toBe(false);
    expect(c.check('bulletin', ALERT, null)).toBe(false);
    expect(told).toBe(4);
    expect(log.lines.filter((l) => l.startsWith('warn'))).toEqual([
      `warn signature: refused a bulletin on ${ALERT}: it carries no signature`,
      `warn signature: refused a bulletin on ${ALERT}: its key ${theirs.ref.id} is not one the station trusts`,
      `warn signature: refused a desired state on ${DESIRED}: its signature does not match its content`,
      `warn signature: refused a bulletin on ${ALERT}: it carries no signature`,
    ]);
    // kept for the health report, across a restart
    expect(refusalReport(store)).toEqual({
      refused: {
        count: 4,
        last: { kind: 'bulletin', reason: 'unsigned', at: at.toISOString(), topic: ALERT },
      },
    });
  });

  it('trusts, without an enrolled key, the keys of the first signed desired state, and no bulletin before', () => {
    const first = testSigner();
    const { c, log } = check([]);
    expect(c.check('bulletin', ALERT, first.bulletin({ id: 'al-1' }))).toBe(false);
    expect(c.check('desired', DESIRED, { version: 1 })).toBe(false);
    const state = first.desired({ version: 1 });
    expect(c.check('desired', DESIRED, state)).toBe(true);
    expect(log.lines).toContain(
      `warn signature: no controller key known; trusting ${first.ref.id} on first use`,
    );
    c.learn(state);
    expect(c.trusted()).toEqual([first.ref.id]);
    // from now on only that key: a second "first" signer is refused
    expect(c.check('desired', DESIRED, testSigner().desired({ version: 2 }))).toBe(false);
    expect(c.check('bulletin', ALERT, first.bulletin({ id: 'al-1' }))).toBe(true);
    // and after a restart
    expect(check([]).c.trusted()).toEqual([first.ref.id]);
  });

  it('follows a rotation announced in a signed desired state, and drops a key no longer announced', () => {
    const old = testSigner();
    const next = testSigner();
    const { c } = check([old.ref]);
    expect(c.check('bulletin', ALERT, next.bulletin({ id: 'al-1' }))).toBe(false);
    // the old key signs a state announcing both
    const announcing = { ...old.desired({ version: 4 }) };
    const both = old.signer.sign({ version: 4, signingKeys: [old.ref, next.ref] });
    expect(c.check('desired', DESIRED, both)).toBe(true);
    c.learn(both);
    expect(c.check('bulletin', ALERT, next.bulletin({ id: 'al-1' }))).toBe(true);
    expect(c.check('bulletin', ALERT, old.bulletin({ id: 'al-1' }))).toBe(true);
    // the new key signs a state announcing itself only: the old key is no longer trusted
    const only = next.desired({ version: 5 });
    expect(c.check('desired', DESIRED, only)).toBe(true);
    c.learn(only);
    expect(c.trusted()).toEqual([next.ref.id]);
    expect(c.check('desired', DESIRED, announcing)).toBe(false);
  });

  it('ignores an announcement that is not a list of keys', () => {
    const ours = testSigner();
    const { c } = check([ours.ref]);
    for (const signingKeys of [[], 'x', [{ id: 'a', publicKey: 'short' }], Array(9).fill(ours.ref)])
      c.learn({ version: 2, signingKeys });
    expect(c.trusted()).toEqual([ours.ref.id]);
  });
});
