import fc from 'fast-check';

/** A JSON schema as found in the OpenAPI document (TypeBox output). */
export type Schema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
};

const FORMATS: Record<string, string> = {
  date: '2026-03-02',
  'date-time': '2026-03-02T08:00:00Z',
  email: 'probe@example.cn',
  uri: 'https://example.cn/x',
  uuid: '00000000-0000-4000-8000-000000000000',
};

function fitString(schema: Schema, text: string): string {
  if (typeof schema.format === 'string' && FORMATS[schema.format]) return FORMATS[schema.format];
  let value = text;
  if (typeof schema.pattern === 'string') {
    const re = new RegExp(schema.pattern);
    if (!re.test(value)) value = ['A1', 'ABC', '2026', '2026-W10', '2026-03-02', '123456', 'a'].find((c) => re.test(c)) ?? value;
  }
  const min = Number(schema.minLength ?? 0);
  const max = Number(schema.maxLength ?? 100_000);
  while (value.length < min) value += 'x';
  return value.slice(0, max);
}

/**
 * A value that satisfies the schema as far as it can be guessed, with every free text field set
 * to `text` (an XSS probe, say). References (ids, codes) get small numbers and sample codes.
 */
export function sampleOf(schema: Schema, text = '样例'): unknown {
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return sampleOf(branches.find((b) => b.type !== 'null') ?? branches[0], text);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(schema.properties ?? {})) {
        // Honeypot fields (left empty by people, filled by bots) stay out.
        if (key === 'website' && !schema.required?.includes(key)) continue;
        out[key] = sampleOf(sub, text);
      }
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, Number(schema.minItems ?? 1)) }, () => sampleOf(schema.items ?? {}, text));
    case 'string':
      return fitString(schema, text);
    case 'integer':
    case 'number':
      return Math.max(Number(schema.minimum ?? 1), Math.min(1, Number(schema.maximum ?? 1)));
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return text;
  }
}

const hostileStrings = fc.constantFrom(
  '',
  ' ',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; drop table operation; --",
  '\u0000',
  '\uD800',
  '../../etc/passwd',
  "=cmd|' /C calc'!A0",
  '9'.repeat(40),
  '-1',
  'NaN',
  '2026-02-30',
  '9999-99-99',
  'x'.repeat(20_000),
);

/** Values in and around the schema: valid-ish ones from its shape, hostile strings and wrong types. */
export function arbitraryOf(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const wrong = fc.oneof(
    fc.constant(null),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    hostileStrings,
    fc.constant({}),
    fc.constant([]),
  );
  if (depth > 4) return wrong;
  if ('const' in schema) return fc.oneof({ weight: 4, arbitrary: fc.constant(schema.const) }, { weight: 1, arbitrary: wrong });
  if (Array.isArray(schema.enum))
    return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...schema.enum) }, { weight: 1, arbitrary: wrong });
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return fc.oneof(...branches.map((b) => arbitraryOf(b, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  let good: fc.Arbitrary<unknown>;
  switch (type) {
    case 'object': {
      const entries = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      good = fc.record(Object.fromEntries(entries.map(([k, s]) => [k, arbitraryOf(s, depth + 1)])), {
        requiredKeys: entries.map(([k]) => k).filter((k) => required.has(k)),
      });
      break;
    }
    case 'array':
      good = fc.array(arbitraryOf(schema.items ?? {}, depth + 1), { maxLength: 4 });
      break;
    case 'string':
      good = fc.oneof(
        fc.constant(sampleOf(schema)),
        fc.string({ maxLength: 30 }).map((s) => fitString(schema, s)),
        fc.string({ unit: 'grapheme', maxLength: 30 }),
        hostileStrings,
      );
      break;
    case 'integer':
      good = fc.oneof(fc.integer({ min: -5, max: 50 }), fc.constantFrom(0, -1, 2147483647, 2147483648, Number.MAX_SAFE_INTEGER));
      break;
    case 'number':
      good = fc.oneof(fc.double({ noNaN: true }), fc.integer({ min: -5, max: 1000 }));
      break;
    case 'boolean':
      good = fc.boolean();
      break;
    default:
      good = fc.oneof(hostileStrings, fc.integer());
  }
  return fc.oneof({ weight: 5, arbitrary: good }, { weight: 1, arbitrary: wrong });
}

const REPAIRS: unknown[] = ['2026-03-02T09:00:00+08:00', '2026-03-02', 1, 'long_term', true, undefined];

/**
 * Sets the values named by a 400 answer's error details (JSON pointers) to the next plausible
 * candidate: an allowed value quoted in the message ("one of: a, b"), a date, a number … or drops it.
 */
export function repair(value: unknown, details: Array<{ path: string; message: string }>, attempt: number): boolean {
  let changed = false;
  for (const detail of details) {
    const keys = detail.path.split('/').slice(1);
    if (keys[0] === 'body') keys.shift();
    if (keys.length === 0) continue;
    let node = value as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) {
      if (!node || typeof node !== 'object') break;
      node = node[key] as Record<string, unknown>;
    }
    if (!node || typeof node !== 'object') continue;
    const last = keys.at(-1) as string;
    const oneOf = detail.message.match(/one of[:：]\s*([\w-]+)/i)?.[1];
    const next = oneOf && attempt === 0 ? oneOf : REPAIRS[Math.min(attempt, REPAIRS.length - 1)];
    if (next === undefined) delete node[last];
    else node[last] = next;
    changed = true;
  }
  return changed;
}
