// The outbox's sender: every row due is sent (emergencies first, all rows in parallel up to a limit, so an
// emergency reaches every province at once); an outage waits min·2^n seconds plus full jitter (common/
// backoff.ts) up to the maximum, a refusal is kept with the province's reason and not sent again.
import { retryDelay } from '../../common/backoff.ts';
import type { Clock } from '../../common/clock.ts';
import type { Logger } from '../../common/log.ts';
import type { Db } from '../db.ts';
import { ProvinceFailure } from '../province/client.ts';
import type { NationalClient } from './client.ts';
import type { NationalSettings } from './settings.ts';
import { type Done, sendItem, withdrawItem } from './steps.ts';
import {
  clipCopies,
  dueSends,
  getItem,
  nextDueAt,
  noteLink,
  recordOutcome,
  type SendRow,
  saveSteps,
  sendRow,
} from './store.ts';

/** Rows in flight at once (a national emergency to every province goes in one pass). */
const PARALLEL = 64;

export interface SenderDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  settings: NationalSettings;
  clients: ReadonlyMap<string, NationalClient>;
  clipFile(clipId: string): { file: string; title: string };
  random?: () => number;
  /** Called when a bulletin is accepted at a province (the watcher starts reading its counts). */
  accepted?(row: SendRow, remoteId: string): void;
}

export interface Sender {
  /** One pass over the rows due now; answers how many were accepted, refused and left waiting. */
  runDue(): Promise<{ accepted: number; refused: number; waiting: number }>;
  /** Sends what is due now and keeps sending as rows fall due. */
  start(): void;
  /** Wakes the sender now (an item was just added). */
  kick(): void;
  stop(): Promise<void>;
}

export function createSender(d: SenderDeps): Sender {
  const inFlight = new Set<string>();
  const copies = clipCopies(d.db);
  const { minSeconds, maxSeconds } = d.settings.retry;
  const backoff = { minMs: minSeconds * 1000, maxMs: maxSeconds * 1000 };
  let timer: NodeJS.Timeout | null = null;
  // passes run side by side (an emergency does not wait behind a campaign's upload); a row runs in one only
  const running = new Set<Promise<unknown>>();
  let stopped = true;

  async function one(row: SendRow, tally: { accepted: number; refused: number; waiting: number }) {
    const item = getItem(d.db, row.item_id);
    const client = d.clients.get(row.province_id);
    const now = () => d.clock.now().toISOString();
    if (!item || !client) {
      // a province taken out of PROVINCES_FILE since: said once, not tried for ever
      const why = `${row.province_id} is no longer in PROVINCES_FILE`;
      const whyVi = `${row.province_id} không còn trong danh sách các tỉnh (PROVINCES_FILE).`;
      recordOutcome(d.db, row, { state: 'refused', error: why, errorVi: whyVi }, now());
      tally.refused++;
      return;
    }
    const done = JSON.parse(row.steps) as Done;
    const steps = {
      client,
      provinceId: row.province_id,
      clipFile: d.clipFile,
      copies,
      save: (x: Done) => saveSteps(d.db, row.item_id, row.province_id, x),
    };
    try {
      if (item.cancelled_at) {
        const remoteId = await withdrawItem(item, done, steps);
        recordOutcome(d.db, row, { state: 'cancelled', remoteId }, now());
        noteLink(d.db, row.province_id, now());
        return;
      }
      const remoteId = await sendItem(item, done, steps);
      recordOutcome(d.db, row, { state: 'accepted', remoteId }, now());
      noteLink(d.db, row.province_id, now());
      tally.accepted++;
      d.accepted?.(row, remoteId);
    } catch (e) {
      if (!(e instanceof ProvinceFailure)) throw e;
      if (e.kind === 'refused') {
        recordOutcome(d.db, row, { state: 'refused', error: e.message, errorVi: e.messageVi }, now());
        noteLink(d.db, row.province_id, now());
        tally.refused++;
        d.log.warn(`national: ${row.province_id} refused ${row.item_id}: ${e.message}`);
        return;
      }
      const wait = Math.min(backoff.maxMs, backoff.minMs + retryDelay(row.attempts, backoff, d.random));
      const nextAt = new Date(d.clock.now().getTime() + wait).toISOString();
      recordOutcome(d.db, row, { state: 'waiting', nextAt, error: e.message, errorVi: e.messageVi }, now());
      noteLink(d.db, row.province_id, now(), { en: e.message, vi: e.messageVi });
      tally.waiting++;
    }
  }

  async function runDue() {
    const tally = { accepted: 0, refused: 0, waiting: 0 };
    for (;;) {
      const rows = dueSends(d.db, d.clock.now().toISOString(), PARALLEL * 4).filter(
        (r) => !inFlight.has(`${r.item_id} ${r.province_id}`),
      );
      if (!rows.length) return tally;
      let next = 0;
      const worker = async () => {
        while (next < rows.length) {
          const listed = rows[next++] as SendRow;
          const k = `${listed.item_id} ${listed.province_id}`;
          // another pass (a kick while this one runs) may have taken or answered it since it was listed
          if (inFlight.has(k)) continue;
          const r = sendRow(d.db, listed.item_id, listed.province_id);
          if (r?.state !== 'waiting' || r.next_at > d.clock.now().toISOString()) continue;
          inFlight.add(k);
          try {
            await one(r, tally);
          } finally {
            inFlight.delete(k);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL, rows.length) }, worker));
    }
  }

  function schedule() {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    const at = nextDueAt(d.db);
    if (!at) return;
    const ms = Math.max(0, Math.min(2 ** 31 - 1, new Date(at).getTime() - d.clock.now().getTime()));
    timer = setTimeout(kick, ms);
  }

  function kick() {
    if (stopped) return;
    const pass: Promise<unknown> = runDue()
      .catch((e) => d.log.error(`national: sending failed: ${(e as Error).stack ?? e}`))
      .finally(() => {
        running.delete(pass);
        schedule();
      });
    running.add(pass);
  }

  return {
    runDue,
    start() {
      stopped = false;
      kick();
    },
    kick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.all([...running]);
    },
  };
}
