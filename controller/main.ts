// Controller entry point: config from the environment, database, broker, MQTT link, HTTP server.
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { resolveFfmpeg } from '../audio/index.ts';
import { systemClock } from '../common/clock.ts';
import { createLogger, errorMessage } from '../common/log.ts';
import { loadConfig } from './config.ts';
import { openDb } from './db.ts';
import { createApp } from './http/app.ts';
import { startBroker } from './mqtt/broker.ts';
import { createDesiredSync } from './mqtt/desired.ts';
import { type ControllerLink, connectControllerLink } from './mqtt/link.ts';
import { ensureAdmin } from './users/auth.ts';

async function main(): Promise<void> {
  const log = createLogger('controller');
  const config = loadConfig(process.env);
  mkdirSync(config.dataDir, { recursive: true });
  const db = openDb(path.join(config.dataDir, 'controller.db'));
  const clock = systemClock;

  const generated = await ensureAdmin(db, config.adminPassword, clock.now());
  if (generated) log.warn(`first admin created: username "admin", password "${generated}" (shown once)`);

  const tlsFiles = config.tls && {
    cert: readFileSync(config.tls.certFile),
    key: readFileSync(config.tls.keyFile),
  };
  const mqttsOptions = config.tls && tlsFiles ? { port: config.tls.mqttsPort, ...tlsFiles } : undefined;
  const broker =
    config.mqttPort === null
      ? null
      : await startBroker(
          db,
          {
            host: config.mqttHost,
            port: config.mqttPort,
            maxPayloadBytes: config.mqttMaxPayloadBytes,
            connectBurst: config.mqttConnectBurst,
            connectsPerSec: config.mqttConnectsPerSec,
            maxPendingPerAddress: config.mqttMaxPendingPerAddress,
            connectTimeoutMs: config.mqttConnectTimeoutMs,
            tls: mqttsOptions,
          },
          log,
        );
  let link: ControllerLink | null = null;
  const desired = createDesiredSync({
    db,
    clock,
    log,
    publish: (id, state) => link?.publishDesired(id, state),
  });
  link = connectControllerLink({
    db,
    clock,
    log,
    url: broker ? `mqtt://127.0.0.1:${broker.port}` : config.mqttUrl,
    username: broker ? 'controller' : config.mqttUsername,
    password: broker ? broker.controllerPassword : config.mqttPassword,
    onConnect: () => desired.publishAll(),
  });

  const app = createApp(
    {
      config,
      db,
      clock,
      ffmpeg: resolveFfmpeg(process.env),
      desired,
      log,
      stationLinks: broker ?? undefined,
      bus: link,
    },
    { mqttConnected: () => link?.connected ?? false },
  );
  const scheme = tlsFiles ? 'https' : 'http';
  const server = serve(
    tlsFiles
      ? {
          fetch: app.fetch,
          port: config.port,
          hostname: config.host,
          createServer: createHttpsServer,
          serverOptions: tlsFiles,
        }
      : { fetch: app.fetch, port: config.port, hostname: config.host },
    (info) => log.info(`HTTP API on ${scheme}://${config.host}:${info.port} (data in ${config.dataDir})`),
  );

  const stop = async (signal: string) => {
    log.info(`${signal}: shutting down`);
    server.close();
    await link?.close();
    await broker?.close();
    db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((e) => {
  console.error(errorMessage(e));
  process.exit(1);
});
