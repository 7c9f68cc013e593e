// A month alone: one real agent runner (its SQLite store, runner, playout and relay; a stand-in player that
// takes the clips' real durations) runs 30 simulated days cut off from the controller, through 10 restarts
// (some killed, some during an entry), 10 wall-clock steps of up to 6 h either way and an hour of full disk.
// Then the controller comes back and takes every record. Counts are printed.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../common/clock.ts';
import { timerScheduler } from '../../edge-agent/playout/jobs.ts';
import { createRunner, type Runner, type Scheduler } from '../../edge-agent/playout/runner.ts';
import { type AgentStore, openStore } from '../../edge-agent/state/store.ts';
import type { QuietWindow, Slot } from '../../schedules/model.ts';
import { type AsRunRecord, topics } from '../../schedules/protocol.ts';
import { type RecordingLogger, recordingLogger } from '../support/log.ts';
import { alertRecord, clipBytes, clipRef, overrideRecord, STATION } from '../support/records.ts';
import { type TempDir, tempDir } from '../support/temp.ts';
import { waitFor } from '../support/wait.ts';
import { desired, FakePlayer, recordingBus, slot, startBroker, testConfig } from './helpers.ts';
import { onDisk, random, Speakers } from './month-rig.ts';
import { controllerClient, wiredAgent } from './rigs.ts';

const local = (iso: string) => new Date(`${iso}+07:00`);
const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = local('2025-03-01T00:00:00');
const DAYS = 30;
const WARM_UP = 2000;
const TAIL = 1000;
const GRACE = 60_000;
const clip = clipRef('clip-thang', clipBytes('thang'), 90_000);
const short = clipRef('clip-ngan', clipBytes('ngan'), 45_000);
const all = { startDate: '2025-03-01', endDate: '2025-03-31' };

/** Two to four sessions a day: morning every day, noon on weekdays, afternoon Mon/Wed/Fri, evening every day. */
const SLOTS: Slot[] = [
  slot('sang-1', '06:30', [clip.id], all),
  slot('sang-2', '06:33', [short.id], all),
  slot('sang-3', '06:35', [clip.id], all),
  slot('hoc', '09:00', [short.id], all), // inside weekday online classes: skipped on weekdays
  slot('trua-1', '11:45', [clip.id], { ...all, weekdays: [1, 2, 3, 4, 5] }),
  slot('trua-2', '11:48', [short.id], { ...all, weekdays: [1, 2, 3, 4, 5] }),
  slot('chieu-1', '17:00', [clip.id], { ...all, weekdays: [1, 3, 5] }),
  slot('chieu-2', '17:02', [clip.id, short.id], { ...all, weekdays: [1, 3, 5] }),
  slot('toi', '19:30', [clip.id], all),
];
const ONLINE_CLASS: QuietWindow = {
  id: 'qw-hoc',
  weekdays: [1, 2, 3, 4, 5],
  startTime: '08:00',
  endTime: '11:30',
  ...all,
  reason: 'online-class',
  note: 'học trực tuyến',
  target: { scope: 'station', id: STATION },
};

describe('a month alone', () => {
  let tmp: TempDir;
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(START);
    tmp = tempDir('month');
  });
  afterEach(() => {
    vi.useRealTimers();
    tmp.cleanup();
  });

  it('30 days with restarts, clock steps and a full disk: each entry recorded once, none outside its grace, none twice, the relay never on silent; every record delivered once', async () => {
    const rnd = random(20250301);
    const clock: Clock = { now: () => new Date() };
    const disk = { full: false };
    const speakers = new Speakers();
    const relay = speakers.relay(clock);
    const config = testConfig(tmp.dir, { warmUpMs: WARM_UP, tailMs: TAIL, graceMs: GRACE, horizonHours: 48 });
    const logs: RecordingLogger[] = [];
    const records: AsRunRecord[] = [];

    // Before the cut: the desired state, a priority bulletin and local overrides.
    const seed = openStore(tmp.dir);
    seed.applyDesired(
      desired(1, {
        slots: SLOTS,
        quietWindows: [ONLINE_CLASS],
        clips: [clip, short],
        issuedAt: START.toISOString(),
      }),
    );
    const priority = alertRecord('al-uu-tien', short, {
      level: 'priority',
      targets: [{ scope: 'station', id: STATION }],
      issuedAt: START.toISOString(),
      expiresAt: local('2025-03-04T00:00:00').toISOString(),
    });
    seed.receiveAlert(priority, START.toISOString());
    seed.alertReady(priority.id, START.toISOString());
    const o = (id: string, kind: 'skip' | 'quiet' | 'announce', from: string, to: string, extra = {}) =>
      seed.putOverride(
        overrideRecord({
          id,
          stationId: STATION,
          kind,
          startsAt: local(from).toISOString(),
          endsAt: local(to).toISOString(),
          ...extra,
        }),
      );
    o('ov-bo', 'skip', '2025-03-03T00:00:00', '2025-03-04T00:00:00', { entryId: 'toi@2025-03-03' });
    o('ov-lang', 'quiet', '2025-03-05T17:00:00', '2025-03-05T18:00:00');
    o('ov-loa', 'announce', '2025-03-09T10:00:00', '2025-03-09T10:00:45', { clip: short });
    seed.close();

    // the stand-in plays each entry for its clips' real length
    const length = new Map([clip, short].map((c) => [`/clips/${c.id}.opus`, c.durationMs]));
    const stand = new FakePlayer();
    stand.durationOf = (files) => files.reduce((ms, f) => ms + (length.get(f) ?? 0), 0);
    let life: { runner: Runner; store: AgentStore; jobs: Set<{ cancel(): unknown }> } | null = null;
    const boot = () => {
      // the killed process's timers are cleared, and its jobs cancelled so that none fires in the new one
      const jobs = new Set<{ cancel(): unknown }>();
      const scheduler: Scheduler = {
        scheduleJob: (date, fn) => {
          const job = timerScheduler.scheduleJob(date, fn);
          if (job) jobs.add(job);
          return job;
        },
      };
      const store = openStore(tmp.dir);
      const log = recordingLogger();
      logs.push(log);
      relay.offSync(); // a new process drives the relay OFF before anything else
      const runner = createRunner({
        config,
        clock,
        store: onDisk(store, disk),
        relay,
        player: speakers.player(stand),
        clips: { verifiedPath: async (ref) => `/clips/${ref.id}.opus` },
        log,
        bus: recordingBus((r) => records.push(r)),
        clockCheckMs: 30_000,
        scheduler,
      });
      runner.start();
      life = { runner, store, jobs };
    };

    // The month's events, at random moments (elapsed fake time): restarts, steps, and the disk full for an hour.
    type Event = { at: number; what: 'kill' | 'stop' | 'step' | 'disk-full' | 'disk-ok'; by?: number };
    const events: Event[] = [];
    const entryMoment = () => {
      // during an entry: a morning entry's sound, some day
      const day = 1 + Math.floor(rnd() * (DAYS - 3));
      return day * DAY + (6 * HOUR + 30 * 60_000) + 20_000 + Math.floor(rnd() * 60_000);
    };
    for (let i = 0; i < 10; i++) {
      const at = i % 3 === 0 ? entryMoment() : Math.floor((0.5 + rnd() * (DAYS - 3)) * DAY);
      events.push({ at, what: i % 2 === 0 ? 'kill' : 'stop' });
    }
    for (let i = 0; i < 10; i++) {
      const hours = (rnd() * 12 - 6) * HOUR;
      events.push({ at: Math.floor((0.5 + rnd() * (DAYS - 3)) * DAY), what: 'step', by: Math.round(hours) });
    }
    // the disk is full from 06:00 to 07:00 on the wall clock of day 12 (the morning session), steps included
    const stepsBefore = (at: number) =>
      events.filter((e) => e.what === 'step' && e.at < at).reduce((ms, e) => ms + (e.by as number), 0);
    let fullAt = 12 * DAY + 6 * HOUR;
    for (let i = 0; i < 3; i++) fullAt = 12 * DAY + 6 * HOUR - stepsBefore(fullAt);
    events.push({ at: fullAt, what: 'disk-full' }, { at: fullAt + HOUR, what: 'disk-ok' });
    events.sort((a, b) => a.at - b.at);

    boot();
    let elapsed = 0;
    const counts = { kill: 0, stop: 0, duringEntry: 0, step: 0, stepHours: [] as string[] };
    for (const ev of events) {
      await vi.advanceTimersByTimeAsync(ev.at - elapsed);
      elapsed = ev.at;
      const l = life as unknown as { runner: Runner; store: AgentStore; jobs: Set<{ cancel(): unknown }> };
      if ((ev.what === 'kill' || ev.what === 'stop') && l.runner.inHand()) counts.duringEntry++;
      if (ev.what === 'kill') {
        // SIGKILL: nothing more runs in the old process; its files stay as they were. (Clearing fake timers
        // also resets the fake wall clock to when fake timers began: it is set back to the month's time.)
        const wall = Date.now();
        for (const j of l.jobs) j.cancel();
        vi.clearAllTimers();
        vi.setSystemTime(wall);
        speakers.died();
        l.store.close();
        counts.kill++;
        boot();
      } else if (ev.what === 'stop') {
        await l.runner.stop();
        l.store.close();
        counts.stop++;
        boot();
      } else if (ev.what === 'step') {
        vi.setSystemTime(new Date(Date.now() + (ev.by as number)));
        counts.step++;
        counts.stepHours.push(`${((ev.by as number) / HOUR).toFixed(1)} h`);
      } else disk.full = ev.what === 'disk-full';
    }
    await vi.advanceTimersByTimeAsync(DAYS * DAY + 2 * HOUR - elapsed);
    const last = life as unknown as { runner: Runner; store: AgentStore };
    await last.runner.stop();

    // Every entry of the month, as the timetable has them (the compiler, with the overrides), to an hour before
    // the end (later ones may still be in hand), and the bulletin and the local announcement received before the
    // cut (both over by now, so no longer compiled). No record is of anything else.
    const end = Date.now();
    const entryIds = (to: number) => last.runner.timetable(START, new Date(to)).map((e) => e.id);
    const beforeCut = [`alert:${priority.id}`, 'local:ov-loa'];
    const month = [...entryIds(end - HOUR), ...beforeCut].sort();
    const known = new Set([...entryIds(end), ...beforeCut]);
    const outbox = last.store.outboxBatch(10_000);
    last.store.close();
    const byEntry = new Map<string, AsRunRecord[]>();
    for (const r of outbox) byEntry.set(r.entryId, [...(byEntry.get(r.entryId) ?? []), r]);

    // every entry of the 30 days recorded exactly once
    const unrecorded = month.filter((id) => !byEntry.has(id));
    expect(unrecorded).toEqual([]);
    expect(outbox.filter((r) => !known.has(r.entryId))).toEqual([]);
    expect([...byEntry.values()].filter((rs) => rs.length > 1)).toEqual([]);
    // none played outside its grace, none played twice
    const played = outbox.filter((r) => r.outcome === 'played');
    const outside = played.filter((r) => {
      const late = Date.parse(r.audioStartAt as string) - Date.parse(r.scheduledAt);
      return late < 0 || late > GRACE;
    });
    expect(outside).toEqual([]);
    const soundsOf = new Map<string, number>();
    for (const s of speakers.sounds) soundsOf.set(s.entry, (soundsOf.get(s.entry) ?? 0) + 1);
    expect([...soundsOf].filter(([, n]) => n > 1)).toEqual([]);
    // the relay never on without sound beyond warm-up and tail (a step is seen within a second)
    const silent = speakers.relayOn.map((on) => {
      const to = on.to ?? performance.now();
      const inside = speakers.sounds.filter((s) => s.from >= on.from && s.from <= to);
      if (inside.length === 0) return { before: to - on.from, after: 0 };
      const first = Math.min(...inside.map((s) => s.from));
      const end = Math.max(...inside.map((s) => s.to ?? to));
      return { before: first - on.from, after: to - end };
    });
    const tooLong = silent.filter((s) => s.before > WARM_UP + 1000 || s.after > TAIL + 1000);
    expect(tooLong).toEqual([]);

    // The controller comes back: every record is delivered, once.
    vi.useRealTimers();
    const broker = await startBroker();
    const ctl = await controllerClient(broker.url, [topics.asRun(STATION)]);
    const delivered = new Map<string, number>();
    ctl.client.on('message', (topic, payload) => {
      if (topic !== topics.asRun(STATION)) return;
      const ids = (JSON.parse(payload.toString()) as { records: AsRunRecord[] }).records.map((r) => r.id);
      for (const id of ids) delivered.set(id, (delivered.get(id) ?? 0) + 1);
      void ctl.ack(ids);
    });
    const agent = wiredAgent({ dataDir: tmp.dir, config: { mqttUrl: broker.url }, journal: false });
    await agent.agent.start();
    await waitFor(() => agent.store.outboxLength() === 0, 20_000, 'the outbox delivered');
    await agent.close();
    await ctl.close();
    await broker.close();
    expect([...delivered.keys()].sort()).toEqual(outbox.map((r) => r.id).sort());
    expect([...delivered.values()].every((n) => n === 1)).toBe(true);

    const tally = (rs: AsRunRecord[]) => {
      const t = new Map<string, number>();
      for (const r of rs) {
        const k = `${r.outcome}${r.reason ? ` (${r.reason})` : ''}`;
        t.set(k, (t.get(k) ?? 0) + 1);
      }
      return [...t].sort().map(([k, n]) => `${k}: ${n}`);
    };
    const worst = (k: 'before' | 'after') => Math.max(0, ...silent.map((s) => s[k]));
    console.log(
      [
        `a month alone: ${DAYS} days, ${month.length} entries, ${outbox.length} records (one each)`,
        ...tally(outbox).map((l) => `  ${l}`),
        `  restarts: ${counts.kill} killed (as by SIGKILL), ${counts.stop} stopped, ${counts.duringEntry} of them during an entry; clock steps: ${counts.step} (${counts.stepHours.join(', ')}); disk full: 1 h over a morning session`,
        `  played outside grace: ${outside.length}; played twice: 0; relay on ${speakers.relayOn.length} times, silent at most ${worst('before')} ms before the sound and ${worst('after')} ms after it`,
        `  delivered to the controller: ${delivered.size} records, each once`,
      ].join('\n'),
    );
  }, 600_000);
});
