// The national level wired: a client per province, the outbox's sender, the readings of bulletins and
// reports on their timers, the recordings kept for sending, and what the routes call.
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../common/clock.ts';
import type { Logger } from '../../common/log.ts';
import type { Db } from '../db.ts';
import { badRequest } from '../http/errors.ts';
import { ProvinceFailure } from '../province/client.ts';
import { createNationalClient, type NationalClient } from './client.ts';
import type { ItemKind } from './items.ts';
import { createSender, type Sender } from './sender.ts';
import type { NationalSettings } from './settings.ts';
import { copyClip } from './steps.ts';
import { addItem, clipCopies } from './store.ts';
import { readBulletins, readReports } from './watch.ts';

const noClip = (id: string) =>
  badRequest([
    `no recording '${id}': upload it to POST /api/national/clips first`,
    'Không tìm thấy bản ghi âm: vui lòng tải lên trước.',
  ]);

export interface NationalDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  dataDir: string;
  settings: NationalSettings;
  /** Clients by province id; default: one over HTTP per province of the settings. */
  clients?: ReadonlyMap<string, NationalClient>;
}

export interface National {
  settings: NationalSettings;
  sender: Sender;
  clipsDir: string;
  /** Keeps an uploaded recording (moved from its temp file); answers its id. */
  keepClip(tmpFile: string, title: string, bytes: number): string;
  /** Stores the item with a waiting row per province and sends it at once. */
  send(
    kind: ItemKind,
    o: { title: string; level?: string; clipId?: string; body: object; provinces: 'all' | string[] },
    by: string,
  ): string;
  refreshReports(): Promise<void>;
  /**
   * Copies a recording to provinces ahead of an item (so a national emergency does not wait for its upload
   * and processing there); answers each province's clip id or reason. Not durable: an item copies it anyway.
   */
  stageClip(
    clipId: string,
    provinces: 'all' | string[],
    approve: boolean,
  ): Promise<{ provinceId: string; clipId: string | null; reason: string | null; reasonVi: string | null }[]>;
  start(): void;
  stop(): Promise<void>;
}

export function createNational(d: NationalDeps): National {
  const { db, clock, settings } = d;
  const clipsDir = path.join(d.dataDir, 'national-clips');
  mkdirSync(clipsDir, { recursive: true });
  const clients =
    d.clients ??
    new Map(settings.provinces.map((p) => [p.id, createNationalClient(p, clock, settings.timeoutSeconds)]));
  const clipRow = db.prepare('SELECT * FROM national_clips WHERE id = ?');
  const clipFile = (id: string) => {
    const r = clipRow.get(id) as { file: string; title: string } | undefined;
    if (!r) throw new Error(`national clip ${id} is gone`);
    return { file: path.join(clipsDir, r.file), title: r.title };
  };
  const chosenOf = (provinces: 'all' | string[]) => {
    const known = new Set(settings.provinces.map((p) => p.id));
    const chosen = provinces === 'all' ? [...known] : [...new Set(provinces)];
    const unknown = chosen.filter((p) => !known.has(p));
    if (unknown.length)
      throw badRequest([
        `unknown provinces: ${unknown.join(', ')} (PROVINCES_FILE lists ${[...known].join(', ')})`,
        `Không có tỉnh, thành phố này trong danh sách: ${unknown.join(', ')}.`,
      ]);
    return chosen;
  };
  const watchDeps = { db, clock, log: d.log, settings, clients };
  const sender = createSender({ db, clock, log: d.log, settings, clients, clipFile });
  const timers: NodeJS.Timeout[] = [];
  let tick = 0;
  let reading = false;

  return {
    settings,
    sender,
    clipsDir,
    keepClip(tmpFile, title, bytes) {
      const id = `nclip-${randomBytes(6).toString('hex')}`;
      renameSync(tmpFile, path.join(clipsDir, id));
      db.prepare(
        'INSERT INTO national_clips (id, title, file, bytes, created_at) VALUES (?, ?, ?, ?, ?)',
      ).run(id, title, id, bytes, clock.now().toISOString());
      return id;
    },
    send(kind, o, by) {
      const chosen = chosenOf(o.provinces);
      if (o.clipId && !clipRow.get(o.clipId)) throw noClip(o.clipId);
      const id = `nat-${randomBytes(6).toString('hex')}`;
      const item = {
        id,
        kind,
        level: o.level ?? null,
        title: o.title,
        body: JSON.stringify(o.body),
        clip_id: o.clipId ?? null,
        created_by: by,
      };
      addItem(db, item, chosen, o.level === 'emergency', clock.now().toISOString());
      sender.kick();
      return id;
    },
    refreshReports: () => readReports(watchDeps),
    stageClip(clipId, provinces, approve) {
      if (!clipRow.get(clipId)) throw noClip(clipId);
      const chosen = chosenOf(provinces);
      const copies = clipCopies(db);
      return Promise.all(
        chosen.map(async (provinceId) => {
          const client = clients.get(provinceId) as NationalClient;
          try {
            const remote = await copyClip({ client, provinceId, clipFile, copies }, clipId, approve);
            return { provinceId, clipId: remote, reason: null, reasonVi: null };
          } catch (e) {
            if (!(e instanceof ProvinceFailure)) throw e;
            return { provinceId, clipId: null, reason: e.message, reasonVi: e.messageVi };
          }
        }),
      );
    },
    start() {
      sender.start();
      timers.push(
        setInterval(() => {
          if (reading) return;
          reading = true;
          readBulletins(watchDeps, tick++)
            .catch((e) => d.log.warn(`national: reading bulletins: ${(e as Error).message}`))
            .finally(() => {
              reading = false;
            });
        }, settings.watchSeconds * 1000),
        setInterval(() => void readReports(watchDeps), settings.reportEverySeconds * 1000),
      );
      void readReports(watchDeps);
    },
    async stop() {
      for (const t of timers) clearInterval(t);
      await sender.stop();
    },
  };
}
