// The local API for ward staff (JSON, a session needed): timetable, overrides, stop, bulletins, clips.
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { receiveUpload } from '../../common/upload.ts';
import { Id } from '../../schedules/model.ts';
import { OverrideKind } from '../../schedules/overrides.ts';
import type { Session } from './auth.ts';
import type { LocalClips } from './clips.ts';
import { badRequest, LocalError } from './errors.ts';
import { AnnouncementRequest, SpeechRequest, type StationSpeech } from './speech.ts';
import { emergencyOnAir, stopNow } from './stop.ts';
import { dayRange, entryView, instantOf } from './timetable.ts';
import type { LocalDeps } from './types.ts';

export type LocalEnv = { Variables: { session: Session | null; https: boolean } };

const Reason = z.string().trim().min(1, 'give a reason').max(500, 'at most 500 characters');
const When = z.string().max(40).nullish();

const OverrideBody = z
  .object({
    kind: OverrideKind,
    reason: Reason,
    startsAt: When,
    endsAt: When,
    entryId: z.string().min(1).max(200).nullish(),
    clipId: Id.nullish(),
    volume: z.number().min(0, 'volume is 0 to 2').max(2, 'volume is 0 to 2').nullish(),
  })
  .strict();
const ReasonBody = z.object({ reason: Reason }).strict();
const StopBody = z.object({ reason: Reason, entryId: z.string().max(200).nullish() }).strict();

/** Parses a JSON body against `schema`; 400 naming each field and its problem. */
export async function jsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  if (!/^application\/json\b/i.test(c.req.header('content-type') ?? ''))
    throw new LocalError(415, 'json_expected', 'send the body as application/json');
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw badRequest('the body is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`);
  throw badRequest(issues.join('; '));
}

const sessionOf = (c: Context<LocalEnv>): Session => {
  const s = c.get('session');
  if (!s) throw new LocalError(401, 'no_session', 'sign in first');
  return s;
};

export function mountApi(
  app: Hono<LocalEnv>,
  deps: LocalDeps,
  clips: LocalClips,
  speech: StationSpeech,
): void {
  const { agent, clock } = deps;

  app.get('/api/timetable', (c) => {
    const raw = c.req.query('days') ?? '2';
    const days = Number(raw);
    if (!Number.isInteger(days) || days < 1 || days > 7)
      throw badRequest('days must be a whole number, 1 to 7');
    const tz = deps.timezone();
    const { from, to, dates } = dayRange(clock.now(), tz, days);
    const entries = agent.timetable(from, to).map(entryView);
    return c.json({ timezone: tz, from: from.toISOString(), to: to.toISOString(), dates, entries });
  });

  app.get('/api/overrides', (c) => {
    const now = clock.now().getTime();
    const active = (o: { cancelledAt: string | null; startsAt: string; endsAt: string }) =>
      o.cancelledAt === null && Date.parse(o.endsAt) > now;
    return c.json(agent.overrides.list().map((o) => ({ ...o, active: active(o) })));
  });

  const createOverride = (c: Context<LocalEnv>, body: z.infer<typeof OverrideBody>) => {
    const session = sessionOf(c);
    const tz = deps.timezone();
    const startsAt = instantOf(body.startsAt, 'startsAt', tz);
    const endsAt = instantOf(body.endsAt, 'endsAt', tz);
    const now = clock.now().getTime();
    const silencesNow =
      body.kind === 'stop' || (body.kind === 'pause' && (!startsAt || Date.parse(startsAt) <= now));
    const emergency = silencesNow ? emergencyOnAir(agent) : null;
    if (emergency)
      throw new LocalError(
        409,
        'emergency_on_air',
        `the emergency bulletin "${emergency.title}" is on air; it cannot be stopped at the station`,
      );
    const override = agent.overrides.create({
      kind: body.kind,
      createdBy: session.name,
      reason: body.reason,
      ...(startsAt ? { startsAt } : {}),
      ...(endsAt ? { endsAt } : {}),
      ...(body.entryId ? { entryId: body.entryId } : {}),
      ...(body.clipId ? { clipId: body.clipId } : {}),
      ...(body.volume !== undefined && body.volume !== null ? { volume: body.volume } : {}),
    });
    deps.log.info(`override ${override.id} (${override.kind}) by ${session.name}: ${override.reason}`);
    return c.json(override, 201);
  };

  app.post('/api/overrides', async (c) => createOverride(c, await jsonBody(c, OverrideBody)));
  app.post('/api/stop', async (c) => c.json(stopNow(deps, sessionOf(c), await jsonBody(c, StopBody)), 201));
  app.post('/api/overrides/:id/cancel', (c) => {
    const session = sessionOf(c);
    const cancelled = agent.overrides.cancel(c.req.param('id'), `station:${session.name}`);
    deps.log.info(`override ${cancelled.id} cancelled by ${session.name}`);
    return c.json(cancelled);
  });

  app.get('/api/alerts', (c) => c.json(agent.alerts()));
  app.post('/api/alerts/:id/decline', async (c) => {
    const session = sessionOf(c);
    const { reason } = await jsonBody(c, ReasonBody);
    const override = agent.declineAlert(c.req.param('id'), session.name, reason);
    deps.log.info(`bulletin ${c.req.param('id')} declined by ${session.name}: ${reason}`);
    return c.json(override, 201);
  });

  app.get('/api/clips', (c) => c.json(agent.clips()));
  app.post('/api/clips', async (c) => {
    const session = sessionOf(c);
    const up = await receiveUpload(c.req.raw, {
      tmpDir: clips.tmpDir,
      maxBytes: clips.maxUploadBytes,
      refuse: (status, code, message) => new LocalError(status, code, message),
    });
    return c.json(await clips.add(up, session.name), 201);
  });

  app.post('/api/announcements', async (c) => {
    const session = sessionOf(c);
    return c.json(await speech.announce(await jsonBody(c, AnnouncementRequest), session), 201);
  });
  app.post('/api/announcements/preview', async (c) => {
    sessionOf(c);
    const said = await speech.preview(await jsonBody(c, SpeechRequest));
    return c.body(new Uint8Array(said.wav), 200, {
      'content-type': 'audio/wav',
      'x-spoken-by': said.spokenBy.id,
      'x-duration-ms': String(said.durationMs),
    });
  });
}
