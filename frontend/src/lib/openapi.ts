// Reads an API's OpenAPI document into what the Explorer shows: endpoints
// grouped by tag, their path and query parameters, an example JSON body,
// the scope each needs and its security requirement. The document is the
// one mockgate generates for a built-in (paths on the origin: "/v1/users")
// or an imported API's own vendor document (OpenAPI 3.0 or 3.1, paths under
// its first server's path: "/pet" under "/api/v3").

import { readSecurity, type SecurityRequirement } from './keyplace';

/** A path or query parameter of an endpoint. */
export interface ParamSpec {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description: string;
  /** JSON Schema type, e.g. "integer" (the first that is not "null"). */
  type: string;
  /** The value to start with: the example, else the default, else "". */
  initial: string;
  /** The default the API applies when the parameter is left out. */
  defaultValue: string;
  /** Allowed values, when the schema lists them. */
  options: string[];
}

/** One operation of the document. */
export interface Endpoint {
  /** "GET /v1/users": unique within a document. */
  id: string;
  method: string;
  /** Path on the API's origin, with {name} placeholders. */
  path: string;
  summary: string;
  description: string;
  operationId: string;
  tag: string;
  params: ParamSpec[];
  /** Whether the operation takes a JSON body. */
  hasBody: boolean;
  /** An example body, pretty-printed JSON ("" when none). */
  bodyExample: string;
  /** The scope the operation needs (x-required-scope), "" when none. */
  requiredScope: string;
  /** Whether the operation needs a key (security is not empty). */
  needsKey: boolean;
  /** The requirement in force: the operation's, else the document's; [] when public or none is stated. */
  security: SecurityRequirement[];
}

/** Endpoints that share a tag (a resource). */
export interface EndpointGroup {
  tag: string;
  description: string;
  endpoints: Endpoint[];
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

/** Follows a local "#/a/b" reference (at most 16 hops); other values pass through. */
export function resolveRef(doc: unknown, v: unknown): unknown {
  let cur = v;
  for (let hops = 0; hops < 16 && isObj(cur) && typeof cur['$ref'] === 'string'; hops++) {
    const ref = cur['$ref'];
    if (!ref.startsWith('#/')) {
      return cur;
    }
    let target: unknown = doc;
    for (const raw of ref.slice(2).split('/')) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      target = isObj(target) ? target[key] : undefined;
    }
    cur = target;
  }
  return cur;
}

function schemaType(schema: Obj): string {
  const t = schema['type'];
  if (typeof t === 'string') {
    return t;
  }
  if (Array.isArray(t)) {
    const first = t.find((x) => x !== 'null');
    return typeof first === 'string' ? first : '';
  }
  return '';
}

function scalarText(v: unknown): string {
  if (v === undefined || v === null) {
    return '';
  }
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function paramSpec(doc: unknown, raw: unknown): ParamSpec | null {
  const p = resolveRef(doc, raw);
  if (!isObj(p)) {
    return null;
  }
  const where = p['in'];
  if (where !== 'path' && where !== 'query') {
    return null;
  }
  const schema = resolveRef(doc, p['schema']);
  const s = isObj(schema) ? schema : {};
  const defaultValue = scalarText(s['default']);
  const example = scalarText(p['example'] ?? s['example']);
  const options = Array.isArray(s['enum']) ? s['enum'].filter((x) => x !== null).map(scalarText) : [];
  return {
    name: str(p['name']),
    in: where,
    required: where === 'path' || p['required'] === true,
    description: str(p['description']),
    type: schemaType(s),
    // Path parameters need a value to send at all; query ones start empty
    // so the API's own default applies.
    initial: where === 'path' ? example || defaultValue || (schemaType(s) === 'integer' ? '1' : '') : '',
    defaultValue,
    options,
  };
}

const SAMPLE_DATE = '2026-01-15T09:30:00Z';

/**
 * An example value for a schema: its example, the first of its enum, or a
 * plain value of its type. Read-only properties are left out of objects
 * (the server sets them). depth bounds recursion.
 */
export function exampleFromSchema(doc: unknown, raw: unknown, name = 'value', depth = 0): unknown {
  const schema = resolveRef(doc, raw);
  if (!isObj(schema) || depth > 6) {
    return null;
  }
  if (schema['example'] !== undefined) {
    return schema['example'];
  }
  if (Array.isArray(schema['examples']) && schema['examples'].length > 0) {
    return schema['examples'][0];
  }
  if (Array.isArray(schema['enum'])) {
    const first = schema['enum'].find((x) => x !== null);
    if (first !== undefined) {
      return first;
    }
  }
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const alts = schema[key];
    if (Array.isArray(alts) && alts.length > 0) {
      return exampleFromSchema(doc, alts[0], name, depth + 1);
    }
  }
  switch (schemaType(schema)) {
    case 'object': {
      const out: Obj = {};
      const props = schema['properties'];
      if (isObj(props)) {
        for (const [k, v] of Object.entries(props)) {
          const prop = resolveRef(doc, v);
          if (isObj(prop) && prop['readOnly'] === true) {
            continue;
          }
          out[k] = exampleFromSchema(doc, prop, k, depth + 1);
        }
      }
      return out;
    }
    case 'array':
      return [exampleFromSchema(doc, schema['items'], name, depth + 1)];
    case 'integer':
      return typeof schema['minimum'] === 'number' ? Math.max(1, schema['minimum']) : 1;
    case 'number':
      return typeof schema['minimum'] === 'number' ? Math.max(1, schema['minimum']) : 9.99;
    case 'boolean':
      return true;
    case 'string': {
      const format = str(schema['format']);
      if (format === 'date-time') return SAMPLE_DATE;
      if (format === 'date') return SAMPLE_DATE.slice(0, 10);
      if (format === 'email') return 'demo@example.com';
      if (format === 'uri' || format === 'url') return 'https://example.com/hook';
      return `example ${name}`;
    }
    default:
      return null;
  }
}

/**
 * The path of a document's first server ("/api/v3"; "" for none or the
 * root), with its variables at their defaults: the document's paths are
 * under it. A generated document's server is the origin, so its paths are
 * whole.
 */
export function serverPath(doc: unknown): string {
  if (!isObj(doc) || !Array.isArray(doc['servers'])) {
    return '';
  }
  const first: unknown = doc['servers'][0];
  if (!isObj(first) || typeof first['url'] !== 'string') {
    return '';
  }
  const vars = isObj(first['variables']) ? first['variables'] : {};
  const url = first['url'].replace(/\{([^}]+)\}/g, (_, name: string) => {
    const v = vars[name];
    return isObj(v) ? scalarText(v['default']) : '';
  });
  let path = url.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/, '').replace(/[?#].*$/, '').replace(/\/+$/, '');
  if (path !== '' && !path.startsWith('/')) {
    path = `/${path.replace(/^\.\//, '')}`;
  }
  return path;
}

/**
 * The endpoints of a document grouped by their first tag, groups in the
 * order of the document's tags (then any others in order of appearance),
 * endpoints in the order of the paths.
 */
export function endpointGroups(doc: unknown): EndpointGroup[] {
  if (!isObj(doc) || !isObj(doc['paths'])) {
    return [];
  }
  const docSecurity = readSecurity(doc['security']) ?? [];
  const prefix = serverPath(doc);
  const groups = new Map<string, EndpointGroup>();
  if (Array.isArray(doc['tags'])) {
    for (const t of doc['tags']) {
      if (isObj(t) && typeof t['name'] === 'string') {
        groups.set(t['name'], { tag: t['name'], description: str(t['description']), endpoints: [] });
      }
    }
  }
  for (const [docPath, rawItem] of Object.entries(doc['paths'])) {
    const path = `${prefix}${docPath}`;
    const item = resolveRef(doc, rawItem);
    if (!isObj(item)) {
      continue;
    }
    const shared = Array.isArray(item['parameters']) ? item['parameters'] : [];
    for (const m of METHODS) {
      const op = item[m];
      if (!isObj(op)) {
        continue;
      }
      // Operation parameters override path-item ones of the same name and place.
      const byKey = new Map<string, ParamSpec>();
      for (const raw of [...shared, ...(Array.isArray(op['parameters']) ? op['parameters'] : [])]) {
        const p = paramSpec(doc, raw);
        if (p !== null && p.name !== '') {
          byKey.set(`${p.in}:${p.name}`, p);
        }
      }
      const params = [...byKey.values()];
      // Path parameters in the order the path names them, then query ones.
      const order = [...path.matchAll(/\{([^}]+)\}/g)].map((x) => x[1]);
      params.sort((a, b) => {
        if (a.in !== b.in) return a.in === 'path' ? -1 : 1;
        return a.in === 'path' ? order.indexOf(a.name) - order.indexOf(b.name) : 0;
      });
      let hasBody = false;
      let bodyExample = '';
      const rb = resolveRef(doc, op['requestBody']);
      if (isObj(rb) && isObj(rb['content'])) {
        // application/json, else the first JSON type (application/problem+json, "application/json; charset=utf-8").
        const content = rb['content'];
        const type = 'application/json' in content ? 'application/json' : Object.keys(content).find((t) => /[/+]json\b/i.test(t));
        const json = type === undefined ? undefined : content[type];
        if (isObj(json)) {
          hasBody = true;
          const ex = json['example'] ?? exampleFromSchema(doc, json['schema']);
          bodyExample = JSON.stringify(ex, null, 2);
        }
      }
      const tags = Array.isArray(op['tags']) ? op['tags'].filter((t): t is string => typeof t === 'string') : [];
      const tag = tags[0] ?? 'other';
      let group = groups.get(tag);
      if (!group) {
        group = { tag, description: '', endpoints: [] };
        groups.set(tag, group);
      }
      const security = readSecurity(op['security']) ?? docSecurity;
      const method = m.toUpperCase();
      group.endpoints.push({
        id: `${method} ${path}`,
        method,
        path,
        summary: str(op['summary']),
        description: str(op['description']),
        operationId: str(op['operationId']),
        tag,
        params,
        hasBody,
        bodyExample,
        requiredScope: str(op['x-required-scope']),
        needsKey: security.length > 0 && security.every((req) => Object.keys(req).length > 0),
        security,
      });
    }
  }
  return [...groups.values()].filter((g) => g.endpoints.length > 0);
}
