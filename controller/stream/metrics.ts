// What /metrics shows of the stream server: whether it answers, its restarts, listeners per mount, and
// the relay pulls by state with their reconnects.
import { Gauge, type Registry } from 'prom-client';
import type { StreamService } from './service.ts';

export function registerStreamMetrics(registry: Registry, stream: StreamService): void {
  const { server, pulls } = stream;
  new Gauge({
    name: 'loa_stream_server_up',
    help: '1 when the stream server answered its statistics just now.',
    registers: [registry],
    async collect() {
      this.set(
        await server.listenerCounts().then(
          () => 1,
          () => 0,
        ),
      );
    },
  });
  new Gauge({
    name: 'loa_stream_listeners',
    help: 'Listeners (stations) on each mount of the stream server.',
    labelNames: ['mount'],
    registers: [registry],
    async collect() {
      this.reset();
      const counts = await server.listenerCounts().catch(() => new Map<string, number>());
      for (const [mount, n] of counts) this.set({ mount }, n);
    },
  });
  new Gauge({
    name: 'loa_stream_server_restarts',
    help: 'Times the embedded Icecast died and was started again.',
    registers: [registry],
    collect() {
      this.set(server.process?.restarts ?? 0);
    },
  });
  new Gauge({
    name: 'loa_stream_pulls',
    help: 'Relay pulls by state: starting, pulling, retrying (upstream dropped), idle (nobody listens).',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const state of ['starting', 'pulling', 'retrying', 'idle']) this.set({ state }, 0);
      for (const p of pulls.status()) this.inc({ state: p.state });
    },
  });
  new Gauge({
    name: 'loa_stream_pull_reconnects',
    help: 'Times the pull of each relay mount was started again after its upstream dropped.',
    labelNames: ['mount'],
    registers: [registry],
    collect() {
      this.reset();
      for (const p of pulls.status()) this.set({ mount: p.mount }, p.reconnects);
    },
  });
}
