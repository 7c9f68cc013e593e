// The OpenAPI document declares how callers authenticate, and every operation it does not mark public
// answers 401 with a reason to a caller with no credentials, a forged token, an expired one or a forged session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../../controller/users/auth.ts';
import { makeController, type TestController } from '../../support/controller.ts';

type Operation = { security?: object[]; requestBody?: { content: Record<string, unknown> } };
type Doc = {
  components: { securitySchemes: Record<string, Record<string, string>> };
  security: Record<string, string[]>[];
  paths: Record<string, Record<string, Operation>>;
};

/**
 * Public by design: health and metrics, signing in, a station's enrolment, this document, and the stream
 * server's listener check (Icecast calls it with a token of its own: a wrong one is 403; see stream/).
 */
const PUBLIC = [
  'get /healthz',
  'get /metrics',
  'post /api/auth/token',
  'post /api/auth/session',
  'post /api/enrol',
  'get /api/openapi.json',
  'post /api/stream/listener',
];

let t = Date.parse('2026-10-05T08:00:00Z');
const clock = { now: () => new Date(t) };
let ctl: TestController;
let doc: Doc;
let expired: string;

beforeAll(async () => {
  ctl = await makeController(clock, { API_RATE_PER_SEC: '100000' });
  doc = (await (await ctl.app.request('/api/openapi.json')).json()) as Doc;
  expired = (await ctl.loginAs('admin', 'test-admin-pw')).token as string;
  t += ctl.config.tokenTtlMs + 60_000; // every token issued so far is now past its lifetime
});
afterAll(() => ctl.cleanup());

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method, path, op, key: `${method} ${path}` })),
  );

/** A plausible request for the operation: ids in the path, a minimal body of the documented kind. */
function request(method: string, path: string, op: Operation, headers: Record<string, string>) {
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'id' ? 'st-a' : `${name}-1`));
  const content = op.requestBody?.content ?? {};
  let body: FormData | string | undefined;
  if ('multipart/form-data' in content) {
    body = new FormData();
    body.set('file', new File([new Uint8Array(64)], 'a.mp3'));
  } else if ('application/json' in content) {
    body = '{}';
    headers['content-type'] = 'application/json';
  }
  return ctl.app.request(url, { method: method.toUpperCase(), headers, body });
}

describe('the document declares its security', () => {
  it('bearer tokens and the console session (with its CSRF header for changes), both applied by default', () => {
    expect(doc.components.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
      session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
      csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
    });
    expect(doc.security).toEqual([{ bearer: [] }, { session: [] }]);
    const changes = operations().filter((o) => o.method !== 'get' && !PUBLIC.includes(o.key));
    for (const { op } of changes) expect(op.security).toEqual([{ bearer: [] }, { session: [], csrf: [] }]);
  });

  it('exactly the operations public by design carry security: [], and answer without credentials', async () => {
    const open = operations().filter((o) => Array.isArray(o.op.security) && o.op.security.length === 0);
    expect(open.map((o) => o.key).sort()).toEqual([...PUBLIC].sort());
    for (const { method, path, op } of open) {
      expect((await request(method, path, op, {})).status, `${method} ${path}`).not.toBe(401);
    }
  });
});

describe('every other operation refuses a caller who is not signed in', () => {
  const callers: [string, () => Record<string, string>][] = [
    ['no credentials', () => ({})],
    ['a forged bearer token', () => ({ authorization: 'Bearer ut_forged-but-well-formed-0000000000000000' })],
    ['a station secret that was never issued', () => ({ authorization: 'Bearer st_forged-station-secret' })],
    ['an expired bearer token', () => ({ authorization: `Bearer ${expired}` })],
    ['a forged session cookie', () => ({ cookie: `${SESSION_COOKIE}=us_forged-session-000000000000` })],
    [
      'a forged session cookie with a CSRF token',
      () => ({ cookie: `${SESSION_COOKIE}=us_forged-session-000000000000`, 'x-csrf-token': 'csrf_forged' }),
    ],
  ];
  it.each(callers)('%s: 401 with a reason, on every operation', async (_, headers) => {
    const guarded = operations().filter((o) => !PUBLIC.includes(o.key));
    expect(guarded.length).toBeGreaterThan(40);
    for (const { method, path, op } of guarded) {
      const res = await request(method, path, op, headers());
      const body = (await res.json()) as { error?: string; message?: string };
      expect([res.status, body.error], `${method} ${path}`).toEqual([401, 'unauthorized']);
      expect(body.message).toMatch(/sign in/);
    }
  });
});
