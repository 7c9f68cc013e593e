// /api/backups: the admin sees the backups and the last good one, takes one now, and checks integrity.
import type { ControllerDeps } from '../deps.ts';
import { conflict, HttpError } from '../http/errors.ts';
import { type AnyRoute, defineRoute } from '../http/route.ts';
import { BackupBusy } from './service.ts';

export function backupRoutes({ backups }: ControllerDeps): AnyRoute[] {
  const need = () => {
    if (!backups)
      throw new HttpError(404, 'not_found', [
        'backups are not set up on this controller',
        'Máy chủ điều khiển này chưa được thiết lập sao lưu.',
      ]);
    return backups;
  };
  return [
    defineRoute({
      method: 'get',
      path: '/api/backups',
      tag: 'backups',
      summary: 'The backups kept (newest first), the last good one, the daily time and the last failure',
      access: 'admin',
      handle: () => ({ json: need().status() }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/backups',
      tag: 'backups',
      summary: 'Take a backup now (database online, and the clip store); 409 while one is running',
      access: 'admin',
      responses: { 409: 'a backup is already running' },
      handle: async () => {
        try {
          return { status: 201, json: await need().takeNow('manual') };
        } catch (e) {
          if (e instanceof BackupBusy)
            throw conflict([e.message, 'Đang có một lần sao lưu chạy dở; vui lòng chờ xong rồi thử lại.']);
          throw e;
        }
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/backups/check',
      tag: 'backups',
      summary:
        'Check the database (quick_check) and every clip file against its hash now; damaged clips are put back from a backup',
      access: 'admin',
      handle: async () => ({ json: await need().checkIntegrity() }),
    }),
  ];
}
