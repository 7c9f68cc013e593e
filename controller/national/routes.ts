// /api/national: the provinces, recordings, bulletins, campaigns and quiet windows sent to chosen provinces,
// each item's state at each province, a bulletin's counts over time, and the provinces' days.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { receiveUpload } from '../../common/upload.ts';
import { DEFAULT_TIMEZONE, LocalDate } from '../../schedules/model.ts';
import { addDays, utcToZoned } from '../../schedules/time.ts';
import type { ControllerDeps } from '../deps.ts';
import { conflict, HttpError, notFound } from '../http/errors.ts';
import { type AnyRoute, defineRoute, idParam } from '../http/route.ts';
import { actorName } from '../users/roles.ts';
import { type ItemKind, NationalBulletin, NationalCampaign, NationalQuietWindow } from './items.ts';
import type { National } from './national.ts';
import { cancelItem, getItem, listItems } from './store.ts';
import { countsOverTime, itemView, provincesView, reportTable } from './views.ts';

const ReportQuery = z.strictObject({ from: LocalDate.optional(), to: LocalDate.optional() });
const ListQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) });
const sent = { status: 201 as const };

const WITHDRAWN_ALREADY: Record<ItemKind, [string, string]> = {
  bulletin: ['this bulletin was withdrawn already', 'Bản tin này đã được thu hồi.'],
  campaign: ['this campaign was withdrawn already', 'Đợt tuyên truyền này đã được thu hồi.'],
  'quiet-window': ['this quiet window was withdrawn already', 'Khung giờ không phát này đã được thu hồi.'],
};

export function nationalRoutes(deps: ControllerDeps, n: National): AnyRoute[] {
  const { db, config, clock } = deps;
  const view = (id: string) => {
    const item = getItem(db, id);
    if (!item) throw notFound('national item', id);
    return itemView(db, n.settings, item);
  };
  return [
    defineRoute({
      method: 'get',
      path: '/api/national/provinces',
      tag: 'national',
      summary:
        'The provinces of PROVINCES_FILE with their link state (last success, last error) and items waiting',
      access: 'user',
      handle: () => ({ json: provincesView(db, n.settings) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/national/clips',
      tag: 'national',
      summary:
        'Upload a recording (multipart "file", "title") kept to send; each province processes it itself',
      access: 'user',
      roles: ['reviewer'],
      multipart: { file: 'file', title: 'string' },
      handle: async ({ c }) => {
        const up = await receiveUpload(c.req.raw, {
          tmpDir: path.join(config.dataDir, 'tmp'),
          maxBytes: config.maxUploadBytes,
          refuse: (status, code, message) =>
            new HttpError(status, code, [message, 'Tệp tải lên không hợp lệ hoặc quá lớn.']),
        });
        try {
          const id = n.keepClip(up.path, up.title ?? up.originalName, up.bytes);
          return { ...sent, json: { id, title: up.title ?? up.originalName, bytes: up.bytes } };
        } catch (e) {
          await rm(up.path, { force: true });
          throw e;
        }
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/national/clips/:id/stage',
      tag: 'national',
      summary:
        'Copy a recording to provinces now (approved there with approve=true), so an emergency later does not wait for it; answers each province',
      access: 'user',
      roles: ['reviewer'],
      body: z.strictObject({
        provinces: z.union([z.literal('all'), z.array(z.string().min(1)).min(1).max(100)]).default('all'),
        approve: z.boolean().default(false),
      }),
      bodyOptional: true,
      handle: async ({ params, body }) => ({
        json: await n.stageClip(idParam(params), body.provinces, body.approve),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/national/bulletins',
      tag: 'national',
      summary:
        'Send a bulletin to chosen provinces (all, or ids), each to its whole area; an emergency goes first and at once to all',
      access: 'user',
      roles: ['reviewer'],
      body: NationalBulletin,
      handle: ({ body, principal }) => {
        const id = n.send(
          'bulletin',
          { title: body.title, level: body.level, clipId: body.clipId, body, provinces: body.provinces },
          actorName(principal),
        );
        return { ...sent, json: view(id) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/national/campaigns',
      tag: 'national',
      summary:
        'Send a campaign (its recording uploaded once to each province, then its slots) to chosen provinces',
      access: 'user',
      roles: ['reviewer'],
      body: NationalCampaign,
      handle: ({ body, principal }) => {
        const id = n.send(
          'campaign',
          { title: body.name, clipId: body.clipId, body, provinces: body.provinces },
          actorName(principal),
        );
        return { ...sent, json: view(id) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/national/quiet-windows',
      tag: 'national',
      summary: 'Send a quiet window to chosen provinces, each for its whole area',
      access: 'user',
      roles: ['reviewer'],
      body: NationalQuietWindow,
      handle: ({ body, principal }) => {
        const title = body.note || `${body.startTime}–${body.endTime}`;
        const id = n.send('quiet-window', { title, body, provinces: body.provinces }, actorName(principal));
        return { ...sent, json: view(id) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/national/items',
      tag: 'national',
      summary: 'What was sent, newest first, with its state at each province',
      access: 'user',
      query: ListQuery,
      handle: ({ query }) => ({ json: listItems(db, query.limit).map((i) => itemView(db, n.settings, i)) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/national/items/:id',
      tag: 'national',
      summary:
        "One item at each province: waiting (tries, next try), accepted (the province's id), refused (its reason); a bulletin's stations",
      access: 'user',
      handle: ({ params }) => ({ json: view(idParam(params)) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/national/items/:id/cancel',
      tag: 'national',
      summary:
        'Withdraw a national item at each province that has it, through the outbox (first, like an emergency): a bulletin cancelled there, a campaign (with its slots) or quiet window deleted; not yet sent, it is not sent',
      access: 'user',
      roles: ['reviewer'],
      body: z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }),
      bodyOptional: true,
      responses: { 409: 'withdrawn already' },
      handle: ({ params, body }) => {
        const item = getItem(db, idParam(params));
        if (!item) throw notFound('national item', idParam(params));
        if (!cancelItem(db, item.id, body?.reason ?? null, clock.now().toISOString()))
          throw conflict(WITHDRAWN_ALREADY[item.kind]);
        n.sender.kick();
        return { json: view(item.id) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/national/items/:id/counts',
      tag: 'national',
      summary:
        "A bulletin's stations reached and started at each province over time (a row each time they changed)",
      access: 'user',
      handle: ({ params }) => {
        view(idParam(params));
        return { json: countsOverTime(db, idParam(params)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/national/reports',
      tag: 'national',
      summary:
        "The provinces' days (local dates from..to, default the last 7): stations, played, missed, minutes on air",
      access: 'user',
      query: ReportQuery,
      handle: ({ query }) => {
        const today = utcToZoned(clock.now(), DEFAULT_TIMEZONE).date;
        return { json: reportTable(db, n.settings, query.from ?? addDays(today, -6), query.to ?? today) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/national/reports/refresh',
      tag: 'national',
      summary: "Reads the provinces' day summaries now",
      access: 'user',
      handle: async () => {
        await n.refreshReports();
        const today = utcToZoned(clock.now(), DEFAULT_TIMEZONE).date;
        return { json: reportTable(db, n.settings, addDays(today, -6), today) };
      },
    }),
  ];
}
