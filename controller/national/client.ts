// One province's API as the national level uses it: a login per account (the sender, the reviewer) renewed
// when it expires or the province answers 401, JSON requests and clip uploads. Every failure is a
// ProvinceFailure (the provincial link's): `outage` to try again later, `refused` with the province's reason
// in both languages (its `message` and `messageVi`).
import { readFile } from 'node:fs/promises';
import type { Clock } from '../../common/clock.ts';
import { ProvinceFailure } from '../province/client.ts';
import type { ProvinceEntry } from './settings.ts';

export type Account = 'sender' | 'reviewer';

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: a province's JSON, read by the step that asked
  body: any;
}

export interface NationalClient {
  call(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    o?: { body?: unknown; key?: string; as?: Account },
  ): Promise<Answer>;
  upload(file: string, title: string, key: string): Promise<Answer>;
}

const TOKEN_MS = 10 * 60_000;

export function createNationalClient(p: ProvinceEntry, clock: Clock, timeoutSeconds: number): NationalClient {
  const tokens = new Map<Account, { value: string; until: number }>();
  const url = (path: string) => new URL(path, p.baseUrl).toString();

  async function request(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url(path), { ...init, signal: AbortSignal.timeout(timeoutSeconds * 1000) });
    } catch (e) {
      const timedOut = (e as Error).name === 'TimeoutError';
      throw new ProvinceFailure(
        'outage',
        `${p.name}: ${timedOut ? `no answer in ${timeoutSeconds} s` : 'no connection'}`,
        `${p.name}: ${timedOut ? `không trả lời sau ${timeoutSeconds} giây` : 'không kết nối được'}`,
      );
    }
  }

  async function token(as: Account): Promise<string> {
    const had = tokens.get(as);
    if (had && had.until > clock.now().getTime()) return had.value;
    const login = as === 'reviewer' ? p.reviewer : p.sender;
    if (!login)
      throw new ProvinceFailure(
        'refused',
        `${p.name}: no reviewer login is set for this province (PROVINCES_FILE), so a recording cannot be approved there`,
        `${p.name}: chưa khai báo tài khoản duyệt của tỉnh (PROVINCES_FILE) nên không duyệt được bản ghi âm.`,
      );
    const res = await request('/api/auth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(login),
    });
    const body = (await res.json().catch(() => null)) as { token?: string } | null;
    if (!res.ok || !body?.token)
      throw new ProvinceFailure(
        'outage',
        `${p.name}: login as ${login.username} refused (${res.status})`,
        `${p.name}: đăng nhập bằng tài khoản ${login.username} không thành công (${res.status})`,
      );
    tokens.set(as, { value: body.token, until: clock.now().getTime() + TOKEN_MS });
    return body.token;
  }

  async function authed(path: string, init: RequestInit, as: Account): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const t = await token(as);
      const res = await request(path, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${t}` },
      });
      if (res.status === 401 && attempt === 0) {
        tokens.delete(as);
        continue;
      }
      const text = await res.text();
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {}
      if (res.ok) return { status: res.status, body };
      throw failureOf(path, res.status, body, text);
    }
  }

  function failureOf(path: string, status: number, body: unknown, text: string): ProvinceFailure {
    const b = (body ?? {}) as { message?: string; messageVi?: string };
    const outage = status >= 500 || status === 429 || status === 401 || status === 408;
    const said = (b.message ?? text).slice(0, 300);
    return new ProvinceFailure(
      outage ? 'outage' : 'refused',
      `${p.name} answered ${status} to ${path}${said ? `: ${said}` : ''}`,
      `${p.name} trả lời ${status}${b.messageVi || said ? `: ${b.messageVi ?? said}` : ''}`,
      status,
    );
  }

  return {
    call: (method, path, o = {}) => {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (o.body !== undefined) headers['content-type'] = 'application/json';
      if (o.key) headers['idempotency-key'] = o.key;
      const body = o.body === undefined ? undefined : JSON.stringify(o.body);
      return authed(path, { method, headers, body }, o.as ?? 'sender');
    },
    async upload(file, title, key) {
      const form = new FormData();
      form.set('title', title);
      form.set('file', new Blob([await readFile(file)]), 'clip');
      return authed(
        '/api/clips?wait=true',
        { method: 'POST', body: form, headers: { 'idempotency-key': key } },
        'sender',
      );
    },
  };
}
