// What /metrics shows of the broker-auth callback: checks by path and answer, cache hits, and the time a
// router waits for a province's controller.
import { Counter, Histogram, type Registry } from 'prom-client';
import type { Answer, AuthPath } from './cache.ts';

export interface BrokerAuthMetrics {
  checked(path: AuthPath, answer: Answer, cached: boolean): void;
  /** A router's forward to a province: its time, and how it ended (`answer`, `timeout`, `error`). */
  upstream(province: string, seconds: number, outcome: 'answer' | 'timeout' | 'error'): void;
}

export const noBrokerAuthMetrics: BrokerAuthMetrics = { checked() {}, upstream() {} };

export function registerBrokerAuthMetrics(registry: Registry): BrokerAuthMetrics {
  const checks = new Counter({
    name: 'loa_broker_auth_checks_total',
    help: "RabbitMQ's auth checks answered, by path (user, vhost, resource, topic) and answer (allow, deny).",
    labelNames: ['path', 'answer'],
    registers: [registry],
  });
  const hits = new Counter({
    name: 'loa_broker_auth_cache_hits_total',
    help: 'Auth checks answered from the cache, by path.',
    labelNames: ['path'],
    registers: [registry],
  });
  const upstream = new Histogram({
    name: 'loa_broker_auth_upstream_seconds',
    help: "A router's wait for a province's controller, by province and outcome (answer, timeout, error).",
    labelNames: ['province', 'outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return {
    checked(path, answer, cached) {
      checks.inc({ path, answer });
      if (cached) hits.inc({ path });
    },
    upstream(province, seconds, outcome) {
      upstream.observe({ province, outcome }, seconds);
    },
  };
}
