// One HTTP call of a cloud engine: its failures sorted into the engine failures the fallback reads.
import { EngineError } from './types.ts';

export type Fetch = typeof fetch;

/** The answer of a call, or the EngineError that says why there is none. */
export async function call(
  engine: string,
  fetcher: Fetch,
  url: string,
  init: RequestInit,
): Promise<Response> {
  let res: Response;
  try {
    res = await fetcher(url, { ...init, redirect: 'error' });
  } catch (e) {
    if (init.signal?.aborted) throw new EngineError('timeout', `${engine} took too long`);
    throw new EngineError('unavailable', `${engine} could not be reached: ${(e as Error).message}`);
  }
  if (res.ok) return res;
  const said = (await res.text().catch(() => '')).slice(0, 200);
  const code =
    res.status === 401 || res.status === 403
      ? 'unauthorized'
      : res.status >= 500 || res.status === 429
        ? 'unavailable'
        : 'refused';
  throw new EngineError(code, `${engine} answered HTTP ${res.status}${said ? `: ${said}` : ''}`);
}

/** The body of an answer, read to the end (an abort while reading is a timeout). */
export async function bytesOf(engine: string, res: Response, signal: AbortSignal): Promise<Buffer> {
  try {
    return Buffer.from(await res.arrayBuffer());
  } catch (e) {
    if (signal.aborted) throw new EngineError('timeout', `${engine} took too long`);
    throw new EngineError('unavailable', `${engine} broke off its answer: ${(e as Error).message}`);
  }
}

/** A JSON answer, or "garbage". */
export async function jsonOf(engine: string, res: Response, signal: AbortSignal): Promise<unknown> {
  const text = (await bytesOf(engine, res, signal)).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new EngineError('garbage', `${engine} answered something that is not JSON: ${text.slice(0, 80)}`);
  }
}

/** Waits `ms`, or rejects as a timeout when `signal` aborts first. */
export function pause(engine: string, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      reject(new EngineError('timeout', `${engine} took too long`));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', done);
      resolve();
    }, ms);
    if (signal.aborted) done();
    else signal.addEventListener('abort', done, { once: true });
  });
}
