// Edge agent entry point: `npm run agent -- --config FILE` loads the config, wires the agent and serves its status.
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { resolveFfmpeg } from '../audio/ffmpeg.ts';
import { createPlayer, parseAudioOutput } from '../audio/player.ts';
import { createAgent } from './agent.ts';
import { loadConfig } from './config.ts';
import { createLogger, errorMessage, systemClock } from './deps.ts';
import { createRelay } from './relay.ts';
import { createStatusApp } from './status.ts';
import { openStore } from './store.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string', short: 'c' } }, strict: true });
  const file = values.config ?? process.env.AGENT_CONFIG;
  if (!file) {
    console.error('usage: npm run agent -- --config FILE   (or AGENT_CONFIG=FILE)');
    process.exit(2);
  }
  const config = loadConfig(file, process.env);
  const clock = systemClock;
  const log = createLogger(config.stationId, clock);
  const store = openStore(config.dataDir);
  const relay = createRelay(config, clock, log);
  const player = createPlayer(resolveFfmpeg(process.env), parseAudioOutput(config.audio), clock);
  const agent = createAgent({ config, clock, relay, player, store, log });
  await agent.start();

  const app = createStatusApp({ status: () => agent.status() });
  const server = serve({ fetch: app.fetch, port: config.agentPort, hostname: config.agentHost }, (info) =>
    log.info(`status page on http://${config.agentHost}:${info.port}/api/status`),
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping`);
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    try {
      await agent.stop();
      await relay.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
      log.info('stopped');
      process.exit(0);
    } catch (err) {
      log.error(`shutdown failed: ${errorMessage(err)}`);
      await relay.set(false).catch(() => {});
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  console.error(`edge agent: ${errorMessage(err)}`);
  process.exit(1);
});
