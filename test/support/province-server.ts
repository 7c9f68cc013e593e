// A fake of the province's information-source system (hệ thống thông tin nguồn), written from the fields of
// issue 16 (docs/province.md): a login whose token expires, the status ping, the broadcast log (kept once per
// Idempotency-Key, a repeat counted), the bulletins and schedules it offers, and the audio they name.
// Switches: an outage (500s, or no answer), tokens dropped, an answer lost after the log was kept.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const PROVINCE_PATHS = {
  login: '/api/auth/login',
  status: '/api/thiet-bi/trang-thai',
  log: '/api/ban-tin/nhat-ky',
  bulletins: '/api/ban-tin',
  schedules: '/api/lich-phat',
};

export interface ProvinceServerState {
  username: string;
  password: string;
  /** Lifetime the login answers (s). */
  tokenTtlSec: number;
  /** `500`: every request answers 500; `timeout`: none is answered; `lose-answer`: a log is kept, then 500. */
  outage: null | '500' | 'timeout' | 'lose-answer';
  /** Offered on GET: raw items, as a province would send them (possibly wrong). */
  bulletins: unknown[];
  schedules: unknown[];
  /** The list answers as they are sent (replace to send something that is not a list). */
  listBody?: (items: unknown[]) => unknown;
  audio: Map<string, Buffer>;
  /** Kept broadcast logs by key, in the order they came. */
  logs: Map<string, unknown>;
  /** Logs that came again with a key already kept (answered 200, not kept twice). */
  repeats: number;
  statuses: unknown[];
  logins: number;
  /** Requests refused for a missing, unknown or expired token. */
  unauthorised: number;
  /** Every request: method and path. */
  requests: string[];
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

export async function startProvinceServer(opts: { now?: () => number; record?: boolean } = {}) {
  const now = opts.now ?? Date.now;
  const tokens = new Map<string, number>();
  const held = new Set<ServerResponse>();
  const state: ProvinceServerState = {
    username: 'loa-phuong',
    password: 'mat-khau-tinh',
    tokenTtlSec: 3600,
    outage: null,
    bulletins: [],
    schedules: [],
    audio: new Map(),
    logs: new Map(),
    repeats: 0,
    statuses: [],
    logins: 0,
    unauthorised: 0,
    requests: [],
  };
  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    if (opts.record !== false) state.requests.push(`${req.method} ${path}`);
    const body = await readBody(req);
    if (path.startsWith('/audio/')) {
      const bytes = state.audio.get(path.slice(7));
      if (!bytes) return res.writeHead(404).end();
      return res.writeHead(200, { 'content-type': 'audio/wav' }).end(bytes);
    }
    if (state.outage === 'timeout') {
      held.add(res);
      return;
    }
    if (state.outage === '500') return json(res, 500, { message: 'Lỗi máy chủ' });
    if (req.method === 'POST' && path === PROVINCE_PATHS.login) {
      const b = JSON.parse(body || '{}') as { username?: string; password?: string };
      if (b.username !== state.username || b.password !== state.password)
        return json(res, 401, { message: 'Sai tên đăng nhập hoặc mật khẩu' });
      state.logins++;
      const token = randomBytes(12).toString('hex');
      tokens.set(token, now() + state.tokenTtlSec * 1000);
      return json(res, 200, { token, expiresIn: state.tokenTtlSec });
    }
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const until = tokens.get(token);
    if (!until || until <= now()) {
      state.unauthorised++;
      return json(res, 401, { message: 'Token hết hạn' });
    }
    if (req.method === 'GET' && (path === PROVINCE_PATHS.bulletins || path === PROVINCE_PATHS.schedules)) {
      const items = path === PROVINCE_PATHS.bulletins ? state.bulletins : state.schedules;
      return json(res, 200, state.listBody ? state.listBody(items) : { Data: items });
    }
    if (req.method === 'POST' && (path === PROVINCE_PATHS.status || path === PROVINCE_PATHS.log)) {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return json(res, 400, { message: 'JSON không hợp lệ' });
      }
      const missing = ['NguonID', 'CumLoaID'].filter((f) => parsed[f] === undefined);
      if (missing.length) return json(res, 400, { message: `Thiếu trường ${missing.join(', ')}` });
      if (path === PROVINCE_PATHS.status) {
        state.statuses.push(parsed);
        return json(res, 200, { ok: true });
      }
      const key = req.headers['idempotency-key'];
      if (typeof key !== 'string') return json(res, 400, { message: 'Thiếu Idempotency-Key' });
      if (state.logs.has(key)) state.repeats++;
      else state.logs.set(key, parsed);
      if (state.outage === 'lose-answer') return json(res, 500, { message: 'Lỗi máy chủ' });
      return json(res, 200, { ok: true });
    }
    return json(res, 404, { message: 'Không tìm thấy' });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    state,
    /** Every token stops working at once (the province restarted, or rotated its keys). */
    dropTokens: () => tokens.clear(),
    /** Answers the requests held by a `timeout` outage with a 500. */
    release() {
      for (const r of held) if (!r.writableEnded) json(r, 500, { message: 'Lỗi máy chủ' });
      held.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of held) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type ProvinceServer = Awaited<ReturnType<typeof startProvinceServer>>;

type Counts = { logs: number; repeats: number; statuses: number; logins: number };
/** The server in a child process of its own (a core for the province in benchmarks): its URL, its switches over IPC. */
export async function forkProvinceServer() {
  const child = fork(import.meta.filename, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve) =>
    child.once('message', (m: { url: string }) => resolve(m.url)),
  );
  const ask = (m: object) =>
    new Promise<Counts>((resolve) => {
      child.once('message', (r: Counts) => resolve(r));
      child.send(m);
    });
  return { url, ask, pid: child.pid, stop: () => child.kill() };
}

/**
 * Run as a program (`node --import tsx test/support/province-server.ts`, forked by the benchmark so the
 * province has a core of its own): sends `{url}` once listening, then answers `stats` with its counts and
 * takes `{outage}` and `{tokenTtlSec}` switches over IPC.
 */
if (process.send && process.argv[1] && import.meta.filename === process.argv[1]) {
  const p = await startProvinceServer({ record: false });
  process.on(
    'message',
    (m: {
      op: string;
      outage?: ProvinceServerState['outage'];
      name?: string;
      bytes?: string;
      items?: unknown[];
    }) => {
      if (m.op === 'outage') p.state.outage = m.outage ?? null;
      if (m.op === 'reset') {
        p.state.logs.clear();
        p.state.repeats = 0;
        p.state.statuses = [];
      }
      if (m.op === 'audio' && m.name && m.bytes) p.state.audio.set(m.name, Buffer.from(m.bytes, 'base64'));
      if (m.op === 'bulletins') p.state.bulletins = m.items ?? [];
      process.send?.({
        op: m.op,
        logs: p.state.logs.size,
        repeats: p.state.repeats,
        statuses: p.state.statuses.length,
        logins: p.state.logins,
      });
    },
  );
  process.send({ url: p.url });
}
