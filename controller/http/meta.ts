// The routes about the controller itself: health, Prometheus metrics and the OpenAPI document. Outside
// /api (no rate limit, for probes and scrapers), but in the document, marked public.
import type { Db } from '../db.ts';
import type { ControllerDeps } from '../deps.ts';
import type { LoadMetrics } from '../mqtt/load.ts';
import { openApiDocument } from './openapi.ts';
import { type AnyRoute, defineRoute } from './route.ts';

export const API_VERSION = '0.1.0';

export interface AppExtras {
  /** Whether the controller's MQTT link is up, for /healthz. */
  mqttConnected(): boolean;
  /** The load figures (broker, ingest, desired state, process), when the composition root made them. */
  metrics?: LoadMetrics;
}

function dbOk(db: Db): boolean {
  try {
    db.prepare('SELECT 1').get();
    return true;
  } catch {
    return false;
  }
}

function metrics(db: Db, now: Date): string {
  const one = (sql: string, ...args: string[]) => (db.prepare(sql).get(...args) as { n: number }).n;
  const at = now.toISOString();
  const lines = [
    '# HELP loa_stations Registered stations.',
    '# TYPE loa_stations gauge',
    `loa_stations ${one('SELECT COUNT(*) AS n FROM stations')}`,
    '# HELP loa_stations_online Stations whose last presence message said online.',
    '# TYPE loa_stations_online gauge',
    `loa_stations_online ${one('SELECT COUNT(*) AS n FROM stations WHERE online = 1')}`,
    '# HELP loa_clips Stored clips.',
    '# TYPE loa_clips gauge',
    `loa_clips ${one('SELECT COUNT(*) AS n FROM clips')}`,
    '# HELP loa_alerts_active Bulletins neither cancelled nor expired.',
    '# TYPE loa_alerts_active gauge',
    `loa_alerts_active ${one('SELECT COUNT(*) AS n FROM alerts WHERE cancelled_at IS NULL AND expires_at > ?', at)}`,
    '# HELP loa_overrides_active Local overrides reported by stations, not ended and not cancelled.',
    '# TYPE loa_overrides_active gauge',
    `loa_overrides_active ${one('SELECT COUNT(*) AS n FROM overrides WHERE cancelled_at IS NULL AND ends_at > ?', at)}`,
    '# HELP loa_plays_total As-run records received, by outcome.',
    '# TYPE loa_plays_total counter',
  ];
  // kept with the day summaries (plays/rollup.ts): never lowered when old rows are archived
  const byOutcome = db.prepare('SELECT outcome, records AS n FROM plays_totals ORDER BY outcome').all() as {
    outcome: string;
    n: number;
  }[];
  for (const r of byOutcome) lines.push(`loa_plays_total{outcome="${r.outcome}"} ${r.n}`);
  return `${lines.join('\n')}\n`;
}

/** `documented`: the whole route table, these included, for the OpenAPI document. */
export function metaRoutes(
  deps: ControllerDeps,
  extras: AppExtras,
  documented: () => AnyRoute[],
): AnyRoute[] {
  const { db, clock } = deps;
  return [
    defineRoute({
      method: 'get',
      path: '/healthz',
      tag: 'meta',
      summary: 'Health: the database and the MQTT link; 503 with the failing check when degraded',
      access: 'public',
      responses: { 503: 'degraded' },
      handle: ({ c }) => {
        const checks = { database: dbOk(db), mqtt: extras.mqttConnected() };
        const ok = Object.values(checks).every(Boolean);
        return c.json({ status: ok ? 'ok' : 'degraded', checks }, ok ? 200 : 503);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/metrics',
      tag: 'meta',
      summary:
        'Prometheus metrics (text): stations, stations online, clips, bulletins, overrides, plays; stations connected, ingest rate and lag, desired-state publish latency, event-loop lag and process memory',
      access: 'public',
      handle: async ({ c }) => {
        const load = extras.metrics ? await extras.metrics.registry.metrics() : '';
        return c.text(`${metrics(db, clock.now())}${load}`, 200, {
          'content-type': 'text/plain; version=0.0.4',
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/openapi.json',
      tag: 'meta',
      summary: 'This document',
      access: 'public',
      handle: () => ({ json: openApiDocument(documented(), API_VERSION) }),
    }),
  ];
}
