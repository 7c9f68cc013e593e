// Values for the hostile-input suite, from the OpenAPI document's JSON Schemas: plausible ones to start
// from, and for each field wrong types, boundaries, oversize text and unicode edge cases.
import fc from 'fast-check';

/** The part of JSON Schema the route table's zod schemas produce. */
export interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
}

/** Ids of stored objects, by the property names that refer to them, so some requests get far. */
export type Hints = Record<string, unknown[]>;

/** Text that has broken parsers, normalisers, databases and terminals. */
export const UNICODE_EDGES = [
  '\uD800', // a lone high surrogate
  '\uDFFF', // a lone low surrogate
  'a\uD83Db', // half an emoji
  '\u202Egnp.exe', // right-to-left override
  '\u200F\u061C', // right-to-left and Arabic letter marks
  '👨\u200D👩\u200D👧\u200D👦', // a family joined by zero-width joiners
  '\u200D', // a zero-width joiner alone
  '\u200B\u2060', // zero-width space, word joiner
  '\uFEFF', // a byte order mark
  '\u0000', // NUL
  'a\u0000b',
  '\u0007\u001B[31m', // bell, an ANSI colour escape
  'e\u0301', // a combining accent
  'Z\u0351\u0352\u0357\u035B\u0346\u0300\u0301', // stacked combining marks
  `ê${'\u0301\u0323'.repeat(2500)}`, // one grapheme cluster 5,000 marks long
  '🔊📢🇻🇳👍🏽',
  'Thông báo phòng chống dịch Covid-19', // Vietnamese, NFC
  'Thông báo phòng chống dịch Covid-19'.normalize('NFD'), // the same, decomposed
  'Phường Tân An, quận Ninh Kiều'.normalize('NFD'),
  '\u2028\u2029', // line and paragraph separators
  '\r\n\t',
  '２０２６-１０-０５', // full-width digits
  '٣٠', // Arabic-Indic digits
  'аdmin', // a Cyrillic а
  '\uFFFE\uFFFF', // non-characters
  '\u{10FFFF}\u{E0001}', // the last code point, a tag character
];

const TYPES = ['string', 'number', 'boolean', 'array', 'object', 'null'] as const;

function typesOf(s: Schema): string[] {
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return variants.flatMap(typesOf);
  if (s.const !== undefined) return [typeof s.const];
  if (s.enum) return [...new Set(s.enum.map((v) => (v === null ? 'null' : typeof v)))];
  return s.type ? [s.type].flat().map((t) => (t === 'integer' ? 'number' : t)) : [];
}

const dateIn2026 = fc
  .date({ min: new Date('2026-09-01T00:00:00Z'), max: new Date('2027-03-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

function validString(s: Schema): fc.Arbitrary<string> {
  if (s.format === 'date-time') return dateIn2026;
  if (s.pattern === '^\\d{4}-\\d{2}-\\d{2}$') return dateIn2026.map((d) => d.slice(0, 10));
  if (s.pattern) {
    const re = new RegExp(s.pattern);
    return fc
      .stringMatching(re)
      .filter((v) => v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? Number.POSITIVE_INFINITY));
  }
  const minLength = s.minLength ?? 0;
  return fc.string({ minLength, maxLength: Math.min(s.maxLength ?? 40, minLength + 40) });
}

function validNumber(s: Schema, integer: boolean): fc.Arbitrary<number> {
  const min = s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : (s.minimum ?? -1000);
  const max = s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : (s.maximum ?? 1000);
  return integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** A value the schema allows (best effort: rules across fields are the server's to check). */
export function validValue(s: Schema, hints: Hints = {}, name = ''): fc.Arbitrary<unknown> {
  const generated = plainValid(s, hints);
  const hinted = hints[name];
  return hinted?.length ? fc.oneof(fc.constantFrom(...hinted), generated) : generated;
}

function plainValid(s: Schema, hints: Hints): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return fc.oneof(...variants.map((v) => plainValid(v, hints)));
  switch ([s.type].flat()[0]) {
    case 'string':
      return validString(s);
    case 'integer':
      return validNumber(s, true);
    case 'number':
      return validNumber(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = s.minItems ?? 0;
      const maxLength = Math.min(s.maxItems ?? 3, minLength + 3);
      return fc.array(plainValid(s.items ?? {}, hints), { minLength, maxLength });
    }
    case 'object': {
      const props = Object.entries(s.properties ?? {});
      const model = Object.fromEntries(props.map(([k, v]) => [k, validValue(v, hints, k)]));
      return fc.record(model, { requiredKeys: s.required ?? [] });
    }
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

/** A value of a JSON type the schema does not allow. */
function wrongType(s: Schema): fc.Arbitrary<unknown> {
  const allowed = new Set(typesOf(s));
  const pool: Record<(typeof TYPES)[number], fc.Arbitrary<unknown>> = {
    string: fc.oneof(fc.string({ minLength: 1 }), fc.constantFrom('1', 'true', 'null', '[]', '{}')),
    number: fc.oneof(fc.integer(), fc.constantFrom(0, -1, 1.5)),
    boolean: fc.boolean(),
    array: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
    object: fc.constantFrom({}, { nested: true }, { $gt: '' }),
    null: fc.constant(null),
  };
  const wrong = TYPES.filter((t) => !allowed.has(t)).map((t) => pool[t]);
  return wrong.length ? fc.oneof(...wrong) : fc.constant(undefined);
}

const filler = (n: number, unit = 'a') => unit.repeat(Math.max(0, n));

/** Values at and just past each limit the schema states: lengths, numbers, item counts. */
function boundaries(s: Schema, hints: Hints): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [];
  const t = [s.type].flat()[0];
  if (t === 'string' || s.minLength !== undefined || s.maxLength !== undefined) {
    const lengths = [s.minLength ?? 1, s.maxLength].filter((n): n is number => n !== undefined);
    const around = lengths.flatMap((n) => [n - 1, n, n + 1]).filter((n) => n >= 0);
    out.push(
      fc
        .tuple(fc.constantFrom(...around, 0), fc.constantFrom('a', 'ệ', '9', ' ', '-'))
        .map(([n, u]) => filler(n, u)),
    );
  }
  if (t === 'integer' || t === 'number') {
    const limits = [s.minimum, s.maximum, s.exclusiveMinimum, s.exclusiveMaximum].filter(
      (n): n is number => n !== undefined,
    );
    const near = limits.flatMap((n) => [n - 1, n - 0.5, n, n + 0.5, n + 1]);
    out.push(fc.constantFrom(...near, 0, -0, 2 ** 31, 2 ** 53 + 2, -(2 ** 53) - 2, 1e308, -1e308, 5e-324));
  }
  if (t === 'array') {
    const item = plainValid(s.items ?? {}, hints);
    const counts = [s.minItems ?? 0, s.maxItems].filter((n): n is number => n !== undefined);
    const around = counts.flatMap((n) => [n - 1, n, n + 1]).filter((n) => n >= 0);
    out.push(
      fc.constantFrom(...around, 0, 2000).chain((n) => fc.array(item, { minLength: n, maxLength: n })),
    );
  }
  return out;
}

/** Text far past any sensible limit, of plain and of awkward characters. */
const oversize = fc
  .tuple(fc.constantFrom(257, 4097, 65_537, 300_000), fc.constantFrom('a', 'ư', '🔊', '\u0301', ' '))
  .map(([n, unit]) => filler(Math.ceil(n / unit.length), unit));

/** An edge case alone, or around or inside a plausible value. */
function unicode(s: Schema, hints: Hints, name: string): fc.Arbitrary<unknown> {
  const edge = fc.constantFrom(...UNICODE_EDGES);
  const base = validValue(s, hints, name).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return fc.oneof(
    edge,
    fc.tuple(base, edge).map(([v, e]) => v + e),
    fc.tuple(base, edge).map(([v, e]) => e + v),
    fc
      .tuple(base, edge, fc.nat())
      .map(([v, e, i]) => v.slice(0, i % (v.length + 1)) + e + v.slice(i % (v.length + 1))),
  );
}

/** A value for one field that probes how the server validates it. */
export function hostileValue(s: Schema, hints: Hints = {}, name = ''): fc.Arbitrary<unknown> {
  return fc.oneof(
    wrongType(s),
    ...boundaries(s, hints),
    oversize,
    unicode(s, hints, name),
    fc.constantFrom(
      undefined,
      null,
      '',
      ' ',
      "'; DROP TABLE stations; --",
      '../../etc/passwd',
      '%00',
      '{{7*7}}',
    ),
  );
}

/** The same value as a query string parameter's text. */
export const asQueryText = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);

export const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=loa',
  'application/xml',
  'application/json; charset=utf-16',
  'application/cap+xml',
  '*/*',
];

/** JSON text broken in the ways clients and attackers break it. */
export function malformed(text: string): fc.Arbitrary<string | Uint8Array> {
  return fc.oneof(
    fc.nat({ max: Math.max(0, text.length - 1) }).map((n) => text.slice(0, n)),
    fc.constantFrom(
      `${text},`,
      text.replace('{', '{,'),
      text.replaceAll('"', "'"),
      text.replace(/"(\w+)":/, '$1:'),
      `\uFEFF${text}`,
      `${text}${text}`,
      `/* note */${text}`,
      text.replace(/:(-?\d[\d.e+-]*)/, ':NaN'),
      text.replace(/:(-?\d[\d.e+-]*)/, ':1e999'),
      '',
      '   ',
      'null',
      '"text"',
      '{',
      '{"a":',
      'undefined',
      '\u0000',
      '{"__proto__": {"role": "admin"}}',
      '{"constructor": {"prototype": {"admin": true}}}',
      '['.repeat(100_000),
      '{"a":'.repeat(20_000),
    ),
    // bytes that are not UTF-8: a stray continuation byte, an overlong slash, a UTF-16 byte order mark
    fc
      .constantFrom([0xff, 0xfe], [0xc0, 0xaf], [0x80])
      .map((bad) => Uint8Array.from([...bad, ...Buffer.from(text)])),
  );
}
