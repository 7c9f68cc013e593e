// Live speech sessions: opened by a technician (or ward staff for their own station), fed by one browser
// socket, published as a bulletin whose sound is the stream server's mount at the first audio, and ended
// once, for one recorded reason.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../common/clock.ts';
import type { Logger } from '../../common/log.ts';
import { sleep } from '../../common/sleep.ts';
import { reachedStations } from '../alerts/issue.ts';
import { publishAlert } from '../alerts/publish.ts';
import { getAlertRow, insertAlert, setAlertExpiry } from '../alerts/store.ts';
import { localStamp } from '../console/local-time.ts';
import type { Db } from '../db.ts';
import type { MessageBus } from '../deps.ts';
import { badRequest, conflict, forbidden, HttpError } from '../http/errors.ts';
import type { StreamServer } from '../stream/server.ts';
import { actorName, userOf } from '../users/roles.ts';
import type { LiveSessions } from './contract.ts';
import { type Feed, type FeedTimeouts, startFeed } from './feed.ts';
import {
  type EndReason,
  getLiveSession,
  insertLiveSession,
  type LiveSessionRow,
  liveTargets,
  markEnded,
  markFirstAudio,
  openLiveSessions,
} from './store.ts';

export interface LiveSettings extends FeedTimeouts {
  /** The longest a session may last; its bulletin expires then at the latest. */
  maxSessionMs: number;
}

export const DEFAULT_LIVE_SETTINGS: LiveSettings = {
  startTimeoutMs: 30_000,
  silenceTimeoutMs: 5_000,
  tickMs: 500,
  maxSessionMs: 2 * 3_600_000,
};

export interface LiveDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** ffmpeg's path. */
  ffmpeg: string;
  stream: Pick<StreamServer, 'listenUrl' | 'openSource' | 'listenerCounts'>;
  bus?: MessageBus;
  settings?: Partial<LiveSettings>;
}

interface Running {
  tokenHash: Buffer;
  feed: Feed | null;
  closeSocket: ((code: number, why: string) => void) | null;
  ending: Promise<LiveSessionRow> | null;
}

const MOUNT_WAIT_MS = 3000;
const MOUNT_POLL_MS = 40;
const hash = (token: string) => createHash('sha256').update(token).digest();
/** The close code a socket gets for each end: 1000 for a normal end, 1003 for bad audio, 1011 for our fault. */
const CLOSE_CODE: Record<EndReason, number> = {
  ended: 1000,
  'socket-closed': 1000,
  'no-audio': 1000,
  'too-long': 1000,
  cancelled: 1000,
  'controller-stopped': 1001,
  'bad-audio': 1003,
  'stream-server': 1011,
  'publish-failed': 1011,
};

export function createLiveSessions(deps: LiveDeps): LiveSessions {
  const { db, clock, log, bus } = deps;
  const settings = { ...DEFAULT_LIVE_SETTINGS, ...deps.settings };
  const running = new Map<string, Running>();

  // A previous run's sessions lost their audio with its process: recorded as ended, their bulletins closed.
  for (const r of openLiveSessions(db)) finish(r.id, 'controller-stopped', 'the controller restarted', 0);

  /** Records the end and closes its bulletin: expiring at the end instant (no station starts it any more). */
  function finish(id: string, reason: EndReason, detail: string | null, bytes: number): LiveSessionRow {
    const now = clock.now();
    if (markEnded(db, id, { at: now, reason, detail, bytes })) {
      const row = getLiveSession(db, id);
      if (row.first_audio_at && reason !== 'cancelled') {
        setAlertExpiry(db, id, now);
        if (bus) publishAlert(bus, getAlertRow(db, id));
      }
      log.info(`live ${id}: ended (${reason}${detail ? `: ${detail}` : ''}), ${bytes} bytes`);
    }
    return getLiveSession(db, id);
  }

  /** The bulletin goes out at the first audio: a station that joins finds the mount already fed. */
  function publish(id: string): void {
    const now = clock.now();
    const row = getLiveSession(db, id);
    const { stations } = reachedStations(db, liveTargets(row));
    // one transaction: a session marked as sounding always has its bulletin
    db.transaction(() => {
      markFirstAudio(db, id, now);
      insertAlert(
        db,
        {
          id,
          level: row.level,
          title: row.title,
          reason: row.reason,
          live: { url: deps.stream.listenUrl(row.mount), sessionId: id, speaker: row.speaker },
          targets: liveTargets(row),
          issuedBy: row.speaker,
          expiresAt: new Date(Date.parse(row.opened_at) + settings.maxSessionMs).toISOString(),
          ignoreQuietWindows: row.ignore_quiet_windows === 1,
        },
        stations,
        now,
      );
    })();
    if (bus) publishAlert(bus, getAlertRow(db, id));
    log.info(`live ${id}: first audio; published to ${stations.length} station(s)`);
  }

  /**
   * Settles once the stream server lists the mount (ffmpeg has read the WebM header and connected as its
   * source), so that a station told of the session finds it; after MOUNT_WAIT_MS, or when the server's
   * statistics cannot be read (an external Icecast without admin credentials), it settles anyway.
   */
  async function mountUp(mount: string): Promise<void> {
    const until = Date.now() + MOUNT_WAIT_MS;
    while (Date.now() < until) {
      try {
        if ((await deps.stream.listenerCounts()).has(mount)) return;
      } catch {
        return;
      }
      await sleep(MOUNT_POLL_MS);
    }
    log.warn(`live: ${mount} not listed after ${MOUNT_WAIT_MS} ms; published all the same`);
  }

  /** Between chunks: a bulletin withdrawn (POST /api/alerts/:id/cancel) or a session too long ends it. */
  function check(id: string): void {
    try {
      const row = getLiveSession(db, id);
      if (row.first_audio_at && getAlertRow(db, id).cancelled_at) endQuietly(id, 'cancelled', 'withdrawn');
      else if (clock.now().getTime() - Date.parse(row.opened_at) >= settings.maxSessionMs)
        endQuietly(id, 'too-long', `longer than ${Math.round(settings.maxSessionMs / 60_000)} min`);
    } catch (e) {
      // a timer's callback must not throw (it would stop the controller); the next tick looks again
      log.warn(`live ${id}: check failed: ${(e as Error).message}`);
    }
  }

  /** An end from a timer, a watcher or the socket: one already ended is no news, a failure is logged. */
  function endQuietly(id: string, reason: EndReason, detail: string | null): void {
    end(id, reason, detail).catch((e: unknown) => {
      if (!(e instanceof HttpError && e.status === 409))
        log.warn(`live ${id}: ending: ${(e as Error).message}`);
    });
  }

  function end(id: string, reason: EndReason, detail: string | null): Promise<LiveSessionRow> {
    const run = running.get(id);
    if (!run) {
      const row = getLiveSession(db, id);
      if (row.ended_at)
        return Promise.reject(
          conflict([
            `live session '${id}' already ended`,
            `Buổi phát trực tiếp «${row.title}» đã kết thúc lúc ${localStamp(row.ended_at)}.`,
          ]),
        );
      return Promise.resolve(finish(id, reason, detail, 0));
    }
    if (run.ending) return run.ending;
    run.ending = (async () => {
      const bytes = run.feed?.bytes ?? 0;
      // recorded first: the watchers and a racing end see it ended, whatever the stop takes
      const row = finish(id, reason, detail, bytes);
      run.closeSocket?.(CLOSE_CODE[reason], reason);
      await run.feed?.stop(reason !== 'bad-audio' && reason !== 'cancelled');
      running.delete(id);
      return row;
    })();
    return run.ending;
  }

  return {
    open(body, principal) {
      const who = userOf(principal);
      // as for bulletins: ward staff speak at the normal level, within their own area (the route checks it)
      if (who?.role === 'ward' && body.level !== 'normal')
        throw forbidden([
          'ward staff may speak only at the normal level (to their own station)',
          'Cán bộ phường/xã chỉ được phát trực tiếp ở mức thông thường, tới đài của địa bàn mình.',
        ]);
      if (body.ignoreQuietWindows && body.level !== 'emergency')
        throw badRequest([
          'ignoreQuietWindows is only for emergency sessions',
          'Chỉ buổi phát khẩn cấp mới được bỏ qua khung giờ không phát.',
        ]);
      const { targets, stations } = reachedStations(db, body.targets);
      const id = `lv-${randomBytes(6).toString('hex')}`;
      const token = randomBytes(24).toString('base64url');
      insertLiveSession(
        db,
        {
          id,
          level: body.level,
          title: body.title,
          reason: body.reason ?? body.title,
          targets,
          stationIds: stations.map((s) => s.id),
          ignoreQuietWindows: body.ignoreQuietWindows,
          speaker: actorName(principal),
          mount: `/live/${id}.ogg`,
        },
        clock.now(),
      );
      running.set(id, { tokenHash: hash(token), feed: null, closeSocket: null, ending: null });
      // nobody connects: the session ends as a microphone that never sent would
      setTimeout(() => {
        const run = running.get(id);
        if (run && !run.feed && !run.ending) endQuietly(id, 'no-audio', 'no microphone connected');
      }, settings.startTimeoutMs).unref();
      log.info(
        `live ${id} (${body.level}) opened by ${actorName(principal)} for ${stations.length} station(s)`,
      );
      return { row: getLiveSession(db, id), token };
    },

    end,

    connect(id, token, closeSocket) {
      const run = running.get(id);
      const given = hash(token);
      if (!run || !timingSafeEqual(given, run.tokenHash))
        throw new HttpError(401, 'unauthorized', [
          'unknown live session, or a wrong token',
          'Không tìm thấy buổi phát trực tiếp, hoặc mã kết nối không đúng.',
        ]);
      if (run.feed || run.ending)
        throw conflict([
          `live session '${id}' already has a microphone, or ended`,
          'Buổi phát trực tiếp này đã có micrô kết nối, hoặc đã kết thúc.',
        ]);
      const row = getLiveSession(db, id);
      run.closeSocket = closeSocket;
      run.feed = startFeed({
        ffmpeg: deps.ffmpeg,
        openSource: () => deps.stream.openSource(row.mount),
        now: () => clock.now().getTime(),
        timeouts: settings,
        on: {
          firstAudio: () =>
            void mountUp(row.mount).then(() => {
              const still = running.get(id);
              if (!still || still.ending) return;
              try {
                publish(id);
              } catch (e) {
                endQuietly(id, 'publish-failed', (e as Error).message);
              }
            }),
          failed: (reason, detail) => endQuietly(id, reason, detail),
          timedOut: (detail) => endQuietly(id, 'no-audio', detail),
          tick: () => check(id),
        },
      });
      const feed = run.feed;
      return {
        push: (chunk) => feed.push(chunk),
        hangUp: (reason, detail) => endQuietly(id, reason, detail),
      };
    },

    async close() {
      await Promise.all([...running.keys()].map((id) => end(id, 'controller-stopped', null).catch(() => {})));
    },
  };
}
