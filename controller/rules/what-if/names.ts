// What a what-if names: the entries it changes and what causes each change, by the names people know (a
// campaign's name and the slot's time, a bulletin's title, a quiet window's reason, hours and note), read
// once per id; the change's own slot, window or bulletin from the proposal, as it is not stored yet.
import { parseEntryId } from '../../../schedules/entry-ids.ts';
import type { QuietWindow, Slot, TimetableEntry } from '../../../schedules/model.ts';
import { getAlertRow } from '../../alerts/store.ts';
import { findCampaign } from '../../campaigns/store.ts';
import { findClip } from '../../clips/store.ts';
import type { Db } from '../../db.ts';
import { findRule, type RuleTable } from '../store.ts';
import type { CauseRef } from './diff.ts';
import type { Proposal } from './proposal.ts';

/** A slot, bulletin, announcement, quiet window or local override, by name; `proposed` when it is the change's. */
export interface Named {
  kind: 'slot' | 'alert' | 'announcement' | 'quiet-window' | 'override';
  id: string;
  /** A slot's campaign (else its clips' titles), a bulletin's title, a quiet window's note; '' when none. */
  name: string;
  /** A slot's start (HH:mm), a quiet window's hours (HH:mm-HH:mm). */
  time?: string;
  /** A quiet window's reason code (online-class, ...); a bulletin's level; a local override's kind. */
  quietReason?: string;
  level?: string;
  overrideKind?: string;
  proposed: boolean;
}

const hm = (t: string) => t.slice(0, 5);

/** Names read from the store (each id once) or, for the change's own, from the proposal. */
export function namer(db: Db, proposal: Proposal) {
  const known = new Map<string, Named>();
  const once = (key: string, read: () => Named) => {
    let n = known.get(key);
    if (!n) {
      n = read();
      known.set(key, n);
    }
    return n;
  };
  const mine = (id: string) => proposal.ownIds.has(id);

  const slotName = (s: Slot): string => {
    const campaign = s.campaignId ? findCampaign(db, s.campaignId) : undefined;
    if (campaign) return campaign.name;
    return s.clipIds.map((id) => findClip(db, id)?.title ?? id).join(', ');
  };
  /** As proposed, or as stored (`was`: the version an edit replaces, and every other rule). */
  const ruleOf = <T extends { id: string }>(
    id: string,
    mine: T | undefined,
    table: RuleTable,
    was: boolean,
  ) => (!was && mine?.id === id ? mine : findRule<T>(db, table, id));
  const slot = (id: string, was = false): Named =>
    once(`slot:${id}:${was}`, () => {
      const s = ruleOf<Slot>(id, proposal.slot, 'slots', was);
      const base = { kind: 'slot' as const, id, proposed: mine(id) };
      return s ? { ...base, name: slotName(s), time: hm(s.startTime) } : { ...base, name: '' };
    });
  const alert = (id: string): Named =>
    once(`alert:${id}`, () => {
      if (proposal.alert?.id === id)
        return { kind: 'alert', id, name: proposal.alert.title, level: proposal.alert.level, proposed: true };
      try {
        const r = getAlertRow(db, id);
        return { kind: 'alert', id, name: r.title, level: r.level, proposed: false };
      } catch {
        return { kind: 'alert', id, name: '', proposed: false };
      }
    });
  const quiet = (id: string, was = false): Named =>
    once(`quiet:${id}:${was}`, () => {
      const q = ruleOf<QuietWindow>(id, proposal.quiet, 'quiet_windows', was);
      const base = { kind: 'quiet-window' as const, id, proposed: mine(id) };
      return q
        ? { ...base, name: q.note, time: `${hm(q.startTime)}-${hm(q.endTime)}`, quietReason: q.reason }
        : { ...base, name: '' };
    });
  const entryById = (entryId: string, was: boolean): Named => {
    const p = parseEntryId(entryId);
    if (p?.kind === 'slot') return slot(p.slotId, was);
    if (p?.kind === 'alert') return alert(p.alertId);
    const id = p?.kind === 'announcement' ? p.overrideId : entryId;
    return { kind: 'announcement', id, name: '', proposed: false };
  };
  return {
    /** The entry's slot, bulletin or announcement. */
    entry: (e: TimetableEntry): Named => {
      if (e.source?.kind === 'alert') return alert(e.source.alertId);
      if (e.source?.kind === 'announcement')
        return { kind: 'announcement', id: e.source.overrideId, name: '', proposed: false };
      return slot(e.slotId);
    },
    /** `was`: the cause as stored now (what an edit takes away), else as it will be. */
    cause: (c: CauseRef, was = false): Named => {
      if (c.kind === 'quiet-window') return quiet(c.quietWindowId, was);
      if (c.kind === 'override')
        return {
          kind: 'override',
          id: c.overrideId,
          name: '',
          overrideKind: c.overrideKind,
          proposed: false,
        };
      return entryById(c.entryId, was);
    },
  };
}
