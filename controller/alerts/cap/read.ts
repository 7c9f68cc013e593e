// Reading a CAP 1.2 document: size cap, no DOCTYPE (so no entity can expand), well-formed XML through
// fast-xml-parser, the CAP namespace, then the structure the standard requires, each refusal naming the element.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { type ZodError, z } from 'zod';
import { capRefusal } from './refusal.ts';
import { CERTAINTIES, SEVERITIES, URGENCIES } from './settings.ts';

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
export const MAX_CAP_BYTES = 256 * 1024;

/** Elements that may repeat: always arrays, even with one. */
const REPEATING = new Set([
  'info',
  'category',
  'responseType',
  'eventCode',
  'parameter',
  'resource',
  'area',
  'polygon',
  'circle',
  'geocode',
]);

const Text = z.string().trim().min(1);
const Instant = z.iso.datetime({ offset: true });
const NameValue = z.object({ valueName: Text, value: z.string().trim() });

const Resource = z.object({
  resourceDesc: Text,
  mimeType: Text,
  size: z.string().regex(/^\d+$/).optional(),
  uri: Text.optional(),
  digest: z.string().trim().optional(),
});
const Area = z.object({
  areaDesc: Text,
  polygon: z.array(z.string()).optional(),
  circle: z.array(z.string()).optional(),
  geocode: z.array(NameValue).optional(),
});
export type CapArea = z.infer<typeof Area>;

const Info = z.object({
  language: z.string().trim().default('en-US'),
  category: z
    .array(
      z.enum([
        'Geo',
        'Met',
        'Safety',
        'Security',
        'Rescue',
        'Fire',
        'Health',
        'Env',
        'Transport',
        'Infra',
        'CBRNE',
        'Other',
      ]),
    )
    .min(1),
  event: Text,
  urgency: z.enum(URGENCIES),
  severity: z.enum(SEVERITIES),
  certainty: z.enum(CERTAINTIES),
  headline: z.string().trim().optional(),
  description: z.string().trim().optional(),
  expires: Instant.optional(),
  parameter: z.array(NameValue).optional(),
  resource: z.array(Resource).optional(),
  area: z.array(Area).optional(),
});
export type CapInfo = z.infer<typeof Info>;

export const CapAlert = z.object({
  identifier: z.string().regex(/^[^\s,&<]+$/, 'has no spaces, commas, & or <'),
  sender: z.string().regex(/^[^\s,&<]+$/, 'has no spaces, commas, & or <'),
  sent: Instant,
  status: z.enum(['Actual', 'Exercise', 'System', 'Test', 'Draft']),
  msgType: z.enum(['Alert', 'Update', 'Cancel', 'Ack', 'Error']),
  scope: z.enum(['Public', 'Restricted', 'Private']),
  note: z.string().trim().optional(),
  references: z.string().trim().optional(),
  info: z.array(Info).optional(),
});
export type CapAlert = z.infer<typeof CapAlert>;

/** How this controller reads XML from outside (CAP documents, their feeds): text kept as text, no HTML entities. */
export const XML_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // only XML's five and numeric references can occur: a document with a DOCTYPE is refused before parsing
  processEntities: true,
  htmlEntities: false,
} as const;

const parser = new XMLParser({ ...XML_OPTIONS, isArray: (name) => REPEATING.has(localName(name)) });

const localName = (name: string) => name.slice(name.indexOf(':') + 1);
/** Element names that would reach an object's prototype: never CAP's, dropped. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The element names without the CAP prefix; attributes (`@_`) and elements of other prefixes left out. */
function unprefixed(node: unknown, prefix: string | null): unknown {
  if (Array.isArray(node)) return node.map((n) => unprefixed(n, prefix));
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@_') || FORBIDDEN_KEYS.has(localName(key))) continue;
    const colon = key.indexOf(':');
    if ((colon < 0 ? null : key.slice(0, colon)) !== prefix) continue;
    out[localName(key)] = unprefixed(value, prefix);
  }
  return out;
}

/** The first problem of the structure, as the element's path and a reason in both languages. */
function structureRefusal(error: ZodError) {
  const issue = error.issues[0];
  const path = ['alert', ...(issue?.path ?? []).filter((p) => typeof p === 'string')].join('/');
  if (issue?.code === 'invalid_type' && issue.input === undefined)
    return capRefusal(path, 'required element missing', 'thiếu phần tử bắt buộc');
  if (issue?.code === 'invalid_value')
    return capRefusal(
      path,
      `must be one of ${issue.values.join(', ')}`,
      `phải là một trong ${issue.values.join(', ')}`,
    );
  if (issue?.code === 'invalid_format' && issue.format === 'datetime')
    return capRefusal(
      path,
      'is not a CAP date and time (2026-11-26T10:00:00+07:00)',
      'không phải ngày giờ CAP (2026-11-26T10:00:00+07:00)',
    );
  return capRefusal(path, issue?.message ?? 'invalid', 'không hợp lệ');
}

/** A CAP 1.2 alert read from the request body; an HttpError naming the element otherwise. */
export function readCap(xml: string): CapAlert {
  if (Buffer.byteLength(xml) > MAX_CAP_BYTES)
    throw capRefusal(
      'alert',
      `document over ${MAX_CAP_BYTES / 1024} KB`,
      `văn bản quá ${MAX_CAP_BYTES / 1024} KB`,
      413,
    );
  // A DOCTYPE is the only way to declare entities (billion laughs, external files): refused outright.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    throw capRefusal(
      '!DOCTYPE',
      'a DOCTYPE or entity declaration is not accepted',
      'không chấp nhận khai báo DOCTYPE hay thực thể (entity)',
    );
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    throw capRefusal(
      'alert',
      `not well-formed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`,
      `không phải XML hợp lệ ở dòng ${valid.err.line}, cột ${valid.err.col}`,
    );
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml) as Record<string, unknown>;
  } catch (e) {
    // the parser's own refusals, e.g. an element named __proto__
    throw capRefusal('alert', `not accepted: ${(e as Error).message}`, 'văn bản không được chấp nhận');
  }
  const roots = Object.keys(doc);
  const root = roots.length === 1 ? roots[0] : undefined;
  if (!root || localName(root) !== 'alert')
    throw capRefusal('alert', 'the document element must be <alert>', 'phần tử gốc phải là <alert>');
  const prefix = root.includes(':') ? root.slice(0, root.indexOf(':')) : null;
  const element = doc[root];
  const attrs = (element && typeof element === 'object' ? element : {}) as Record<string, unknown>;
  const ns = attrs[prefix ? `@_xmlns:${prefix}` : '@_xmlns'];
  if (ns !== CAP_NAMESPACE)
    throw capRefusal(
      'alert',
      `namespace must be ${CAP_NAMESPACE} (found ${ns === undefined ? 'none' : String(ns)})`,
      `không gian tên phải là ${CAP_NAMESPACE}`,
    );
  const parsed = CapAlert.safeParse(unprefixed(element, prefix));
  if (!parsed.success) throw structureRefusal(parsed.error);
  return parsed.data;
}
