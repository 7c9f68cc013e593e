// The national controller's provinces (PROVINCES_FILE, a JSON file read and checked once at start): each
// province's id, Vietnamese name, API address and the logins the national level has there.
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';

const Login = z.strictObject({ username: z.string().min(1), password: z.string().min(1) });
const Seconds = (min: number, max: number, dflt: number) => z.number().min(min).max(max).default(dflt);

export const ProvinceEntry = z.strictObject({
  /** The province's topic level and id (`can-tho`): the same as its controller's PROVINCE_ID. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes'),
  /** As people read it: "Thành phố Cần Thơ". */
  name: z.string().trim().min(1).max(200),
  baseUrl: z.url().refine((u) => /^https?:/.test(u), 'http(s) only'),
  /** The technician of the whole province the national level sends as (docs/national.md). */
  sender: Login,
  /** A reviewer there who approves the national level's recordings (normal, priority, campaigns); optional. */
  reviewer: Login.optional(),
});
export type ProvinceEntry = z.infer<typeof ProvinceEntry>;

export const ProvincesFile = z.strictObject({
  provinces: z.array(ProvinceEntry).min(1).max(100),
  timeoutSeconds: Seconds(1, 120, 15),
  retry: z
    .strictObject({ minSeconds: Seconds(0.1, 600, 2), maxSeconds: Seconds(1, 86_400, 300) })
    .prefault({}),
  /** A young bulletin's counts are read this often at each province, then every `oldAfter` ten times less. */
  watchSeconds: Seconds(0.2, 600, 1),
  watchYoungSeconds: Seconds(10, 86_400, 600),
  /** The day summaries are read again this often (and on demand); `reportDays` days back. */
  reportEverySeconds: Seconds(10, 86_400, 900),
  reportDays: z.number().int().min(1).max(92).default(7),
});
export type NationalSettings = Readonly<z.infer<typeof ProvincesFile>>;

/**
 * PROVINCES_FILE, checked once at start: an Error naming the bad field, a file others may read (it holds
 * passwords: chmod 600), or two provinces with one id.
 */
export function nationalSettingsOf(file: string | undefined): NationalSettings {
  const fail = (why: string) =>
    new Error(`invalid controller environment:\n  PROVINCES_FILE ${file}: ${why}`);
  if (!file)
    throw new Error('invalid controller environment:\n  CONTROLLER_ROLE=national needs PROVINCES_FILE');
  let raw: unknown;
  try {
    if ((statSync(file).mode & 0o077) !== 0)
      throw new Error('it holds passwords and others may read it: chmod 600 it');
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw fail(
      (e as Error).message.startsWith('it holds')
        ? (e as Error).message
        : `cannot read it as JSON (${(e as Error).message})`,
    );
  }
  return parseNationalSettings(raw, fail);
}

export function parseNationalSettings(
  raw: unknown,
  fail = (why: string) => new Error(why),
): NationalSettings {
  const r = ProvincesFile.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw fail(`${i?.path.join('.') || '(file)'}: ${i?.message}`);
  }
  const ids = r.data.provinces.map((p) => p.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw fail(`provinces: '${twice}' is listed twice`);
  if (r.data.retry.maxSeconds < r.data.retry.minSeconds) throw fail('retry: maxSeconds is below minSeconds');
  return Object.freeze(r.data);
}
