// The CAP feeds of CAP_FEEDS_FILE polled in turn: `tick` polls every feed that is due (its next poll time
// is stored, so a restart keeps the pace and the back-off); `start` ticks every few seconds until `stop`.
import type { ControllerDeps } from '../../deps.ts';
import type { CapMakers } from '../cap/speech/description.ts';
import { pollFeed } from './poll.ts';
import type { CapFeed } from './settings.ts';
import { feedRow } from './store.ts';

export interface CapFeedPoller {
  /** Polls the feeds that are due now, one after another; a tick while one runs waits for it. */
  tick(): Promise<void>;
  start(everyMs?: number): void;
  stop(): Promise<void>;
}

export function capFeedPoller(
  deps: ControllerDeps,
  feeds: readonly CapFeed[],
  makers: CapMakers,
): CapFeedPoller {
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;

  async function pollDue(): Promise<void> {
    for (const feed of feeds) {
      const next = feedRow(deps.db, feed.url)?.next_poll_at;
      if (next && next > deps.clock.now().toISOString()) continue;
      await pollFeed(deps, makers, feed);
    }
  }

  const tick = () => {
    running ??= pollDue()
      .catch((e: unknown) => deps.log.error(`CAP feeds: ${(e as Error).stack ?? e}`))
      .finally(() => {
        running = null;
      });
    return running;
  };

  return {
    tick,
    start(everyMs = 5_000) {
      if (timer || feeds.length === 0) return;
      deps.log.info(`CAP feeds: polling ${feeds.map((f) => `${f.name} (${f.url})`).join(', ')}`);
      void tick();
      timer = setInterval(() => void tick(), everyMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
