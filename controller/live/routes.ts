// /api/live: live speech to areas or stations, through the stream server, as a bulletin whose sound is a
// stream. The audio itself comes over a WebSocket (socket.ts), not through these routes.
import { z } from 'zod';
import { targetArea } from '../areas/store.ts';
import type { ControllerDeps } from '../deps.ts';
import { forbidden, HttpError } from '../http/errors.ts';
import { type AnyRoute, defineRoute, idParam, withdrawal } from '../http/route.ts';
import { sees } from '../http/scope.ts';
import { userOf } from '../users/roles.ts';
import { LiveCreate } from './contract.ts';
import { getLiveSession, liveTargets } from './store.ts';
import { recentSessions, sessionDetail, sessionView } from './views.ts';

const ListQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) });

/** The path the browser opens its WebSocket on, with `?token=` from the answer to POST /api/live. */
export const pushPath = (id: string) => `/api/live/${encodeURIComponent(id)}/audio`;

export function liveRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db } = deps;
  const live = () => {
    if (!deps.live)
      throw new HttpError(503, 'no_stream_server', [
        'live speech needs the stream server (icecast2), which is not running: install it (apt-get install icecast2) or set ICECAST_URL',
        'Chưa thể phát trực tiếp: máy chủ truyền phát âm thanh chưa chạy. Vui lòng báo Kỹ thuật viên cài đặt hoặc bật máy chủ này.',
      ]);
    return deps.live;
  };
  const areasOf = (id: string) => liveTargets(getLiveSession(db, id)).map((t) => targetArea(db, t));
  return [
    defineRoute({
      method: 'get',
      path: '/api/live',
      tag: 'live',
      summary:
        'Live sessions, newest first: those whose every target lies in your area, and those you opened',
      access: 'user',
      query: ListQuery,
      handle: ({ query, principal }) => {
        const who = userOf(principal);
        const all = recentSessions(db, query.limit);
        return {
          json: all.filter(
            (s) => s.speaker === who?.username || s.targets.every((t) => sees(principal, targetArea(db, t))),
          ),
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/live',
      tag: 'live',
      summary:
        'Open a live session to targets (areas, stations) at a level: answers its id, `token` and `pushPath`. ' +
        'Open a WebSocket on pushPath?token=TOKEN and send WebM/Opus chunks (MediaRecorder, audio/webm;codecs=opus) ' +
        'as binary messages; at the first chunk the session goes out as a bulletin whose sound is the stream ' +
        "server's mount. No chunk for a few seconds, a closed socket or POST /api/live/{id}/end ends it. " +
        'Technicians within their areas; ward staff at the normal level within theirs.',
      access: 'user',
      roles: ['technician', 'ward'],
      body: LiveCreate,
      responses: {
        201: 'opened: the session, its token and pushPath',
        400: 'a target reaching no station, ignoreQuietWindows on a non-emergency',
        403: 'a target outside your area, or a level your role may not use',
        503: 'no stream server (icecast2 not installed, ICECAST_URL not set)',
      },
      area: ({ body }) => body.targets.map((t) => targetArea(db, t)),
      handle: ({ body, principal }) => {
        const { row, token } = live().open(body, principal);
        return { status: 201, json: { ...sessionView(row), token, pushPath: pushPath(row.id) } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/live/:id',
      tag: 'live',
      summary:
        'One live session and every target station of your area: {stationId, name, areaName, state, onAir, ' +
        'whyNot (offline, waiting, a quiet window such as online-class, ...), startedAt, soundingAt, online}',
      access: 'user',
      area: ({ params }) => areasOf(idParam(params)),
      handle: ({ params, principal }) => ({
        json: sessionDetail(db, getLiveSession(db, idParam(params)), principal),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/live/:id/end',
      tag: 'live',
      summary:
        'End a live session: the stream ends (stations finish it as played) and its bulletin expires at once. Ward staff end only their own',
      ...withdrawal,
      responses: { 409: 'already ended' },
      area: ({ params }) => areasOf(idParam(params)),
      handle: async ({ params, principal, body }) => {
        const row = getLiveSession(db, idParam(params));
        const who = userOf(principal);
        if (who?.role === 'ward' && row.speaker !== who.username)
          throw forbidden([
            'ward staff may end only the live sessions they opened',
            'Cán bộ phường/xã chỉ được kết thúc buổi phát trực tiếp do mình mở.',
          ]);
        const ended = await live().end(row.id, 'ended', body?.reason ?? null);
        return { json: sessionView(ended) };
      },
    }),
  ];
}
