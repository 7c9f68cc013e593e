// A controller signing key for tests that play the controller's side of a broker: desired states and
// bulletins signed as the controller signs them (controller/signing/), which agents check.
import { generateKeyPairSync } from 'node:crypto';
import { keyIdOf, type PublicKeyRef, signedJson, signMessage } from '../../common/signed.ts';

/** A fresh Ed25519 key with its id, and helpers to sign a desired state or a bulletin with it. */
export function testSigner() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'jwk' }).x as string;
  const ref: PublicKeyRef = { id: keyIdOf(raw), publicKey: raw };
  const key = { id: ref.id, privateKey };
  return {
    ref,
    /** As the controller's link takes it (controller/signing/publish.ts). */
    signer: {
      sign: <T extends Record<string, unknown>>(message: T) => signMessage(message, key),
      signJson: (message: Record<string, unknown>) => signedJson(message, key),
      trusted: () => [ref],
    },
    /** A desired state as the controller publishes it: signed, announcing this key. */
    desired: (state: object) =>
      signMessage({ ...(state as Record<string, unknown>), signingKeys: [ref] }, key),
    /** A bulletin as the controller publishes it: signed. */
    bulletin: (alert: object) => signMessage({ ...(alert as Record<string, unknown>) }, key),
  };
}

/** The key every agent test's controller signs with (rigs.ts). */
export const TEST_SIGNER = testSigner();
