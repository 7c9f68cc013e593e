// Ed25519 signatures over a message's canonical form (RFC 8785, JSON Canonicalization Scheme): the
// controller signs desired states and bulletins, the agent checks them before it plans anything.
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import canonicalize from 'canonicalize';

/** A public key as it travels: its id and the raw 32-byte Ed25519 key, base64url. */
export interface PublicKeyRef {
  id: string;
  publicKey: string;
}

/** What a signed message carries beside its content. */
export interface Signature {
  keyId: string;
  /** The Ed25519 signature of the canonical form of the message without this field, base64url. */
  value: string;
}

const RAW_KEY = /^[A-Za-z0-9_-]{43}$/;

/** The bytes signed: the message without its `signature`, in RFC 8785 canonical form. */
export function canonicalBytes(message: Record<string, unknown>): Buffer {
  const { signature: _, ...content } = message;
  const text = canonicalize(content);
  if (text === undefined) throw new Error('message cannot be put in canonical form');
  return Buffer.from(text, 'utf8');
}

/** A key's id: the first 16 hex digits of the SHA-256 of its raw bytes. */
export const keyIdOf = (publicKey: string): string =>
  createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest('hex').slice(0, 16);

export function publicKeyObject(publicKey: string): KeyObject {
  if (!RAW_KEY.test(publicKey)) throw new Error('not a raw Ed25519 public key (43 base64url characters)');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
}

export function privateKeyObject(publicKey: string, privateKey: string): KeyObject {
  return createPrivateKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: publicKey, d: privateKey },
    format: 'jwk',
  });
}

/** The message with its signature by `key` (`id` names it). */
export function signMessage<T extends Record<string, unknown>>(
  message: T,
  key: { id: string; privateKey: KeyObject },
): T & { signature: Signature } {
  const value = sign(null, canonicalBytes(message), key.privateKey).toString('base64url');
  return { ...message, signature: { keyId: key.id, value } };
}

/**
 * The message signed, as JSON text: its canonical form with the signature added as its last member. Any
 * JSON reader takes it as the object with its signature; the agent checks it without putting it in
 * canonical form again (checkSignedText), since the text before the signature is the form signed.
 */
export function signedJson(
  message: Record<string, unknown>,
  key: { id: string; privateKey: KeyObject },
): string {
  const bytes = canonicalBytes(message);
  const value = sign(null, bytes, key.privateKey).toString('base64url');
  const text = bytes.toString('utf8');
  const signature = JSON.stringify({ keyId: key.id, value } satisfies Signature);
  return text === '{}' ? `{"signature":${signature}}` : `${text.slice(0, -1)},"signature":${signature}}`;
}

const TAIL = ',"signature":{"keyId":"';
const SIGNATURE_TAIL = /^,"signature":\{"keyId":"([0-9a-f]{16})","value":"([A-Za-z0-9_-]{86})"\}\}$/;

/**
 * The quick check of a payload as signedJson writes it: the signature of the text before it. Answers null
 * when it holds, 'unknown-key' for a key not trusted, or undefined when the text is not in that form or
 * does not check (the caller then checks the parsed message, which a re-encoding may have left valid).
 */
export function checkSignedText(
  text: string,
  trusted: (keyId: string) => KeyObject | undefined,
): 'unknown-key' | null | undefined {
  const at = text.lastIndexOf(TAIL);
  if (at < 1) return undefined;
  const m = SIGNATURE_TAIL.exec(text.slice(at));
  if (!m) return undefined;
  const key = trusted(m[1] as string);
  if (!key) return 'unknown-key';
  const signed = Buffer.from(`${text.slice(0, at)}}`, 'utf8');
  return verify(null, signed, key, Buffer.from(m[2] as string, 'base64url')) ? null : undefined;
}

/** Why a message's signature was not accepted. */
export type SignatureFault = 'unsigned' | 'unknown-key' | 'bad-signature';

/**
 * Checks a parsed message's signature against the keys trusted (by id); answers null when it holds, or
 * the fault. The message is read as it came, before any schema strips or defaults a field.
 */
export function checkSignature(
  message: unknown,
  trusted: (keyId: string) => KeyObject | undefined,
): SignatureFault | null {
  if (!message || typeof message !== 'object' || Array.isArray(message)) return 'unsigned';
  const sig = (message as { signature?: unknown }).signature as Partial<Signature> | undefined;
  if (!sig || typeof sig.keyId !== 'string' || typeof sig.value !== 'string') return 'unsigned';
  const key = trusted(sig.keyId);
  if (!key) return 'unknown-key';
  let bytes: Buffer;
  try {
    bytes = canonicalBytes(message as Record<string, unknown>);
  } catch {
    return 'bad-signature';
  }
  const value = Buffer.from(sig.value, 'base64url');
  return value.length === 64 && verify(null, bytes, key, value) ? null : 'bad-signature';
}
