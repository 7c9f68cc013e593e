// The area tree at any depth (the deployment's levels): each area with its level, official code, number of
// stations and the stations under it; a filter to one area's subtree; the admin's forms (area-forms.tsx)
// and a reorganisation's preview (reorganise.tsx).
import type { Child } from 'hono/jsx';
import type { Page } from '../../context.ts';
import { Csrf } from '../../forms.tsx';
import { ErrorBox, Layout } from '../../layout.tsx';
import { FieldFault, faultMark, refusedFor, typed } from '../../refused-form.tsx';
import { type AreaNode, loadPlaces, type Places, type StationLite, TargetPicker } from '../../targets.tsx';
import { AreaForms } from './area-forms.tsx';

export interface AreasView {
  /** Only this area and what lies under it. */
  focus?: string;
  error?: string;
  notice?: string;
  /** Shown above the tree: an import's or a reorganisation's preview. */
  preview?: Child;
}

export async function areasPage(page: Page, view: AreasView = {}) {
  const { t, me } = page;
  const places = await loadPlaces(page);
  const live = places.areas.filter((a) => !a.retiredAt);
  const kids = new Map<string | null, AreaNode[]>();
  for (const a of live) kids.set(a.parentId, [...(kids.get(a.parentId) ?? []), a]);
  const under = new Map<string, StationLite[]>();
  for (const s of places.stations) under.set(s.areaId, [...(under.get(s.areaId) ?? []), s]);
  /** Stations in the area and below (those the person sees). */
  const totals = new Map<string, number>();
  const total = (id: string): number => {
    const known = totals.get(id);
    if (known !== undefined) return known;
    const n = (under.get(id)?.length ?? 0) + (kids.get(id) ?? []).reduce((k, c) => k + total(c.id), 0);
    totals.set(id, n);
    return n;
  };
  // the tops: the focused area, else the highest areas the person reaches
  const focus = view.focus ? places.area.get(view.focus) : undefined;
  const tops = focus
    ? [focus]
    : live.filter(
        (a) =>
          places.reaches(a.path) && !(a.parentId && places.reaches(places.area.get(a.parentId)?.path ?? [])),
      );
  const admin = me.role === 'admin';
  const rest = depthLimit(tops, kids, under);
  return (
    <Layout page={page} title={focus ? `${t('areas')}: ${focus.name}` : t('areas')}>
      <ErrorBox message={view.error} />
      {view.notice ? <p class="card ok">{view.notice}</p> : null}
      {view.preview ?? null}
      {live.length ? (
        <form method="get" action="/console/areas" class="card">
          <TargetPicker
            page={page}
            places={places}
            name="area"
            only="areas"
            label={t('stationsByArea')}
            selected={focus ? `area:${focus.id}` : undefined}
          />
          <button type="submit">{t('stationsByArea')}</button>
          {focus ? <a href="/console/areas">{t('wholeTree')}</a> : null}
        </form>
      ) : (
        <p class="muted">{t('noAreas')}</p>
      )}
      <div class="card tree" data-tree>
        <ul style="list-style:none;padding-left:0;margin:0">
          {tops.map((a) => (
            <AreaItem
              page={page}
              places={places}
              a={a}
              kids={kids}
              under={under}
              total={total}
              open={2}
              rest={rest}
            />
          ))}
        </ul>
      </div>
      {admin || me.role === 'technician' ? <AreaForms page={page} places={places} admin={admin} /> : null}
      {admin ? <StationForm page={page} places={places} /> : null}
    </Layout>
  );
}

function AreaItem({
  page,
  places,
  a,
  kids,
  under,
  total,
  open,
  rest,
}: {
  page: Page;
  places: Places;
  a: AreaNode;
  kids: Map<string | null, AreaNode[]>;
  under: Map<string, StationLite[]>;
  total: (id: string) => number;
  open: number;
  /** Levels still written below this one; then a link to the area's own page. */
  rest: number;
}) {
  const { t } = page;
  const stations = [...(under.get(a.id) ?? [])].sort((x, y) => x.name.localeCompare(y.name, 'vi'));
  const children = kids.get(a.id) ?? [];
  const n = total(a.id);
  return (
    <li data-area={a.id} data-depth={a.depth} style="list-style:none">
      <details open={open > 0 || undefined}>
        <summary>
          <b title={a.id}>{a.name}</b>{' '}
          <span class="muted">
            ({places.levelName(a.level)}){a.code ? ` · ${t('code')} ${a.code}` : ''}
          </span>{' '}
          <a
            href={`/console?area=${encodeURIComponent(a.id)}`}
            class="pill"
            data-count={n}
            title={t('stationsByArea')}
          >
            {n} {t('stationsN')}
          </a>
        </summary>
        <ul style="list-style:square;padding-left:1.6rem;margin:.2rem 0">
          {stations.map((s) => (
            <li data-station={s.id}>
              <a href={`/console/stations/${s.id}`}>{s.name}</a>{' '}
              {s.online === undefined ? null : (
                <span class={`pill ${s.online ? 'ok' : 'bad'}`}>
                  {s.online ? t('online') : t('filterOffline')}
                </span>
              )}
              {s.zones.length ? (
                <span class="muted">
                  {' '}
                  · {t('zone')}: {s.zones.join(', ')}
                </span>
              ) : null}
            </li>
          ))}
          {rest > 0 ? (
            children.map((c) => (
              <AreaItem
                page={page}
                places={places}
                a={c}
                kids={kids}
                under={under}
                total={total}
                open={open - 1}
                rest={rest - 1}
              />
            ))
          ) : children.length ? (
            <li style="list-style:none" data-more={a.id}>
              <a href={`/console/areas?area=${encodeURIComponent(a.id)}`}>
                {t('openBelow')} ({children.length})
              </a>
            </li>
          ) : null}
        </ul>
      </details>
    </li>
  );
}

/** Renames a station or hangs it from another area (any depth), through the stations API. */
function StationForm({ page, places }: { page: Page; places: Places }) {
  const { t } = page;
  if (!places.stations.length) return null;
  // a refused change comes back open, as typed, the field at fault marked
  const refused = refusedFor(page, '/console/areas/stations');
  return (
    <details class="card" open={!!refused}>
      <summary>{t('editStation')}</summary>
      <form method="post" action="/console/areas/stations" class="card">
        <Csrf page={page} />
        <TargetPicker
          page={page}
          places={places}
          name="station"
          only="stations"
          label={t('station')}
          refused={refused}
        />
        <label>
          {t('newName')}
          <input name="name" maxlength={200} value={typed(refused, 'name')} {...faultMark(refused, 'name')} />
          <FieldFault refused={refused} name="name" />
        </label>
        <TargetPicker
          page={page}
          places={places}
          name="area"
          only="areas"
          label={t('area')}
          refused={refused}
        />
        <button type="submit">{t('save')}</button>
      </form>
      <form method="post" action="/console/areas/import" class="card" style="grid-template-columns:1fr">
        <Csrf page={page} />
        <label>
          {t('importCsv')}
          <textarea name="csv" rows={3} placeholder="id,name,area,timezone" required />
        </label>
        <button type="submit">{t('import')}</button>
      </form>
    </details>
  );
}

/** Areas and stations one page writes at most: a province's whole tree opens level by level. */
const TREE_MAX = 1500;

/** How many levels below the tops fit in TREE_MAX (at least the tops themselves). */
function depthLimit(
  tops: AreaNode[],
  kids: Map<string | null, AreaNode[]>,
  under: Map<string, StationLite[]>,
) {
  let level = tops;
  let count = 0;
  for (let depth = 0; level.length; depth++) {
    count += level.length + level.reduce((n, a) => n + (under.get(a.id)?.length ?? 0), 0);
    if (count > TREE_MAX && depth > 0) return depth - 1;
    level = level.flatMap((a) => kids.get(a.id) ?? []);
  }
  return Number.POSITIVE_INFINITY;
}
