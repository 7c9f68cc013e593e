// `npm run enrol -- --config FILE --code CODE`: at install, exchange the one-time enrolment code a
// technician gave for the station's long-lived secret, and write it into the agent's config file.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { updateConfigFile } from '../config/config-file.ts';

export interface EnrolDeps {
  fetch: typeof fetch;
}

/** Answers the secret, or throws with the controller's reason. */
export async function enrol(
  controllerUrl: string,
  stationId: string,
  code: string,
  deps: EnrolDeps,
): Promise<string> {
  const res = await deps.fetch(new URL('/api/enrol', controllerUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ stationId, code }),
  });
  const body = (await res.json().catch(() => ({}))) as { secret?: string; message?: string };
  if (!res.ok || !body.secret)
    throw new Error(`enrolment refused (HTTP ${res.status}): ${body.message ?? 'no reason given'}`);
  return body.secret;
}

/** Writes the secret into the JSON config (owner-only, or group-readable as the install script set it). */
export function storeSecret(configFile: string, secret: string): void {
  updateConfigFile(configFile, { secret });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { config: { type: 'string' }, code: { type: 'string' } },
    strict: true,
  });
  if (!values.config || !values.code) {
    console.error('usage: npm run enrol -- --config FILE --code XXXX-XXXX-XXXX');
    process.exit(2);
  }
  const config = JSON.parse(readFileSync(values.config, 'utf8')) as {
    stationId?: string;
    controllerUrl?: string;
  };
  if (!config.stationId || !config.controllerUrl) {
    console.error(`${values.config}: stationId and controllerUrl are needed to enrol`);
    process.exit(2);
  }
  const secret = await enrol(config.controllerUrl, config.stationId, values.code, { fetch });
  storeSecret(values.config, secret);
  console.log(`station ${config.stationId} enrolled; its secret is in ${values.config} (owner-only)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
