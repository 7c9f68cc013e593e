// Serves the local app on agentPort (HTTP) and, unless agentHttpsPort is 0, on agentHttpsPort (HTTPS) with
// the station's certificate. A port that cannot be opened is logged: the station keeps playing without it.
// The ports are open from the start; the app (Hono, @hono/node-server, the page) may be given as a loader,
// called at the first request: an idle station does not hold the page in memory (about 10 MB on a Pi Zero).
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ServerType } from '@hono/node-server';
import type { Clock } from '../../common/clock.ts';
import { errorMessage, type Logger } from '../../common/log.ts';
import type { AgentConfig } from '../config/config.ts';
import { type StationTls, stationTls } from './tls.ts';

export interface LocalServers {
  http: ServerType | null;
  https: ServerType | null;
  httpPort: number | null;
  httpsPort: number | null;
  tls: StationTls | null;
  close(): Promise<void>;
}

function listen(
  server: ServerType,
  what: string,
  log: Logger,
): Promise<{ server: ServerType; port: number } | null> {
  return new Promise((resolve) => {
    const fail = (err: Error) => {
      log.error(`local page: cannot serve ${what}: ${err.message}`);
      resolve(null);
    };
    server.once('error', fail);
    server.once('listening', () => {
      server.off('error', fail);
      server.on('error', (err) => log.error(`local page ${what}: ${err.message}`));
      resolve({ server, port: (server.address() as AddressInfo).port });
    });
  });
}

type Fetch = (request: Request, env: object) => Response | Promise<Response>;
type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** The app's request listener, made at the first request when the app is given as a loader. */
function lazyListener(app: { fetch: Fetch } | (() => Promise<{ fetch: Fetch }>), log: Logger): Listener {
  let made: Promise<Listener> | null = null;
  const make = async (): Promise<Listener> => {
    const [{ getRequestListener }, loaded] = await Promise.all([
      import('@hono/node-server'),
      typeof app === 'function' ? app() : app,
    ]);
    return getRequestListener(loaded.fetch) as Listener;
  };
  return (req, res) => {
    made ??= make();
    made.then(
      (listener) => listener(req, res),
      (err: unknown) => {
        made = null;
        log.error(`local page: cannot load (${errorMessage(err)})`);
        res.writeHead(503).end();
      },
    );
  };
}

export async function serveLocal(o: {
  /** The app, or what makes it at the first request. */
  app: { fetch: Fetch } | (() => Promise<{ fetch: Fetch }>);
  config: AgentConfig;
  clock: Clock;
  log: Logger;
  /** Ports to use instead of the config's (tests pass 0 for any free port). */
  ports?: { http: number; https: number | null };
}): Promise<LocalServers> {
  const { app, config, log } = o;
  const host = config.agentHost;
  const httpPort = o.ports?.http ?? config.agentPort;
  const httpsPort = o.ports ? o.ports.https : config.agentHttpsPort || null;
  const listener = lazyListener(app, log);
  const http = await listen(createHttpServer(listener).listen(httpPort, host), 'HTTP', log);
  if (http) log.info(`local page on http://${host}:${http.port}/ (status: /api/status)`);

  let tls: StationTls | null = null;
  let https: { server: ServerType; port: number } | null = null;
  if (httpsPort !== null) {
    tls = await stationTls({
      stationId: config.stationId,
      dataDir: config.dataDir,
      tlsCertFile: config.tlsCertFile,
      tlsKeyFile: config.tlsKeyFile,
      clock: o.clock,
      log,
    }).catch((err: unknown) => {
      log.error(`local page: no HTTPS (${errorMessage(err)}); the microphone needs it on phones`);
      return null;
    });
    if (tls) {
      const server = createHttpsServer({ cert: tls.cert, key: tls.key }, listener).listen(httpsPort, host);
      https = await listen(server, 'HTTPS', log);
      if (https)
        log.info(`local page on https://${host}:${https.port}/ (certificate sha256 ${tls.fingerprint256})`);
    }
  }

  const closeOne = (s: ServerType | undefined) =>
    new Promise<void>((resolve) => {
      if (!s?.listening) return resolve();
      s.close(() => resolve());
      (s as { closeAllConnections?: () => void }).closeAllConnections?.();
    });
  return {
    http: http?.server ?? null,
    https: https?.server ?? null,
    httpPort: http?.port ?? null,
    httpsPort: https?.port ?? null,
    tls,
    close: async () => {
      await Promise.all([closeOne(http?.server), closeOne(https?.server)]);
    },
  };
}
