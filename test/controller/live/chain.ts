// Live speech end to end, as it runs in production: the controller as a process with its embedded Icecast on
// a free port (and its MQTT broker), and an agent process per station that has one, writing what it plays to
// a wav file per entry (`file:` output, written at the pace of speakers). The browser test and the latency
// benchmark speak into it.
import { chmodSync } from 'node:fs';
import path from 'node:path';
import { startAgentProcess, startControllerProcess, writeAgentConfig } from '../../support/apps.ts';
import { freePort, type Proc } from '../../support/process.ts';
import { tempDir } from '../../support/temp.ts';
import { PROCESS_POLL_MS, waitFor } from '../../support/wait.ts';

export interface ChainStation {
  id: string;
  name: string;
  district: string;
  ward: string;
  /** Whether an agent process runs for it (its file output in `speakerDir(id)`); else it stays offline. */
  agent: boolean;
}

/**
 * Live speech end to end, as it runs in production: the controller as a process with its embedded Icecast
 * on a free port (and its MQTT broker), and an agent process per station that has one, writing what it
 * plays to a wav file per entry (`file:` output, at the pace of speakers).
 */
export async function startLiveChain(stations: ChainStation[], agentKeys: Record<string, unknown> = {}) {
  const tmp = tempDir('live-chain');
  // as root, Icecast writes its logs as the icecast2 account, which must reach the folder
  chmodSync(tmp.dir, 0o755);
  const procs: Proc[] = [];
  const icecastPort = await freePort();
  const ctl = await startControllerProcess({
    dataDir: path.join(tmp.dir, 'controller'),
    env: { ICECAST_PORT: String(icecastPort), ICECAST_HOST: '127.0.0.1' },
  });
  procs.push(ctl.proc);
  const secrets: Record<string, string> = {};
  const stop = async () => {
    await Promise.all(procs.map((p) => p.stop()));
    tmp.cleanup();
  };
  try {
    for (const s of stations) {
      const st = await ctl.call('POST', '/api/stations', {
        id: s.id,
        name: s.name,
        district: s.district,
        ward: s.ward,
      });
      if (st.status !== 201) throw new Error(`station ${s.id}: ${st.status} ${JSON.stringify(st.body)}`);
      secrets[s.id] = st.body.secret;
      if (!s.agent) continue;
      const config = writeAgentConfig(path.join(tmp.dir, `${s.id}.json`), {
        stationId: s.id,
        secret: st.body.secret,
        controllerUrl: ctl.api,
        mqttUrl: ctl.mqttUrl,
        dataDir: `./${s.id}`,
        audio: `file:./${s.id}/speaker`,
        warmUpMs: 500,
        tailMs: 300,
        agentPort: await freePort(),
        agentHttpsPort: 0,
        ...agentKeys,
      });
      procs.push(startAgentProcess(config));
    }
    // every agent online before anyone speaks (a live session is heard from the moment a station joins)
    const online = async () => {
      for (const s of stations.filter((x) => x.agent))
        if (!(await ctl.call('GET', `/api/stations/${s.id}`)).body?.online) return false;
      return true;
    };
    await waitFor(online, 30_000, 'the agents online', PROCESS_POLL_MS);
  } catch (err) {
    const output = procs.map((p) => p.output().slice(-3000)).join('\n---\n');
    await stop();
    throw new Error(`${(err as Error).message}\n${output}`);
  }
  return {
    ctl,
    procs,
    dir: tmp.dir,
    /** The embedded Icecast's http://127.0.0.1:port (a session's mount is /live/<id>.ogg). */
    streamOrigin: `http://127.0.0.1:${icecastPort}`,
    /** Each station's secret, as it logs in to the stream server. */
    secrets,
    /** Where the agent of `stationId` writes what it plays: one wav per entry (and per connection). */
    speakerDir: (stationId: string) => path.join(tmp.dir, stationId, 'speaker'),
    /** The as-run records the controller holds for a station. */
    plays: async (stationId: string) =>
      ((await ctl.call('GET', `/api/plays?station=${stationId}`)).body ?? []) as {
        entryId: string;
        outcome: string;
        reason: string | null;
        heardMs: number | null;
        audioStartAt: string | null;
        audioEndAt: string | null;
      }[],
    stop,
  };
}

export type LiveChain = Awaited<ReturnType<typeof startLiveChain>>;
