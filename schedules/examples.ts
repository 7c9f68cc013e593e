// Loads the bundled Can Tho 2021 campaign, a realistic example for demos, previews and tests.
import fs from 'node:fs';
import { z } from 'zod';
import { Id, LocalDate, QuietWindow, Slot } from './model.ts';

export const ExampleCampaign = z.object({
  campaign: z.object({
    id: Id,
    name: z.string().min(1),
    message: z.string().min(1),
    startDate: LocalDate,
    endDate: LocalDate,
  }),
  slots: z.array(Slot),
  quietWindows: z.array(QuietWindow),
});
export type ExampleCampaign = z.infer<typeof ExampleCampaign>;

export function loadExampleCampaign(): ExampleCampaign {
  const raw = fs.readFileSync(new URL('./examples/can-tho-2021.json', import.meta.url), 'utf8');
  return ExampleCampaign.parse(JSON.parse(raw));
}
