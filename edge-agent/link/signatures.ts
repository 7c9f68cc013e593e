// The controller's signature on each desired state and bulletin, checked before anything is planned: a
// message unsigned, signed by a key the station does not trust, or whose signature does not hold is
// refused, logged, counted for the health report and nothing else changes. The keys trusted are those a
// verified desired state last announced, else the config's (from enrolment), else, for a station enrolled
// before signatures, those of the first signed desired state (trust on first use).
import type { KeyObject } from 'node:crypto';
import type { Clock } from '../../common/clock.ts';
import type { Logger } from '../../common/log.ts';
import {
  checkSignature,
  checkSignedText,
  type PublicKeyRef,
  publicKeyObject,
  type SignatureFault,
} from '../../common/signed.ts';
import type { Health } from '../../schedules/protocol.ts';
import type { AgentStore } from '../state/store.ts';

const KEYS = 'signing.keys';
const REFUSED = 'signing.refused';

export type SignedKind = 'desired' | 'bulletin';
export type Refusals = NonNullable<Health['refused']>;

export interface SignatureCheckDeps {
  store: Pick<AgentStore, 'getMeta' | 'setMeta'>;
  clock: Clock;
  log: Logger;
  /** From the config (written at enrolment). */
  controllerKeys: readonly PublicKeyRef[];
  /** A message was refused (the health report says so). */
  refused?(): void;
}

const isKeyRef = (k: unknown): k is PublicKeyRef =>
  !!k &&
  typeof (k as PublicKeyRef).id === 'string' &&
  typeof (k as PublicKeyRef).publicKey === 'string' &&
  /^[A-Za-z0-9_-]{43}$/.test((k as PublicKeyRef).publicKey);

/** The keys a message announces (a desired state's `signingKeys`), if it announces a usable list. */
function announced(message: unknown): PublicKeyRef[] | null {
  const keys = (message as { signingKeys?: unknown } | null)?.signingKeys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > 8 || !keys.every(isKeyRef)) return null;
  return keys.map(({ id, publicKey }) => ({ id, publicKey }));
}

function keyMap(refs: readonly PublicKeyRef[]): Map<string, KeyObject> {
  const map = new Map<string, KeyObject>();
  for (const r of refs) {
    try {
      map.set(r.id, publicKeyObject(r.publicKey));
    } catch {
      // a malformed key is no key
    }
  }
  return map;
}

/** What the agent's health says about refusals: how many since install and the last one. */
export function refusalReport(store: Pick<AgentStore, 'getMeta'>): Pick<Health, 'refused'> {
  const raw = store.getMeta(REFUSED);
  return raw ? { refused: JSON.parse(raw) as Refusals } : {};
}

export function createSignatureCheck(deps: SignatureCheckDeps) {
  const { store, log } = deps;
  const stored = store.getMeta(KEYS);
  let keys = keyMap(stored ? (JSON.parse(stored) as PublicKeyRef[]) : deps.controllerKeys);

  function refuse(kind: SignedKind, topic: string, fault: SignatureFault, keyId: string | null): false {
    const what = kind === 'desired' ? 'desired state' : 'bulletin';
    const why =
      fault === 'unsigned'
        ? 'it carries no signature'
        : fault === 'unknown-key'
          ? `its key ${keyId} is not one the station trusts`
          : 'its signature does not match its content';
    log.warn(`signature: refused a ${what} on ${topic}: ${why}`);
    const before = refusalReport(store).refused?.count ?? 0;
    const at = deps.clock.now().toISOString();
    const report: Refusals = {
      count: before + 1,
      last: { kind, reason: fault, at, topic: topic.slice(0, 300) },
    };
    store.setMeta(REFUSED, JSON.stringify(report));
    deps.refused?.();
    return false;
  }

  return {
    /**
     * Whether `message` (parsed, as it came) carries a signature the station trusts; refuses it if not.
     * `text`, the payload as it came, is checked first as the controller writes it (no canonical form to
     * make again); anything else is checked on the parsed message.
     */
    check(kind: SignedKind, topic: string, message: unknown, text?: string): boolean {
      const lookup = (k: string) => keys.get(k);
      if (text !== undefined && checkSignedText(text, lookup) === null) return true;
      const keyId = (message as { signature?: { keyId?: unknown } } | null)?.signature?.keyId;
      const id = typeof keyId === 'string' ? keyId.slice(0, 64) : null;
      let fault = checkSignature(message, lookup);
      if (fault === 'unknown-key' && keys.size === 0 && kind === 'desired') {
        // trust on first use: a station enrolled before signatures learns the keys of the first signed state
        const own = keyMap(announced(message) ?? []);
        fault = checkSignature(message, (k) => own.get(k));
        if (fault === null) log.warn(`signature: no controller key known; trusting ${id} on first use`);
      }
      return fault === null || refuse(kind, topic, fault, id);
    },
    /** After a verified desired state for this station: the keys it announces are those trusted from now. */
    learn(message: unknown): void {
      const next = announced(message);
      if (!next) return;
      const ids = next.map((k) => k.id).join(',');
      if (ids === [...keys.keys()].join(',')) return;
      keys = keyMap(next);
      store.setMeta(KEYS, JSON.stringify(next));
      log.info(`signature: the controller's keys are now ${ids}`);
    },
    /** The ids of the keys trusted now. */
    trusted: (): string[] => [...keys.keys()],
  };
}

export type SignatureCheck = ReturnType<typeof createSignatureCheck>;
