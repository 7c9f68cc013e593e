// The demo's programme: a spoken clip (approved, as the department would), the plan's example campaign
// from tomorrow, and today one slot that plays and one that falls in an online class.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { resolveFfmpeg } from '../../audio/index.ts';
import { loadExampleCampaign } from '../../schedules/examples.ts';
import { DEFAULT_TIMEZONE } from '../../schedules/model.ts';
import { addDays, utcToZoned } from '../../schedules/time.ts';
import type { DemoApi } from './api.ts';

export const hms = (d: Date) => utcToZoned(d, DEFAULT_TIMEZONE).time;
const ymd = (d: Date) => utcToZoned(d, DEFAULT_TIMEZONE).date;

/** A spoken Vietnamese announcement when espeak-ng is installed, otherwise a chime. */
function makeDemoRecording(demoDir: string): string {
  const out = path.join(demoDir, 'thong-diep.wav');
  if (existsSync(out)) return out;
  const text = 'Xét nghiệm là then chốt, vắc-xin là căn cơ để thích ứng an toàn có kiểm soát.';
  try {
    execFileSync('espeak-ng', ['-v', 'vi', '-s', '150', '-w', out, text], { stdio: 'ignore' });
  } catch {
    const { ffmpeg } = resolveFfmpeg(process.env);
    const chime = 'sine=f=660:d=1.5,volume=0.5[a];sine=f=880:d=1.5,volume=0.5[b];[a][b]concat=n=2:v=0:a=1';
    execFileSync(ffmpeg, ['-v', 'error', '-y', '-filter_complex', chime, out]);
  }
  return out;
}

/**
 * Uploads and approves the clip, sets up the campaign and today's two slots; answers when they come.
 * `skipAfterMs`: from the slot that plays to the one skipped (room for the relay between them).
 */
export async function prepareProgramme(
  api: DemoApi,
  token: string,
  demoDir: string,
  skipAfterMs = 45_000,
): Promise<{ playAt: Date; skipAt: Date }> {
  const { call, must } = api;
  const clips: { id: string; title: string; status: string }[] = await must(
    call('GET', '/api/clips', token),
    'clips',
  );
  let clip = clips.find(
    (c) => c.title === 'Thông điệp 5K - demo' && !['failed', 'rejected'].includes(c.status),
  );
  if (!clip) {
    const form = new FormData();
    form.set('file', new File([readFileSync(makeDemoRecording(demoDir))], 'thong-diep.wav'));
    form.set('title', 'Thông điệp 5K - demo');
    // wait=true: answered once processed (a draft); then reviewed, as the department would
    clip = await must(call('POST', '/api/clips?wait=true', token, form), 'upload clip');
  }
  if ((clip as { status?: string }).status !== 'approved') {
    await must(call('POST', `/api/clips/${(clip as { id: string }).id}/approve`, token), 'approve clip');
  }
  const clipId = (clip as { id: string }).id;

  // The example campaign, moved to this week; its recurring rules start tomorrow so that today
  // only the two demonstration slots below run.
  const example = loadExampleCampaign();
  const now = new Date();
  const today = ymd(now);
  const tomorrow = addDays(today, 1);
  const end = addDays(today, 7);
  await call('DELETE', `/api/campaigns/${example.campaign.id}`, token);
  await must(
    call('POST', '/api/campaigns', token, { ...example.campaign, startDate: today, endDate: end }),
    'campaign',
  );
  for (const q of example.quietWindows) {
    await call('DELETE', `/api/quiet-windows/${q.id}`, token);
    await must(
      call('POST', '/api/quiet-windows', token, { ...q, startDate: tomorrow, endDate: end }),
      'quiet window',
    );
  }
  for (const s of example.slots) {
    await must(
      call('POST', '/api/slots', token, { ...s, clipIds: [clipId], startDate: tomorrow, endDate: end }),
      'slot',
    );
  }

  const playAt = new Date(Math.ceil((now.getTime() + 75_000) / 10_000) * 10_000);
  const skipAt = new Date(playAt.getTime() + skipAfterMs);
  const classFrom = new Date(skipAt.getTime() - 15_000);
  const classTo = new Date(skipAt.getTime() + 60_000);
  await call('DELETE', '/api/quiet-windows/qw-demo-hoc-truc-tuyen', token);
  await must(
    call('POST', '/api/quiet-windows', token, {
      id: 'qw-demo-hoc-truc-tuyen',
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      startTime: hms(classFrom),
      endTime: hms(classTo),
      startDate: ymd(classFrom),
      endDate: ymd(classFrom),
      reason: 'online-class',
      note: 'Giờ học trực tuyến (demo)',
      target: { scope: 'city' },
    }),
    'demo quiet window',
  );
  // Fresh slot ids each run: an entry id (slot@date) plays at most once per station.
  const stamp = hms(now).replaceAll(':', '');
  for (const [id, at] of [
    [`demo-phat-${stamp}`, playAt],
    [`demo-hoc-${stamp}`, skipAt],
  ] as const) {
    const slot = {
      id,
      campaignId: example.campaign.id,
      clipIds: [clipId],
      startTime: hms(at),
      weekdays: [1, 2, 3, 4, 5, 6, 7],
    };
    await must(
      call('POST', '/api/slots', token, {
        ...slot,
        startDate: ymd(at),
        endDate: ymd(at),
        target: { scope: 'city' },
      }),
      id,
    );
  }
  return { playAt, skipAt };
}
