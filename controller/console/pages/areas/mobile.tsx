// The mobile loudspeakers (loa di động): where each is, in which area, when it was last heard, and a link
// to the place on OpenStreetMap (a plain link: the console loads no outside script).
import type { Hono } from 'hono';
import type { MobileView } from '../../../mobile/routes.ts';
import type { Page, WithPage } from '../../context.ts';
import { DataTable, ErrorBox, Layout } from '../../layout.tsx';
import { localStamp } from '../../local-time.ts';

const WORDS = {
  vi: {
    help: 'Vị trí báo về gần nhất của từng loa di động. Loa ở trong vùng nào thì nhận bản tin của vùng đó; ra khỏi vùng, bản tin chưa phát sẽ được thu hồi.',
    unit: 'Loa',
    area: 'Đang ở',
    coordinates: 'Tọa độ',
    lastSeen: 'Báo về lúc',
    map: 'Bản đồ',
    outside: 'Ngoài các vùng đã vẽ',
    accuracy: 'sai số',
    online: 'Trực tuyến',
    offline: 'Mất kết nối',
    none: 'Chưa có loa di động nào báo vị trí.',
    openMap: 'Xem trên OpenStreetMap',
  },
  en: {
    help: 'The last position each mobile loudspeaker reported. A unit inside an area gets that area’s bulletins; leaving it, a bulletin not yet played is withdrawn.',
    unit: 'Unit',
    area: 'Now in',
    coordinates: 'Coordinates',
    lastSeen: 'Last heard',
    map: 'Map',
    outside: 'Outside every drawn area',
    accuracy: 'accuracy',
    online: 'Online',
    offline: 'Offline',
    none: 'No mobile loudspeaker has reported its position yet.',
    openMap: 'Open in OpenStreetMap',
  },
} as const;

const osm = (lat: number, lon: number) =>
  `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`;

export async function mobilePage(page: Page) {
  const w = WORDS[page.lang];
  const r = await page.api('GET', '/api/mobile');
  const units = (r.status === 200 ? r.body : []) as MobileView[];
  return (
    <Layout page={page} title={page.t('mobileUnits')}>
      <ErrorBox message={r.status === 200 ? null : (r.body?.message ?? `HTTP ${r.status}`)} />
      <p class="muted">{w.help}</p>
      <DataTable heads={[w.unit, w.area, w.coordinates, w.lastSeen, w.map]}>
        {units.map((u) => (
          <tr data-unit={u.stationId}>
            <td>
              <a href={`/console/stations/${encodeURIComponent(u.stationId)}`}>{u.name}</a>
              <div class={u.online ? 'pill ok' : 'pill'}>{u.online ? w.online : w.offline}</div>
            </td>
            <td>
              {u.area ? (
                <span title={u.area.names.join(' › ')}>{u.area.names.slice(-2).join(', ')}</span>
              ) : (
                <span class="muted">{w.outside}</span>
              )}
            </td>
            <td>
              {u.lat.toFixed(5)}, {u.lon.toFixed(5)}
              {u.accuracyM !== null ? (
                <div class="muted">
                  {w.accuracy} ±{Math.round(u.accuracyM)} m
                </div>
              ) : null}
            </td>
            <td>{localStamp(u.lastSeen)}</td>
            <td>
              <a href={osm(u.lat, u.lon)} rel="noopener noreferrer" target="_blank">
                {w.openMap}
              </a>
            </td>
          </tr>
        ))}
      </DataTable>
      {units.length === 0 ? <p class="muted">{w.none}</p> : null}
    </Layout>
  );
}

/** The page's route, registered by the console's route table (index.tsx). */
export function mobilePages(app: Hono, withPage: WithPage): void {
  app.get(
    '/console/mobile',
    withPage((page) => mobilePage(page)),
  );
}
