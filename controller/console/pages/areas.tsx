// The area tree: city -> district -> ward/commune -> station, editable by admins and importable from CSV.
import type { Page } from '../context.ts';
import { Csrf } from '../forms.tsx';
import { ErrorBox, Layout } from '../layout.tsx';

interface Station {
  id: string;
  name: string;
  district: string;
  ward: string;
  online: boolean;
}

export async function areasPage(page: Page, message?: string) {
  const { t, api, me } = page;
  const stations = (await api('GET', '/api/stations')).body as Station[];
  const tree = new Map<string, Map<string, Station[]>>();
  for (const s of stations) {
    const wards = tree.get(s.district) ?? new Map<string, Station[]>();
    tree.set(s.district, wards);
    wards.set(s.ward, [...(wards.get(s.ward) ?? []), s]);
  }
  const admin = me.role === 'admin';
  return (
    <Layout page={page} title={t('areas')}>
      <ErrorBox message={message} />
      {admin ? (
        <form method="post" action="/console/areas/import" class="card" style="grid-template-columns:1fr">
          <Csrf page={page} />
          <label>
            {t('importCsv')}
            <textarea name="csv" rows={4} placeholder="id,name,district,ward,timezone" required />
          </label>
          <button type="submit">{t('import')}</button>
        </form>
      ) : null}
      <ul>
        {[...tree.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([district, wards]) => (
            <li>
              <b>
                {t('district')}: {district}
              </b>
              <ul>
                {[...wards.entries()]
                  .sort(([a], [b]) => a.localeCompare(b))
                  .map(([ward, list]) => (
                    <li>
                      {t('ward')}: {ward}
                      <ul>
                        {list.map((s) => (
                          <li>
                            <a href={`/console/stations/${s.id}`}>{s.name}</a>{' '}
                            <span class={`pill ${s.online ? 'ok' : 'bad'}`}>
                              {s.online ? t('online') : t('filterOffline')}
                            </span>
                            {admin ? (
                              <details>
                                <summary>{t('edit')}</summary>
                                <form method="post" action={`/console/areas/stations/${s.id}`} class="card">
                                  <Csrf page={page} />
                                  <label>
                                    {t('name')}
                                    <input name="name" value={s.name} required />
                                  </label>
                                  <label>
                                    {t('district')}
                                    <input name="district" value={s.district} required />
                                  </label>
                                  <label>
                                    {t('ward')}
                                    <input name="ward" value={s.ward} required />
                                  </label>
                                  <button type="submit">{t('save')}</button>
                                </form>
                              </details>
                            ) : null}
                          </li>
                        ))}
                      </ul>
                    </li>
                  ))}
              </ul>
            </li>
          ))}
      </ul>
    </Layout>
  );
}
