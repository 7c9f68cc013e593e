// The console's page frame: navigation, language switch, sign-out; and the sign-in page.
import type { Child } from 'hono/jsx';
import type { Page } from './context.ts';
import { type Lang, translator, type WordKey } from './i18n.ts';
import { localizeText } from './local-time.ts';
import { STYLESHEET_URL } from './style.ts';

function Head({ title }: { title: string }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{title}</title>
      <link rel="stylesheet" href={STYLESHEET_URL} />
    </head>
  );
}

/**
 * `nav`: links instead of the province controller's (the national console's: national/console/); the
 * sign-out and language switch stay.
 */
export function Layout({
  page,
  title,
  children,
  nav,
}: {
  page: Page;
  title: string;
  children: Child;
  nav?: Child;
}) {
  const { t, me, lang, csrf } = page;
  const other = lang === 'vi' ? 'en' : 'vi';
  return (
    <html lang={lang}>
      <Head title={`${title} - ${t('appName')}`} />
      <body>
        <header>
          <b>Loa phường</b>
          <nav>{nav ?? <ProvinceNav page={page} />}</nav>
          <span class="me">
            <span>
              {me.username} ({t(`role.${me.role}` as WordKey)})
            </span>
            <a href={`/console/lang/${other}`} lang={other}>
              {other === 'en' ? 'English' : 'Tiếng Việt'}
            </a>
            <form method="post" action="/console/logout" style="display:inline">
              <input type="hidden" name="_csrf" value={csrf} />
              <button class="link" type="submit">
                {t('signOut')}
              </button>
            </form>
          </span>
        </header>
        <main>
          {page.backupWarning ? (
            <p class="error" data-backup-warning>
              <a href="/console/backups">{page.backupWarning}</a>
            </p>
          ) : null}
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}

/** The province controller's pages. */
function ProvinceNav({ page }: { page: Page }) {
  const { t, me } = page;
  return (
    <>
      <a href="/console">{t('stations')}</a>
      <a href="/console/alerts">{t('alerts')}</a>
      <a href="/console/live">{t('liveSpeech')}</a>
      <a href="/console/campaigns">{t('campaigns')}</a>
      <a href="/console/clips">{t('clips')}</a>
      <a href="/console/quiet-windows">{t('quietWindows')}</a>
      <a href="/console/areas">{t('areas')}</a>
      <a href="/console/mobile">{t('mobileUnits')}</a>
      <a href="/console/audit">{t('audit')}</a>
      <a href="/console/province">{t('provinceLink')}</a>
      {me.role === 'admin' ? (
        <a href="/console/backups" class={page.backupWarning ? 'warn' : undefined} title={page.backupWarning}>
          {t('backups')}
          {page.backupWarning ? ' ⚠' : ''}
        </a>
      ) : null}
    </>
  );
}

/** A table that scrolls sideways on a phone rather than squeezing its columns. */
export function DataTable({
  heads,
  children,
  caption,
}: {
  heads: Child[];
  children: Child;
  caption?: Child;
}) {
  return (
    <div class="scroll">
      <table>
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>
            {heads.map((h) => (
              <th>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export function ErrorBox({ message }: { message?: string | null }) {
  return message ? (
    <p class="error" role="alert">
      {localizeText(message)}
    </p>
  ) : null;
}

export function LoginPage({ lang, error }: { lang: Lang; error?: string }) {
  const t = translator(lang);
  return (
    <html lang={lang}>
      <Head title={t('signIn')} />
      <body>
        <main style="max-width:24rem">
          <h1>{t('appName')}</h1>
          <ErrorBox message={error} />
          <form method="post" action="/console/login" class="card" style="grid-template-columns:1fr">
            <label>
              {t('username')}
              <input name="username" autocomplete="username" required />
            </label>
            <label>
              {t('password')}
              <input name="password" type="password" autocomplete="current-password" required />
            </label>
            <button type="submit">{t('signIn')}</button>
          </form>
          <p>
            <a href={`/console/lang/${lang === 'vi' ? 'en' : 'vi'}`}>
              {lang === 'vi' ? 'English' : 'Tiếng Việt'}
            </a>
          </p>
        </main>
      </body>
    </html>
  );
}
