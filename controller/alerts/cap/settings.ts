// CAP 1.2 settings, read once at start: the sender this controller signs its exports with (CAP_SENDER) and
// the table between CAP's severity/urgency/certainty and our three levels (CAP_LEVELS_FILE, JSON).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AlertLevel } from '../../../schedules/alerts.ts';

export const SEVERITIES = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
export const URGENCIES = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const;
export const CERTAINTIES = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type Urgency = (typeof URGENCIES)[number];
export type Certainty = (typeof CERTAINTIES)[number];

/** One import rule: an alert whose severity (and urgency, and certainty, when listed) match gets `level`. */
const Rule = z.strictObject({
  severity: z.array(z.enum(SEVERITIES)).min(1).optional(),
  urgency: z.array(z.enum(URGENCIES)).min(1).optional(),
  certainty: z.array(z.enum(CERTAINTIES)).min(1).optional(),
  level: AlertLevel,
});
const Triple = z.strictObject({
  severity: z.enum(SEVERITIES),
  urgency: z.enum(URGENCIES),
  certainty: z.enum(CERTAINTIES),
});

export const CapLevelTable = z
  .strictObject({
    /** Tried in order; the first that matches gives the level. */
    import: z.array(Rule).max(50),
    /** The level when no rule matches. */
    otherwise: AlertLevel,
    /** What each level is exported as. */
    export: z.strictObject({ emergency: Triple, priority: Triple, normal: Triple }),
  })
  .superRefine((t, ctx) => {
    // a bulletin exported and imported again must keep its level
    for (const level of AlertLevel.options) {
      const back = levelOf(t, t.export[level]);
      if (back !== level)
        ctx.addIssue({
          code: 'custom',
          path: ['export', level],
          message: `exported as ${JSON.stringify(t.export[level])}, a ${level} bulletin would import as ${back}`,
        });
    }
  });
export type CapLevelTable = z.infer<typeof CapLevelTable>;

/** The default: Extreme/Severe and Immediate is an emergency; Extreme/Severe/Moderate otherwise priority. */
export const DEFAULT_CAP_LEVELS: CapLevelTable = {
  import: [
    { severity: ['Extreme', 'Severe'], urgency: ['Immediate'], level: 'emergency' },
    { severity: ['Extreme', 'Severe', 'Moderate'], level: 'priority' },
  ],
  otherwise: 'normal',
  export: {
    emergency: { severity: 'Extreme', urgency: 'Immediate', certainty: 'Observed' },
    priority: { severity: 'Severe', urgency: 'Expected', certainty: 'Likely' },
    normal: { severity: 'Minor', urgency: 'Future', certainty: 'Likely' },
  },
};

/** Our level for a CAP info's severity, urgency and certainty, by the table. */
export function levelOf(
  table: Pick<CapLevelTable, 'import' | 'otherwise'>,
  info: { severity: Severity; urgency: Urgency; certainty: Certainty },
): AlertLevel {
  const hit = table.import.find(
    (r) =>
      (!r.severity || r.severity.includes(info.severity)) &&
      (!r.urgency || r.urgency.includes(info.urgency)) &&
      (!r.certainty || r.certainty.includes(info.certainty)),
  );
  return hit?.level ?? table.otherwise;
}

export interface CapSettings {
  /** CAP_SENDER: the <sender> of the bulletins this controller exports (default loa-phuong). */
  readonly sender: string;
  readonly levels: CapLevelTable;
}

/** CAP's sender: no spaces, commas or restricted characters (CAP 1.2, 3.2.1). */
const Sender = z.string().regex(/^[^\s,&<"']{1,200}$/, 'CAP_SENDER has no spaces, commas, &, <, " or \'');

/** CAP_SENDER and CAP_LEVELS_FILE, checked once at start; an Error naming the variable otherwise. */
export function capSettingsOf(env: NodeJS.ProcessEnv): CapSettings {
  const fail = (why: string) => new Error(`invalid controller environment:\n  ${why}`);
  const sender = Sender.safeParse(env.CAP_SENDER ?? 'loa-phuong');
  if (!sender.success) throw fail(`CAP_SENDER: ${sender.error.issues[0]?.message}`);
  const file = env.CAP_LEVELS_FILE;
  if (!file) return Object.freeze({ sender: sender.data, levels: DEFAULT_CAP_LEVELS });
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw fail(`CAP_LEVELS_FILE: cannot read ${file} as JSON (${(e as Error).message})`);
  }
  const levels = CapLevelTable.safeParse(raw);
  if (!levels.success) {
    const i = levels.error.issues[0];
    throw fail(`CAP_LEVELS_FILE ${file}: ${i?.path.join('.')}: ${i?.message}`);
  }
  return Object.freeze({ sender: sender.data, levels: levels.data });
}
