// The agent's event bus: listeners in order, removable one by one or by part, and a failing one isolated.
import { describe, expect, it } from 'vitest';
import { createBus } from '../../edge-agent/bus.ts';
import { recordingLogger } from '../support/log.ts';

interface Events {
  said: string;
  tick: undefined;
}

describe('the event bus', () => {
  it('calls the listeners in the order they came, at once', () => {
    const bus = createBus<Events>(recordingLogger());
    const heard: string[] = [];
    bus.on('said', 'a', (w) => void heard.push(`a:${w}`));
    bus.on('said', 'b', (w) => void heard.push(`b:${w}`));
    bus.on('tick', 'a', () => void heard.push('a:tick'));
    bus.emit('said', 'xin chào');
    bus.emit('tick');
    expect(heard).toEqual(['a:xin chào', 'b:xin chào', 'a:tick']);
  });

  it('logs a listener that throws or rejects, and still calls the others', async () => {
    const log = recordingLogger();
    const bus = createBus<Events>(log);
    const heard: string[] = [];
    bus.on('said', 'broken', () => {
      throw new Error('boom');
    });
    bus.on('said', 'slow', async () => {
      throw new Error('later');
    });
    bus.on('said', 'fine', (w) => void heard.push(w));
    expect(() => bus.emit('said', 'một')).not.toThrow();
    await Promise.resolve();
    expect(heard).toEqual(['một']);
    expect(log.lines).toEqual([
      'error bus: broken failed on said: boom',
      'error bus: slow failed on said: later',
    ]);
  });

  it('removes one listener, or every listener of a part when it stops', () => {
    const bus = createBus<Events>(recordingLogger());
    const heard: string[] = [];
    const off = bus.on('said', 'a', (w) => void heard.push(`a:${w}`));
    bus.on('said', 'b', (w) => void heard.push(`b:${w}`));
    bus.on('tick', 'b', () => void heard.push('b:tick'));
    off();
    bus.emit('said', 'hai');
    bus.removeListeners('b');
    bus.emit('said', 'ba');
    bus.emit('tick');
    expect(heard).toEqual(['b:hai']);
    expect(bus.listenerCount('said')).toBe(0);
  });
});
