// Controller entry point: config from the environment, database, broker, MQTT link, HTTP server.
import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { resolveFfmpeg } from '../audio/index.ts';
import { systemClock } from '../common/clock.ts';
import { createLogger, errorMessage } from '../common/log.ts';
import { createSdNotify } from '../common/sdnotify.ts';
import { DEFAULT_TIMEZONE } from '../schedules/model.ts';
import { capClips } from './alerts/cap/routes.ts';
import { capFeedPoller } from './alerts/cap-feed/poller.ts';
import { holdDataDir } from './backup/lock.ts';
import { registerBackupMetrics } from './backup/metrics.ts';
import { preUpgradeBackup } from './backup/pre-upgrade.ts';
import { createBackups } from './backup/service.ts';
import { brokerAuthFor, linksForgetting } from './broker-auth/wire.ts';
import { loadConfig } from './config.ts';
import { openDb } from './db.ts';
import { createApp } from './http/app.ts';
import { liveAudience } from './live/audience.ts';
import { createLiveSessions } from './live/sessions.ts';
import { attachLiveSockets } from './live/socket.ts';
import { startBroker } from './mqtt/broker.ts';
import { createDesiredSync } from './mqtt/desired.ts';
import { type ControllerLink, connectControllerLink, linkOver } from './mqtt/link.ts';
import { createLoadMetrics } from './mqtt/load.ts';
import { spokenRoots } from './mqtt/roots.ts';
import { createNational } from './national/national.ts';
import { scheduleRetention } from './plays/retention-job.ts';
import { createProvinceLink } from './province/link.ts';
import { relayUpstreamOf } from './rules/station-rules.ts';
import { openKeyring } from './signing/keyring.ts';
import { registerStreamMetrics } from './stream/metrics.ts';
import { mountFor } from './stream/pulls.ts';
import { relayListenUrl, startStreamService } from './stream/service.ts';
import { ensureAdmin } from './users/auth.ts';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const clock = systemClock;
  const log = createLogger('controller', clock, config.logFormat);
  const systemd = createSdNotify({ env: process.env, log });
  mkdirSync(config.dataDir, { recursive: true });
  mkdirSync(config.backups.dir, { recursive: true });
  holdDataDir(config.dataDir);
  const db = openDb(path.join(config.dataDir, 'controller.db'), {
    beforeUpgrade: (db, from, to) => {
      log.info(`upgrading the database from schema ${from} to ${to}: a copy first, in ${config.backups.dir}`);
      preUpgradeBackup(config.backups.dir, () => clock.now())(db, from, to);
    },
  });
  const backups = createBackups({
    dataDir: config.dataDir,
    clock,
    log,
    timeZone: DEFAULT_TIMEZONE,
    settings: config.backups,
  });
  const stopRetention = scheduleRetention({
    db,
    clock,
    log,
    timeZone: DEFAULT_TIMEZONE,
    settings: config.asRun,
    lastBackupAt: () => backups.status().lastGood?.createdAt ?? null,
  });

  const generated = await ensureAdmin(db, config.adminPassword, clock.now());
  if (generated) log.warn(`first admin created: username "admin", password "${generated}" (shown once)`);

  const tlsFiles = config.tls && {
    cert: readFileSync(config.tls.certFile),
    key: readFileSync(config.tls.keyFile),
  };
  const mqttsOptions = config.tls && tlsFiles ? { port: config.tls.mqttsPort, ...tlsFiles } : undefined;
  // The MQTT roots spoken: loa/v1 and/or loa/v2/<PROVINCE_ID> (docs/protocol.md)
  const mqttRoots = spokenRoots(config.provinceId, config.mqttProtocols);
  // A national controller opens no broker and holds no stations (docs/national.md).
  const isNational = config.role === 'national';
  const broker =
    config.mqttPort === null || isNational
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
            roots: mqttRoots,
          },
          log,
        );
  const metrics = createLoadMetrics({
    connectedStations: broker ? () => broker.connectedStations() : undefined,
  });
  registerBackupMetrics(metrics.registry, backups);
  // RabbitMQ's auth callback (BROKER_AUTH_TOKEN; docs/national-deployment.md, "Credentials by callback")
  const brokerAuth = brokerAuthFor(config, { db, clock, log, registry: metrics.registry });
  const ffmpeg = resolveFfmpeg(process.env);
  // Icecast on this machine calls the listener check on the controller's own port
  const ownHost = ['0.0.0.0', '::'].includes(config.host) ? '127.0.0.1' : config.host;
  const stream = await startStreamService({
    settings: config.stream,
    dataDir: config.dataDir,
    controllerUrl: `${tlsFiles ? 'https' : 'http'}://${ownHost}:${config.port}`,
    ffmpeg: ffmpeg.ffmpeg,
    log,
    // a relay mount asked for after a restart: its upstream is in the slots
    resolve: (mount) => relayUpstreamOf(db, mountFor, mount),
  });
  if (stream) registerStreamMetrics(metrics.registry, stream);
  if (stream) stream.gate.mayListen = liveAudience(db);
  let link: ControllerLink | null = null;
  const desired = createDesiredSync({
    db,
    clock,
    log,
    metrics,
    publish: (id, state, taken) => link?.publishDesired(id, state, taken),
    relayListen: stream ? relayListenUrl(stream) : undefined,
  });
  // desired states and bulletins are signed with the controller's key (made at first start)
  const signing = openKeyring(config.dataDir, clock);
  const linkDeps = {
    ...{ db, clock, log, metrics, signer: signing, roots: mqttRoots },
    onConnect: () => desired.publishAll(),
    resendDesired: (ids: string[]) => desired.republish(ids),
  };
  link = isNational
    ? null
    : broker
      ? linkOver(linkDeps, broker.inProcess)
      : connectControllerLink({
          ...linkDeps,
          url: config.mqttUrl,
          username: config.mqttUsername,
          password: config.mqttPassword,
        });

  // a revoked or rotated secret drops the callback's cached answers for that station at once, and its
  // open connection is closed: at the embedded broker, or at an external one by its client ids
  const stationLinks = linksForgetting(broker ?? undefined, brokerAuth, {
    ...{ config, log, url: config.mqttUrl },
    ...{ username: config.mqttUsername, password: config.mqttPassword },
  });
  const live =
    stream && link
      ? createLiveSessions({ db, clock, log, ffmpeg: ffmpeg.ffmpeg, stream: stream.server, bus: link })
      : undefined;
  const deps = {
    config,
    db,
    clock,
    ffmpeg,
    desired,
    log,
    stationLinks,
    bus: link ?? undefined,
    backups,
    stream: stream ?? undefined,
    live,
    signing,
    national: config.national
      ? createNational({ db, clock, log, dataDir: config.dataDir, settings: config.national })
      : undefined,
  };
  const app = createApp(deps, {
    // a national controller has no MQTT link to be down
    mqttConnected: () => isNational || (link?.connected ?? false),
    metrics,
    brokerAuth,
  });
  // CAP feeds (CAP_FEEDS_FILE): each polled at its interval, its documents imported as POST /api/alerts would
  const capFeeds = capFeedPoller(deps, config.capFeeds, capClips(deps));
  capFeeds.start();
  // The provincial information-source link (PROVINCE_LINK_FILE, docs/province.md)
  const province = config.province ? createProvinceLink(deps, config.province) : null;
  province?.start();
  deps.national?.start();
  const scheme = tlsFiles ? 'https' : 'http';
  // The server's env reaches every request's context: whether to believe a local proxy's X-Forwarded-For.
  const fetch = (req: Request, env: object) => app.fetch(req, { ...env, trustProxy: config.trustProxy });
  const server = serve(
    tlsFiles
      ? {
          fetch,
          port: config.port,
          hostname: config.host,
          createServer: createHttpsServer,
          serverOptions: tlsFiles,
        }
      : { fetch, port: config.port, hostname: config.host },
    (info) => {
      log.info(`HTTP API on ${scheme}://${config.host}:${info.port} (data in ${config.dataDir})`);
      systemd.ready(`serving on port ${info.port}`);
    },
  );
  // the browsers' microphones reach live sessions over WebSockets on the same port
  const detachLive = live ? attachLiveSockets(server as Server, live, log) : () => {};
  // Under systemd (Type=notify, WatchdogSec): a hung event loop stops the pings and systemd restarts it.
  const stopWatchdog = systemd.startWatchdog();

  const stop = async (signal: string) => {
    log.info(`${signal}: shutting down`);
    systemd.stopping();
    stopWatchdog();
    server.close();
    backups.stop();
    await capFeeds.stop();
    await province?.stop();
    await deps.national?.stop();
    stopRetention();
    stationLinks?.stop();
    await link?.close();
    await broker?.close();
    detachLive();
    await live?.close();
    await stream?.close();
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
