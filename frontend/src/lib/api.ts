// The only module that talks to the mockgate backend. Screens call these
// functions and never build URLs or headers themselves.
//
// Authentication: in the desktop app the admin API is reached in-process
// through Wails' AssetServer and needs no token. The web UI (`mockgate serve
// --ui`) is opened with `#token=...` in the URL; the token is taken from the
// fragment once, kept in sessionStorage (so a reload still works) and removed
// from the address bar and history. The live stream (EventSource cannot send
// headers) authenticates with an HttpOnly session cookie that POST /session
// sets in exchange for the token.
//
// Raw API keys pass through here (createKey's answer, explorerSend's
// headers) and are never stored: not in sessionStorage, not in the URL.

import { attachmentName, isHar, requestQuery, type Verdict } from './evidence';
import { isImportSummary, type ImportSummary } from './importdoc';
export type { Verdict } from './evidence';

/** One permission an API's keys can carry. */
export interface Scope {
  name: string;
  description?: string;
}

/** One place an imported API reads keys from, named as the document's security scheme. */
export interface AuthScheme {
  /** The scheme's name in the document's components.securitySchemes ("api_key"). */
  name: string;
  /** One of header, query and cookie is set. */
  header?: string;
  /** Before the key in the header: "Bearer", "Basic" (base64 of "key:"), or none. */
  scheme?: string;
  query?: string;
  cookie?: string;
  /** Keys sent this way carry scopes (OAuth2, OpenID Connect). */
  scoped?: boolean;
  description?: string;
}

/** Where an API reads keys: one place (built-ins), or the schemes of an imported API's document. */
export interface ApiAuth {
  header?: string;
  scheme?: string;
  query?: string;
  cookie?: string;
  /** Query parameters refused with key_in_query: the vendor says never to put keys in URLs. */
  queryParams?: string[];
  schemes?: AuthScheme[];
}

/** An API's run-time settings: CORS and fault injection. */
export interface ApiSettings {
  corsOrigins: string[];
  /** Added to every request, in milliseconds (0 to 60000). */
  latencyMs: number;
  /** Share of requests answered 500 (0 to 1). */
  errorRate: number;
  /** Share of requests answered 429 (0 to 1). */
  throttleRate: number;
  /** Whether the API ignores the Prefer header (code=NNN, latency=MS). */
  ignorePrefer: boolean;
}

/** A mock API as listed by the admin API (backend/admin/apis.go APIInfo). */
export interface ApiInfo {
  /** Built-in or profile id, e.g. "jelou". */
  id: string;
  /** Human-readable name. */
  name: string;
  description?: string;
  version?: string;
  /** Running state as reported by the backend: "running" or "stopped". */
  status: string;
  /** TCP port the mock listens on. */
  port: number;
  /** Scheme, host and port, e.g. "http://127.0.0.1:7702". */
  origin: string;
  /** Where clients reach the mock, e.g. "http://127.0.0.1:7702/v1". */
  baseUrl: string;
  openapiUrl: string;
  /** Where keys are read (profile.Auth); lib/keyplace.ts reads it. */
  auth: ApiAuth;
  keyFormat: { prefix: string; alphabet: string; length: number; enforce?: boolean };
  permissions: { model: string; scopes: Scope[] | null; default: string[] | null };
  /** pathPrefix (kind "path"): the route prefix naming the tenant, relative to baseUrl ("company/{companyId}"). */
  tenancy: { kind: string; label?: string; pathPrefix?: string; default?: string; tenants: string[] | null };
  integrations?: { default: string } | null;
  rateLimit: { perMinute: number; headers: string };
  pagination?: { style: string; sizeParam: string; positionParam: string; defaultSize: number; maxSize: number };
  resources: { name: string; path: string; records: number }[] | null;
  settings: ApiSettings;
  notes?: string[];
  /** Requests answered since start. */
  requests: number;
  /** Where the profile came from: "builtin", "file" (serve --profile) or "imported" (removable). */
  source?: string;
}

/** An API's traffic counters (GET /apis/{api}/stats). */
export interface ApiStats {
  total: number;
  /** Requests answered per status code since start (or the last Clear log). */
  byStatus: Record<string, number>;
  /** Requests answered per status code over the seconds asked for: the chart's window. */
  windowByStatus?: Record<string, number>;
  /** One sample per second, oldest first; t is Unix seconds. */
  perSecond: { t: number; count: number; errors: number }[];
}

/** A key as listed: never the raw key. */
export interface KeyView {
  id: string;
  api: string;
  name: string;
  /** Prefix and last four characters, e.g. "jb_live_…a1b2". */
  masked: string;
  scopes: string[] | null;
  tenant?: string;
  integration?: string;
  rateLimit?: number;
  /** "active", "expired" or "revoked". */
  status: string;
  createdAt: string;
  expiresAt?: string;
  revokedAt?: string;
  lastUsedAt?: string;
  useCount: number;
  /** "explorer" for the Explorer's throwaway keys; absent for a user's key. */
  purpose?: string;
}

/** The answer to a create: the view plus the raw key, shown this once. */
export interface CreatedKey extends KeyView {
  key: string;
}

/** What a new key needs; the backend fills the API's defaults. */
export interface CreateKeyRequest {
  api: string;
  name: string;
  scopes?: string[];
  tenant?: string;
  integration?: string;
  /** RFC 3339 time; give this or ttl. */
  expiresAt?: string;
  /** A Go duration such as "24h". */
  ttl?: string;
}

/** An EUDR-style integration that keys belong to. */
export interface Integration {
  api: string;
  name: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A request-log entry without headers and bodies. */
export interface RequestSummary {
  id: number;
  time: string;
  api: string;
  method: string;
  path: string;
  query?: string;
  status: number;
  errorKind?: string;
  errorCode?: string;
  keyId?: string;
  keyName?: string;
  keyMasked?: string;
  latencyMicros: number;
  /** The wall-clock time, only when the mock's time (`time`) differed from it by a second or more. */
  realTime?: string;
  /** The rule that injected the answer ("fault 3 (1 of 2)", "Prefer: code=429", "error rate 0.1"). */
  injected?: string;
  /** What the client did wrong to earn this request a mark, when it did. */
  verdict?: Verdict;
}

/** A full request-log entry (secrets already masked by the backend). */
export interface RequestEntry extends RequestSummary {
  remoteAddr?: string;
  requestHeaders?: Record<string, string[]>;
  requestBody?: string;
  responseHeaders?: Record<string, string[]>;
  responseBody?: string;
  bodyTruncated?: boolean;
  trace?: string[];
}

/** Filters of the request log; empty fields match everything. */
export interface RequestFilter {
  api?: string;
  /** An exact status ("401") or a class ("4xx"). */
  status?: string;
  /** A key id. */
  key?: string;
  /** Only the entries marked with this verdict. */
  verdict?: Verdict | '';
  /** Entries older than this id. */
  before?: number;
  limit?: number;
}

/** The virtual clock's state (GET /clock). */
export interface ClockStatus {
  /** The mock APIs' time, RFC 3339. */
  now: string;
  /** The wall-clock time `now` was read at, RFC 3339. */
  real: string;
  /** now − real in seconds (negative when set back). */
  offsetSeconds: number;
  frozen: boolean;
}

/** One move of the virtual clock: exactly one field. */
export type ClockMove =
  | { advance: string } // a Go duration: "61s", "-1h"
  | { set: string } // an RFC 3339 time
  | { freeze: true }
  | { resume: true }
  | { reset: true }; // back to real time, running

/** What a queued fault does and to which requests; see FaultRequest. */
interface FaultSpec {
  /** The status to answer (400 to 599), in the API's own error envelope. */
  status?: number;
  /** How many matching requests it answers (default 1). */
  count?: number;
  /** Only this method ("GET"); any when absent. */
  method?: string;
  /** Only this path on the API's port: exact, or * for one segment ("/v1/users/*"). */
  path?: string;
  /** Only requests that present this key. */
  keyId?: string;
  /** Matching requests to let through first. */
  after?: number;
  /** Milliseconds to wait before answering (0 to 60000). */
  latencyMs?: number;
  /** Close the connection without an answer. */
  resetConnection?: boolean;
}

/** A fault to queue: one of status, latencyMs or resetConnection is needed. */
export type FaultRequest = FaultSpec;

/** A queued fault as listed, with how much of it is left. */
export interface Fault extends FaultSpec {
  id: number;
  count: number;
  /** Requests it will still answer. */
  remaining: number;
  /** Matching requests let through so far (of `after`). */
  skipped: number;
  /** When it was queued, by the virtual clock. */
  createdAt: string;
}

/** A request the Explorer sends through the admin proxy. */
export interface ExplorerRequest {
  api: string;
  method: string;
  /** Path on the API's origin, starting with "/". */
  path: string;
  /** Raw query string without "?". */
  query?: string;
  headers?: Record<string, string>;
  body?: string;
  /** For subdomain tenancy: the Host's first label. */
  tenant?: string;
  /** Send with one of the Explorer's throwaway keys, which the server makes, holds and reuses. */
  demoKey?: DemoKeySpec;
}

/** One of the Explorer's throwaway keys: a revoked key, or a valid key holding only some scopes. */
export type DemoKeySpec = { kind: 'revoked'; tenant?: string } | { kind: 'scopes'; scopes: string[]; tenant?: string };

/** The mock API's answer to an Explorer request. */
export interface ExplorerResponse {
  status: number;
  statusText: string;
  headers: Record<string, string[]>;
  body: string;
  bodyTruncated?: boolean;
  timeMs: number;
  url: string;
  /** The throwaway key the request was sent with, when it asked for one. */
  demoKey?: KeyView;
}

/** A failed admin API call, with a message fit to show to the user. */
export class ApiError extends Error {
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  /** The admin API's error code ("bad_request"), when it sent one. */
  readonly code: string;
  /** Every problem of a refused document (an imported profile), each naming its field. */
  readonly problems: string[];

  constructor(message: string, status: number, code = '', problems: string[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.problems = problems;
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

/**
 * Turns an admin API error body into a message: the backend answers
 * {"error":{"code","message"}}; older shapes ({"error":"..."}) are read too.
 * Exported for tests.
 */
export function errorFromBody(body: unknown): { code: string; message: string; problems: string[] } | null {
  if (!isRecord(body)) {
    return null;
  }
  const err = body['error'];
  if (typeof err === 'string' && err !== '') {
    return { code: '', message: err, problems: [] };
  }
  if (isRecord(err) && typeof err['message'] === 'string') {
    const problems = Array.isArray(err['problems']) ? err['problems'].filter((p): p is string => typeof p === 'string') : [];
    return { code: typeof err['code'] === 'string' ? err['code'] : '', message: err['message'], problems };
  }
  return null;
}

/** A request body sent as it is, with its own content type (not JSON-encoded). */
class RawBody {
  constructor(
    readonly text: string,
    readonly contentType: string,
  ) {}
}

async function request(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (adminToken !== null) {
    headers['Authorization'] = `Bearer ${adminToken}`;
  }
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (body instanceof RawBody) {
    headers['Content-Type'] = body.contentType;
    init.body = body.text;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(`${ADMIN_BASE}${path}`, init);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new ApiError(`Cannot reach the mockgate admin API (${detail}).`, 0);
  }
  if (!res.ok) {
    throw await failure(res);
  }
  return res;
}

async function call(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await request(method, path, body);
  if (res.status === 204) {
    return null;
  }
  try {
    return await res.json();
  } catch {
    throw new ApiError('The mockgate admin API sent a response that is not JSON.', res.status);
  }
}

// failure turns a failed response into an ApiError with a sentence for the
// user, using the backend's error body when there is one.
async function failure(res: Response): Promise<ApiError> {
  if (res.status === 401) {
    return new ApiError(
      'Not authorized: open the web UI with the link that `mockgate serve --ui` prints (it carries the admin token).',
      401,
      'unauthorized',
    );
  }
  let parsed: ReturnType<typeof errorFromBody> = null;
  try {
    parsed = errorFromBody(await res.json());
  } catch {
    // Not JSON: fall back to the status line.
  }
  if (parsed !== null) {
    return new ApiError(parsed.message, res.status, parsed.code, parsed.problems);
  }
  const statusLine = `${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  return new ApiError(`The mockgate admin API answered HTTP ${statusLine}.`, res.status);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function shapeError(what: string): ApiError {
  return new ApiError(`The mockgate admin API sent ${what} in an unexpected shape.`, 200);
}

function isApiInfo(v: unknown): v is ApiInfo {
  return (
    isRecord(v) &&
    typeof v['id'] === 'string' &&
    typeof v['name'] === 'string' &&
    typeof v['baseUrl'] === 'string' &&
    typeof v['origin'] === 'string' &&
    typeof v['port'] === 'number' &&
    typeof v['status'] === 'string' &&
    isRecord(v['auth']) &&
    isRecord(v['permissions']) &&
    isRecord(v['tenancy']) &&
    isRecord(v['settings'])
  );
}

function isKeyView(v: unknown): v is KeyView {
  return (
    isRecord(v) &&
    typeof v['id'] === 'string' &&
    typeof v['api'] === 'string' &&
    typeof v['name'] === 'string' &&
    typeof v['masked'] === 'string' &&
    typeof v['status'] === 'string' &&
    typeof v['createdAt'] === 'string'
  );
}

function isRequestSummary(v: unknown): v is RequestSummary {
  return (
    isRecord(v) &&
    typeof v['id'] === 'number' &&
    typeof v['time'] === 'string' &&
    typeof v['api'] === 'string' &&
    typeof v['method'] === 'string' &&
    typeof v['path'] === 'string' &&
    typeof v['status'] === 'number'
  );
}

function isClockStatus(v: unknown): v is ClockStatus {
  return (
    isRecord(v) &&
    typeof v['now'] === 'string' &&
    typeof v['real'] === 'string' &&
    typeof v['offsetSeconds'] === 'number' &&
    typeof v['frozen'] === 'boolean'
  );
}

function isFault(v: unknown): v is Fault {
  return isRecord(v) && typeof v['id'] === 'number' && typeof v['count'] === 'number' && typeof v['remaining'] === 'number';
}

const enc = encodeURIComponent;

/** Lists the mock APIs of this mockgate instance. */
export async function listApis(): Promise<ApiInfo[]> {
  const body = await call('GET', '/apis');
  if (!Array.isArray(body) || !body.every(isApiInfo)) {
    throw shapeError('an API list');
  }
  return body;
}

/** Every API's traffic over the last `seconds` seconds (1 to 600), by API id, in one call. */
export async function getAllStats(seconds: number): Promise<Record<string, ApiStats>> {
  const body = await call('GET', `/stats?seconds=${seconds}`);
  if (!isRecord(body) || !Object.values(body).every((v) => isRecord(v) && typeof v['total'] === 'number' && Array.isArray(v['perSecond']))) {
    throw shapeError('traffic counters');
  }
  return body as unknown as Record<string, ApiStats>;
}

/** Replaces an API's settings; answers the settings now in force. */
export async function putSettings(api: string, settings: ApiSettings): Promise<ApiSettings> {
  return (await call('PUT', `/apis/${enc(api)}/settings`, settings)) as ApiSettings;
}

/** Puts an API's data back to its seed. */
export async function resetApi(api: string): Promise<ApiInfo> {
  const body = await call('POST', `/apis/${enc(api)}/reset`);
  if (!isApiInfo(body)) {
    throw shapeError('an API');
  }
  return body;
}

/** An imported API, and for an OpenAPI document what the import made of it. */
export interface ImportResult {
  api: ApiInfo;
  /** The import summary; null for a profile. */
  summary: ImportSummary | null;
}

/**
 * Imports a profile or an OpenAPI 3.0/3.1 document (YAML or JSON; the
 * backend tells them apart by a top-level `openapi` key): the backend
 * validates it, starts the API on the next free port and keeps it across
 * restarts. `id` names an OpenAPI import's API (else a slug of its title).
 * An invalid source fails with an ApiError whose problems list every one.
 */
export async function importApi(source: string, id = ''): Promise<ImportResult> {
  const body = await call('POST', `/profiles${id ? `?id=${enc(id)}` : ''}`, new RawBody(source, 'application/yaml'));
  if (!isApiInfo(body)) {
    throw shapeError('an API');
  }
  const summary = (body as unknown as Record<string, unknown>)['import'];
  if (summary !== undefined && summary !== null && !isImportSummary(summary)) {
    throw shapeError('an import summary');
  }
  return { api: body, summary: summary ?? null };
}

/** Stops an imported API and deletes it with its records. */
export async function removeProfile(api: string): Promise<void> {
  await call('DELETE', `/profiles/${enc(api)}`);
}

/** An API's OpenAPI document: generated for a built-in, the vendor's own for an imported one. */
export async function getOpenApi(api: string): Promise<unknown> {
  return call('GET', `/apis/${enc(api)}/openapi.json`);
}

/** Lists the keys (masked), of one API or all. */
export async function listKeys(api?: string): Promise<KeyView[]> {
  const body = await call('GET', api ? `/keys?api=${enc(api)}` : '/keys');
  if (!Array.isArray(body) || !body.every(isKeyView)) {
    throw shapeError('a key list');
  }
  return body;
}

/** Creates a key; the answer holds the raw key, which is never shown again. */
export async function createKey(req: CreateKeyRequest): Promise<CreatedKey> {
  const body = await call('POST', '/keys', req);
  if (!isKeyView(body) || typeof (body as unknown as Record<string, unknown>)['key'] !== 'string') {
    throw shapeError('a new key');
  }
  return body as CreatedKey;
}

/** Revokes a key: the API answers "revoked" from the next request on. */
export async function revokeKey(id: string): Promise<KeyView> {
  const body = await call('POST', `/keys/${enc(id)}/revoke`);
  if (!isKeyView(body)) {
    throw shapeError('a key');
  }
  return body;
}

/** Deletes a key for good: the API answers "invalid key" from then on. */
export async function deleteKey(id: string): Promise<void> {
  await call('DELETE', `/keys/${enc(id)}`);
}

/** Lists the integrations of an API (EUDR). */
export async function listIntegrations(api: string): Promise<Integration[]> {
  const body = await call('GET', `/integrations?api=${enc(api)}`);
  if (!Array.isArray(body)) {
    throw shapeError('an integration list');
  }
  return body as Integration[];
}

/** A page of the request log, newest first, and how many entries it holds. */
export async function listRequests(f: RequestFilter = {}): Promise<{ requests: RequestSummary[]; total: number }> {
  const body = await call('GET', `/requests${requestQuery(f)}`);
  if (!isRecord(body) || !Array.isArray(body['requests']) || !body['requests'].every(isRequestSummary)) {
    throw shapeError('the request log');
  }
  return { requests: body['requests'], total: typeof body['total'] === 'number' ? body['total'] : 0 };
}

/** How many logged requests match the filter (before and limit are ignored). */
export async function countRequests(f: RequestFilter): Promise<number> {
  const body = await call('GET', `/requests/count${requestQuery({ ...f, before: undefined, limit: undefined })}`);
  if (!isRecord(body) || typeof body['count'] !== 'number') {
    throw shapeError('a request count');
  }
  return body['count'];
}

/** The logged requests that match the filter as a HAR 1.2 document (credentials masked): its text and file name. */
export async function exportHar(f: RequestFilter): Promise<{ text: string; fileName: string }> {
  const res = await request('GET', `/requests.har${requestQuery({ ...f, before: undefined, limit: undefined })}`);
  const text = await res.text();
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = null;
  }
  if (!isHar(doc)) {
    throw shapeError('the HAR export');
  }
  return { text, fileName: attachmentName(res.headers.get('Content-Disposition'), 'mockgate.har') };
}

/** A logged request as a curl command; `variable` names the shell variable that stands for its key. */
export async function getRequestCurl(id: number): Promise<{ command: string; variable?: string }> {
  const body = await call('GET', `/requests/${id}/curl`);
  if (!isRecord(body) || typeof body['command'] !== 'string') {
    throw shapeError('a curl command');
  }
  const variable = body['variable'];
  return typeof variable === 'string' && variable !== '' ? { command: body['command'], variable } : { command: body['command'] };
}

/** One request-log entry with headers and bodies (secrets masked). */
export async function getRequest(id: number): Promise<RequestEntry> {
  const body = await call('GET', `/requests/${id}`);
  if (!isRequestSummary(body)) {
    throw shapeError('a request');
  }
  return body as RequestEntry;
}

/** Empties the request log. */
export async function clearRequests(): Promise<void> {
  await call('DELETE', '/requests');
}

/** The virtual clock every mock API tells time by. */
export async function getClock(): Promise<ClockStatus> {
  const body = await call('GET', '/clock');
  if (!isClockStatus(body)) {
    throw shapeError('the clock');
  }
  return body;
}

/** Moves the virtual clock (advance, set, freeze, resume or reset); answers its new state. */
export async function moveClock(move: ClockMove): Promise<ClockStatus> {
  const body = await call('POST', '/clock', move);
  if (!isClockStatus(body)) {
    throw shapeError('the clock');
  }
  return body;
}

/** An API's queued faults, oldest first, with what is left of each. */
export async function listFaults(api: string): Promise<Fault[]> {
  const body = await call('GET', `/apis/${enc(api)}/faults`);
  if (!Array.isArray(body) || !body.every(isFault)) {
    throw shapeError('a fault list');
  }
  return body;
}

/** Queues a fault on an API; a refusal is an ApiError that names the field. */
export async function addFault(api: string, req: FaultRequest): Promise<Fault> {
  const body = await call('POST', `/apis/${enc(api)}/faults`, req);
  if (!isFault(body)) {
    throw shapeError('a fault');
  }
  return body;
}

/** Drops every queued fault of an API. */
export async function clearFaults(api: string): Promise<void> {
  await call('DELETE', `/apis/${enc(api)}/faults`);
}

/** Sends a request to one of this instance's mock APIs through the admin proxy. */
export async function explorerSend(req: ExplorerRequest): Promise<ExplorerResponse> {
  const body = await call('POST', '/explorer/send', req);
  if (!isRecord(body) || typeof body['status'] !== 'number' || typeof body['body'] !== 'string') {
    throw shapeError('an Explorer answer');
  }
  return body as unknown as ExplorerResponse;
}

/** What the live stream delivers. */
export type LiveEvent =
  | { type: 'request'; request: RequestSummary }
  | { type: 'keys' }
  | { type: 'clock'; clock: ClockStatus }
  | { type: 'state'; connected: boolean };

/**
 * Opens the live stream of new requests, key changes and clock moves. The listener also
 * hears when the stream connects or drops (EventSource reconnects by
 * itself). Returns a function that closes the stream.
 */
export function openLiveStream(listener: (e: LiveEvent) => void): () => void {
  let closed = false;
  let source: EventSource | null = null;
  const start = async (): Promise<void> => {
    if (adminToken !== null) {
      // EventSource sends no headers: trade the token for the session cookie.
      try {
        await request('POST', '/session');
      } catch {
        // Reported through the stream's error below.
      }
    }
    if (closed) {
      return;
    }
    source = new EventSource(`${ADMIN_BASE}/requests/stream`, { withCredentials: true });
    source.onopen = () => listener({ type: 'state', connected: true });
    source.onerror = () => listener({ type: 'state', connected: false });
    source.addEventListener('request', (ev) => {
      try {
        const data: unknown = JSON.parse((ev as MessageEvent<string>).data);
        if (isRequestSummary(data)) {
          listener({ type: 'request', request: data });
        }
      } catch {
        // A malformed event is skipped; the next list reload has it.
      }
    });
    source.addEventListener('keys', () => listener({ type: 'keys' }));
    source.addEventListener('clock', (ev) => {
      try {
        const data: unknown = JSON.parse((ev as MessageEvent<string>).data);
        if (isClockStatus(data)) {
          listener({ type: 'clock', clock: data });
        }
      } catch {
        // Skipped; the next clock read has it.
      }
    });
  };
  void start();
  return () => {
    closed = true;
    source?.close();
  };
}
