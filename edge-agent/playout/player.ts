// The player the agent needs: audio/index.ts's Player fits it, and tests pass a fake.

/** Plays one file to the end (or until the signal aborts); what audio/player.ts's Player does. */
export interface AgentPlayer {
  play(
    file: string,
    opts: { name: string; timeoutMs: number; volume?: number; signal?: AbortSignal },
  ): Promise<{ startedAt: Date; endedAt: Date; outputFile: string | null }>;
}
