// Import…: what a pasted or picked file is (an OpenAPI document or a
// mockgate profile), and the import summary the backend answers for an
// OpenAPI document (backend/openapiimport/summary.go), in words. The
// backend decides (a top-level `openapi` key makes a document); this
// reading only tells the user beforehand what was picked.

/** The headline numbers of an import (summary.go Counts). */
export interface ImportCounts {
  operations: number;
  inResources: number;
  routes: number;
  public: number;
  notServed: number;
  resources: number;
  securitySchemes: number;
  notMapped: number;
}

/** One operation and what serves it. */
export interface ImportOperation {
  method: string;
  path: string;
  operationId?: string;
  /** "resource NAME: OP", "route (example)", "route (generated)", "route (no body)" or "not served". */
  mappedTo: string;
  public?: boolean;
  /** Scopes a key needs, space-separated. */
  scopes?: string;
}

/** One collection found in the paths. */
export interface ImportResource {
  name: string;
  path: string;
  operations: string[];
  fields: number;
  seed: number;
  schema?: string;
}

/** One security scheme and how it was mapped. */
export interface ImportScheme {
  name: string;
  /** As the document says it: "apiKey in header api_key". */
  type: string;
  /** How keys are checked, or "not mapped: " and why. */
  mappedTo: string;
  scopes?: string[];
  operations: number;
}

/** One thing the profile does not express, and why. */
export interface ImportGap {
  where: string;
  reason: string;
}

/** What an import made of an OpenAPI document (summary.go Summary). */
export interface ImportSummary {
  source: string;
  openapi: string;
  title: string;
  id: string;
  basePath: string;
  counts: ImportCounts;
  operations?: ImportOperation[] | null;
  resources: ImportResource[] | null;
  security: ImportScheme[] | null;
  pagination?: string;
  notMapped: ImportGap[] | null;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether v has the shape of an import summary (the fields the dialog reads). */
export function isImportSummary(v: unknown): v is ImportSummary {
  if (!isObj(v) || !isObj(v['counts'])) return false;
  const c = v['counts'];
  return (
    typeof v['title'] === 'string' &&
    typeof v['id'] === 'string' &&
    typeof c['operations'] === 'number' &&
    ['resources', 'security', 'notMapped'].every((k) => v[k] === undefined || v[k] === null || Array.isArray(v[k]))
  );
}

/** What a file is, as far as its text tells. */
export type Detected =
  | { kind: 'openapi'; version: string; title: string }
  | { kind: 'swagger'; version: string }
  | { kind: 'profile'; id: string; name: string }
  | { kind: 'empty' }
  | { kind: 'unknown' };

function unquote(v: string): string {
  const t = v.replace(/\s+#.*$/, '').trim();
  const m = /^(["'])(.*)\1$/.exec(t);
  return m ? m[2]! : t;
}

/** A top-level key's scalar value in YAML (at column 0), or null when absent. */
function yamlTop(src: string, key: string): string | null {
  const m = new RegExp(`^(["']?)${key}\\1[ \\t]*:[ \\t]*(.*)$`, 'm').exec(src);
  return m ? unquote(m[2]!) : null;
}

/** info.title of a YAML document: the first indented title under a top-level info. */
function yamlInfoTitle(src: string): string {
  const lines = src.split(/\r?\n/);
  const start = lines.findIndex((l) => /^(["']?)info\1[ \t]*:[ \t]*$/.test(l));
  if (start < 0) return '';
  for (const l of lines.slice(start + 1)) {
    if (/^\S/.test(l)) break; // the next top-level key
    const m = /^\s+(["']?)title\1[ \t]*:[ \t]*(.+)$/.exec(l);
    if (m) return unquote(m[2]!);
  }
  return '';
}

/**
 * What a file is: an OpenAPI document (a top-level `openapi` key, YAML or
 * JSON), a Swagger 2.0 one (not imported), a mockgate profile (an `id`),
 * nothing, or something else.
 */
export function detectDocument(src: string): Detected {
  const text = src.replace(/^\uFEFF/, '');
  if (text.trim() === '') return { kind: 'empty' };
  if (text.trimStart().startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return { kind: 'unknown' };
    }
    if (!isObj(doc)) return { kind: 'unknown' };
    const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
    if (doc['openapi'] !== undefined) {
      return { kind: 'openapi', version: str(doc['openapi']), title: isObj(doc['info']) ? str(doc['info']['title']) : '' };
    }
    if (doc['swagger'] !== undefined) return { kind: 'swagger', version: str(doc['swagger']) };
    if (typeof doc['id'] === 'string') return { kind: 'profile', id: doc['id'], name: str(doc['name']) };
    return { kind: 'unknown' };
  }
  const openapi = yamlTop(text, 'openapi');
  if (openapi !== null) return { kind: 'openapi', version: openapi, title: yamlInfoTitle(text) };
  const swagger = yamlTop(text, 'swagger');
  if (swagger !== null) return { kind: 'swagger', version: swagger };
  const id = yamlTop(text, 'id');
  if (id) return { kind: 'profile', id, name: yamlTop(text, 'name') ?? '' };
  return { kind: 'unknown' };
}

/** The detection in one sentence for the dialog. */
export function describeDetected(d: Detected): string {
  switch (d.kind) {
    case 'openapi':
      return `An OpenAPI ${d.version || '3'} document${d.title ? `, “${d.title}”` : ''}: it becomes a profile, with a summary of what was mapped.`;
    case 'swagger':
      return `A Swagger ${d.version || '2.0'} document: mockgate imports OpenAPI 3.0 and 3.1; convert it first (for example with swagger2openapi).`;
    case 'profile':
      return `A mockgate profile${d.id ? ` (id ${d.id})` : ''}${d.name ? `, “${d.name}”` : ''}.`;
    case 'empty':
      return '';
    case 'unknown':
      return 'Neither an OpenAPI document (a top-level openapi key) nor a profile (an id) as far as can be read; the import will say what is wrong.';
  }
}

function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

/** The summary's first line: "19 operations (2 public): 14 served by 3 resources, 5 by routes, 0 not served". */
export function summaryHeadline(s: ImportSummary): string {
  const c = s.counts;
  return `${plural(c.operations, 'operation')} (${c.public} public): ${c.inResources} served by ${plural(c.resources, 'resource')}, ${c.routes} by routes, ${c.notServed} not served`;
}

/** Whether a scheme's keys are checked at all. */
export function schemeMapped(s: ImportScheme): boolean {
  return !s.mappedTo.startsWith('not mapped');
}

/** The not-mapped list starts folded past this many lines. */
export const FOLD_AFTER = 6;

/**
 * The summary as plain text, like `mockgate import openapi` prints it: for
 * the clipboard.
 */
export function summaryText(s: ImportSummary): string {
  const lines = [`Imported “${s.title}” (OpenAPI ${s.openapi}) as ${s.id}, base path ${s.basePath || '/'}`, summaryHeadline(s)];
  const resources = s.resources ?? [];
  if (resources.length > 0) {
    lines.push('Resources:');
    for (const r of resources) lines.push(`  ${r.name} /${r.path}: ${r.operations.join(', ')} (${plural(r.fields, 'field')}, ${r.seed} seeded)`);
  }
  const security = s.security ?? [];
  lines.push('Security schemes:');
  if (security.length === 0) lines.push('  none: every operation is public');
  for (const sc of security) lines.push(`  ${sc.name} (${sc.type}, ${plural(sc.operations, 'operation')}): ${sc.mappedTo}`);
  if (s.pagination) lines.push(`Pagination: ${s.pagination}`);
  const gaps = s.notMapped ?? [];
  lines.push(gaps.length === 0 ? 'Not mapped: nothing' : `Not mapped (${gaps.length}):`);
  for (const g of gaps) lines.push(`  - ${g.where}: ${g.reason}`);
  return lines.join('\n');
}
