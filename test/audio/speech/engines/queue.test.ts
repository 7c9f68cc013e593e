// The limit on texts spoken at once: K speak, a bounded queue waits in order, one more is refused.
import { describe, expect, it } from 'vitest';
import {
  limitSpeaker,
  type Speaker,
  SpeechBusyError,
  type Spoken,
} from '../../../../audio/speech/engines/index.ts';

/** A speaker whose every text waits until the test lets it finish, in the order asked. */
function heldSpeaker() {
  const held: { text: string; finish: () => void }[] = [];
  const started: string[] = [];
  const speaker: Speaker = {
    voices: () => [],
    findVoice: () => undefined,
    speak: ({ text }) =>
      new Promise<Spoken>((resolve, reject) => {
        started.push(text);
        held.push({
          text,
          finish: () => (text === 'fails' ? reject(new Error('engine broke')) : resolve({ text } as never)),
        });
      }),
  };
  return { speaker, held, started };
}
const tick = () => new Promise((r) => setImmediate(r));
const say = (s: Speaker, text: string) => s.speak({ text, voice: 'espeak-ng:vi', speed: 1 });

describe('limitSpeaker', () => {
  it('speaks K at once, queues the next in order, refuses one beyond the queue', async () => {
    const h = heldSpeaker();
    const limited = limitSpeaker(h.speaker, { parallel: 2, waiting: 2 });
    const answers = ['a', 'b', 'c', 'd'].map((t) => say(limited, t));
    await tick();
    expect(h.started).toEqual(['a', 'b']);
    expect(limited.load()).toEqual({ speaking: 2, waiting: 2 });
    await expect(say(limited, 'e')).rejects.toBeInstanceOf(SpeechBusyError);
    h.held[1]?.finish();
    await tick();
    expect(h.started).toEqual(['a', 'b', 'c']);
    h.held[0]?.finish();
    await tick();
    expect(h.started).toEqual(['a', 'b', 'c', 'd']);
    for (const x of h.held.slice(2)) x.finish();
    expect(await Promise.all(answers)).toEqual([{ text: 'a' }, { text: 'b' }, { text: 'c' }, { text: 'd' }]);
    expect(limited.load()).toEqual({ speaking: 0, waiting: 0 });
  });

  it('gives the place back when a text fails', async () => {
    const h = heldSpeaker();
    const limited = limitSpeaker(h.speaker, { parallel: 1, waiting: 0 });
    const failing = say(limited, 'fails');
    await tick();
    await expect(say(limited, 'x')).rejects.toMatchObject({ parallel: 1, waiting: 0 });
    h.held[0]?.finish();
    await expect(failing).rejects.toThrow('engine broke');
    const next = say(limited, 'y');
    await tick();
    h.held[1]?.finish();
    expect(await next).toEqual({ text: 'y' });
    expect(limited.load()).toEqual({ speaking: 0, waiting: 0 });
  });
});
