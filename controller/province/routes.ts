// /api/province: the provincial link's state (logged in, last success, last error in English and
// Vietnamese), its outbox backlog, the messages the province refused, and what came from it recently.
import type { Db } from '../db.ts';
import type { ControllerDeps } from '../deps.ts';
import { type AnyRoute, defineRoute } from '../http/route.ts';
import type { ProvinceSettings } from './settings.ts';
import { backlogOf, linkRow, recentInbox, refusedRows } from './store.ts';

/** The link as the console and the API show it. */
export function provinceView(db: Db, settings: ProvinceSettings | null) {
  if (!settings) return { configured: false as const };
  const link = linkRow(db);
  return {
    configured: true as const,
    name: settings.name,
    baseUrl: settings.baseUrl,
    loggedInAt: link.logged_in_at,
    lastSuccessAt: link.last_success_at,
    lastPollAt: link.last_poll_at,
    lastError: link.last_error
      ? { at: link.last_error_at, message: link.last_error, messageVi: link.last_error_vi }
      : null,
    backlog: backlogOf(db),
    refused: refusedRows(db).map((r) => ({
      key: r.key,
      stationId: r.station_id,
      reason: r.last_error,
      at: r.refused_at,
    })),
    received: recentInbox(db).map((e) => ({
      kind: e.kind,
      provinceId: e.province_id,
      outcome: e.outcome,
      reason: e.reason,
      reasonVi: e.reason_vi,
      alertId: e.alert_id,
      campaignId: e.campaign_id,
      at: e.received_at,
    })),
  };
}
export type ProvinceView = ReturnType<typeof provinceView>;

export function provinceRoutes({ db, config }: ControllerDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/province',
      tag: 'province',
      summary:
        "The provincial link (docs/province.md): whether it is set up, when it last logged in and succeeded, its last error (English and Vietnamese), the outbox's backlog and the messages the province refused, and the last 30 bulletins and schedules that came from it (taken, refused with the reason, cancelled)",
      access: 'user',
      roles: ['technician', 'reviewer', 'viewer'],
      handle: () => ({ json: provinceView(db, config.province) }),
    }),
  ];
}
