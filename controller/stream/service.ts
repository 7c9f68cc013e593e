// The stream server as the controller runs it: the embedded Icecast (or an existing one named by
// ICECAST_URL), the relay pulls, and the gate the listener route checks; nothing when ICECAST_PORT=off
// or icecast2 is missing (one clear line, and the rest of the controller runs).
import type { Logger } from '../../common/log.ts';
import type { StreamSettings } from '../config.ts';
import { INSTALL_HINT, locateIcecast } from './icecast-process.ts';
import type { StreamGate } from './listener-check.ts';
import { createRelayPulls, type RelayPulls } from './pulls.ts';
import { icecastPasswords } from './secrets.ts';
import { externalStreamServer, type StreamServer, startEmbeddedStreamServer } from './server.ts';

export interface StreamService {
  server: StreamServer;
  pulls: RelayPulls;
  gate: StreamGate;
  kind: StreamSettings['kind'];
  close(): Promise<void>;
}

export interface StreamServiceDeps {
  settings: StreamSettings | null;
  dataDir: string;
  /** The controller's own HTTP address as Icecast on this machine reaches it (e.g. http://127.0.0.1:8080). */
  controllerUrl: string;
  ffmpeg: string;
  log: Logger;
  /** The relay URL of a mount registered in an earlier run (the slots' relays); optional. */
  resolve?(mount: string): string | null;
  binary?: string;
  /** Finds icecast2 (default: on PATH, /usr/bin, /usr/sbin); tests pass a missing one. */
  locate?: () => string | null;
  /** A relay pull nobody listened to for this long stops (default 30 s). */
  graceMs?: number;
}

/** The listener check's URL, with the token only Icecast is told. */
export const listenerCheckUrl = (controllerUrl: string, token: string) =>
  `${controllerUrl.replace(/\/$/, '')}/api/stream/listener?token=${encodeURIComponent(token)}`;

/** Starts it; null (after saying why, once) when there is no stream server to run. */
export async function startStreamService(d: StreamServiceDeps): Promise<StreamService | null> {
  const s = d.settings;
  if (!s) {
    d.log.info(
      'stream server: off (ICECAST_PORT=off); relays via the controller and live speech are unavailable',
    );
    return null;
  }
  const { auth } = icecastPasswords(`${d.dataDir}/icecast`);
  let server: StreamServer;
  if (s.kind === 'external') {
    server = externalStreamServer(s.url, s.publicUrl ?? undefined);
    d.log.info(`stream server: the existing Icecast at ${new URL(s.url).host} (ICECAST_URL)`);
  } else {
    const binary = d.binary ?? (d.locate ?? locateIcecast)();
    if (!binary) {
      d.log.warn(
        `stream server: icecast2 is not installed; relays via the controller and live speech are off. Install it: ${INSTALL_HINT}`,
      );
      return null;
    }
    try {
      server = await startEmbeddedStreamServer({
        dataDir: d.dataDir,
        host: s.host,
        port: s.port,
        publicUrl: s.publicUrl ?? undefined,
        authUrl: listenerCheckUrl(d.controllerUrl, auth),
        log: d.log,
        binary,
      });
    } catch (e) {
      d.log.error(
        `stream server: ${(e as Error).message}; relays via the controller and live speech are off`,
      );
      return null;
    }
    const listenAt = server.listenUrl('/relay/').replace(/\/relay\/$/, '');
    d.log.info(`stream server: embedded Icecast on ${s.host}:${s.port}; stations listen at ${listenAt}`);
    if (!s.publicUrl && listenAt.includes('127.0.0.1'))
      d.log.warn('stream server: ICECAST_PUBLIC_URL is unset: only agents on this machine can reach it');
  }
  const pulls = createRelayPulls({
    ffmpeg: d.ffmpeg,
    log: d.log,
    openSource: (m) => server.openSource(m),
    listenerCounts: () => server.listenerCounts(),
    resolve: d.resolve,
    graceMs: d.graceMs,
  });
  return {
    server,
    pulls,
    gate: { token: auth, pulls },
    kind: s.kind,
    close: async () => {
      await pulls.close();
      await server.close();
    },
  };
}

/** Where stations listen to a relay's upstream: its mount on this stream server (pulled once for all). */
export const relayListenUrl = (stream: StreamService) => (upstreamUrl: string) =>
  stream.server.listenUrl(stream.pulls.register(upstreamUrl));
