// An entry's preparation, from the moment the runner takes it in hand: its clips verified (or waited for while
// they download) and its player started ahead, so that at the instant only the release remains.
import { errorMessage, type Logger } from '../../common/log.ts';
import type { ClipRef, TimetableEntry } from '../../schedules/model.ts';
import type { ClipCache } from '../clips/cache.ts';
import type { AgentPlayer, PreparedPlay } from './player.ts';
import { shapedInputs } from './shape/sounds.ts';

/** How often clips still missing are looked for (a store lookup each; an emergency's clip may be arriving). */
const CLIP_POLL_MS = 100;

export interface Preparing {
  /** The clip files, once every one is verified. */
  readonly files: readonly string[] | null;
  /** The first clip still missing, while any is. */
  readonly missing: string | null;
  /** The player started ahead, once the clips are there. */
  readonly player: PreparedPlay | null;
  /** Why the player could not be started ahead (bad volume or name), or why the one started failed before its release. */
  readonly failure: string | null;
  /** Resolves once the clips have been looked for (and verified) at least once, or on cancel. */
  readonly looked: Promise<void>;
  /** Starts another player in place of one that did not get ready or failed; false if the clips are not there. */
  renew(): boolean;
  /** Stops looking for clips and stops a player not released. */
  cancel(): void;
}

export interface PrepareDeps {
  player: AgentPlayer;
  clips: Pick<ClipCache, 'verifiedPath'>;
  log: Logger;
}

export function startPreparing(
  deps: PrepareDeps,
  e: TimetableEntry,
  clipRefs: ReadonlyMap<string, ClipRef>,
  volume: number,
): Preparing {
  const found = new Map<string, string>();
  let files: string[] | null = null;
  let player: PreparedPlay | null = null;
  let failure: string | null = null;
  let cancelled = false;
  let timer: NodeJS.Timeout | undefined;
  let settle = () => {};
  const looked = new Promise<void>((r) => {
    settle = r;
  });

  const startPlayer = () => {
    player?.cancel();
    player = null;
    failure = null;
    try {
      // read N times with gaps and chimes (shape/sounds.ts): one sound, the amplifier on throughout
      const p = deps.player.prepare(shapedInputs(e, files as string[]), { name: e.id, volume });
      player = p;
      p.ready.catch((err) => {
        if (player !== p || cancelled) return;
        failure = errorMessage(err);
        deps.log.warn(`entry ${e.id}: the player failed before its time: ${failure}`);
      });
    } catch (err) {
      failure = errorMessage(err);
      deps.log.error(`entry ${e.id}: the player cannot be started: ${failure}`);
    }
  };

  async function look(): Promise<void> {
    if (cancelled) return;
    for (const id of e.clipIds) {
      if (found.has(id)) continue;
      const ref = clipRefs.get(id);
      const path = ref ? await deps.clips.verifiedPath(ref).catch(() => null) : null;
      if (path) found.set(id, path);
    }
    if (cancelled) return;
    if (e.clipIds.every((id) => found.has(id))) {
      files = e.clipIds.map((id) => found.get(id) as string);
      startPlayer();
      settle();
      return;
    }
    settle();
    timer = setTimeout(() => void look(), CLIP_POLL_MS);
  }
  void look();

  return {
    get files() {
      return files;
    },
    get missing() {
      return e.clipIds.find((id) => !found.has(id)) ?? null;
    },
    get player() {
      return player;
    },
    get failure() {
      return failure;
    },
    looked,
    renew() {
      if (!files || cancelled) return false;
      startPlayer();
      return true;
    },
    cancel() {
      cancelled = true;
      clearTimeout(timer);
      player?.cancel();
      settle();
    },
  };
}
