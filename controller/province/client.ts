// The province's HTTP API as the link uses it: a login whose token is renewed before it expires (and once
// more when the province answers 401), posts of one message, and the lists it offers. Every failure is a
// ProvinceFailure that says whether to try again later (outage) or never (refused).
import http from 'node:http';
import https from 'node:https';
import type { Clock } from '../../common/clock.ts';
import type { ProvinceSettings } from './settings.ts';

/** `outage`: 5xx, 429, no answer, no connection, a login refused: send again later. `refused`: a 4xx for this message. */
export class ProvinceFailure extends Error {
  constructor(
    readonly kind: 'outage' | 'refused',
    message: string,
    readonly messageVi: string,
    /** The province's HTTP status, when it answered. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** A token this close to its expiry is renewed before the next request. */
const RENEW_BEFORE_MS = 30_000;
/** A login that says nothing of its lifetime is renewed after this long. */
const DEFAULT_TOKEN_MS = 3_600_000;

export interface ProvinceClient {
  /** `json`: the message already written as JSON (the outbox keeps it so). */
  post(path: string, json: string, idempotencyKey?: string): Promise<void>;
  list(path: string): Promise<unknown>;
  /** When the current token was had, null before the first login or after one was refused. */
  loggedInAt(): Date | null;
  /** Closes the kept-alive connections. */
  close(): void;
}

/** An answer read whole. */
interface Answer {
  status: number;
  ok: boolean;
  text: string;
}
interface Ask {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

/**
 * One request over a kept-alive connection (node:http: several times the requests a second of fetch on
 * this hardware, which the drain of a long outage's backlog needs: docs/province.md).
 */
function send(agent: http.Agent, target: URL, ask: Ask, timeoutMs: number): Promise<Answer> {
  const lib = target.protocol === 'https:' ? https : http;
  const headers = ask.body
    ? { ...ask.headers, 'content-length': String(Buffer.byteLength(ask.body)) }
    : ask.headers;
  return new Promise((resolve, reject) => {
    const req = lib.request(target, { method: ask.method, headers, agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        resolve({ status, ok: status >= 200 && status < 300, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })));
    req.on('error', reject);
    req.end(ask.body);
  });
}

export function createProvinceClient(settings: ProvinceSettings, clock: Clock): ProvinceClient {
  let token: { value: string; expiresAt: number; at: Date } | null = null;
  let pending: Promise<string> | null = null;
  const timeoutMs = settings.timeoutSeconds * 1000;
  const url = (p: string) => new URL(p, settings.baseUrl);
  const isHttps = settings.baseUrl.startsWith('https:');
  const agent = new (isHttps ? https : http).Agent({ keepAlive: true, maxSockets: settings.concurrency + 4 });

  async function request(path: string, ask: Ask): Promise<Answer> {
    try {
      return await send(agent, url(path), ask, timeoutMs);
    } catch (e) {
      const timedOut = (e as Error).name === 'TimeoutError';
      throw new ProvinceFailure(
        'outage',
        `${path}: ${timedOut ? `no answer in ${settings.timeoutSeconds} s` : 'no connection'}`,
        `${path}: ${timedOut ? `không trả lời sau ${settings.timeoutSeconds} giây` : 'không kết nối được'}`,
      );
    }
  }

  async function login(): Promise<string> {
    const res = await request(settings.paths.login, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: settings.username, password: settings.password }),
    });
    let body: Record<string, unknown> | null = null;
    try {
      body = JSON.parse(res.text) as Record<string, unknown>;
    } catch {}
    const value = body?.token ?? body?.Token ?? body?.access_token;
    if (!res.ok || typeof value !== 'string' || !value) {
      token = null;
      const why = res.ok ? 'the answer has no token' : `it answered ${res.status}`;
      const whyVi = res.ok ? 'câu trả lời không có token' : `máy chủ trả lời ${res.status}`;
      throw new ProvinceFailure('outage', `login refused: ${why}`, `đăng nhập không thành công: ${whyVi}`);
    }
    const seconds = Number(body?.expiresIn ?? body?.expires_in ?? body?.ThoiHan);
    const now = clock.now();
    token = {
      value,
      at: now,
      expiresAt: now.getTime() + (seconds > 0 ? seconds * 1000 : DEFAULT_TOKEN_MS),
    };
    return value;
  }

  /** The token, logging in (once for every caller waiting) when there is none or it is about to expire. */
  function currentToken(): Promise<string> {
    if (token && token.expiresAt - clock.now().getTime() > RENEW_BEFORE_MS)
      return Promise.resolve(token.value);
    pending ??= login().finally(() => {
      pending = null;
    });
    return pending;
  }

  async function authed(path: string, ask: Ask): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const t = await currentToken();
      const res = await request(path, { ...ask, headers: { ...ask.headers, authorization: `Bearer ${t}` } });
      // a token the province dropped before its time: log in again, once
      if (res.status !== 401 || attempt > 0) return res;
      if (token?.value === t) token = null;
    }
  }

  function failureOf(path: string, res: Answer): ProvinceFailure {
    const said = res.text.slice(0, 200).replace(/\s+/g, ' ');
    const outage = res.status >= 500 || res.status === 429 || res.status === 401 || res.status === 408;
    return new ProvinceFailure(
      outage ? 'outage' : 'refused',
      `${path}: the province answered ${res.status}${said ? ` (${said})` : ''}`,
      `${path}: hệ thống của tỉnh trả lời ${res.status}${said ? ` (${said})` : ''}`,
      res.status,
    );
  }

  return {
    async post(path, json, idempotencyKey) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
      const res = await authed(path, { method: 'POST', headers, body: json });
      if (!res.ok) throw failureOf(path, res);
    },
    async list(path) {
      const res = await authed(path, { method: 'GET', headers: { accept: 'application/json' } });
      if (!res.ok) throw failureOf(path, res);
      try {
        return JSON.parse(res.text) as unknown;
      } catch {
        throw new ProvinceFailure(
          'outage',
          `${path}: the answer is not JSON`,
          `${path}: câu trả lời không phải JSON`,
        );
      }
    },
    loggedInAt: () => token?.at ?? null,
    close: () => agent.destroy(),
  };
}
