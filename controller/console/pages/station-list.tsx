// The station list: one page at a time, filtered on the server by status, area (any depth) and text.
import { reasonText } from '../../../schedules/reason-words.ts';
import type { Page } from '../context.ts';
import type { WordKey } from '../i18n.ts';
import { DataTable, ErrorBox, Layout } from '../layout.tsx';
import { localStamp } from '../local-time.ts';
import { entryNames } from '../names.ts';
import { outcomeWord } from '../say/outcomes.ts';

export interface Station {
  id: string;
  name: string;
  areaId: string;
  timezone: string;
  desiredVersion: number;
  online: boolean;
  presenceAt: string | null;
  health: {
    desiredVersion: number;
    relayOn: boolean;
    playing: string | null;
    clockTrusted: boolean;
    clockOffsetMs?: number | null;
    /** Desired states and bulletins the station refused for their signature (controller/signing/). */
    refused?: { count: number; last: { kind: 'desired' | 'bulletin'; reason: string; at: string } };
  } | null;
  /** Breaks found in its as-run hash chain (controller/signing/chain.ts). */
  asRunChain?: { breaks: number; last: { kind: string; recordIds: string[]; foundAt: string } } | null;
}
interface Play {
  stationId: string;
  scheduledAt: string;
  outcome: string;
  reason: string | null;
}

const FILTERS = ['all', 'offline', 'out-of-sync', 'missed'] as const;
type Filter = (typeof FILTERS)[number];

/** An as-run outcome in words ("Đã phát"), the code itself if it is a new one. */
export const outcomeText = (page: Page, outcome: string) => outcomeWord(page.lang, outcome);

/** What a station refused for its signature, and a break in its as-run chain, when there is one. */
function Integrity({ page, s }: { page: Page; s: Station }) {
  const { t } = page;
  const refused = s.health?.refused;
  const chain = s.asRunChain;
  const kind = chain?.last.kind === 'broken' ? 'broken-link' : chain?.last.kind;
  return (
    <>
      {refused ? (
        <span
          class="pill bad"
          data-refused={refused.count}
          title={`${t(`refused.${refused.last.reason}` as WordKey) ?? ''}; ${t('refusedTimes')}: ${refused.count}`}
        >
          {t(refused.last.kind === 'desired' ? 'refused.desired' : 'refused.bulletin')} ({t('lastAt')}{' '}
          {localStamp(refused.last.at, s.timezone)})
        </span>
      ) : null}
      {chain ? (
        <span
          class="pill bad"
          data-chain-breaks={chain.breaks}
          title={`${t('chainRecords')}: ${chain.last.recordIds.join(', ')}`}
        >
          {t('chain.broken')}: {t(`chain.${kind}` as WordKey)} ({localStamp(chain.last.foundAt, s.timezone)})
        </span>
      ) : null}
    </>
  );
}

/** Over this, a station's clock is flagged: neighbouring stations would start bulletins audibly apart. */
export const CLOCK_OFFSET_FLAG_MS = 50;

/** A trusted clock's offset from true time as the station measures it; flagged when over 50 ms either way. */
const ClockOffset = ({ page, ms }: { page: Page; ms: number | null }) =>
  ms === null ? (
    page.t('trusted')
  ) : Math.abs(ms) > CLOCK_OFFSET_FLAG_MS ? (
    <span class="pill warn" data-clock-offset={Math.round(ms)}>
      {page.t('clockOff')} {ms > 0 ? '+' : ''}
      {Math.round(ms)} ms
    </span>
  ) : (
    <span data-clock-offset={Math.round(ms)}>
      {page.t('trusted')} ({ms > 0 ? '+' : ''}
      {Math.round(ms)} ms)
    </span>
  );

/** What the list shows besides the status filter: text, an area (any depth) and where the page starts. */
export interface ListParams {
  q?: string;
  area?: string;
  cursor?: string;
}

/** The station list one page at a time: the server filters by status, area and text and pages by cursor. */
export async function stationsPage(page: Page, filter: Filter, params: ListParams = {}) {
  const { t, api, lang } = page;
  const status = filter === 'all' ? undefined : filter;
  const query = (over: ListParams & { filter?: Filter }) => {
    const all = { filter, q: params.q, area: params.area, ...over };
    const kept = Object.entries(all).filter(([k, v]) => v && !(k === 'filter' && v === 'all'));
    return new URLSearchParams(kept as [string, string][]).toString();
  };
  const apiQuery = new URLSearchParams({ cursor: params.cursor ?? '', limit: '50' });
  if (status) apiQuery.set('status', status);
  if (params.q) apiQuery.set('q', params.q);
  if (params.area) apiQuery.set('area', params.area);
  const [res, tree] = await Promise.all([
    api('GET', `/api/stations?${apiQuery}`),
    api('GET', '/api/areas?retired=true'),
  ]);
  const list = (res.status === 200 ? res.body : { items: [], nextCursor: null }) as {
    items: (Station & { areaPath: string[]; lastPlay: Play | null })[];
    nextCursor: string | null;
  };
  const areas = (tree.status === 200 ? tree.body.areas : []) as {
    id: string;
    name: string;
    depth: number;
    path: string[];
    retiredAt: string | null;
  }[];
  const areaName = new Map(areas.map((a) => [a.id, a.name]));
  const entryName = await entryNames(
    page,
    list.items.map((s) => s.health?.playing),
  );
  const scope = page.me.scope;
  const pickable = areas.filter(
    (a) => !a.retiredAt && (scope.kind === 'all' || a.path.some((id) => scope.ids.includes(id))),
  );
  const top = Math.min(...pickable.map((a) => a.depth));
  const behind = (s: Station) => (s.health ? s.desiredVersion - s.health.desiredVersion : s.desiredVersion);
  const label: Record<Filter, string> = {
    all: t('all'),
    offline: t('filterOffline'),
    'out-of-sync': t('filterOutOfSync'),
    missed: t('filterMissed'),
  };
  return (
    <Layout page={page} title={t('stations')}>
      <ErrorBox message={res.status === 200 ? null : res.body?.message} />
      <p class="filters">
        {FILTERS.map((f) => (
          <a href={`/console?${query({ filter: f })}`} class={f === filter ? 'on' : ''}>
            {label[f]}
          </a>
        ))}
      </p>
      <form method="get" action="/console" class="filters">
        {filter === 'all' ? null : <input type="hidden" name="filter" value={filter} />}
        <input
          type="search"
          name="q"
          value={params.q ?? ''}
          placeholder={t('searchStations')}
          aria-label={t('search')}
        />
        <select name="area" aria-label={t('area')}>
          <option value="">{t('allAreas')}</option>
          {pickable.map((a) => (
            <option value={a.id} selected={a.id === params.area}>
              {'\u00a0\u00a0'.repeat(a.depth - top)}
              {a.name}
            </option>
          ))}
        </select>
        <button type="submit">{t('search')}</button>
      </form>
      <DataTable
        heads={[
          t('station'),
          t('area'),
          t('status'),
          t('inSync'),
          t('relay'),
          t('playingNow'),
          t('clock'),
          t('lastAsRun'),
        ]}
      >
        {list.items.map((s) => {
          const lp = s.lastPlay;
          return (
            <tr data-station={s.id}>
              <td>
                <a href={`/console/stations/${s.id}`} title={s.id}>
                  {s.name}
                </a>
              </td>
              <td title={s.areaId}>
                {(s.areaPath.length > 1 ? s.areaPath.slice(1) : s.areaPath)
                  .map((id) => areaName.get(id) ?? id)
                  .join(' › ')}
              </td>
              <td>
                {s.online ? (
                  <span class="pill ok">{t('online')}</span>
                ) : (
                  <span class="pill bad">
                    {s.presenceAt
                      ? `${t('offlineSince')} ${localStamp(s.presenceAt, s.timezone)}`
                      : t('neverSeen')}
                  </span>
                )}
                <Integrity page={page} s={s} />
              </td>
              <td>
                {behind(s) > 0 ? (
                  <span class="pill warn">
                    {t('behind')}: {behind(s)}
                  </span>
                ) : (
                  <span class="pill ok">v{s.desiredVersion}</span>
                )}
              </td>
              <td>{s.health ? (s.health.relayOn ? t('on') : t('off')) : '-'}</td>
              <td>
                {s.health?.playing ? (
                  <span title={s.health.playing}>{entryName(s.health.playing)}</span>
                ) : (
                  '-'
                )}
              </td>
              <td>
                {s.health ? (
                  s.health.clockTrusted ? (
                    <ClockOffset page={page} ms={s.health.clockOffsetMs ?? null} />
                  ) : (
                    <span class="pill bad">{t('untrusted')}</span>
                  )
                ) : (
                  '-'
                )}
              </td>
              <td>
                {lp ? (
                  <>
                    {localStamp(lp.scheduledAt, s.timezone)} {outcomeText(page, lp.outcome)}
                    {lp.reason ? ` (${reasonText(lang, lp.reason)})` : ''}
                  </>
                ) : (
                  '-'
                )}
              </td>
            </tr>
          );
        })}
      </DataTable>
      {list.items.length === 0 ? <p class="muted">{t('none')}</p> : null}
      <p class="pager">
        {params.cursor ? <a href={`/console?${query({})}`}>« {t('firstPage')}</a> : null}{' '}
        {list.nextCursor ? (
          <a rel="next" href={`/console?${query({ cursor: list.nextCursor })}`}>
            {t('nextPage')} »
          </a>
        ) : null}
      </p>
    </Layout>
  );
}

export function parseFilter(v: string | undefined): Filter {
  return (FILTERS as readonly string[]).includes(v ?? '') ? (v as Filter) : 'all';
}
