// A station's local overrides on its page: what ward staff did there (active and recent), who and why,
// with a cancel button for those still running.
import type { Page } from '../context.ts';
import type { WordKey } from '../i18n.ts';
import { DataTable } from '../layout.tsx';
import { localStamp, stampRange } from '../local-time.ts';
import { entryNames } from '../names.ts';

interface OverrideItem {
  id: string;
  kind: string;
  startsAt: string;
  endsAt: string;
  reason: string;
  createdBy: string;
  volume: number | null;
  entryId: string | null;
  cancelledAt: string | null;
  cancelledBy: string | null;
  active: boolean;
  cancelRequestedAt: string | null;
  cancelRequestedBy: string | null;
}

/** The last week's overrides and those still to come, newest first. */
export async function OverridesSection({
  page,
  station,
}: {
  page: Page;
  station: { id: string; timezone: string };
}) {
  const { t, api } = page;
  const since = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const r = await api('GET', `/api/overrides?station=${station.id}&from=${encodeURIComponent(since)}`);
  const list = (r.status === 200 ? r.body : []) as OverrideItem[];
  const back = `/console/stations/${station.id}`;
  const entryName = await entryNames(
    page,
    list.map((o) => o.entryId),
  );
  return (
    <section id="overrides">
      <h2>{t('overrides')}</h2>
      <p class="muted">{t('overridesHelp')}</p>
      <DataTable heads={[t('action'), t('time'), t('reason'), t('who'), t('status'), '']}>
        {list.map((o) => (
          <tr data-override={o.id}>
            <td>
              {t(`override.${o.kind}` as WordKey)}
              {o.kind === 'volume' && o.volume !== null ? ` ×${o.volume}` : ''}
              {o.entryId ? (
                <div class="muted" title={o.entryId}>
                  {entryName(o.entryId)}
                </div>
              ) : null}
            </td>
            <td>{stampRange(o.startsAt, o.endsAt, station.timezone)}</td>
            <td>{o.reason}</td>
            <td>{o.createdBy}</td>
            <td>
              {o.cancelledAt ? (
                <span class="pill">
                  {t('status.cancelled')} {localStamp(o.cancelledAt, station.timezone)} ({o.cancelledBy})
                </span>
              ) : o.cancelRequestedAt ? (
                <span class="pill warn">
                  {t('cancelSent')} ({o.cancelRequestedBy})
                </span>
              ) : o.active ? (
                <span class="pill ok">{t('inForce')}</span>
              ) : (
                <span class="pill">{t('ended')}</span>
              )}
            </td>
            <td>
              {o.active && !o.cancelRequestedAt ? (
                // a page first: it says what cancelling puts back on air (pages/confirm/stops.tsx)
                <a class="button" href={`/console/overrides/${o.id}/cancel?back=${encodeURIComponent(back)}`}>
                  {t('cancel')}
                </a>
              ) : null}
            </td>
          </tr>
        ))}
      </DataTable>
      {list.length === 0 ? <p class="muted">{t('none')}</p> : null}
    </section>
  );
}
