// Where signatures are put on: each desired state as the link publishes it, and each bulletin (its mobile
// copies and live sessions alike) as it passes the link's transport on its way out.
import type { PublicKeyRef } from '../../common/signed.ts';
import { parseAlertTopic } from '../../schedules/protocol.ts';

export interface MessageSigner {
  /** The message signed, as the JSON text to publish (common/signed.ts, signedJson). */
  signJson(message: Record<string, unknown>): string;
  trusted(): PublicKeyRef[];
}

/** A desired state signed, with the keys the station is to trust from now on (rotation), as JSON text. */
export function signDesired(signer: MessageSigner, state: object): string {
  return signer.signJson({ ...(state as Record<string, unknown>), signingKeys: signer.trusted() });
}

/**
 * The payload to publish on `topic`: a bulletin signed; anything else, and an empty payload (it clears
 * a retained bulletin and carries nothing), as it is. Throws on a bulletin that is not a JSON object.
 */
export function signedPayload(signer: MessageSigner, topic: string, payload: string): string {
  if (payload.length === 0 || parseAlertTopic(topic) === null) return payload;
  const message = JSON.parse(payload) as unknown;
  if (!message || typeof message !== 'object' || Array.isArray(message))
    throw new Error('a bulletin must be a JSON object');
  return signer.signJson(message as Record<string, unknown>);
}
