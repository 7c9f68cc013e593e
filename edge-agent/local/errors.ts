// The local API's refusals: an HTTP status, a short machine-readable code and a sentence naming the reason.

/** A refusal worded for people in both languages; `message` is the Vietnamese one. */
export interface Words {
  vi: string;
  en: string;
}

export class LocalError extends Error {
  override name = 'LocalError';
  /** Both languages, when the refusal was worded for ward staff (else `message` alone, in English). */
  readonly words: Words | null;
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
    readonly code: string,
    message: string | Words,
  ) {
    super(typeof message === 'string' ? message : message.vi);
    this.words = typeof message === 'string' ? null : message;
  }
  /** The message in the reader's language (Vietnamese unless English was chosen). */
  say(lang: 'vi' | 'en'): string {
    return this.words ? this.words[lang] : this.message;
  }
}

export const badRequest = (message: string | Words) => new LocalError(400, 'bad_request', message);

/**
 * The agent core throws OverrideError (status 400, 404 or 409) for an override it refuses; recognised by
 * its shape so this layer does not depend on the class's module.
 */
export function fromAgentError(err: unknown): LocalError | null {
  if (err instanceof LocalError) return err;
  if (!(err instanceof Error)) return null;
  const status = (err as { status?: unknown }).status;
  if (status !== 400 && status !== 404 && status !== 409) return null;
  const code = (err as { code?: unknown }).code;
  const fallback = status === 400 ? 'invalid_override' : status === 404 ? 'not_found' : 'conflict';
  const words = (err as { words?: Words | null }).words;
  return new LocalError(status, typeof code === 'string' ? code : fallback, words ?? err.message);
}
