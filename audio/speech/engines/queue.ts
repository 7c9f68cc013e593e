// A limit on texts spoken at once: at most `parallel` speak (espeak-ng processes, cloud calls), a bounded
// few wait their turn in order, and one more is refused at once rather than left to wait without end.
import type { Speaker } from './speaker.ts';

export class SpeechBusyError extends Error {
  constructor(
    readonly parallel: number,
    readonly waiting: number,
  ) {
    super(`${parallel} texts are being spoken and ${waiting} wait: try again shortly`);
    this.name = 'SpeechBusyError';
  }
}

export interface SpeechLimits {
  /** texts spoken at the same time */
  parallel: number;
  /** texts that may wait for a turn; one more is refused (SpeechBusyError) */
  waiting: number;
}

/** The speaker behind the limit: `speak` waits its turn, or throws SpeechBusyError when the queue is full. */
export function limitSpeaker(
  speaker: Speaker,
  limits: SpeechLimits,
): Speaker & { load(): { speaking: number; waiting: number } } {
  let speaking = 0;
  const queue: (() => void)[] = [];
  const turn = async (): Promise<void> => {
    if (speaking < limits.parallel) {
      speaking++;
      return;
    }
    if (queue.length >= limits.waiting) throw new SpeechBusyError(limits.parallel, limits.waiting);
    // the one finishing hands its place over: `speaking` stays counted
    await new Promise<void>((resolve) => queue.push(resolve));
  };
  const done = () => {
    const next = queue.shift();
    if (next) next();
    else speaking--;
  };
  return {
    voices: () => speaker.voices(),
    findVoice: (id) => speaker.findVoice(id),
    load: () => ({ speaking, waiting: queue.length }),
    async speak(req) {
      await turn();
      try {
        return await speaker.speak(req);
      } finally {
        done();
      }
    },
  };
}
