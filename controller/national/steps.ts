// Sending one item to one province, in steps that may each be repeated safely: the province's root area,
// the recording uploaded (the same bytes answer their clip), approved by the province's reviewer account
// (normal, priority, campaigns: an emergency takes a processed draft), then the bulletin, the campaign and
// its slots, or the quiet window, each POST with an Idempotency-Key of this item at this province. What a
// step found is kept (`done`), so a retry after an outage goes on from there.
import { ProvinceFailure } from '../province/client.ts';
import type { Answer, NationalClient } from './client.ts';
import type { ItemRow, NationalBulletin, NationalCampaign, NationalQuietWindow } from './items.ts';

export type Done = Record<string, string>;

/** A national recording's copy at one province: its id there, and whether it was approved there. */
export interface ClipCopies {
  get(clipId: string, provinceId: string): { remoteId: string; approved: boolean } | undefined;
  set(clipId: string, provinceId: string, remoteId: string, approved: boolean): void;
}

export interface ClipDeps {
  client: NationalClient;
  provinceId: string;
  /** The file of a national clip, and its title. */
  clipFile(clipId: string): { file: string; title: string };
  copies: ClipCopies;
}

/**
 * The recording at the province (uploaded once: the same bytes answer their clip there too), approved by
 * the province's reviewer account when asked (409: approved already); answers its id there.
 */
export async function copyClip(d: ClipDeps, clipId: string, approve: boolean): Promise<string> {
  const had = d.copies.get(clipId, d.provinceId);
  if (had && (had.approved || !approve)) return had.remoteId;
  let remoteId = had?.remoteId;
  if (!remoteId) {
    const c = d.clipFile(clipId);
    const r = await d.client.upload(c.file, c.title, `national.${clipId}.${d.provinceId}`);
    // the same bytes sent again after a timeout answer their clip, maybe still processing: later
    if (r.body.status === 'processing')
      throw new ProvinceFailure(
        'outage',
        'the recording is still being processed at the province',
        'Tỉnh đang xử lý bản ghi âm, sẽ gửi tiếp sau.',
      );
    remoteId = r.body.id as string;
    d.copies.set(clipId, d.provinceId, remoteId, r.body.status === 'approved');
  }
  if (!approve) return remoteId;
  await acceptStatus(409, () =>
    d.client.call('POST', `/api/clips/${remoteId}/approve`, {
      body: { note: 'Nội dung do cấp quốc gia gửi' },
      as: 'reviewer',
    }),
  );
  d.copies.set(clipId, d.provinceId, remoteId, true);
  return remoteId;
}

export interface StepDeps extends ClipDeps {
  /** Called after each step, to keep what it found. */
  save(done: Done): void;
}

/** Runs what is left; answers the item's id at the province. */
export async function sendItem(item: ItemRow, done: Done, d: StepDeps): Promise<string> {
  const key = (step: string) => `national.${item.id}.${d.provinceId}.${step}`;
  const step = async (name: string, run: () => Promise<string>) => {
    const had = done[name];
    if (had !== undefined) return had;
    const v = await run();
    done[name] = v;
    d.save(done);
    return v;
  };
  const root = await step('root', async () => {
    const tree = await d.client.call('GET', '/api/areas');
    const id = tree.body?.areas?.[0]?.id as string | undefined;
    if (!id)
      throw new ProvinceFailure(
        'refused',
        'the province has no area tree to send to',
        'Tỉnh chưa có cây địa bàn nên không gửi được.',
      );
    return id;
  });
  const target = { scope: 'area', id: root };
  const clip = (approve: boolean) =>
    step(approve ? 'approvedClip' : 'clip', () => copyClip(d, item.clip_id as string, approve));

  if (item.kind === 'bulletin') {
    const b = JSON.parse(item.body) as NationalBulletin;
    const clipId = await clip(b.level !== 'emergency');
    return step('id', async () => {
      const r = await d.client.call('POST', '/api/alerts', {
        key: key('alert'),
        body: {
          level: b.level,
          title: b.title,
          reason: b.reason,
          clipId,
          targets: [target],
          ...(b.expiresAt ? { expiresAt: b.expiresAt } : {}),
          ignoreQuietWindows: b.ignoreQuietWindows,
        },
      });
      return r.body.id as string;
    });
  }
  if (item.kind === 'campaign') {
    const c = JSON.parse(item.body) as NationalCampaign;
    const clipId = await clip(true);
    const campaignId = await step('id', async () => {
      const r = await d.client.call('POST', '/api/campaigns', {
        key: key('campaign'),
        body: { name: c.name, message: c.message, startDate: c.startDate, endDate: c.endDate, areaId: root },
      });
      return r.body.id as string;
    });
    for (const [i, s] of c.slots.entries())
      await step(`slot${i}`, async () => {
        const r = await d.client.call('POST', '/api/slots', {
          key: key(`slot${i}`),
          body: {
            campaignId,
            clipIds: [clipId],
            startTime: s.startTime,
            weekdays: s.weekdays,
            startDate: s.startDate ?? c.startDate,
            endDate: s.endDate ?? c.endDate,
            target,
          },
        });
        return r.body.id as string;
      });
    return campaignId;
  }
  const { provinces: _, ...qw } = JSON.parse(item.body) as NationalQuietWindow;
  return step('id', async () => {
    const r = await d.client.call('POST', '/api/quiet-windows', {
      key: key('quiet'),
      body: { ...qw, target },
    });
    return r.body.id as string;
  });
}

/** How each kind is withdrawn at a province, and the answer that says it was already (done). */
const WITHDRAW: Record<
  ItemRow['kind'],
  { method: 'POST' | 'DELETE'; path: (id: string) => string; done: number }
> = {
  // cancelled or expired there already: 409
  bulletin: { method: 'POST', path: (id) => `/api/alerts/${id}/cancel`, done: 409 },
  // deleted there already: 404 (a campaign goes with its slots; the as-run log stays)
  campaign: { method: 'DELETE', path: (id) => `/api/campaigns/${id}`, done: 404 },
  'quiet-window': { method: 'DELETE', path: (id) => `/api/quiet-windows/${id}`, done: 404 },
};

/**
 * Withdraws an item at the province: a bulletin cancelled (with the reason), a campaign or quiet window
 * deleted; a row whose item was never made there is stopped without asking. Answers the province's id,
 * or null.
 */
export async function withdrawItem(item: ItemRow, done: Done, d: StepDeps): Promise<string | null> {
  const id = done.id;
  if (!id) return null;
  const how = WITHDRAW[item.kind];
  const reason = item.cancel_reason ?? undefined;
  const body = item.kind === 'bulletin' ? { body: reason ? { reason } : {} } : {};
  await acceptStatus(how.done, () => d.client.call(how.method, how.path(id), body));
  return id;
}

/** A step answered `status` (an approval 409: approved already, by our earlier try) is done. */
async function acceptStatus(status: number, run: () => Promise<Answer>): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (e instanceof ProvinceFailure && e.status === status) return;
    throw e;
  }
}
