// Property over every PATCH route the OpenAPI document lists: exactly the named fields change, or nothing.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { makeController } from '../../support/controller.ts';
import { FIXTURES, type PatchFixture } from './fixtures.ts';

const RUNS = 40;
const clock = { now: () => new Date('2026-11-26T03:00:00Z') };
const tally: Record<string, { accepted: number; refused: number }> = {};

afterAll(() => {
  const total = Object.values(tally).reduce((n, t) => n + t.accepted + t.refused, 0);
  const rows = Object.entries(tally).map(([p, t]) => `${p} ${t.accepted} changed, ${t.refused} refused`);
  console.log(`PATCH property: ${total} cases\n  ${rows.join('\n  ')}`);
});

/** A non-empty subset of the fields, each with a random valid value. */
const patchOf = (fields: PatchFixture['fields']) =>
  fc.record(fields, { requiredKeys: [] }).filter((p) => Object.keys(p).length > 0);

/** What a named field should read back as: the value sent, unless the fixture says otherwise. */
function expectedValue(fx: PatchFixture, field: string, sent: unknown, before: unknown): unknown {
  const custom = fx.expected?.[field];
  if (custom) return custom(sent, before);
  return sent === null && fx.clearable?.includes(field) ? undefined : sent;
}

async function checkCase(
  fx: PatchFixture,
  url: string,
  ctl: Awaited<ReturnType<typeof makeController>>,
  created: Record<string, unknown>,
  patch: Record<string, unknown>,
) {
  const id = await fx.make(ctl, created);
  const before = await fx.read(ctl, id);
  const res = await ctl.call('PATCH', url.replace('{id}', encodeURIComponent(id)), patch);
  const after = await fx.read(ctl, id);
  const sent = JSON.stringify(patch);
  if (res.status >= 400) {
    // a refusal is a client error with a reason, and leaves the object as it was
    expect(res.status, sent).toBeLessThan(500);
    expect(res.body.message, sent).toEqual(expect.any(String));
    expect(after, sent).toEqual(before);
    return false;
  }
  expect(res.status, `${sent}: ${JSON.stringify(res.body)}`).toBe(200);
  const named = Object.keys(patch);
  const recomputed = Object.entries(fx.derived ?? {})
    .filter(([, from]) => from.some((f) => named.includes(f)))
    .map(([field]) => field);
  const untouched = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const f of [...named, ...(fx.volatile ?? []), ...recomputed]) untouched.delete(f);
  for (const f of untouched) expect(after[f], `${f} after ${sent}`).toEqual(before[f]);
  for (const f of named) {
    const verify = fx.verify?.[f];
    if (verify) expect(await verify(patch[f], after[f]), `${f} after ${sent}`).toBe(true);
    else expect(after[f], `${f} after ${sent}`).toEqual(expectedValue(fx, f, patch[f], before[f]));
  }
  return true;
}

describe('PATCH changes exactly the fields it names', () => {
  it('every PATCH route of the OpenAPI document has fixtures here', async () => {
    const ctl = await makeController(clock);
    try {
      const doc = (await ctl.call('GET', '/api/openapi.json')).body as {
        paths: Record<string, Record<string, unknown>>;
      };
      const patchPaths = Object.entries(doc.paths)
        .filter(([, ops]) => ops.patch)
        .map(([p]) => p);
      expect(patchPaths.sort()).toEqual(Object.keys(FIXTURES).sort());
    } finally {
      ctl.cleanup();
    }
  });

  for (const [url, fx] of Object.entries(FIXTURES)) {
    it(`PATCH ${url}`, { timeout: 60_000 }, async () => {
      const ctl = await makeController(clock);
      const t = { accepted: 0, refused: 0 };
      const runs = fx.runs ?? RUNS;
      tally[url] = t;
      try {
        await fx.setup?.(ctl);
        await fc.assert(
          fc.asyncProperty(fx.create, patchOf(fx.fields), async (created, patch) => {
            if (await checkCase(fx, url, ctl, created, patch)) t.accepted++;
            else t.refused++;
          }),
          { numRuns: runs },
        );
        // refusals are allowed, but most random edits are valid ones: the property must bite
        expect(t.accepted, `${t.accepted} of ${runs} accepted`).toBeGreaterThanOrEqual(runs / 2);
      } finally {
        ctl.cleanup();
      }
    });
  }
});
