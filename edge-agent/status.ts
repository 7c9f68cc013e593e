// The agent's public, read-only status: GET /api/status and GET /healthz (also on the local page's servers).
import { type Env, Hono } from 'hono';
import type { TimetableEntry } from '../schedules/model.ts';
import type { RelayLineState } from './relay.ts';

export interface AgentStatus {
  station: string;
  stationName: string | null;
  /** On while any relay line is on. */
  relay: { on: boolean };
  relays: RelayLineState[];
  /** True when no real pin is driven (gpio=sim, or onoff could not reach the pins). */
  relaySimulated: boolean;
  /** The entry on air (its id), or null. */
  playing: string | null;
  next: TimetableEntry[];
  desiredVersion: number;
  clockTrusted: boolean;
  clockOffsetMs: number | null;
  /** Whether the MQTT link to the controller is up. */
  online: boolean;
  outboxLength: number;
}

export function mountStatus<E extends Env>(app: Hono<E>, deps: { status(): AgentStatus }): void {
  app.get('/api/status', (c) => c.json(deps.status()));
  app.get('/healthz', (c) => c.text('ok'));
}

export function createStatusApp(deps: { status(): AgentStatus }): Hono {
  const app = new Hono();
  mountStatus(app, deps);
  return app;
}
