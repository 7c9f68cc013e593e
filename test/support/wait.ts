// The one waitFor of the tests: polls a probe until it answers, for I/O to happen (sockets, files, other
// processes). Never for schedule time, which fake timers drive, and never to show that nothing happened.
import { sleep } from '../../common/sleep.ts';

/** How often a probe of another process (HTTP, a broker) is polled: such probes cost more. */
export const PROCESS_POLL_MS = 250;

type Falsy = false | 0 | '' | null | undefined;

/**
 * Polls `probe` every `everyMs` until it answers a truthy value, and answers that value. A probe that
 * throws counts as not yet (a server still starting). Fails naming `what` after `timeoutMs`.
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  timeoutMs = 5000,
  what = 'condition',
  everyMs = 20,
): Promise<Exclude<T, Falsy>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await Promise.resolve()
      .then(probe)
      .catch(() => undefined);
    if (v) return v as Exclude<T, Falsy>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}
