// `node --import tsx edge-agent/cli/relay-off.ts --config FILE`: drives every configured relay OFF and exits (systemd ExecStopPost).
import { parseArgs } from 'node:util';
import { systemClock } from '../../common/clock.ts';
import { createLogger, errorMessage } from '../../common/log.ts';
import { loadConfig } from '../config/config.ts';
import { createRelay } from '../hardware/relay.ts';

// A killed agent (SIGKILL, OOM) leaves a sysfs GPIO at its last level; this runs after every
// stop, however it happened, so the amplifier does not stay on until the next start.
try {
  const { values } = parseArgs({ options: { config: { type: 'string', short: 'c' } }, strict: true });
  const file = values.config ?? process.env.AGENT_CONFIG;
  if (!file) throw new Error('usage: relay-off.ts --config FILE');
  const config = loadConfig(file, process.env);
  const relay = createRelay(config, systemClock, createLogger(config.stationId));
  relay.offSync();
} catch (err) {
  console.error(`relay-off: ${errorMessage(err)}`);
  process.exit(1);
}
