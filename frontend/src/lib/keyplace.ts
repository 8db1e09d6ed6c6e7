// Where a request carries its key: the one definition the Explorer, the
// APIs screen, the guide, the key dialogs and the request log use.
//
// What the engine checks decides, not the document alone: an API's `auth`
// (GET /_admin/api/apis, profile.Auth) says where its keys are read.
//   - An imported API lists its schemes in auth.schemes, by the names of the
//     document's components.securitySchemes. An operation's security
//     requirement (its own, else the document's) names the schemes it
//     accepts: alternatives (OR) of combined schemes (AND), `security: []`
//     public. A scheme the API does not list is not mapped (the engine does
//     not read it): its alternative is left out.
//   - A built-in API (and a profile without schemes) reads its key from one
//     place, auth.header (with auth.scheme), auth.query or auth.cookie,
//     whatever the scheme names of its generated document.
// The document's securitySchemes fill in a listed scheme that does not say
// its place, and name the kind of each scheme (OAuth2, API key, ...).

import type { ApiInfo, AuthScheme } from './api';

/** One place a key goes: a header (with an auth scheme before it), a query parameter or a cookie. */
export type KeyPlace = { in: 'header'; name: string; scheme: string } | { in: 'query'; name: string } | { in: 'cookie'; name: string };

/** One way to send the key that an operation accepts: every place of it at once. */
export interface KeyAlternative {
  /** Stable within an operation: the scheme names joined with "+" ("api_key", "a+b"), or "key" for a built-in place. */
  id: string;
  /** The document's scheme names of this alternative (empty for a built-in place). */
  schemes: string[];
  /** What kind of scheme, in words ("OAuth2", "API key", "HTTP bearer"); "" when unknown. */
  kind: string;
  places: KeyPlace[];
  /** The scopes this alternative needs, as the requirement lists them. */
  scopes: string[];
}

/** How an operation takes its key. */
export interface KeyPlacement {
  /** No key is sent: the operation is public (`security: []`). */
  public: boolean;
  /** The accepted ways, in the document's order; the first is the default. Empty when public. */
  alternatives: KeyAlternative[];
}

/** An operation's security requirement: alternatives (OR) of scheme names (AND) with their scopes. */
export type SecurityRequirement = Record<string, string[]>;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a `security` array; null when v is not one (so the document's applies). */
export function readSecurity(v: unknown): SecurityRequirement[] | null {
  if (!Array.isArray(v)) return null;
  return v.filter(isObj).map((req) => {
    const out: SecurityRequirement = {};
    for (const [name, scopes] of Object.entries(req)) {
      out[name] = Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : [];
    }
    return out;
  });
}

/** The single place of a profile's auth (header, query or cookie), or null when it names none. */
function authPlace(a: { header?: string; scheme?: string; query?: string; cookie?: string }): KeyPlace | null {
  if (a.query) return { in: 'query', name: a.query };
  if (a.cookie) return { in: 'cookie', name: a.cookie };
  if (a.header) return { in: 'header', name: a.header, scheme: a.scheme ?? '' };
  return null;
}

/** The place a document's security scheme puts its key, or null when it is not a key in a request. */
export function schemePlace(s: unknown): KeyPlace | null {
  if (!isObj(s)) return null;
  switch (s['type']) {
    case 'http': {
      const scheme = typeof s['scheme'] === 'string' ? s['scheme'].toLowerCase() : '';
      if (scheme === 'bearer') return { in: 'header', name: 'Authorization', scheme: 'Bearer' };
      if (scheme === 'basic') return { in: 'header', name: 'Authorization', scheme: 'Basic' };
      return scheme ? { in: 'header', name: 'Authorization', scheme: s['scheme'] as string } : null;
    }
    case 'apiKey': {
      const name = typeof s['name'] === 'string' ? s['name'] : '';
      if (name === '') return null;
      if (s['in'] === 'query') return { in: 'query', name };
      if (s['in'] === 'cookie') return { in: 'cookie', name };
      if (s['in'] === 'header') return { in: 'header', name, scheme: '' };
      return null;
    }
    case 'oauth2':
    case 'openIdConnect':
      // Access tokens go in the Authorization header (RFC 6750); mockgate's keys stand for them.
      return { in: 'header', name: 'Authorization', scheme: 'Bearer' };
    default:
      return null;
  }
}

/** A document's scheme in a word or two: "OAuth2", "API key", "HTTP bearer". */
export function schemeKind(s: unknown): string {
  if (!isObj(s)) return '';
  switch (s['type']) {
    case 'http':
      return typeof s['scheme'] === 'string' ? `HTTP ${s['scheme'].toLowerCase()}` : 'HTTP';
    case 'apiKey':
      return 'API key';
    case 'oauth2':
      return 'OAuth2';
    case 'openIdConnect':
      return 'OpenID Connect';
    case 'mutualTLS':
      return 'mutual TLS';
    default:
      return '';
  }
}

function docSchemes(doc: unknown): Obj {
  if (!isObj(doc) || !isObj(doc['components'])) return {};
  const s = doc['components']['securitySchemes'];
  return isObj(s) ? s : {};
}

function samePlace(a: KeyPlace, b: KeyPlace): boolean {
  return a.in === b.in && a.name.toLowerCase() === b.name.toLowerCase() && (a.in !== 'header' || b.in !== 'header' || a.scheme.toLowerCase() === b.scheme.toLowerCase());
}

function placeOfListed(entry: AuthScheme, docScheme: unknown): KeyPlace | null {
  return authPlace(entry) ?? schemePlace(docScheme);
}

/**
 * Where and how an operation's key is sent. `security` is the operation's
 * effective requirement (its own, else the document's; null or [] when
 * neither states one: public). `doc` is the API's OpenAPI document, for the
 * kinds of its schemes and the place of a listed scheme that names none.
 */
export function keyPlacement(api: Pick<ApiInfo, 'auth'>, doc: unknown, security: SecurityRequirement[] | null): KeyPlacement {
  const reqs = security ?? [];
  if (reqs.length === 0) {
    return { public: true, alternatives: [] };
  }
  const listed = api.auth.schemes ?? [];
  const defs = docSchemes(doc);
  const primary = authPlace(api.auth);
  const single = (scopes: string[]): KeyAlternative[] => (primary ? [{ id: 'key', schemes: [], kind: '', places: [primary], scopes }] : []);
  if (listed.length === 0) {
    // One place whatever the requirement names; its scopes are the first alternative's.
    return { public: false, alternatives: single(Object.values(reqs[0] ?? {}).flat()) };
  }
  const out: KeyAlternative[] = [];
  for (const req of reqs) {
    const names = Object.keys(req);
    if (names.length === 0) {
      // An empty requirement ({}) lets a request through without a key.
      return { public: true, alternatives: [] };
    }
    const places: KeyPlace[] = [];
    let mapped = true;
    for (const name of names) {
      const entry = listed.find((s) => s.name === name);
      const place = entry ? placeOfListed(entry, defs[name]) : null;
      if (place === null) {
        mapped = false;
        break;
      }
      if (!places.some((p) => samePlace(p, place))) places.push(place);
    }
    if (!mapped) continue;
    const alt: KeyAlternative = {
      id: names.join('+'),
      schemes: names,
      kind: names.map((n) => schemeKind(defs[n])).filter((k) => k !== '').join(' + '),
      places,
      scopes: [...new Set(names.flatMap((n) => req[n] ?? []))],
    };
    // Two alternatives that send the key the same way are one choice.
    if (!out.some((o) => o.places.length === places.length && o.places.every((p, i) => samePlace(p, places[i]!)))) {
      out.push(alt);
    }
  }
  // Only schemes the API does not map: its main place is the one it reads.
  return { public: false, alternatives: out.length > 0 ? out : single([]) };
}

/** Every place an API reads keys from, for the APIs screen and the request log: its schemes', else its one place. */
export function apiKeyPlaces(api: Pick<ApiInfo, 'auth'>): KeyPlace[] {
  const out: KeyPlace[] = [];
  for (const s of api.auth.schemes ?? []) {
    const p = authPlace(s);
    if (p && !out.some((o) => samePlace(o, p))) out.push(p);
  }
  if (out.length === 0) {
    const p = authPlace(api.auth);
    if (p) out.push(p);
  }
  return out;
}

/** The header names that carry an API's keys (to mask them wherever headers show). */
export function keyHeaderNames(api: Pick<ApiInfo, 'auth'> | undefined): string[] {
  const names = api ? apiKeyPlaces(api).flatMap((p) => (p.in === 'header' ? [p.name] : [])) : [];
  return names.filter((n, i) => names.findIndex((m) => m.toLowerCase() === n.toLowerCase()) === i);
}

/** The query parameters that carry an API's keys (to mask them wherever URLs show). */
export function keyQueryNames(api: Pick<ApiInfo, 'auth'> | undefined): string[] {
  return api ? apiKeyPlaces(api).flatMap((p) => (p.in === 'query' ? [p.name] : [])) : [];
}

/** RFC 7617 credentials for a key sent as Basic: the key is the user name, the password empty. */
export function basicCredentials(key: string): string {
  const bytes = new TextEncoder().encode(`${key}:`);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/**
 * Every form a key takes on the wire, to hide them all where requests are
 * shown: itself, its Basic credentials (base64 of "key:") and its
 * URL-encoded forms in a query.
 */
export function secretForms(key: string): string[] {
  if (key === '') return [];
  const forms = [key, basicCredentials(key), encodeURIComponent(key), new URLSearchParams({ k: key }).toString().slice(2)];
  return forms.filter((f, i) => forms.indexOf(f) === i);
}

/** A header's value for a key: "Bearer KEY", "Basic base64(KEY:)", or the bare key. */
export function headerValue(scheme: string, key: string): string {
  if (scheme === '') return key;
  if (scheme.toLowerCase() === 'basic') return `Basic ${basicCredentials(key)}`;
  return `${scheme} ${key}`;
}

/** The key in its places: headers to set (a cookie as a Cookie header) and query parameters to add. */
export function applyKey(places: readonly KeyPlace[], key: string): { headers: [string, string][]; query: [string, string][] } {
  const headers: [string, string][] = [];
  const query: [string, string][] = [];
  const cookies: string[] = [];
  for (const p of places) {
    if (p.in === 'header') headers.push([p.name, headerValue(p.scheme, key)]);
    else if (p.in === 'query') query.push([p.name, key]);
    else cookies.push(`${p.name}=${key}`);
  }
  if (cookies.length > 0) headers.push(['Cookie', cookies.join('; ')]);
  return { headers, query };
}

/**
 * A place as a person writes it, with `key` standing for the key:
 * "Authorization: Bearer <key>", "api_key: <key>", "?api_key=<key>",
 * "Cookie: sid=<key>". Basic says what it encodes rather than the base64.
 */
export function placeText(p: KeyPlace, key = '<key>'): string {
  switch (p.in) {
    case 'header':
      if (p.scheme.toLowerCase() === 'basic') return `${p.name}: Basic base64(${key}:)`;
      return `${p.name}: ${p.scheme ? `${p.scheme} ` : ''}${key}`;
    case 'query':
      return `?${p.name}=${key}`;
    case 'cookie':
      return `Cookie: ${p.name}=${key}`;
  }
}

/** A place in words: "the api_key header", "Authorization: Bearer", "the query parameter api_key", "the cookie sid". */
export function placeLabel(p: KeyPlace): string {
  switch (p.in) {
    case 'header':
      return p.scheme ? `${p.name}: ${p.scheme}` : `the ${p.name} header`;
    case 'query':
      return `the query parameter ${p.name}`;
    case 'cookie':
      return `the cookie ${p.name}`;
  }
}

/** Every place of an API in one line: "api_key: <key> or Authorization: Bearer <key>". */
export function apiKeyText(api: Pick<ApiInfo, 'auth'>): string {
  const places = apiKeyPlaces(api);
  return places.length === 0 ? 'no key' : places.map((p) => placeText(p)).join(' or ');
}

/** An alternative for a select: "api_key (API key): the api_key header". */
export function alternativeLabel(a: KeyAlternative): string {
  const where = a.places.map(placeLabel).join(' and ');
  if (a.schemes.length === 0) return where;
  return `${a.schemes.join(' + ')}${a.kind ? ` (${a.kind})` : ''}: ${where}`;
}

/**
 * A first call from a terminal: curl with the key (or its stand-in) in the
 * API's first place: -H for a header, -u for Basic, the URL's query, -b for
 * a cookie.
 */
export function exampleCurl(api: Pick<ApiInfo, 'auth'>, url: string, key = '<your key>'): string {
  const p = apiKeyPlaces(api)[0];
  if (!p) return `curl ${url}`;
  switch (p.in) {
    case 'header':
      return p.scheme.toLowerCase() === 'basic' ? `curl -u "${key}:" ${url}` : `curl -H "${placeText(p, key)}" ${url}`;
    case 'query':
      return `curl "${url}${url.includes('?') ? '&' : '?'}${p.name}=${key}"`;
    case 'cookie':
      return `curl -b "${p.name}=${key}" ${url}`;
  }
}
