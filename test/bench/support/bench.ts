// Helpers for every benchmark: running its main (exit 0 with its report on stdout, 1 on an error), a
// timestamped progress log on stderr, medians and units.

/** Runs a benchmark's `main` and exits: 0 when it resolved, 1 (the error on stderr) when it threw. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

/** A progress line on stderr (stdout carries the report), with the time of day. */
export const log = (m: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${m}\n`);

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

export const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
export const sec = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
