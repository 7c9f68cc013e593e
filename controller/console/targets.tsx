// The places a person may name: the area tree (any depth, by name and level), the stations hanging from
// it and their loudspeaker clusters (zones). The target picker with its search box, and targets in words.
import { raw } from 'hono/html';
import type { Page } from './context.ts';
import { faultMark, type Refused, typedAll } from './refused-form.tsx';

export interface AreaNode {
  id: string;
  parentId: string | null;
  level: string;
  code: string | null;
  name: string;
  depth: number;
  /** Ids from the root down to this area. */
  path: string[];
  /** Stations hanging directly from it. */
  stations: number;
  retiredAt: string | null;
}
export interface StationLite {
  id: string;
  name: string;
  areaId: string;
  areaPath: string[];
  zones: string[];
  online?: boolean;
}
export type TargetValue =
  | { scope: 'area' | 'station' | 'district' | 'ward'; id: string }
  | { scope: 'zone'; station: string; zone: string }
  | { scope: 'city' };

export interface Places {
  levels: { id: string; name: string }[];
  /** Live areas depth-first (children by Vietnamese name), then the retired ones. */
  areas: AreaNode[];
  area: Map<string, AreaNode>;
  stations: StationLite[];
  station: Map<string, StationLite>;
  levelName(level: string): string;
  /** Whether the person's scope reaches this chain of area ids. */
  reaches(path: string[]): boolean;
}

/** The tree (with retired areas, which old rules and reports still name) and the stations the person sees. */
export async function loadPlaces(page: Page): Promise<Places> {
  const [tree, stations] = await Promise.all([
    page.api('GET', '/api/areas?retired=true'),
    page.api('GET', '/api/stations'),
  ]);
  const { levels, areas } = tree.body as { levels: Places['levels']; areas: AreaNode[] };
  const scope = page.me.scope;
  const reaches = (path: string[]) => scope.kind === 'all' || path.some((id) => scope.ids.includes(id));
  const list = (stations.status === 200 ? stations.body : []) as StationLite[];
  return {
    levels,
    areas,
    area: new Map(areas.map((a) => [a.id, a])),
    stations: list.filter((s) => reaches(s.areaPath)),
    station: new Map(list.map((s) => [s.id, s])),
    levelName: (level) => levels.find((l) => l.id === level)?.name ?? level,
    reaches,
  };
}

/** The names from the top down, the root left out (it is everywhere) unless it is the area itself. */
export function chainNames(places: Places, areaId: string): string[] {
  const a = places.area.get(areaId);
  if (!a) return [areaId];
  const names = a.path.map((id) => places.area.get(id)?.name ?? id);
  return names.length > 1 ? names.slice(1) : names;
}

export const areaLabel = (places: Places, a: AreaNode) => `${a.name} (${places.levelName(a.level)})`;

interface Choice {
  value: string;
  label: string;
  depth: number;
  /** Shown on hover, and searched: the chain of names and the id. */
  title: string;
}
export type ChoiceKind = 'areas' | 'stations' | 'all';

const cache = new WeakMap<Places, Map<ChoiceKind, Choice[]>>();

/** What the person may target, as a tree: each area with its stations and their zones beneath it. */
export function choices(places: Places, page: Page, only: ChoiceKind = 'all'): Choice[] {
  const known = cache.get(places)?.get(only);
  if (known) return known;
  const t = page.t;
  const live = places.areas.filter((a) => !a.retiredAt && places.reaches(a.path));
  const top = Math.min(...live.map((a) => a.depth));
  const byArea = new Map<string, StationLite[]>();
  for (const s of places.stations) {
    const list = byArea.get(s.areaId) ?? [];
    list.push(s);
    byArea.set(s.areaId, list);
  }
  const out: Choice[] = [];
  for (const a of live) {
    const chain = a.path.map((id) => places.area.get(id)?.name ?? id).join(' › ');
    const depth = a.depth - top;
    if (only !== 'stations')
      out.push({
        value: `area:${a.id}`,
        label: areaLabel(places, a),
        depth,
        title: `${chain} · ${a.id}${a.code ? ` · ${t('code')} ${a.code}` : ''}`,
      });
    if (only === 'areas') continue;
    for (const s of (byArea.get(a.id) ?? []).sort((x, y) => x.name.localeCompare(y.name, 'vi'))) {
      out.push({
        value: `station:${s.id}`,
        label:
          only === 'stations'
            ? `${s.name} (${chainNames(places, a.id).join(' › ')})`
            : `${t('station')}: ${s.name}`,
        depth: only === 'stations' ? 0 : depth + 1,
        title: `${chain} › ${s.name} · ${s.id}`,
      });
      if (only === 'stations') continue;
      for (const z of s.zones)
        out.push({
          value: `zone:${s.id}/${z}`,
          label: `${t('zone')}: ${z} (${s.name})`,
          depth: depth + 2,
          title: `${chain} › ${s.name} › ${z}`,
        });
    }
  }
  cache.set(places, (cache.get(places) ?? new Map()).set(only, out));
  return out;
}

/**
 * Long lists are sent once per page (a template each picker copies at load) rather than once per picker;
 * a short list is written in each picker, which then works without script too.
 */
const INLINE_MAX = 400;
/**
 * Fills the pickers from their page's template, then hides the options that do not match the search box
 * (chain of names and id, without diacritics); a single select takes the first match.
 */
const PICKER_SCRIPT = `(function(){if(window.loaPick)return;window.loaPick=1;
function fold(s){return s.normalize('NFD').replace(/[\\u0300-\\u036f]/g,'').replace(/đ/g,'d').replace(/Đ/g,'D').toLowerCase();}
function fill(){document.querySelectorAll('select[data-choices]').forEach(function(sel){var tp=document.getElementById('choices-'+sel.dataset.choices);
if(!tp||sel.filled)return;sel.filled=1;var keep=[].map.call(sel.selectedOptions,function(o){return o.value;});
[].slice.call(sel.options).forEach(function(o){if(o.value)o.remove();});sel.appendChild(tp.content.cloneNode(true));
[].forEach.call(sel.options,function(o){if(keep.indexOf(o.value)>=0)o.selected=true;});});}
if(document.readyState==='loading')document.addEventListener('DOMContentLoaded',fill);else fill();
document.addEventListener('input',function(e){var box=e.target;if(!box.dataset||!box.dataset.filterFor)return;
var sel=document.getElementById(box.dataset.filterFor);if(!sel)return;var q=fold(box.value.trim()),first=null,n=0;
for(var i=0;i<sel.options.length;i++){var o=sel.options[i];if(!o.value)continue;if(o.k===undefined)o.k=fold(o.title+' '+o.textContent);
var ok=!q||o.k.indexOf(q)>=0;o.hidden=!ok;if(ok){n++;if(!first)first=o;}}
if(!sel.multiple&&first&&q)sel.value=first.value;box.setAttribute('data-matches',String(n));});})();`;

const Options = ({ list, selected = [] }: { list: Choice[]; selected?: string[] }) => (
  <>
    {list.map((c) => (
      <option value={c.value} title={c.title} selected={selected.includes(c.value)}>
        {'\u00a0\u00a0'.repeat(c.depth)}
        {c.label}
      </option>
    ))}
  </>
);

/** The pickers and templates a page has written so far (ids unique in the page, each template once). */
const written = new WeakMap<Page, { pickers: number; templates: Set<ChoiceKind> }>();

/**
 * A target picker: a search box over a select of the areas the person reaches (indented by depth, with
 * their level), their stations and zones; values `area:<id>`, `station:<id>`, `zone:<station>/<zone>`.
 */
export function TargetPicker({
  page,
  places,
  name = 'target',
  multiple = false,
  only = 'all',
  label,
  selected: given,
  required = true,
  refused,
}: {
  page: Page;
  places: Places;
  name?: string;
  multiple?: boolean;
  only?: ChoiceKind;
  label?: string;
  selected?: string;
  required?: boolean;
  refused?: Refused;
}) {
  const selected = [given ?? typedAll(refused, name) ?? []].flat();
  const state = written.get(page) ?? { pickers: 0, templates: new Set<ChoiceKind>() };
  written.set(page, state);
  const id = `pick-${name}-${++state.pickers}`;
  const list = choices(places, page, only);
  const shared = list.length > INLINE_MAX;
  const template = shared && !state.templates.has(only);
  if (template) state.templates.add(only);
  return (
    <label class="picker">
      {label ?? page.t('target')}
      <input
        type="search"
        data-filter-for={id}
        placeholder={page.t('searchByName')}
        aria-label={page.t('searchByName')}
        autocomplete="off"
      />
      <select
        id={id}
        name={name}
        multiple={multiple}
        size={multiple ? 6 : undefined}
        required={required}
        data-choices={shared ? only : undefined}
        {...faultMark(refused, name)}
      >
        {required || multiple ? null : <option value="" />}
        <Options list={shared ? list.filter((c) => selected.includes(c.value)) : list} selected={selected} />
      </select>
      {template ? (
        <template id={`choices-${only}`}>
          <Options list={list} />
        </template>
      ) : null}
      {state.pickers === 1 ? <script>{raw(PICKER_SCRIPT)}</script> : null}
    </label>
  );
}

/** Reads a picker's value back into the API's target: `area:<id>`, `station:<id>`, `zone:<station>/<zone>`. */
export function parseTarget(v: unknown): TargetValue {
  const s = String(v ?? '');
  const i = s.indexOf(':');
  const scope = i < 0 ? s : s.slice(0, i);
  const id = i < 0 ? '' : s.slice(i + 1);
  if (scope === 'zone') {
    const [station = '', zone = ''] = id.split('/');
    return { scope: 'zone', station, zone };
  }
  return { scope: scope === 'station' ? 'station' : 'area', id };
}

/** A target in words: the chain of names (the level of an area), the id on hover. */
export function TargetName({ places, page, target }: { places: Places; page: Page; target: TargetValue }) {
  const t = page.t;
  if (target.scope === 'zone') {
    const s = places.station.get(target.station);
    return (
      <span title={`${target.station}/${target.zone}`}>
        {t('zone')} {target.zone} · {s?.name ?? target.station}
      </span>
    );
  }
  if (target.scope === 'station') {
    const s = places.station.get(target.id);
    const where = s ? chainNames(places, s.areaId).join(' › ') : '';
    return (
      <span title={`station:${target.id}`}>
        {t('station')}: {s?.name ?? target.id}
        {where ? <span class="muted"> ({where})</span> : null}
      </span>
    );
  }
  // as before the area tree: the city is the root, a district or a ward the area with that id
  const id = target.scope === 'city' ? (places.areas.find((a) => a.depth === 0)?.id ?? '') : target.id;
  const a = places.area.get(id);
  if (!a) return <span title={`area:${id}`}>{id}</span>;
  return (
    <span title={`area:${a.id}${a.code ? ` · ${t('code')} ${a.code}` : ''}`}>
      {chainNames(places, a.id).join(' › ')} <span class="muted">({places.levelName(a.level)})</span>
    </span>
  );
}

/** Several targets, comma-separated. */
export const TargetNames = ({
  places,
  page,
  targets,
}: {
  places: Places;
  page: Page;
  targets: TargetValue[];
}) => (
  <>
    {targets.map((x, i) => (
      <>
        {i > 0 ? ', ' : ''}
        <TargetName places={places} page={page} target={x} />
      </>
    ))}
  </>
);
