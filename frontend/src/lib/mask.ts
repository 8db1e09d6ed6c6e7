// Hiding credentials on screen. The backend masks secrets before they reach
// the request log; the UI masks them again wherever it shows headers, so a
// raw key never appears on screen even if a masked value were missing.
// maskSecret follows backend/journal/mask.go's MaskSecret.

const MASK = '…';

/** Header names whose values are credentials (compared case-insensitively). */
export const SECRET_HEADERS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-auth-token',
  'cookie',
  'set-cookie',
];

/** Whether a header carries a credential (the standard ones, plus `extra`). */
export function isSecretHeader(name: string, extra: readonly string[] = []): boolean {
  const n = name.toLowerCase();
  return SECRET_HEADERS.includes(n) || extra.some((e) => e.toLowerCase() === n);
}

function isSchemeWord(w: string): boolean {
  return w.length <= 32 && /^[A-Za-z0-9_-]+$/.test(w);
}

/**
 * Hides a credential for display. A leading scheme word ("Bearer ") is kept;
 * of the secret, one longer than 12 characters keeps its first 4 and last 4
 * around "…", one of 6 to 12 becomes "…" and its last 2, a shorter one "…".
 * A value already masked (it holds "…") is left as it is, so masking twice
 * does not hide more. It never returns a non-empty secret whole.
 */
export function maskSecret(value: string): string {
  if (value.includes(MASK)) {
    return value;
  }
  let scheme = '';
  let secret = value;
  const sp = value.indexOf(' ');
  if (sp > 0 && isSchemeWord(value.slice(0, sp))) {
    let j = sp;
    while (j < value.length && value[j] === ' ') {
      j++;
    }
    scheme = value.slice(0, j);
    secret = value.slice(j);
  }
  if (secret === '') {
    return value;
  }
  const chars = Array.from(secret);
  if (chars.length > 12) {
    return `${scheme}${chars.slice(0, 4).join('')}${MASK}${chars.slice(-4).join('')}`;
  }
  if (chars.length >= 6) {
    return `${scheme}${MASK}${chars.slice(-2).join('')}`;
  }
  return `${scheme}${MASK}`;
}

/** Headers as [name, value] rows, sorted by name, credentials masked. */
export function headerRows(
  headers: Record<string, string[] | string> | undefined | null,
  extraSecret: readonly string[] = [],
): [string, string][] {
  if (!headers) {
    return [];
  }
  const rows: [string, string][] = [];
  for (const [name, values] of Object.entries(headers)) {
    for (const v of Array.isArray(values) ? values : [values]) {
      rows.push([name, isSecretHeader(name, extraSecret) ? maskSecret(v) : v]);
    }
  }
  return rows.sort((a, b) => a[0].localeCompare(b[0]));
}

/**
 * Replaces every occurrence of the given secrets in a text with their
 * masked form: a last line of defence for bodies and commands shown on
 * screen. Secrets shorter than 8 characters are ignored (too likely to
 * match ordinary text).
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length >= 8 && out.includes(s)) {
      out = out.split(s).join(maskSecret(s));
    }
  }
  return out;
}

/** Query parameters masked whatever the API says: where clients commonly (wrongly) put keys (backend/journal/mask.go). */
export const SECRET_PARAMS: readonly string[] = ['api_key', 'apikey', 'api-key', 'x-api-key', 'key', 'token', 'access_token', 'auth', 'authorization', 'secret', 'password'];

function decodeQueryPart(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/**
 * A raw query string with the values of key parameters masked: the common
 * ones (SECRET_PARAMS) and `extra` (an API's key parameters), names compared
 * case-insensitively, also when percent-encoded. Everything else is kept as
 * it is. Follows backend/journal/mask.go's MaskQuery.
 */
export function maskQuery(rawQuery: string, extra: readonly string[] = []): string {
  const secret = (name: string): boolean => {
    const n = decodeQueryPart(name).toLowerCase();
    return SECRET_PARAMS.includes(n) || extra.some((e) => e.toLowerCase() === n);
  };
  return rawQuery
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq < 0 || !secret(part.slice(0, eq))) return part;
      return `${part.slice(0, eq)}=${encodeURIComponent(maskSecret(decodeQueryPart(part.slice(eq + 1))))}`;
    })
    .join('&');
}
