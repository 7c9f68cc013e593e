// The broker-auth callback as the composition root makes it from the config: none without
// BROKER_AUTH_TOKEN, a router with BROKER_AUTH_PROVINCES_FILE, else this province's own answers.
import type { Registry } from 'prom-client';
import type { Clock } from '../../common/clock.ts';
import type { Logger } from '../../common/log.ts';
import type { ControllerConfig } from '../config.ts';
import type { Db } from '../db.ts';
import type { StationLinks } from '../deps.ts';
import { type CutOffDeps, createCutOff } from './cut-off.ts';
import { registerBrokerAuthMetrics } from './metrics.ts';
import { type BrokerAuth, createBrokerAuth } from './province.ts';
import { createBrokerAuthRouter } from './router.ts';
import { stationClientId, stationUsernames } from './rules.ts';

export function brokerAuthFor(
  config: ControllerConfig,
  deps: { db: Db; clock: Clock; log: Logger; registry?: Registry },
): BrokerAuth | null {
  const { token, cacheMs, provinces, timeoutMs } = config.brokerAuth;
  if (!token) return null;
  const metrics = deps.registry ? registerBrokerAuthMetrics(deps.registry) : undefined;
  if (provinces)
    return createBrokerAuthRouter({
      provinces,
      cacheMs,
      timeoutMs,
      clock: deps.clock,
      log: deps.log,
      metrics,
    });
  if (config.role === 'national') {
    deps.log.warn(
      'BROKER_AUTH_TOKEN without BROKER_AUTH_PROVINCES_FILE on a national controller: not served',
    );
    return null;
  }
  return createBrokerAuth({
    db: deps.db,
    clock: deps.clock,
    log: deps.log,
    rules: {
      province: config.provinceId,
      protocols: config.mqttProtocols,
      controllerUsername: config.mqttUsername,
    },
    controllerPassword: config.mqttPassword,
    cacheMs,
    metrics,
  });
}

/**
 * The station links with the callback's cache: a station's credentials changed, its answers go at once;
 * then its open connection is closed: at the embedded broker (`links`), else at the external broker by
 * taking over its client ids (cut-off.ts).
 */
export function linksForgetting(
  links: StationLinks | undefined,
  auth: BrokerAuth | null,
  external: Omit<CutOffDeps, 'clientIdsOf' | 'againAfterMs'> & { config: ControllerConfig },
): (StationLinks & { stop(): void }) | undefined {
  if (!auth) return links && { disconnect: (id) => links.disconnect(id), stop() {} };
  const { config, ...broker } = external;
  const rules = { province: config.provinceId, protocols: config.mqttProtocols };
  const cutOff = links
    ? undefined
    : createCutOff({
        ...broker,
        clientIdsOf: (id) => stationUsernames(id, rules).map(stationClientId),
        againAfterMs: config.brokerAuth.cacheMs,
      });
  return {
    disconnect(stationId) {
      auth.forget(stationId);
      (links ?? cutOff)?.disconnect(stationId);
    },
    stop: () => cutOff?.stop(),
  };
}
