// The controller's signing keys: an Ed25519 pair made at first start and kept in the data folder
// (signing-keys.json, owner-only), the current one signing desired states and bulletins, and a rotation
// that announces the next key (in signed desired states) for a grace period before it signs.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Clock } from '../../common/clock.ts';
import {
  keyIdOf,
  type PublicKeyRef,
  privateKeyObject,
  type Signature,
  signedJson,
  signMessage,
} from '../../common/signed.ts';

export const KEYS_FILE = 'signing-keys.json';

const StoredKey = z.object({
  id: z.string(),
  publicKey: z.string(),
  privateKey: z.string(),
  createdAt: z.iso.datetime(),
  /** Signs from this instant (a rotated-in key is announced first). */
  activeFrom: z.iso.datetime(),
  /** Not announced nor trusted after this instant (a rotated-out key), or null. */
  retiredAt: z.iso.datetime().nullable(),
});
type StoredKey = z.infer<typeof StoredKey>;
const KeyFile = z.object({ keys: z.array(StoredKey).min(1) });

/** A key as the console and the API show it (never the private half). */
export interface KeyView extends PublicKeyRef {
  createdAt: string;
  activeFrom: string;
  retiredAt: string | null;
  state: 'next' | 'current' | 'previous' | 'retired';
}

export interface Keyring {
  /** The message with the current key's signature. */
  sign<T extends Record<string, unknown>>(message: T): T & { signature: Signature };
  /** The same as JSON text, its canonical form with the signature last (what the link publishes). */
  signJson(message: Record<string, unknown>): string;
  /** The keys a station trusts now: the current one, an announced next one and a previous one in grace. */
  trusted(): PublicKeyRef[];
  list(): KeyView[];
  /** Makes a new key, announced now and signing after `graceMs`; the current one is trusted `graceMs` more. */
  rotate(graceMs: number): KeyView;
}

function newKey(now: Date, activeFrom: Date): StoredKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x as string;
  const d = privateKey.export({ format: 'jwk' }).d as string;
  return {
    id: keyIdOf(x),
    publicKey: x,
    privateKey: d,
    createdAt: now.toISOString(),
    activeFrom: activeFrom.toISOString(),
    retiredAt: null,
  };
}

/** Written whole to a temporary file then renamed, owner-only: never half a key file. */
function save(file: string, keys: StoredKey[]): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** Opens the data folder's key file, making the first key if there is none. */
export function openKeyring(dataDir: string, clock: Clock): Keyring {
  const file = path.join(dataDir, KEYS_FILE);
  let keys: StoredKey[];
  if (existsSync(file)) {
    const parsed = KeyFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success)
      throw new Error(`${file}: not a signing key file (${parsed.error.issues[0]?.message})`);
    keys = parsed.data.keys;
    chmodSync(file, 0o600);
  } else {
    const now = clock.now();
    keys = [newKey(now, now)];
    save(file, keys);
  }
  const objects = new Map<string, KeyObject>();
  const privateOf = (k: StoredKey) => {
    let o = objects.get(k.id);
    if (!o) {
      o = privateKeyObject(k.publicKey, k.privateKey);
      objects.set(k.id, o);
    }
    return o;
  };
  const at = () => clock.now().toISOString();
  const live = (now: string) => keys.filter((k) => k.retiredAt === null || k.retiredAt > now);
  const current = (now: string): StoredKey => {
    const active = live(now).filter((k) => k.activeFrom <= now);
    return (
      active.sort((a, b) => (a.activeFrom < b.activeFrom ? 1 : -1))[0] ??
      (keys.slice().sort((a, b) => (a.activeFrom < b.activeFrom ? -1 : 1))[0] as StoredKey)
    );
  };
  const view = (k: StoredKey, now: string): KeyView => {
    const cur = current(now);
    const state =
      k.id === cur.id
        ? 'current'
        : k.retiredAt !== null && k.retiredAt <= now
          ? 'retired'
          : k.activeFrom > now
            ? 'next'
            : 'previous';
    const { privateKey: _, ...pub } = k;
    return { ...pub, state };
  };

  return {
    sign: (message) => {
      const k = current(at());
      return signMessage(message, { id: k.id, privateKey: privateOf(k) });
    },
    signJson: (message) => {
      const k = current(at());
      return signedJson(message, { id: k.id, privateKey: privateOf(k) });
    },
    trusted: () => live(at()).map((k) => ({ id: k.id, publicKey: k.publicKey })),
    list: () => {
      const now = at();
      return keys.map((k) => view(k, now));
    },
    rotate: (graceMs) => {
      const now = clock.now();
      const from = new Date(now.getTime() + graceMs);
      const next = newKey(now, from);
      const nowIso = now.toISOString();
      const retireAt = new Date(from.getTime() + graceMs).toISOString();
      // every key still trusted leaves a grace period after the new one starts signing
      keys = [
        ...keys.map((k) =>
          k.retiredAt === null || k.retiredAt > nowIso
            ? { ...k, retiredAt: k.retiredAt && k.retiredAt < retireAt ? k.retiredAt : retireAt }
            : k,
        ),
        next,
      ];
      save(file, keys);
      return view(next, nowIso);
    },
  };
}
