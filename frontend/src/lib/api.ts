// The only module that talks to the mockgate backend. Screens call these
// functions and never build URLs or headers themselves.
//
// Authentication: in the desktop app the admin API is reached in-process
// through Wails' AssetServer and needs no token. The web UI (`mockgate serve
// --ui`) is opened with `#token=...` in the URL; the token is taken from the
// fragment once, kept in sessionStorage (so a reload still works) and removed
// from the address bar and history.

/** A mock API as listed by the admin API. */
export interface ApiInfo {
  /** Built-in or profile id, e.g. "jelou". */
  id: string;
  /** Human-readable name. */
  name: string;
  /** Where clients reach the mock, e.g. "http://127.0.0.1:8081/v1". */
  baseUrl: string;
  /** TCP port the mock listens on. */
  port: number;
  /** Running state as reported by the backend, e.g. "running". */
  status: string;
}

/** A failed admin API call, with a message fit to show to the user. */
export class ApiError extends Error {
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;

  constructor(message: string, status: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

const ADMIN_BASE = '/_admin/api';
const TOKEN_STORAGE_KEY = 'mockgate.adminToken';

/**
 * Splits a URL fragment ("#token=abc&x=1") into the admin token and the
 * fragment that remains without it ("#x=1", or "" when nothing remains).
 * Exported for tests.
 */
export function splitTokenFromHash(hash: string): { token: string | null; rest: string } {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const token = params.get('token');
  if (token === null || token === '') {
    return { token: null, rest: hash };
  }
  params.delete('token');
  const remaining = params.toString();
  return { token, rest: remaining === '' ? '' : `#${remaining}` };
}

function readToken(): string | null {
  if (typeof window === 'undefined') {
    return null; // unit tests under Node
  }
  const { token, rest } = splitTokenFromHash(window.location.hash);
  if (token !== null) {
    try {
      window.sessionStorage.setItem(TOKEN_STORAGE_KEY, token);
    } catch {
      // Storage disabled: the token still works until the page reloads.
    }
    const { pathname, search } = window.location;
    window.history.replaceState(window.history.state, '', `${pathname}${search}${rest}`);
    return token;
  }
  try {
    return window.sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}

// Read once, when the module loads, so the token leaves the address bar
// before anything else runs.
const adminToken: string | null = readToken();

async function getJSON(path: string): Promise<unknown> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (adminToken !== null) {
    headers['Authorization'] = `Bearer ${adminToken}`;
  }
  let res: Response;
  try {
    res = await fetch(`${ADMIN_BASE}${path}`, { headers });
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new ApiError(`Cannot reach the mockgate admin API (${detail}).`, 0);
  }
  if (!res.ok) {
    throw new ApiError(await errorMessage(res), res.status);
  }
  try {
    return await res.json();
  } catch {
    throw new ApiError('The mockgate admin API sent a response that is not JSON.', res.status);
  }
}

// errorMessage turns a failed response into a sentence for the user, using
// the backend's {"error": "..."} body when there is one.
async function errorMessage(res: Response): Promise<string> {
  if (res.status === 401) {
    return 'Not authorized: open the web UI with the link that `mockgate serve --ui` prints (it carries the admin token).';
  }
  let detail = '';
  try {
    const body: unknown = await res.json();
    if (isRecord(body) && typeof body['error'] === 'string') {
      detail = body['error'];
    }
  } catch {
    // Not JSON: fall back to the status line.
  }
  const statusLine = `${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  return detail ? `${detail} (HTTP ${statusLine})` : `The mockgate admin API answered HTTP ${statusLine}.`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isApiInfo(v: unknown): v is ApiInfo {
  return (
    isRecord(v) &&
    typeof v['id'] === 'string' &&
    typeof v['name'] === 'string' &&
    typeof v['baseUrl'] === 'string' &&
    typeof v['port'] === 'number' &&
    typeof v['status'] === 'string'
  );
}

/** Lists the mock APIs of this mockgate instance. */
export async function listApis(): Promise<ApiInfo[]> {
  const body = await getJSON('/apis');
  if (!Array.isArray(body) || !body.every(isApiInfo)) {
    throw new ApiError('The mockgate admin API sent an API list in an unexpected shape.', 200);
  }
  return body;
}
