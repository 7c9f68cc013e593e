// Hostile uploads generated from the document's multipart schema: each form field hostile in turn,
// and forms that lie about their type, break off or carry two files.
import fc from 'fast-check';
import type { HostileRequest } from './hostile-harness.ts';
import type { Aim, Operation, Target } from './hostile-requests.ts';
import {
  asQueryText,
  hostileValue,
  UNICODE_EDGES,
  validValue,
  WRONG_CONTENT_TYPES,
} from './hostile-values.ts';

/** A multipart body by hand, so it can lie, break off, or carry odd names. */
function multipart(
  parts: { name: string; filename?: string; type?: string; content: string }[],
  boundary = 'loa-hostile',
) {
  const head = (p: (typeof parts)[number]) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename === undefined ? '' : `; filename="${p.filename}"`}\r\n` +
    (p.type ? `Content-Type: ${p.type}\r\n` : '');
  return `${parts.map((p) => `${head(p)}\r\n${p.content}\r\n`).join('')}--${boundary}--\r\n`;
}

/**
 * Uploads: each multipart field hostile in turn, and forms that are broken. A file's content is text
 * that no demuxer takes for audio, so no upload is ever accepted and processed in the background.
 */
export function multipartTargets(op: Operation, aim: Aim, paths: fc.Arbitrary<string>): Target[] {
  const fields = Object.entries(op.multipart?.properties ?? {});
  const junk = fc.oneof(
    fc.constant(''),
    fc.string({ maxLength: 200 }).map((s) => `junk: ${s}`),
  );
  const plausible = Object.fromEntries(
    fields.map(([name, s]) => [
      name,
      s.format === 'binary' ? junk : validValue(s, aim.hints, name).map(String),
    ]),
  );
  const upload = (
    what: string,
    path: string,
    body: string,
    type = 'multipart/form-data; boundary=loa-hostile',
  ): HostileRequest => ({
    what,
    method: op.method,
    path,
    query: '',
    headers: { 'content-type': type },
    body,
  });
  const partsOf = (values: Record<string, string>, filename = 'thong-bao.mp3') =>
    fields.map(([name, s]) => ({
      name,
      content: values[name] ?? '',
      ...(s.format === 'binary' ? { filename, type: 'audio/mpeg' } : {}),
    }));
  const targets: Target[] = fields.map(([name, s]) => ({
    name: `${op.method} ${op.template}: multipart field ${name}`,
    weight: 0.3,
    requests: fc
      .tuple(
        paths,
        fc.record(plausible),
        s.format === 'binary'
          ? fc.constantFrom(...UNICODE_EDGES, '../../etc/x.mp3', '')
          : hostileValue(s, aim.hints, name),
      )
      .map(([path, values, v]) =>
        s.format === 'binary'
          ? upload(
              `file named ${JSON.stringify(v).slice(0, 80)}`,
              path,
              multipart(partsOf(values, String(v))),
            )
          : upload(
              `${name} = ${asQueryText(v).slice(0, 80)}`,
              path,
              multipart(partsOf({ ...values, [name]: asQueryText(v) })),
            ),
      ),
  }));
  const broken = fc.tuple(paths, fc.record(plausible)).chain(([path, values]) => {
    const whole = multipart(partsOf(values));
    return fc.oneof(
      fc.nat({ max: whole.length - 1 }).map((n) => upload('cut short', path, whole.slice(0, n))),
      fc
        .constantFrom(...WRONG_CONTENT_TYPES, 'multipart/form-data', 'application/json')
        .map((t) => upload(`content type '${t}'`, path, whole, t)),
      fc.constant(
        upload('no file part', path, multipart(partsOf(values).filter((p) => p.filename === undefined))),
      ),
      fc.constant(upload('two files', path, multipart([...partsOf(values), ...partsOf(values)]))),
      fc.constant(upload('another boundary', path, multipart(partsOf(values), 'other'))),
    );
  });
  targets.push({ name: `${op.method} ${op.template}: broken forms`, weight: 0.3, requests: broken });
  return targets;
}
