// The relay's pure parts: which URLs are refused, which content types are audio, silencedetect's lines.
import { describe, expect, it } from 'vitest';
import { demuxerFor, streamUrlProblem } from '../../../audio/stream/connect.ts';
import { SilenceTrack, silenceFilters } from '../../../audio/stream/silence.ts';

describe('a relay URL', () => {
  it('is http or https with a host; anything else says why', () => {
    expect(streamUrlProblem('http://vov.vn/vov1.mp3')).toBeNull();
    expect(streamUrlProblem('https://controller.local:8443/relay/vov1')).toBeNull();
    expect(streamUrlProblem('file:///etc/passwd')).toBe('file URLs are not played');
    expect(streamUrlProblem('ftp://example.org/a.mp3')).toBe('ftp URLs are not played');
    expect(streamUrlProblem('concat:a.mp3|b.mp3')).toBe('concat URLs are not played');
    expect(streamUrlProblem('vov1.mp3')).toBe('not a URL');
  });
});

describe("a stream's content type", () => {
  it('names the demuxer for what Icecast sends, lets ffmpeg probe the rest, and refuses pages and pictures', () => {
    expect(demuxerFor('audio/mpeg')).toBe('mp3');
    expect(demuxerFor('audio/ogg; codecs=opus')).toBe('ogg');
    expect(demuxerFor('application/ogg')).toBe('ogg');
    expect(demuxerFor('audio/aacp')).toBe('aac');
    expect(demuxerFor('application/octet-stream')).toBeNull();
    expect(demuxerFor('')).toBeNull();
    expect(demuxerFor('text/html; charset=utf-8')).toBe('not-audio');
    expect(demuxerFor('image/png')).toBe('not-audio');
    expect(demuxerFor('application/json')).toBe('not-audio');
  });
});

describe('silence on what is played', () => {
  it('reads silencedetect lines into intervals and counts only what was played', () => {
    expect(silenceFilters({ noiseDb: -50, countMs: 2000, failMs: 20_000 })).toBe(
      'asetpts=N/SR/TB,silencedetect=noise=-50dB:d=2',
    );
    const t = new SilenceTrack();
    expect(t.line('[silencedetect @ 0x55d0c3e0] silence_start: 1.5')).toEqual({ started: 1500 });
    expect(t.silentNow).toBe(true);
    expect(t.line('[silencedetect @ 0x55d0c3e0] silence_end: 4.25 | silence_duration: 2.75')).toEqual({
      ended: 4250,
    });
    expect(t.line('[mp3 @ 0x1] Estimating duration from bitrate')).toBeNull();
    t.line('[silencedetect @ 0x55d0c3e0] silence_start: 8');
    // 2.75 s, then from 8 s to what was played: 10 s; a decoder ahead of the output found silence not heard
    expect(t.silentWithin(10_000)).toBe(4750);
    expect(t.silentWithin(3000)).toBe(1500);
  });
});
