// What the national level sends, as its API takes it: a bulletin, a campaign with its slots, a quiet window;
// each to chosen provinces (all, or a list), always to each province as a whole (its root area).
import { z } from 'zod';
import { AlertLevel } from '../../schedules/alerts.ts';
import { Id, QuietWindowFields, SlotFields } from '../../schedules/model.ts';

/** `all`, or province ids from PROVINCES_FILE. */
const Provinces = z.union([z.literal('all'), z.array(z.string().min(1)).min(1).max(100)]);

export const NationalBulletin = z.strictObject({
  level: AlertLevel,
  title: z.string().trim().min(1).max(200),
  reason: z.string().trim().min(1).max(500),
  /** A recording uploaded to POST /api/national/clips. */
  clipId: Id,
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  ignoreQuietWindows: z.boolean().default(false),
  provinces: Provinces,
});

const NationalSlot = SlotFields.pick({ startTime: true, weekdays: true }).extend({
  startDate: SlotFields.shape.startDate.optional(),
  endDate: SlotFields.shape.endDate.optional(),
});

export const NationalCampaign = z.strictObject({
  name: z.string().trim().min(1).max(200),
  message: z.string().trim().max(2000).default(''),
  startDate: SlotFields.shape.startDate,
  endDate: SlotFields.shape.endDate,
  clipId: Id,
  slots: z.array(NationalSlot.strict()).min(1).max(50),
  provinces: Provinces,
});

export const NationalQuietWindow = QuietWindowFields.omit({ id: true, target: true })
  .extend({ provinces: Provinces })
  .strict();

export type NationalBulletin = z.infer<typeof NationalBulletin>;
export type NationalCampaign = z.infer<typeof NationalCampaign>;
export type NationalQuietWindow = z.infer<typeof NationalQuietWindow>;
export type ItemKind = 'bulletin' | 'campaign' | 'quiet-window';

export interface ItemRow {
  id: string;
  kind: ItemKind;
  level: string | null;
  title: string;
  body: string;
  clip_id: string | null;
  created_by: string;
  created_at: string;
  /** Withdrawn at the national level: each province's copy is withdrawn through the outbox too. */
  cancelled_at?: string | null;
  cancel_reason?: string | null;
}
