// The demo's HTTP client for the controller it started: JSON calls with a bearer token, and the wait
// for its health check.

export interface DemoApi {
  url: string;
  call(method: string, path: string, token: string | null, body?: unknown): Promise<Response>;
  /** The answer's JSON; throws naming `what` when the call failed. */
  // biome-ignore lint/suspicious/noExplicitAny: the demo reads the API's JSON answers loosely
  must(res: Promise<Response>, what: string): Promise<any>;
  waitForHealth(): Promise<void>;
}

/** `fetcher`: how requests go out (a test passes its in-process controller's). */
export function demoApi(url: string, fetcher: typeof fetch = fetch): DemoApi {
  return {
    url,
    call(method, path, token, body) {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined && !(body instanceof FormData)) headers['content-type'] = 'application/json';
      const payload = body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body);
      return fetcher(`${url}${path}`, { method, headers, body: payload });
    },
    async must(res, what) {
      const r = await res;
      if (!r.ok) throw new Error(`${what}: HTTP ${r.status} ${await r.text()}`);
      return r.status === 204 ? null : r.json();
    },
    async waitForHealth() {
      for (let i = 0; i < 120; i++) {
        const ok = await fetch(`${url}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new Error('controller did not become healthy in 60 s');
    },
  };
}
