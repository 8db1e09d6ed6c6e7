// "Copy as curl" for the Explorer.

/**
 * Quotes a word for a POSIX shell: bare when it holds only safe characters,
 * otherwise in single quotes with each ' written as '\''.
 */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) {
    return word;
  }
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A request as curl will send it. */
export interface CurlRequest {
  method: string;
  /** The full URL, query included. */
  url: string;
  /** Headers in order; an empty value is sent as an empty header. */
  headers: [string, string][];
  body?: string;
}

/**
 * Builds a curl command, one option per line (joined with " \\\n  "), that
 * sends the request. GET is left implicit unless a body is sent; HEAD uses
 * --head so curl does not wait for a body.
 */
export function buildCurl(req: CurlRequest): string {
  const method = req.method.toUpperCase();
  const parts: string[] = ['curl'];
  if (method === 'HEAD') {
    parts.push('--head');
  } else if (method !== 'GET' || (req.body !== undefined && req.body !== '')) {
    parts.push(`--request ${method}`);
  }
  parts.push(`--url ${shellQuote(req.url)}`);
  for (const [name, value] of req.headers) {
    // "Name;" is curl's way to send a header with an empty value.
    parts.push(`--header ${shellQuote(value === '' ? `${name};` : `${name}: ${value}`)}`);
  }
  if (req.body !== undefined && req.body !== '') {
    parts.push(`--data-raw ${shellQuote(req.body)}`);
  }
  return parts.join(' \\\n  ');
}
