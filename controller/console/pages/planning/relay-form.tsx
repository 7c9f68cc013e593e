/** @jsxImportSource hono/jsx */
// A campaign's relay hours (tiếp sóng): the form that adds them and how a relay slot reads in the slot list.
import type { Page } from '../../context.ts';
import { ClockField, Csrf, DateRange, WeekdayBoxes } from '../../forms.tsx';
import { FieldFault, faultMark, refusedFor, typed } from '../../refused-form.tsx';
import { type Places, TargetPicker } from '../../targets.tsx';
import { CheckFirst } from '../confirm/check.tsx';

export interface RelayShown {
  url: string;
  endTime: string;
  via?: 'stream-server' | 'direct';
}

/** The host a relay comes from, as a technician recognises it (vov1.vov.vn), with the whole URL beside it. */
export function RelaySource({ page, relay }: { page: Page; relay: RelayShown }) {
  let host = relay.url;
  try {
    host = new URL(relay.url).host;
  } catch {}
  return (
    <span title={relay.url}>
      {page.t('relayOf')} {host}
    </span>
  );
}

export function RelayForm(props: {
  page: Page;
  campaign: { id: string; startDate: string; endDate: string };
  clips: { id: string; title: string }[];
  places: Places;
}) {
  const { page, campaign: c, clips, places } = props;
  const { t } = page;
  // refused, the form comes back as typed, the field at fault marked
  const refused = refusedFor(page, `/console/campaigns/${c.id}/relays`);
  const fallback = typed(refused, 'fallbackClipId');
  return (
    <form method="post" action={`/console/campaigns/${c.id}/relays`} class="card">
      <h3>{t('relays')}</h3>
      <p class="muted">{t('relayHelp')}</p>
      <Csrf page={page} />
      <CheckFirst />
      <label>
        {t('relayUrl')}
        <input
          type="url"
          name="url"
          required
          placeholder="https://"
          pattern="https?://.+"
          value={typed(refused, 'url')}
          {...faultMark(refused, 'url')}
        />
        <FieldFault refused={refused} name="url" />
      </label>
      <ClockField page={page} name="startTime" label={t('startTime')} refused={refused} />
      <ClockField page={page} name="endTime" label={t('relayEnd')} refused={refused} />
      <label>
        <input
          type="checkbox"
          name="viaServer"
          value="1"
          checked={!refused || typed(refused, 'viaServer') === '1'}
        />
        {t('relayViaServer')}
      </label>
      <label>
        {t('relayFallback')}
        <select name="fallbackClipId">
          <option value="">{t('relaySilence')}</option>
          {clips.map((k) => (
            <option value={k.id} selected={k.id === fallback}>
              {k.title}
            </option>
          ))}
        </select>
      </label>
      <DateRange page={page} start={c.startDate} end={c.endDate} refused={refused} />
      <TargetPicker page={page} places={places} refused={refused} />
      <WeekdayBoxes page={page} refused={refused} />
      <button type="submit">{t('relayAdd')}</button>
    </form>
  );
}
