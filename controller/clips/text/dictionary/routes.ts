// /api/speech/dictionary: the province's own abbreviations (read by text clips, previews and, in their
// desired state, the stations' own announcements), beside the built-in ones and the candidates.
import { z } from 'zod';
import { speech } from '../../../../audio/index.ts';
import type { ControllerDeps } from '../../../deps.ts';
import { type AnyRoute, defineRoute } from '../../../http/route.ts';
import { checkEntry, dictionaryFull, MAX_ENTRIES, noEntry } from './check.ts';
import { deleteEntry, dictionaryCandidates, getEntry, listEntries, putEntry } from './store.ts';

const PutBody = z.strictObject({ spoken: z.string().max(1000) });
const writtenOf = (params: Record<string, string>) => params.written ?? '';
const userOf = (p: { kind: string; username?: string } | null) =>
  p?.kind === 'user' ? (p.username ?? null) : null;

export function dictionaryRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, clock, desired } = deps;
  return [
    defineRoute({
      method: 'get',
      path: '/api/speech/dictionary',
      tag: 'clips',
      summary:
        "The province's dictionary ({written, spoken, changedBy, changedAt}), the built-in abbreviations " +
        '(builtIn; an entry of the province with the same written form replaces one) and the candidates: words ' +
        'recent text clips spelled out or left as unknown capitals',
      access: 'user',
      handle: () => ({
        json: {
          entries: listEntries(db),
          builtIn: Object.entries(speech.ABBREVIATIONS).map(([written, spoken]) => ({ written, spoken })),
          candidates: dictionaryCandidates(db),
          limit: MAX_ENTRIES,
        },
      }),
    }),
    defineRoute({
      method: 'put',
      path: '/api/speech/dictionary/:written',
      tag: 'clips',
      summary:
        'Adds or changes an entry: {spoken}. Refused: an empty or too long form, a spoken form with digits or ' +
        'symbols, a written form the normaliser would not read as a word of its own (422). Every station gets ' +
        'the dictionary in its desired state',
      access: 'user',
      roles: ['technician'],
      body: PutBody,
      responses: { 200: 'changed', 201: 'added', 400: 'refused', 409: 'dictionary full', 422: 'not matched' },
      handle: ({ params, body, principal }) => {
        const e = checkEntry(writtenOf(params), body.spoken);
        if (!getEntry(db, e.written) && listEntries(db).length >= MAX_ENTRIES) throw dictionaryFull();
        const { entry, created } = putEntry(db, e, userOf(principal), clock.now().toISOString());
        desired.sync();
        return { status: created ? 201 : 200, json: entry };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/speech/dictionary/:written',
      tag: 'clips',
      summary: 'Removes an entry of the province (a built-in one it replaced reads again)',
      access: 'user',
      roles: ['technician'],
      responses: { 204: 'removed', 404: 'no such entry' },
      handle: ({ params }) => {
        const written = writtenOf(params).trim().replace(/\s+/g, ' ');
        if (!deleteEntry(db, written)) throw noEntry(written);
        desired.sync();
        return new Response(null, { status: 204 });
      },
    }),
  ];
}
