// The Explorer's request building: pure functions over an API's description,
// unit-tested in explorer.test.ts.

import type { ApiInfo } from './api';

/**
 * Puts parameter values into a path template ("/v1/users/{id}"), each
 * percent-encoded. `missing` names the placeholders left without a value.
 */
export function fillPath(template: string, values: Record<string, string>): { path: string; missing: string[] } {
  const missing: string[] = [];
  const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const v = values[name] ?? '';
    if (v === '') {
      missing.push(name);
      return `{${name}}`;
    }
    return encodeURIComponent(v);
  });
  return { path, missing };
}

/** A query string (without "?") from name/value pairs; empty values are left out. */
export function buildQuery(pairs: [string, string][]): string {
  const q = new URLSearchParams();
  for (const [name, value] of pairs) {
    if (value !== '') {
      q.append(name, value);
    }
  }
  return q.toString();
}

/**
 * The URL a client would call: the tenant's subdomain in the host for an API
 * whose tenant is the subdomain (juleb: http://demo.localhost:7701/...).
 */
export function clientUrl(api: Pick<ApiInfo, 'origin' | 'port' | 'tenancy'>, path: string, query: string, tenant: string): string {
  let base = api.origin;
  if (api.tenancy.kind === 'subdomain' && tenant !== '') {
    base = `http://${tenant}.localhost:${api.port}`;
  }
  return `${base}${path}${query ? `?${query}` : ''}`;
}

/**
 * The scopes of a key that is valid but lacks the scope an endpoint needs,
 * for the "key missing the scope" demo; or why no such key exists.
 * `required` is one scope, or several separated by spaces when all are
 * needed (as OAuth writes them, and an imported operation's requirement).
 */
export function scopesLacking(
  api: Pick<ApiInfo, 'id' | 'permissions'>,
  required: string,
): { scopes: string[] } | { reason: string } {
  const model = api.permissions.model;
  const all = (api.permissions.scopes ?? []).map((s) => s.name);
  const needed = required.split(/\s+/).filter((s) => s !== '');
  if (model === 'none' || all.length === 0) {
    return { reason: `${api.id} keys carry no scopes: every key may call every route.` };
  }
  if (needed.length === 0) {
    return { reason: 'This endpoint needs no particular scope.' };
  }
  if (model === 'readwrite') {
    // write includes read: only a write endpoint can be refused, to a read key.
    if (required === 'read') {
      return { reason: 'Every key may read: a read key and a write key both call this endpoint.' };
    }
    return { scopes: ['read'] };
  }
  const other = all.find((s) => !needed.includes(s));
  if (other !== undefined) {
    return { scopes: [other] };
  }
  if (needed.length > 1) {
    // Every scope is needed here: a key with all but the last lacks one.
    return { scopes: needed.slice(0, -1) };
  }
  return { reason: `${api.id} has only the scope this endpoint needs.` };
}

/** Methods whose requests carry a body. */
export function methodHasBody(method: string): boolean {
  return ['POST', 'PUT', 'PATCH'].includes(method.toUpperCase());
}

/**
 * The URL of an API's first list, as a client calls it: the base URL, the
 * default tenant's path prefix where the tenant is in the path
 * ("/company/1001"), and the first resource ("/messages").
 */
export function firstListUrl(api: Pick<ApiInfo, 'baseUrl' | 'tenancy' | 'resources'>): string {
  const parts = [api.baseUrl.replace(/\/$/, '')];
  if (api.tenancy.kind === 'path' && api.tenancy.pathPrefix) {
    parts.push(api.tenancy.pathPrefix.replace(/\{[^}]+\}/, encodeURIComponent(api.tenancy.default ?? '')));
  }
  const first = api.resources?.[0]?.path;
  if (first) parts.push(first);
  return parts.join('/');
}
