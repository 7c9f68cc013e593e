// The browser's share of live speech latency, measured in headless Chromium with its fake microphone (a WAV
// of 1 s silence and 1 s tone, played in a loop): from a tone's onset seen by the page's audio graph (an
// AudioWorklet on the microphone's track) to the `dataavailable` event of the MediaRecorder chunk that holds
// it (the console's settings: WebM/Opus, 32 kbit/s, `start(100)`, the same getUserMedia constraints). Which
// chunk holds an onset is found afterwards by decoding growing prefixes of the recording with ffmpeg.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';

const PAGE = `<!doctype html><meta charset="utf-8"><title>capture</title><script>
window.measure = async (ms) => {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true } });
  const ctx = new AudioContext();
  const code = 'class O extends AudioWorkletProcessor { constructor() { super(); this.quiet = 0; } process(inputs) {' +
    ' const x = inputs[0][0]; if (!x) return true; let peak = 0; for (const v of x) peak = Math.max(peak, Math.abs(v));' +
    ' if (peak > 0.05 && this.quiet >= 9600) this.port.postMessage(0); this.quiet = peak > 0.05 ? 0 : this.quiet + x.length; return true; } }' +
    ' registerProcessor("onset", O);';
  await ctx.audioWorklet.addModule(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
  const node = new AudioWorkletNode(ctx, 'onset');
  const onsets = [];
  node.port.onmessage = () => onsets.push(performance.now());
  ctx.createMediaStreamSource(stream).connect(node);
  const rec = new MediaRecorder(stream, { mimeType: 'audio/webm;codecs=opus', audioBitsPerSecond: 32000 });
  const chunks = [];
  rec.ondataavailable = (e) => chunks.push({ at: performance.now(), blob: e.data });
  const startedAt = performance.now();
  rec.start(100);
  await new Promise((r) => setTimeout(r, ms));
  rec.stop();
  await new Promise((r) => (rec.onstop = r));
  const out = [];
  for (const c of chunks) {
    const b = new Uint8Array(await c.blob.arrayBuffer());
    let s = ''; for (const v of b) s += String.fromCharCode(v);
    out.push({ at: c.at, data: btoa(s) });
  }
  return { startedAt, onsets, chunks: out };
};
</script>`;

/** Onsets (sample index) in 16-bit mono PCM: over ~5 % of full scale after at least 200 ms under it. */
function onsetsIn(pcm: Buffer, rate: number): number[] {
  const found: number[] = [];
  let quiet = 0;
  for (let i = 0; i + 1 < pcm.length; i += 2) {
    const loud = Math.abs(pcm.readInt16LE(i)) > 1600;
    if (loud && quiet >= rate / 5) found.push(i / 2);
    quiet = loud ? 0 : quiet + 1;
  }
  return found;
}

const decode = (webm: Buffer) =>
  execFileSync(
    'ffmpeg',
    ['-v', 'error', '-i', 'pipe:0', '-f', 's16le', '-ac', '1', '-ar', '48000', 'pipe:1'],
    {
      input: webm,
      maxBuffer: 256 * 2 ** 20,
      // a prefix ends inside an open cluster: ffmpeg says so on every decode
      stdio: ['pipe', 'pipe', 'ignore'],
    },
  );

/** Capture delays (ms), one per onset heard in `seconds` of recording. */
export async function measureCapture(dir: string, seconds = 12): Promise<number[]> {
  const wav = path.join(dir, 'capture.wav');
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i'],
    ...["aevalsrc='if(gte(t,1),0.5*sin(2*PI*1000*t),0)':s=48000:d=2", '-ac', '1', '-c:a', 'pcm_s16le', wav],
  ]);
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      ...['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
      ...['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
      `--use-file-for-fake-audio-capture=${wav}`,
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const got = (await page.evaluate(`window.measure(${seconds * 1000})`)) as {
      startedAt: number;
      onsets: number[];
      chunks: { at: number; data: string }[];
    };
    const parts = got.chunks.map((c) => Buffer.from(c.data, 'base64'));
    // the chunk that holds sample P: the first whose prefix of the recording decodes past P
    const lengths = new Map<number, number>();
    const decodedLength = (n: number) => {
      if (!lengths.has(n)) lengths.set(n, decode(Buffer.concat(parts.slice(0, n))).length / 2);
      return lengths.get(n) as number;
    };
    const chunkOf = (sample: number) => {
      let lo = 1;
      let hi = parts.length;
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (decodedLength(mid) > sample) hi = mid;
        else lo = mid + 1;
      }
      return lo - 1;
    };
    const delays: number[] = [];
    for (const p of onsetsIn(decode(Buffer.concat(parts)), 48_000)) {
      const k = chunkOf(p);
      const chunk = got.chunks[k];
      // the page's onset nearest to where the recording puts it (its start plus the sample's time)
      const expected = got.startedAt + (p / 48_000) * 1000;
      const seen = got.onsets.find((t) => Math.abs(t - expected) < 300);
      if (chunk && seen !== undefined) delays.push(chunk.at - seen);
    }
    return delays;
  } finally {
    await browser.close();
    server.close();
  }
}
