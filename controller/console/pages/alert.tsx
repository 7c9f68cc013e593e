// One bulletin's page: what was sent, by whom, the recorded quiet-window choice, and every target
// station's state as the reports come in (the page reloads itself every 5 s while the bulletin runs).
import { raw } from 'hono/html';
import { reasonText } from '../../../schedules/reason-words.ts';
import type { Page } from '../context.ts';
import type { WordKey } from '../i18n.ts';
import { DataTable, ErrorBox, Layout } from '../layout.tsx';
import { localClock, localizeText } from '../local-time.ts';
import { chainNames, loadPlaces, TargetNames } from '../targets.tsx';
import { type AlertDetail, Counts, LevelPill, local, StatePill } from './alerts.tsx';
import { type ShapeShown, shapeText } from './planning/repeat-fields.tsx';

export async function alertPage(page: Page, id: string, error?: string) {
  const { t, api } = page;
  const r = await api('GET', `/api/alerts/${encodeURIComponent(id)}`);
  if (r.status !== 200) {
    return (
      <Layout page={page} title={t('alerts')}>
        <ErrorBox message={r.status === 403 ? t('forbidden') : r.body?.message} />
      </Layout>
    );
  }
  const a = r.body as AlertDetail & ShapeShown;
  const [places, clip] = await Promise.all([
    loadPlaces(page),
    // a live session's bulletin has no clip: its sound is the speaker's voice
    a.clipId
      ? api('GET', `/api/clips/${encodeURIComponent(a.clipId)}`).then((c) =>
          c.status === 200 ? (c.body as { title: string }).title : a.clipId,
        )
      : `${t('liveSpeak')} (${a.issuedBy})`,
  ]);
  return (
    <Layout page={page} title={a.title}>
      <ErrorBox message={error} />
      <div class="card">
        <p>
          <LevelPill page={page} level={a.level} /> {t(`status.${a.status}` as WordKey)} · {a.reason}
        </p>
        <p class="muted">
          {t('issuedBy')}: {a.issuedBy} · {t('issuedAt')}: {local(a.issuedAt)} · {t('expires')}:{' '}
          {local(a.expiresAt)} · {t('target')}:{' '}
          <TargetNames places={places} page={page} targets={a.targets} /> · {t('clip')}:{' '}
          <span title={a.clipId}>{clip}</span>
          {shapeText(page, a) ? ` · ${shapeText(page, a)}` : ''}
        </p>
        <p>
          {t('ignoreQuietWindows')} ({t('recordedChoice')}):{' '}
          <b>{a.ignoreQuietWindows ? t('yes') : t('no')}</b>
        </p>
        {a.cancelledAt ? (
          <p class="error">
            {t('status.cancelled')}: {local(a.cancelledAt)} ({a.cancelledBy}) {a.cancelReason ?? ''}
          </p>
        ) : null}
        <p>
          <Counts page={page} a={a} />
        </p>
        {a.status === 'active' ? (
          // a page first: it names the stations the bulletin is withdrawn from (pages/confirm/stops.tsx)
          <a class="button danger" href={`/console/alerts/${a.id}/cancel`}>
            {t('withdraw')}
          </a>
        ) : null}
      </div>
      {a.status === 'active' ? (
        <>
          <p class="muted">{t('refreshing')}</p>
          <script>{raw('setTimeout(function () { location.reload(); }, 5000);')}</script>
        </>
      ) : null}
      <DataTable
        heads={[
          t('station'),
          t('area'),
          t('online'),
          t('status'),
          t('when'),
          <>
            {t('alertState.started')} / {t('alertState.sounding')}
          </>,
          t('reason'),
        ]}
      >
        {a.stations.map((s) => (
          <tr data-station={s.stationId} data-state={s.state}>
            <td>
              <a href={`/console/stations/${s.stationId}`}>{s.name}</a>
            </td>
            <td title={s.areaId ?? undefined}>
              {s.areaId && places.area.has(s.areaId)
                ? chainNames(places, s.areaId).join(' › ')
                : (s.areaName ?? '-')}
            </td>
            <td>{s.online ? <span class="pill ok">{t('online')}</span> : <span class="pill bad">-</span>}</td>
            <td>
              <StatePill page={page} state={s.state} />
            </td>
            <td>{local(s.at)}</td>
            <td data-started={s.startedAt ?? ''} data-sounding={s.soundingAt ?? ''}>
              {s.startedAt ? localClock(s.startedAt, undefined, true) : '-'} /{' '}
              {s.soundingAt ? localClock(s.soundingAt, undefined, true) : '-'}
            </td>
            <td>
              {s.reason ? <span title={s.reason}>{reasonText(page.lang, s.reason)}</span> : null}
              {s.detail ? <div class="muted">{detailText(page, s.detail)}</div> : null}
            </td>
          </tr>
        ))}
      </DataTable>
    </Layout>
  );
}

/** A station's note on a state, as people read it: local times, and the agent's one phrase in words. */
function detailText(page: Page, detail: string): string {
  const text = localizeText(detail);
  const m = /^plays at (.+)$/.exec(text);
  return m ? `${page.lang === 'vi' ? 'Sẽ phát lúc' : 'Plays at'} ${m[1]}` : text;
}
