// Where a mobile loudspeaker is: a small interface over the GPS, with gpsd's JSON stream on a Pi (see
// firmware-notes/mobile-position.md) and a fixed position for a unit parked by hand. Tests pass a fake.
import { createConnection, type Socket } from 'node:net';
import type { Logger } from '../../common/log.ts';

export interface PositionFix {
  lat: number;
  lon: number;
  /** Horizontal accuracy in metres, when the receiver tells it. */
  accuracyM: number | null;
  at: Date;
}

export interface PositionSource {
  /** The latest fix, or null while there is none (no satellites yet, no receiver). */
  current(): PositionFix | null;
  close(): void;
}

/** A unit whose position is set in its config (parked for an event, no receiver). */
export const fixedPosition = (lat: number, lon: number, now: () => Date): PositionSource => ({
  current: () => ({ lat, lon, accuracyM: null, at: now() }),
  close: () => {},
});

/** gpsd's TPV report (https://gpsd.io/gpsd_json.html): mode 2 or 3 is a fix; eph is the horizontal error. */
interface Tpv {
  class: 'TPV';
  mode?: number;
  lat?: number;
  lon?: number;
  eph?: number;
  time?: string;
}

/**
 * gpsd on host:port (2947): `?WATCH={"enable":true,"json":true}` and its TPV reports. Reconnects every
 * `retryMs` while gpsd is away; the last fix stays until a newer one, and the controller judges its age.
 */
export function gpsdPosition(o: {
  host: string;
  port: number;
  log: Logger;
  retryMs?: number;
}): PositionSource {
  let fix: PositionFix | null = null;
  let socket: Socket | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  let buffered = '';

  const line = (text: string) => {
    let m: Tpv;
    try {
      m = JSON.parse(text) as Tpv;
    } catch {
      return;
    }
    if (m.class !== 'TPV' || (m.mode ?? 0) < 2 || m.lat === undefined || m.lon === undefined) return;
    fix = {
      lat: m.lat,
      lon: m.lon,
      accuracyM: m.eph ?? null,
      at: m.time && !Number.isNaN(Date.parse(m.time)) ? new Date(m.time) : new Date(),
    };
  };

  const connect = () => {
    if (closed) return;
    socket = createConnection(o.port, o.host, () => {
      socket?.write('?WATCH={"enable":true,"json":true};\n');
    });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const l of lines) line(l);
    });
    socket.on('error', (e) => o.log.warn(`position: gpsd at ${o.host}:${o.port}: ${e.message}`));
    socket.on('close', () => {
      socket = null;
      buffered = '';
      if (!closed) retry = setTimeout(connect, o.retryMs ?? 10_000);
    });
  };
  connect();

  return {
    current: () => fix,
    close: () => {
      closed = true;
      if (retry) clearTimeout(retry);
      socket?.destroy();
    },
  };
}
