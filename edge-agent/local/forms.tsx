// The stop's confirmation and the banner's "resume now" without JS: plain HTML forms posted with the
// session's CSRF token in a field (the cookie is SameSite=Strict), answered with a redirect to the page.
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { LocalEnv } from './api.ts';
import { csrfMatches, type Session } from './auth.ts';
import { fromAgentError, LocalError } from './errors.ts';
import { Refused, renderFormPage, StopConfirm } from './page/banner.tsx';
import type { Lang } from './page/i18n.ts';
import { viewFor } from './page/page.tsx';
import { stopEffect, stopNow } from './stop.ts';
import type { LocalDeps } from './types.ts';

const field = (v: unknown) => (typeof v === 'string' ? v : '');

const limit = bodyLimit({
  maxSize: 16 * 1024,
  onError: () => {
    throw new LocalError(413, 'too_large', { vi: 'Nội dung gửi lên quá lớn.', en: 'The form is too large.' });
  },
});

export function mountForms(app: Hono<LocalEnv>, deps: LocalDeps, langOf: (c: Context) => Lang): void {
  /** The signed-in session whose token the form carries, and the form's fields. */
  async function signedForm(
    c: Context<LocalEnv>,
  ): Promise<{ session: Session; form: Record<string, unknown> }> {
    const session = c.get('session');
    if (!session)
      throw new LocalError(401, 'no_session', {
        vi: 'Phiên đăng nhập đã hết hạn: hãy đăng nhập lại.',
        en: 'Your session has ended: sign in again.',
      });
    const form = await c.req.parseBody();
    if (!csrfMatches(session, field(form.csrf)))
      throw new LocalError(403, 'csrf', {
        vi: 'Trang đã cũ: hãy tải lại trang rồi làm lại.',
        en: 'The page is out of date: reload it and try again.',
      });
    return { session, form };
  }

  /** A refusal as a page: the reason in the reader's language, and the way back. */
  function refusedPage(c: Context<LocalEnv>, err: unknown, confirm: boolean) {
    const refusal = fromAgentError(err);
    if (!refusal) throw err;
    const v = viewFor(deps, langOf(c));
    const message = refusal.say(v.lang);
    const session = c.get('session');
    const body =
      confirm && session ? (
        <StopConfirm
          v={v}
          effect={stopEffect(deps)}
          csrf={session.csrfToken}
          inDialog={false}
          error={message}
        />
      ) : (
        <Refused v={v} message={message} />
      );
    return c.html(renderFormPage(v, v.t('notDone'), body), refusal.status);
  }

  app.get('/stop', (c) => {
    const session = c.get('session');
    const inDialog = c.req.query('part') === 'dialog';
    // signed out: the page's script goes to /stop, which leads to the sign-in
    if (!session) return inDialog ? c.text('sign in first', 401) : c.redirect('/', 303);
    const v = viewFor(deps, langOf(c));
    const body = <StopConfirm v={v} effect={stopEffect(deps)} csrf={session.csrfToken} inDialog={inDialog} />;
    return c.html(inDialog ? String(body) : renderFormPage(v, v.t('stopQuestion'), body));
  });

  app.post('/stop', limit, async (c) => {
    try {
      const { session, form } = await signedForm(c);
      const reason = field(form.reason).trim().slice(0, 500) || viewFor(deps, langOf(c)).t('stopReason');
      stopNow(deps, session, { reason, entryId: field(form.entryId) || null });
      return c.redirect('/', 303);
    } catch (e) {
      return refusedPage(c, e, true);
    }
  });

  app.post('/overrides/:id/cancel', limit, async (c) => {
    try {
      const { session } = await signedForm(c);
      const cancelled = deps.agent.overrides.cancel(c.req.param('id'), `station:${session.name}`);
      deps.log.info(`override ${cancelled.id} cancelled by ${session.name}`);
      return c.redirect('/', 303);
    } catch (e) {
      return refusedPage(c, e, false);
    }
  });
}
