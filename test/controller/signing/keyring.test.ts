// Signing at the controller: a key made at first start and kept owner-only, signatures over the canonical
// form that any key order or spacing leaves intact, and a rotation announced before the new key signs.
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  canonicalBytes,
  checkSignature,
  checkSignedText,
  keyIdOf,
  publicKeyObject,
} from '../../../common/signed.ts';
import { KEYS_FILE, openKeyring } from '../../../controller/signing/keyring.ts';
import { signDesired, signedPayload } from '../../../controller/signing/publish.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';

let tmp: TempDir;
let now = new Date('2026-12-01T00:00:00Z');
const clock = { now: () => now };
beforeEach(() => {
  tmp = tempDir('signing');
  now = new Date('2026-12-01T00:00:00Z');
});
afterEach(() => tmp.cleanup());

const HOUR = 3_600_000;
const trustOf = (keys: { id: string; publicKey: string }[]) => {
  const map = new Map(keys.map((k) => [k.id, publicKeyObject(k.publicKey)]));
  return (id: string) => map.get(id);
};

describe('the canonical form', () => {
  it('is the same whatever the key order and spacing, and leaves the signature out', () => {
    const a = { b: 1, a: [1, 'hai', { z: null, y: 2.5 }], title: 'Thông báo' };
    const b = JSON.parse('{ "title": "Thông báo", "a": [1, "hai", {"y": 2.5, "z": null}], "b": 1 }');
    expect(canonicalBytes(a).equals(canonicalBytes(b))).toBe(true);
    expect(canonicalBytes({ ...a, signature: { keyId: 'x', value: 'y' } }).equals(canonicalBytes(a))).toBe(
      true,
    );
    expect(canonicalBytes(a).toString()).toBe('{"a":[1,"hai",{"y":2.5,"z":null}],"b":1,"title":"Thông báo"}');
  });
});

describe('the keyring', () => {
  it('makes a key at first start, owner-only, and keeps it across restarts', () => {
    const ring = openKeyring(tmp.dir, clock);
    const file = path.join(tmp.dir, KEYS_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const [key] = ring.trusted();
    expect(key?.id).toBe(keyIdOf(key?.publicKey as string));
    expect(openKeyring(tmp.dir, clock).trusted()).toEqual(ring.trusted());
    // the API and the console never see the private half
    expect(JSON.stringify(ring.list())).not.toContain(
      JSON.parse(readFileSync(file, 'utf8')).keys[0].privateKey,
    );
  });

  it('signs so that the message checks, and any change of content or signature does not', () => {
    const ring = openKeyring(tmp.dir, clock);
    const trusted = trustOf(ring.trusted());
    const signed = ring.sign({ id: 'al-1', level: 'emergency', title: 'Bão số 9' });
    expect(checkSignature(signed, trusted)).toBeNull();
    // through JSON and back, as it travels
    expect(checkSignature(JSON.parse(JSON.stringify(signed)), trusted)).toBeNull();
    expect(checkSignature({ ...signed, title: 'Bão số 10' }, trusted)).toBe('bad-signature');
    expect(checkSignature({ ...signed, extra: true }, trusted)).toBe('bad-signature');
    const value = Buffer.from(signed.signature.value, 'base64url');
    value[0] = (value[0] as number) ^ 1;
    expect(
      checkSignature(
        { ...signed, signature: { ...signed.signature, value: value.toString('base64url') } },
        trusted,
      ),
    ).toBe('bad-signature');
    expect(checkSignature({ ...signed, signature: { ...signed.signature, value: 'AA' } }, trusted)).toBe(
      'bad-signature',
    );
    const { signature: _, ...unsigned } = signed;
    expect(checkSignature(unsigned, trusted)).toBe('unsigned');
    expect(checkSignature(null, trusted)).toBe('unsigned');
    expect(checkSignature([signed], trusted)).toBe('unsigned');
    // another controller's key, even with a valid signature of its own
    const otherDir = mkdirSync(path.join(tmp.dir, 'other'), { recursive: true }) as string;
    const other = openKeyring(otherDir, clock).sign({ id: 'al-1' });
    expect(checkSignature(other, trusted)).toBe('unknown-key');
  });

  it('rotates: the new key is announced at once, signs after the grace period, and the old one retires', () => {
    const ring = openKeyring(tmp.dir, clock);
    const [old] = ring.trusted();
    const next = ring.rotate(72 * HOUR);
    expect(next.state).toBe('next');
    expect(ring.trusted().map((k) => k.id)).toEqual([old?.id, next.id]);
    // still signed by the old key, announcing both (a desired state)
    const state = JSON.parse(signDesired(ring, { version: 3 }));
    expect(state.signature.keyId).toBe(old?.id);
    expect(state.signingKeys.map((k: { id: string }) => k.id)).toEqual([old?.id, next.id]);

    now = new Date(now.getTime() + 73 * HOUR);
    expect(ring.sign({ a: 1 }).signature.keyId).toBe(next.id);
    expect(ring.list().map((k) => k.state)).toEqual(['previous', 'current']);
    // a restart keeps the rotation
    expect(openKeyring(tmp.dir, clock).sign({ a: 1 }).signature.keyId).toBe(next.id);

    now = new Date(now.getTime() + 72 * HOUR);
    expect(ring.trusted().map((k) => k.id)).toEqual([next.id]);
    expect(ring.list().map((k) => k.state)).toEqual(['retired', 'current']);
  });
});

describe('the signed text', () => {
  it('is the canonical form with the signature last, checked without making the canonical form again', () => {
    const ring = openKeyring(tmp.dir, clock);
    const trusted = trustOf(ring.trusted());
    const text = ring.signJson({ title: 'Bão', id: 'al-1', n: [2, 1] });
    expect(text).toMatch(
      /^\{"id":"al-1","n":\[2,1\],"title":"Bão","signature":\{"keyId":"[0-9a-f]{16}","value":"/,
    );
    expect(checkSignedText(text, trusted)).toBeNull();
    // the same message, parsed, checks the slow way too
    expect(checkSignature(JSON.parse(text), trusted)).toBeNull();
    expect(checkSignedText(ring.signJson({}), trusted)).toBeUndefined(); // no member before it: the slow way
    expect(checkSignature(JSON.parse(ring.signJson({})), trusted)).toBeNull();
  });

  it('does not pass a text changed before the signature or with members after it', () => {
    const ring = openKeyring(tmp.dir, clock);
    const trusted = trustOf(ring.trusted());
    const text = ring.signJson({ id: 'al-1', level: 'normal' });
    const changed = text.replace('"normal"', '"emergency"');
    expect(checkSignedText(changed, trusted)).toBeUndefined();
    expect(checkSignature(JSON.parse(changed), trusted)).toBe('bad-signature');
    const added = `${text.slice(0, -1)},"level":"emergency"}`;
    expect(checkSignedText(added, trusted)).toBeUndefined();
    expect(checkSignature(JSON.parse(added), trusted)).toBe('bad-signature');
    const spaced = text.replace(',"signature"', ', "signature"');
    expect(checkSignedText(spaced, trusted)).toBeUndefined();
    expect(checkSignature(JSON.parse(spaced), trusted)).toBeNull();
    const other = openKeyring(mkdirSync(path.join(tmp.dir, 'third'), { recursive: true }) as string, clock);
    expect(checkSignedText(other.signJson({ id: 'al-1' }), trusted)).toBe('unknown-key');
  });
});

describe('what the link publishes', () => {
  it('signs bulletins, passes other topics and clearing payloads as they are, and refuses non-objects', () => {
    const ring = openKeyring(tmp.dir, clock);
    const topic = 'loa/v1/alerts/area/p-an-binh/al-1';
    const out = JSON.parse(signedPayload(ring, topic, JSON.stringify({ id: 'al-1' })));
    expect(checkSignature(out, trustOf(ring.trusted()))).toBeNull();
    expect(signedPayload(ring, topic, '')).toBe('');
    expect(signedPayload(ring, 'loa/v1/station/st-1/as-run/ack', '{"ids":[]}')).toBe('{"ids":[]}');
    expect(() => signedPayload(ring, topic, '[1]')).toThrow(/JSON object/);
  });
});
