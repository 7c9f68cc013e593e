// A reorganisation in the console: the form read into the API's operation, and the API's dry-run preview
// shown in words (areas, stations, slots, quiet windows, policies, campaigns, people, bulletins) above a
// confirm button that sends the same operation again to apply it.
import type { Child } from 'hono/jsx';
import type { Form, Page } from '../../context.ts';
import { Csrf } from '../../forms.tsx';
import type { WordKey } from '../../i18n.ts';
import { DataTable } from '../../layout.tsx';
import { type Places, parseTarget, type TargetValue } from '../../targets.tsx';

const one = (v: unknown) => String([v ?? ''].flat()[0] ?? '').trim();
const areaOf = (v: unknown) => {
  const t = parseTarget(one(v));
  return 'id' in t ? t.id : '';
};
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase();
/** Names or ids, comma-separated, read as the ids of `known` (a name matched without case or diacritics). */
const idsOf = (s: string | undefined, known: { id: string; name: string }[]) =>
  (s ?? '')
    .split(/[,;]/)
    .map((x) => x.trim())
    .filter(Boolean)
    .map((x) => known.find((k) => k.id === x || fold(k.name) === fold(x))?.id ?? x);

/** The API's operation from a reorganisation form (the API checks the rest and says why it refuses). */
export function operationOf(f: Form, places: Places): Record<string, unknown> {
  const code = one(f.code) || undefined;
  switch (one(f.operation)) {
    case 'rename':
      return { operation: 'rename', area: areaOf(f.area), name: one(f.name), ...(code ? { code } : {}) };
    case 'move':
      return { operation: 'move', area: areaOf(f.area), parent: areaOf(f.parent) };
    case 'merge': {
      const into = areaOf(f.into);
      return {
        operation: 'merge',
        areas: [f.areas ?? []].flat().map(areaOf),
        into: into || { name: one(f.name), ...(code ? { code } : {}) },
      };
    }
    default: {
      const area = areaOf(f.area);
      const stations = places.stations.filter((s) => s.areaId === area);
      const children = places.areas.filter((a) => a.parentId === area && !a.retiredAt);
      return {
        operation: 'split',
        area,
        into: one(f.parts)
          .split(/\r?\n/)
          .filter((l) => l.trim())
          .map((line) => {
            const [name, partCode, own, below] = line.split('|').map((x) => x.trim());
            return {
              name: name ?? '',
              ...(partCode ? { code: partCode } : {}),
              stations: idsOf(own, stations),
              children: idsOf(below, children),
            };
          }),
      };
    }
  }
}

type Side = { areaId: string; path: string[] } | null;
interface Preview {
  operation: { operation: string };
  areas: {
    id: string;
    change: string;
    before: { name: string; path: string[]; code: string | null } | null;
    after: { name: string; path: string[]; code: string | null } | null;
  }[];
  stations: {
    id: string;
    name: string;
    before: Side;
    after: Side;
    slots: { gained: string[]; lost: string[] };
    quietWindows: { gained: string[]; lost: string[] };
    policies: { gained: string[]; lost: string[] };
  }[];
  slots: Rule[];
  quietWindows: Rule[];
  policies: Rule[];
  campaigns: { id: string; name: string; before: string | null; after: string | null }[];
  users: { username: string; before: string[]; after: string[] }[];
  bulletins: { id: string; title: string }[];
  counts: Record<string, number>;
  history: { asRunRecordsKept: number };
}
interface Rule {
  id: string;
  change: string;
  before: TargetValue | null;
  after: TargetValue;
  stations: { before: number; after: number };
}

/** The preview in words, then the button that applies exactly this operation. */
export function ReorganisePreview({
  page,
  places,
  p,
  op,
}: {
  page: Page;
  places: Places;
  p: Preview;
  op: Record<string, unknown>;
}) {
  const { t } = page;
  // the areas the operation creates have no place in the tree yet: their names come from the preview
  const made = new Map(p.areas.filter((a) => a.after).map((a) => [a.id, a.after?.name ?? a.id]));
  const name = (id: string | null) => (id ? (made.get(id) ?? places.area.get(id)?.name ?? id) : '-');
  const target = (x: TargetValue | null) =>
    !x
      ? '-'
      : x.scope === 'zone'
        ? `${t('zone')} ${x.zone} · ${places.station.get(x.station)?.name ?? x.station}`
        : x.scope === 'station'
          ? `${t('station')}: ${places.station.get(x.id)?.name ?? x.id}`
          : 'id' in x
            ? name(x.id)
            : '-';
  const path = (s: { path: string[] } | null) => (s ? s.path.slice(1).join(' › ') || s.path.join('') : '-');
  const diff = (d: { gained: string[]; lost: string[] }) =>
    [d.gained.length ? `+${d.gained.length}` : '', d.lost.length ? `−${d.lost.length}` : '']
      .filter(Boolean)
      .join(' ') || '-';
  const rules = (key: WordKey, list: Rule[]) =>
    list.length ? (
      <Part title={`${t(key)} (${list.length})`}>
        <DataTable heads={['', t('before'), t('after'), t('stationCount')]}>
          {list.map((r) => (
            <tr title={r.id}>
              <td>{t(`change.${r.change}` as WordKey)}</td>
              <td>{target(r.before)}</td>
              <td>{target(r.after)}</td>
              <td>
                {r.stations.before} → {r.stations.after}
              </td>
            </tr>
          ))}
        </DataTable>
      </Part>
    ) : null;
  const total = Object.values(p.counts).reduce((a, b) => a + b, 0);
  return (
    <section class="card" data-preview={p.operation.operation}>
      <h2 style="margin-top:0">
        {t(`op.${p.operation.operation}` as WordKey)} · {t('previewTitle')}
      </h2>
      {total === 0 ? <p>{t('nothingChanges')}</p> : null}
      {p.areas.length ? (
        <Part title={`${t('areas')} (${p.areas.length})`}>
          <DataTable heads={['', t('before'), t('after')]}>
            {p.areas.map((a) => (
              <tr data-area-change={a.change} title={a.id}>
                <td>{t(`change.${a.change}` as WordKey)}</td>
                <td>{path(a.before)}</td>
                <td>{path(a.after)}</td>
              </tr>
            ))}
          </DataTable>
        </Part>
      ) : null}
      {p.stations.length ? (
        <Part title={`${t('stations')} (${p.stations.length})`}>
          <DataTable
            heads={[t('station'), t('before'), t('after'), t('slots'), t('quietWindows'), t('airTimePolicy')]}
          >
            {p.stations.map((s) => (
              <tr data-station-change={s.id} title={s.id}>
                <td>{s.name}</td>
                <td>{path(s.before)}</td>
                <td>{path(s.after)}</td>
                <td>{diff(s.slots)}</td>
                <td>{diff(s.quietWindows)}</td>
                <td>{diff(s.policies)}</td>
              </tr>
            ))}
          </DataTable>
        </Part>
      ) : null}
      {rules('slots', p.slots)}
      {rules('quietWindows', p.quietWindows)}
      {rules('airTimePolicy', p.policies)}
      {p.campaigns.length ? (
        <Part title={`${t('campaigns')} (${p.campaigns.length})`}>
          <ul>
            {p.campaigns.map((c) => (
              <li title={c.id}>
                {c.name}: {name(c.before)} → {name(c.after)}
              </li>
            ))}
          </ul>
        </Part>
      ) : null}
      {p.users.length ? (
        <Part title={`${t('users')} (${p.users.length})`}>
          <ul>
            {p.users.map((u) => (
              <li>
                {u.username}: {u.before.map(name).join(', ')} → {u.after.map(name).join(', ')}
              </li>
            ))}
          </ul>
        </Part>
      ) : null}
      {p.bulletins.length ? (
        <Part title={`${t('bulletins')} (${p.bulletins.length})`}>
          <ul>
            {p.bulletins.map((b) => (
              <li title={b.id}>{b.title}</li>
            ))}
          </ul>
        </Part>
      ) : null}
      <p class="muted">
        {t('asRunKept')}: {p.history.asRunRecordsKept}
      </p>
      <form method="post" action="/console/areas/reorganise">
        <Csrf page={page} />
        <input type="hidden" name="op" value={JSON.stringify(op)} />
        <button type="submit" name="confirm" value="yes">
          {t('confirmApply')}
        </button>{' '}
        <a href="/console/areas">{t('cancel')}</a>
      </form>
    </section>
  );
}

const Part = ({ title, children }: { title: string; children: Child }) => (
  <>
    <h3 style="font-size:1rem;margin:.75rem 0 .3rem">{title}</h3>
    {children}
  </>
);
