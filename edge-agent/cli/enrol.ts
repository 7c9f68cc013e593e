// `npm run enrol -- --config FILE --code CODE`: at install, exchange the one-time enrolment code a
// technician gave for the station's long-lived secret, and write it into the agent's config file.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { updateConfigFile } from '../config/config-file.ts';

export interface EnrolDeps {
  fetch: typeof fetch;
}

/** What enrolment gives a station: its secret and the keys the controller signs with. */
export interface Enrolment {
  secret: string;
  signingKeys: { id: string; publicKey: string }[];
}

/** Answers the secret and the controller's keys, or throws with the controller's reason. */
export async function enrol(
  controllerUrl: string,
  stationId: string,
  code: string,
  deps: EnrolDeps,
): Promise<Enrolment> {
  const res = await deps.fetch(new URL('/api/enrol', controllerUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ stationId, code }),
  });
  const body = (await res.json().catch(() => ({}))) as Partial<Enrolment> & { message?: string };
  if (!res.ok || !body.secret)
    throw new Error(`enrolment refused (HTTP ${res.status}): ${body.message ?? 'no reason given'}`);
  return { secret: body.secret, signingKeys: Array.isArray(body.signingKeys) ? body.signingKeys : [] };
}

/**
 * Writes the secret and the controller's keys into the JSON config (owner-only, or group-readable as the
 * install script set it); a controller before signatures gives no keys and those in the file stay.
 */
export function storeSecret(
  configFile: string,
  secret: string,
  signingKeys: Enrolment['signingKeys'] = [],
): void {
  updateConfigFile(configFile, signingKeys.length ? { secret, controllerKeys: signingKeys } : { secret });
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
  const { secret, signingKeys } = await enrol(config.controllerUrl, config.stationId, values.code, { fetch });
  storeSecret(values.config, secret, signingKeys);
  console.log(`station ${config.stationId} enrolled; its secret is in ${values.config} (owner-only)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
