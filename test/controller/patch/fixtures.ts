// For every PATCH route: how to make a random stored object through the API and random values to change.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { verifyPassword } from '../../../controller/users/secrets.ts';
import { tone } from '../../audio/fixtures.ts';
import type { TestController } from '../../support/controller.ts';
import { tempDir } from '../../support/temp.ts';
import {
  AREAS,
  D1_TARGETS,
  dayOf2027,
  endDate,
  fromList,
  getOne,
  type Json,
  made,
  NAME_WORDS,
  note,
  ok,
  startDate,
  stationsAndClips,
  target,
  time,
  weekdays,
  words,
} from './world.ts';

export interface PatchFixture {
  /** The world the objects refer to (stations, clips, campaigns), made once on a fresh controller. */
  setup?(ctl: TestController): Promise<void>;
  /** Cases to run (default 40): fewer where each costs a password hash. */
  runs?: number;
  /** Random valid create bodies, with values other than the default for fields that have one. */
  create: fc.Arbitrary<Json>;
  /** Creates one through the API and answers the id to PATCH. */
  make(ctl: TestController, body: Json): Promise<string>;
  /** Random valid values for every field a PATCH may name. */
  fields: Record<string, fc.Arbitrary<unknown>>;
  /** The stored object as the API reads it back. */
  read(ctl: TestController, id: string): Promise<Json>;
  /** Kept by the server (versions, timestamps): not compared. */
  volatile?: string[];
  /** Fields computed from others: they may change only when one of those is named. */
  derived?: Record<string, string[]>;
  /** Fields that may be absent: null in a PATCH removes them. */
  clearable?: string[];
  /** How a named field reads back when not as sent. */
  expected?: Record<string, (sent: unknown, before: unknown) => unknown>;
  /** Fields that never read back (a password): checked against what is stored instead. */
  verify?: Record<string, (sent: unknown, stored: unknown) => Promise<boolean>>;
}

const slotFields = {
  campaignId: fc.constantFrom(null, 'camp-city', 'camp-d1'),
  clipIds: fc.constantFrom(['clip-a'], ['clip-b'], ['clip-b', 'clip-a']),
  // fixed or flexible: flexibleUntil stays after any startTime, so each can change alone
  startTime: time(5, 11),
  weekdays,
  startDate,
  endDate,
  target,
  priority: fc.integer({ min: 0, max: 100 }),
  volume: fc.option(
    fc.integer({ min: 0, max: 200 }).map((n) => n / 100),
    { nil: null },
  ),
  flexibleUntil: fc.option(time(12, 20), { nil: null }),
};
// A district's campaign holds only slots inside the district; a city campaign, any.
const slotCampaign = fc.oneof(
  fc.record({ campaignId: fc.constant('camp-city'), target }),
  fc.record({ campaignId: fc.constant('camp-d1'), target: fc.constantFrom(...D1_TARGETS) }),
);

const quietFields = {
  weekdays,
  startTime: time(0, 23),
  endTime: time(0, 23),
  startDate,
  endDate,
  reason: fc.constantFrom('online-class', 'national-relay', 'local-event', 'other'),
  note: fc.oneof(note, fc.constant('')),
  exceptDates: fc.option(fc.uniqueArray(dayOf2027(0, 364), { maxLength: 3 }), { nil: null }),
  target,
};

const caps = {
  maxSessionsPerDay: fc.option(fc.integer({ min: 1, max: 48 }), { nil: null }),
  maxMinutesPerSession: fc.option(fc.integer({ min: 1, max: 90 }), { nil: null }),
  maxDaysPerWeek: fc.option(fc.integer({ min: 1, max: 7 }), { nil: null }),
  sessionGapMinutes: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
  enforcement: fc.constantFrom('warn', 'refuse'),
};
/** A stored policy's caps with a patch's named ones merged in; null lifts a cap. */
const mergedCaps = (sent: unknown, before: unknown) => {
  const next: Json = { ...(before as Json) };
  for (const [k, v] of Object.entries(sent as Json)) {
    if (v === null) delete next[k];
    else next[k] = v;
  }
  return next;
};

const SCOPE = fc.uniqueArray(fc.constantFrom(...AREAS), { maxLength: 2 });
const password = fc.string({ unit: 'grapheme', minLength: 10, maxLength: 24 });
let usernames = 0;
// Every role with areas it can hold (technicians and ward staff need one); others may be scoped too,
// and some start disabled.
const userCreate = fc
  .record({
    role: fc.constantFrom('admin', 'technician', 'reviewer', 'ward', 'viewer'),
    areas: SCOPE,
    disabled: fc.boolean(),
    password,
  })
  .map((u) => ({
    ...u,
    areas: (u.role === 'technician' || u.role === 'ward') && u.areas.length === 0 ? ['w1'] : u.areas,
  }));

let uploaded = '';
let areaCodes = 20_000;

export const FIXTURES: Record<string, PatchFixture> = {
  '/api/stations/{id}': {
    setup: stationsAndClips,
    create: fc.record({
      name: words(NAME_WORDS),
      areaId: fc.constantFrom('w1', 'w2', 'd2'),
      zones: fc.uniqueArray(fc.constantFrom('cho', 'ben-pha', 'truong'), { maxLength: 2 }),
      timezone: fc.constantFrom('Asia/Bangkok', 'Asia/Vientiane', 'UTC'),
    }),
    make: async (ctl, body) =>
      String(((await ok(ctl.call('POST', '/api/stations', body))).station as Json).id),
    fields: {
      name: words(NAME_WORDS),
      areaId: fc.constantFrom(...AREAS),
      zones: fc.uniqueArray(fc.constantFrom('cho', 'ben-pha', 'truong'), { maxLength: 3 }),
      timezone: fc.constantFrom('Asia/Ho_Chi_Minh', 'Asia/Bangkok', 'Europe/Berlin'),
    },
    read: getOne('/api/stations'),
    // a station that moves or changes zone gets a new desired state
    volatile: ['desiredVersion'],
    derived: { areaPath: ['areaId'] },
  },
  '/api/users/{id}': {
    setup: stationsAndClips,
    runs: 30,
    create: userCreate,
    make: (ctl, body) => made('/api/users')(ctl, { ...body, username: `user-${++usernames}` }),
    fields: {
      role: fc.constantFrom('admin', 'technician', 'reviewer', 'ward', 'viewer'),
      areas: SCOPE,
      disabled: fc.boolean(),
      password,
    },
    read: async (ctl, id) => {
      const user = await fromList('/api/users')(ctl, id);
      const row = ctl.db.prepare('SELECT password_hash FROM users WHERE id = ?').get(Number(id)) as Json;
      return { ...user, password: row.password_hash };
    },
    derived: { scope: ['role', 'areas'] },
    verify: { password: (sent, stored) => verifyPassword(sent as string, stored as string) },
  },
  '/api/campaigns/{id}': {
    setup: stationsAndClips,
    create: fc.record({
      name: words(NAME_WORDS),
      message: note,
      startDate,
      endDate,
      areaId: fc.constantFrom(null, 'd1', 'd2'),
      withSlot: fc.constantFrom(false, false, true),
    }),
    // a third of the campaigns have a slot on their whole date range, inside their area: a
    // change of dates or area then mostly has to be refused
    make: async (ctl, { withSlot, ...body }) => {
      const id = await made('/api/campaigns')(ctl, body);
      if (withSlot)
        await ok(
          ctl.call('POST', '/api/slots', {
            campaignId: id,
            clipIds: ['clip-a'],
            startTime: '06:00',
            weekdays: [1],
            startDate: body.startDate,
            endDate: body.endDate,
            target: { scope: 'area', id: body.areaId ?? 'city' },
          }),
        );
      return id;
    },
    fields: {
      name: words(NAME_WORDS),
      message: fc.oneof(
        note.map((s) => s.trim()),
        fc.constant(''),
      ),
      startDate,
      endDate,
      areaId: fc.constantFrom(null, 'd1', 'd2'),
    },
    read: getOne('/api/campaigns'),
  },
  '/api/slots/{id}': {
    setup: stationsAndClips,
    create: fc
      .tuple(slotCampaign, fc.record({ ...slotFields, priority: fc.integer({ min: 1, max: 100 }) }))
      .map(([campaign, rest]) => {
        const body: Json = { ...rest, ...campaign };
        for (const k of ['volume', 'flexibleUntil']) if (body[k] === null) delete body[k];
        return body;
      }),
    make: made('/api/slots'),
    fields: slotFields,
    read: getOne('/api/slots'),
    clearable: ['volume'],
  },
  '/api/quiet-windows/{id}': {
    setup: stationsAndClips,
    create: fc.record({
      ...quietFields,
      note,
      exceptDates: fc.uniqueArray(dayOf2027(0, 364), { maxLength: 3 }),
    }),
    make: made('/api/quiet-windows'),
    fields: quietFields,
    read: getOne('/api/quiet-windows'),
    clearable: ['exceptDates'],
  },
  '/api/airtime-policies/{id}': {
    setup: stationsAndClips,
    create: fc
      .record({
        target,
        policy: fc
          .record(caps, { requiredKeys: ['enforcement'] })
          .map((p) => ({ ...p, enforcement: 'refuse' })),
      })
      .map(({ target, policy }) => ({
        target,
        policy: Object.fromEntries(Object.entries(policy).filter(([, v]) => v !== null)),
      })),
    make: made('/api/airtime-policies'),
    fields: { target, policy: fc.record(caps, { requiredKeys: [] }) },
    read: fromList('/api/airtime-policies'),
    expected: { policy: mergedCaps },
  },
  '/api/areas/{id}': {
    setup: stationsAndClips,
    create: fc.record({
      name: words(NAME_WORDS),
      code: fc.option(fc.integer({ min: 10_000, max: 99_999 }).map(String), { nil: null }),
      level: fc.constantFrom('commune', 'village'),
      parentId: fc.constantFrom('d1', 'd2'),
    }),
    // every area made gets a code of its own; a PATCH may name a taken one, and is refused
    make: (ctl, body) => made('/api/areas')(ctl, { ...body, code: body.code ? String(++areaCodes) : null }),
    fields: {
      name: words(NAME_WORDS),
      code: fc.option(fc.integer({ min: 10_000, max: 99_999 }).map(String), { nil: null }),
      level: fc.constantFrom('commune', 'village'),
      parentId: fc.constantFrom('d1', 'd2', 'w1'),
    },
    read: getOne('/api/areas'),
    // its chain reads the names; its history keeps a version per change of place or level
    derived: { path: ['name', 'parentId'], history: ['name', 'code', 'parentId', 'level'] },
  },
  '/api/clips/{id}': {
    // a real upload, processed by ffmpeg: every case edits its title
    setup: async (ctl) => {
      const tmp = tempDir('patch-clips');
      try {
        const file = tone(path.join(tmp.dir, 'tone.wav'), 1);
        const up = await ctl.upload('tone.wav', readFileSync(file), 'Âm thử', ctl.token, '?wait=true');
        if (up.status !== 201) throw new Error(`upload answered ${up.status}: ${JSON.stringify(up.body)}`);
        uploaded = up.body.id;
      } finally {
        tmp.cleanup();
      }
    },
    create: fc.constant({}),
    make: async () => uploaded,
    fields: {
      title: fc.tuple(fc.constantFrom('', '  '), words(NAME_WORDS)).map(([pad, t]) => `${pad}${t}${pad}`),
    },
    read: getOne('/api/clips'),
    volatile: ['updatedAt'],
    expected: { title: (sent) => (sent as string).trim() },
  },
};
