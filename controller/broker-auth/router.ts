// Several provinces on one cluster: RabbitMQ has one auth URL, so one process answers for the cluster by
// forwarding each check to the controller of the province in the username (`<id>@<province>`).
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Clock } from '../../common/clock.ts';
import { errorMessage, type Logger } from '../../common/log.ts';
import { type Answer, type AuthPath, cacheKey, createAnswerCache } from './cache.ts';
import { type BrokerAuthMetrics, noBrokerAuthMetrics } from './metrics.ts';
import { type AuthParams, type BrokerAuth, clip, malformed, normalParams } from './province.ts';
import { type AccessCheck, identityOf, mayAccess, type ProvinceRules, provinceOfUsername } from './rules.ts';
import type { ProvinceRoute } from './settings.ts';

export interface BrokerAuthRouterDeps {
  provinces: readonly ProvinceRoute[];
  clock: Clock;
  log: Logger;
  /** How long an answer is kept here (on top of the province's own cache). */
  cacheMs: number;
  cacheMax?: number;
  /** A province that has not answered by then is taken as `deny` (default 2 s). */
  timeoutMs?: number;
  metrics?: BrokerAuthMetrics;
}

export function createBrokerAuthRouter(deps: BrokerAuthRouterDeps): BrokerAuth {
  const { log } = deps;
  const timeoutMs = deps.timeoutMs ?? 2000;
  const metrics = deps.metrics ?? noBrokerAuthMetrics;
  const cache = createAnswerCache(deps.clock, deps.cacheMs, deps.cacheMax);
  // each province's route with its rules, made once: a router answers thousands of checks a second
  const routes = deps.provinces.map((route) => ({ route, rules: routeRules(route) }));
  const byProvince = new Map(routes.map((r) => [r.route.province, r]));
  const v1 = routes.find((r) => r.route.v1) ?? null;

  const forward = async (route: ProvinceRoute, path: string, p: AuthParams): Promise<Answer | null> => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(p)) if (v !== undefined) body.set(k, v);
    try {
      const res = await postForm(`${route.url}/${path}`, body.toString(), timeoutMs);
      metrics.upstream(route.province, seconds(), 'answer');
      if (res.status !== 200) {
        log.warn(`broker-auth: province ${route.province} answered ${res.status} to a ${path} check; denied`);
        return null;
      }
      // only the two words: a tag (`allow administrator`) or anything else is a refusal
      return res.text.trim().toLowerCase() === 'allow' ? 'allow' : 'deny';
    } catch (e) {
      const timedOut = e instanceof TimeoutError;
      metrics.upstream(route.province, seconds(), timedOut ? 'timeout' : 'error');
      log.warn(
        `broker-auth: province ${route.province} ${timedOut ? `did not answer within ${timeoutMs} ms` : `unreachable (${errorMessage(e)})`}; ${path} check denied`,
      );
      return null;
    }
  };

  return {
    async check(path, raw) {
      const p = normalParams(raw);
      const why = malformed(path, p);
      const province = why ? null : provinceOfUsername(p.username as string);
      const to = why ? null : province === null ? v1 : (byProvince.get(province) ?? null);
      if (!to) {
        log.warn(
          `broker-auth: ${path} check for '${clip(p.username)}' refused: ${why ?? (province === null ? 'no province answers for v1 names' : `no province '${clip(province)}'`)}`,
        );
        metrics.checked(path, 'deny', false);
        return 'deny';
      }
      const local = byRules(to.rules, path, p);
      if (local) {
        metrics.checked(path, local, false);
        return local;
      }
      const key = cacheKey(path, p);
      const hit = cache.get(key);
      if (hit) {
        metrics.checked(path, hit, true);
        return hit;
      }
      const answer = await forward(to.route, path, p);
      // a province that did not answer is not remembered: the next check asks again
      if (answer) cache.set(key, answer);
      metrics.checked(path, answer ?? 'deny', false);
      return answer ?? 'deny';
    },
    forget() {
      // a router holds no secrets: a revocation reaches it only through its cache's lifetime
    },
  };
}

/**
 * A v2 station's check that the rules decide without its province's data, answered here: the vhost, its
 * queues and the exchange, its own topics and the roll call; about three in four of the checks of a
 * connect. null: only the province can answer (a login, a bulletin filter of an area chain, anyone else).
 * Whether the station may connect at all was its province's answer to its login, just before.
 */
function byRules(rules: ProvinceRules, path: AuthPath, p: AuthParams): Answer | null {
  if (path === 'user' || provinceOfUsername(p.username as string) !== rules.province) return null;
  const who = identityOf(p.username as string, rules);
  if (who?.kind !== 'station') return null;
  let needsProvince = false;
  const allowed = mayAccess(who, rules, { ...p, path } as AccessCheck, () => {
    needsProvince = true;
    return undefined;
  });
  return allowed ? 'allow' : needsProvince ? null : 'deny';
}

/** The rules a province's controller applies, as its route in the router's file describes it. */
const routeRules = (route: ProvinceRoute): ProvinceRules => ({
  province: route.province,
  protocols: route.v1 ? ['v1', 'v2'] : ['v2'],
  controllerUsername: `controller@${route.province}`,
});

class TimeoutError extends Error {}

// Keep-alive connections to the provinces' controllers: a check is a few hundred bytes, a new TCP
// connection each would cost more than the answer (undici's fetch, measured, too).
const agents = { 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) };

/** POSTs a form; its status and text, or a TimeoutError after `timeoutMs`. */
function postForm(url: string, form: string, timeoutMs: number): Promise<{ status: number; text: string }> {
  const u = new URL(url);
  const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      u,
      {
        method: 'POST',
        agent: agents[u.protocol as 'http:' | 'https:'],
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(form),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          if (text.length < 1024) text += d;
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text });
        });
        res.on('error', reject);
      },
    );
    const timer = setTimeout(() => req.destroy(new TimeoutError('timeout')), timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end(form);
  });
}
