// The step before a stop: withdrawing a bulletin (it stops at every station still playing or about to)
// and cancelling a ward's local override (the station goes back to its plan), each a page that says what
// it affects, with the reason field and the button that does it.
import type { Page } from '../../context.ts';
import type { WordKey } from '../../i18n.ts';
import { ErrorBox, Layout } from '../../layout.tsx';
import { stampRange } from '../../local-time.ts';
import { loadPlaces } from '../../targets.tsx';
import type { AlertDetail } from '../alerts.tsx';
import { entriesOf } from './affected.ts';
import { AffectedTable, backOf, ConfirmPage } from './confirm.tsx';

const missing = (page: Page, message?: string) => (
  <Layout page={page} title={page.t('confirm.stop')}>
    <ErrorBox message={message ?? page.t('noData')} />
  </Layout>
);

/** Withdrawing a bulletin: its title and the stations it is withdrawn from. */
export async function alertWithdrawPage(page: Page, id: string) {
  const { t, api } = page;
  const r = await api('GET', `/api/alerts/${encodeURIComponent(id)}`);
  if (r.status !== 200) return missing(page, r.body?.message);
  const a = r.body as AlertDetail;
  const back = `/console/alerts/${encodeURIComponent(a.id)}`;
  return (
    <ConfirmPage
      page={page}
      title={t('confirm.withdraw')}
      action={`${back}/cancel`}
      back={back}
      button={t('withdraw')}
      reason
    >
      <p>
        <strong>{a.title}</strong> · {a.reason}
      </p>
      <p>
        {t('confirm.withdrawAffects')} ({a.stations.length}):
      </p>
      <p>{a.stations.map((s) => s.name).join(', ') || t('none')}</p>
    </ConfirmPage>
  );
}

interface OverrideShown {
  id: string;
  stationId: string;
  kind: string;
  startsAt: string;
  endsAt: string;
  reason: string;
  createdBy: string;
}

/** Cancelling a local override: what it is, where, and the plays it holds back that would go on air. */
export async function overrideCancelPage(page: Page, id: string, given: unknown) {
  const { t, api } = page;
  const r = await api('GET', `/api/overrides/${encodeURIComponent(id)}`);
  if (r.status !== 200) return missing(page, r.body?.message);
  const o = r.body as OverrideShown;
  const places = await loadPlaces(page);
  const station = places.station.get(o.stationId);
  const held = (e: { status: string; skip?: { code: string; overrideId?: string } }) =>
    e.status === 'skipped' && e.skip?.code === 'override' && e.skip.overrideId === o.id;
  const affected = station ? await entriesOf(page, places, [station], held) : [];
  return (
    <ConfirmPage
      page={page}
      title={t('confirm.stop')}
      action={`/console/overrides/${encodeURIComponent(o.id)}/cancel`}
      back={backOf(given, `/console/stations/${encodeURIComponent(o.stationId)}`)}
      button={t('confirm.yesCancel')}
      reason
    >
      <p>
        <strong>{t(`override.${o.kind}` as WordKey)}</strong> ·{' '}
        <span title={o.stationId}>{station?.name ?? o.stationId}</span> · {stampRange(o.startsAt, o.endsAt)} ·{' '}
        {o.createdBy} · {o.reason}
      </p>
      <p>{t('confirm.overrideAffects')}</p>
      <AffectedTable page={page} affected={affected} />
    </ConfirmPage>
  );
}
