// The provincial link's life: every few seconds it asks the province what it offers, every minute it queues
// each station's status, and it puts the new as-run records' broadcast logs in the outbox and sends the
// outbox, backing off after a failure; start() and stop() own its timers.
import { type RetryBackoff, retryDelay } from '../../common/backoff.ts';
import { errorMessage } from '../../common/log.ts';
import { type Admission, createAdmission } from '../clips/admit.ts';
import { createClipProcessor } from '../clips/process.ts';
import type { ControllerDeps } from '../deps.ts';
import { queueBroadcastLogs } from './asrun.ts';
import { createProvinceClient, ProvinceFailure } from './client.ts';
import { type DrainResult, drainOutbox } from './drain.ts';
import { type PollResult, pollBulletins, pollSchedules } from './inbound/receive.ts';
import type { ProvinceSettings } from './settings.ts';
import { queueStatuses } from './status.ts';
import { forgetDelivered, setLink } from './store.ts';
import { ProvinceRefusal } from './wire.ts';

/** How often new as-run records are looked for and the outbox is sent, when nothing is failing. */
const SEND_EVERY_MS = 1000;
/** Delivered keys are kept this long (docs/province.md), pruned once an hour. */
const KEEP_DELIVERED_MS = 7 * 86_400_000;

export interface ProvinceLink {
  start(): void;
  stop(): Promise<void>;
  /** One poll of the province's bulletins and schedules. */
  poll(): Promise<PollResult | null>;
  /** Queues every station's status. */
  queueStatuses(): number;
  /** Queues new broadcast logs and sends the outbox once (unless backing off after a failure). */
  send(): Promise<DrainResult | null>;
  /** When the next send may try again after a failure (ms since epoch), 0 when not backing off. */
  retryAt(): number;
}

export function createProvinceLink(
  deps: ControllerDeps,
  settings: ProvinceSettings,
  opts: { admission?: () => Admission; random?: () => number } = {},
): ProvinceLink {
  const { db, clock, log } = deps;
  const client = createProvinceClient(settings, clock);
  let admission: Admission | undefined;
  const clips = opts.admission ?? (() => (admission ??= createAdmission(deps, createClipProcessor(deps))));
  const backoff: RetryBackoff = {
    minMs: settings.retry.minSeconds * 1000,
    maxMs: settings.retry.maxSeconds * 1000,
  };
  let failures = 0;
  let retryAt = 0;
  let sending: Promise<DrainResult | null> | null = null;
  // bulletins and schedules each one poll at a time, apart: a schedule's audio being fetched does not hold
  // up the next emergency
  const polling: { bulletins?: Promise<unknown>; schedules?: Promise<unknown> } = {};
  const timers: NodeJS.Timeout[] = [];

  const now = () => clock.now().toISOString();
  const succeeded = () =>
    setLink(db, { last_success_at: now(), logged_in_at: client.loggedInAt()?.toISOString() ?? null });
  const failed = (e: ProvinceFailure | ProvinceRefusal) => {
    setLink(db, {
      last_error: e.message,
      last_error_vi: e.messageVi,
      last_error_at: now(),
      logged_in_at: client.loggedInAt()?.toISOString() ?? null,
    });
    log.warn(`province link: ${e.message}`);
  };

  /** One poll of one kind, unless one is running (then that one); null when it failed (recorded). */
  function pollOf<T>(kind: 'bulletins' | 'schedules', run: () => Promise<T>): Promise<T | null> {
    polling[kind] ??= run()
      .then((r) => {
        setLink(db, { last_poll_at: now() });
        succeeded();
        return r;
      })
      .catch((e: unknown) => {
        if (e instanceof ProvinceFailure || e instanceof ProvinceRefusal) failed(e);
        else log.error(`province link: poll ${kind}: ${errorMessage(e)}`);
        return null;
      })
      .finally(() => {
        polling[kind] = undefined;
      });
    return polling[kind] as Promise<T | null>;
  }

  async function sendOnce(): Promise<DrainResult | null> {
    queueBroadcastLogs(db, settings, clock.now());
    if (clock.now().getTime() < retryAt) return null;
    const r = await drainOutbox(db, client, settings, clock);
    if (r.outage) {
      failed(r.outage);
      retryAt = clock.now().getTime() + retryDelay(failures++, backoff, opts.random);
    } else {
      failures = 0;
      retryAt = 0;
      if (r.sent) succeeded();
    }
    return r;
  }

  const guard = <T>(what: string, p: Promise<T>) =>
    p.catch((e: unknown) => {
      log.error(`province link: ${what}: ${errorMessage(e)}`);
      return null;
    });

  const link: ProvinceLink = {
    start() {
      timers.push(
        setInterval(() => void link.poll(), settings.pollEverySeconds * 1000),
        setInterval(() => link.queueStatuses(), settings.statusEverySeconds * 1000),
        setInterval(() => void link.send(), SEND_EVERY_MS),
        setInterval(
          () => forgetDelivered(db, new Date(clock.now().getTime() - KEEP_DELIVERED_MS).toISOString()),
          3_600_000,
        ),
      );
      link.queueStatuses();
      void link.poll();
      log.info(`province link to ${settings.name} (${settings.baseUrl}) started`);
    },
    async stop() {
      for (const t of timers.splice(0)) clearInterval(t);
      await Promise.all([sending, polling.bulletins, polling.schedules]);
      client.close();
    },
    async poll() {
      const [b, s] = await Promise.all([
        pollOf('bulletins', () => pollBulletins(deps, settings, client, clips)),
        pollOf('schedules', () => pollSchedules(deps, settings, client, clips)),
      ]);
      if (!b || !s) return null;
      return {
        bulletins: b.bulletins,
        schedules: s.schedules,
        cancelled: s.cancelled,
        refused: b.refused + s.refused,
      };
    },
    queueStatuses: () => queueStatuses(db, settings, clock.now()),
    send() {
      sending ??= guard('send', sendOnce()).finally(() => {
        sending = null;
      });
      return sending;
    },
    retryAt: () => retryAt,
  };
  return link;
}
