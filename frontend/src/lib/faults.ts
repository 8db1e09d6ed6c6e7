// Queued faults on the APIs screen: the form's fields turned into the
// admin API's request, and a queued fault described in words. Pure
// functions, unit-tested in faults.test.ts. The ranges (status 400 to 599,
// latency up to 60 s, ...) are the backend's to check: its messages name
// the field, and the form shows them as they come.

import type { Fault, FaultRequest } from './api';

/** The Queue-a-fault form as the inputs hold it (a number input is null when empty). */
export interface FaultForm {
  status: number | null;
  count: number | null;
  /** "" for any method. */
  method: string;
  /** "" for any path. */
  path: string;
  /** "" for any key. */
  keyId: string;
  after: number | null;
  latencyMs: number | null;
  resetConnection: boolean;
}

/** A fresh form: one request, no filters, nothing chosen yet. */
export function emptyFaultForm(): FaultForm {
  return { status: null, count: 1, method: '', path: '', keyId: '', after: 0, latencyMs: 0, resetConnection: false };
}

/** What faultFormToRequest answers. */
export type FaultFormResult = { ok: true; request: FaultRequest } | { ok: false; error: string };

function wholeNumber(v: number | null, label: string): { ok: true; n: number | undefined } | { ok: false; error: string } {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
    return { ok: true, n: undefined };
  }
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    return { ok: false, error: `${label} must be a whole number.` };
  }
  return { ok: true, n: v };
}

/**
 * The admin API's request for a form: empty fields and zeros are left out
 * (the backend's defaults: any method, path and key, one request, none let
 * through first), the method upper-cased, the path trimmed. Refuses only
 * what cannot be sent: a fault that does nothing, or a fraction where a
 * count is needed.
 */
export function faultFormToRequest(f: FaultForm): FaultFormResult {
  const req: FaultRequest = {};
  const fields: ['status' | 'count' | 'after' | 'latencyMs', number | null, string][] = [
    ['status', f.status, 'Status'],
    ['count', f.count, 'Times'],
    ['after', f.after, 'Let through first'],
    ['latencyMs', f.latencyMs, 'Delay'],
  ];
  for (const [key, value, label] of fields) {
    const r = wholeNumber(value, label);
    if (!r.ok) {
      return r;
    }
    if (r.n !== undefined && r.n !== 0) {
      req[key] = r.n;
    }
  }
  if (req.status === undefined && req.latencyMs === undefined && !f.resetConnection) {
    return { ok: false, error: 'Choose what the fault does: a status to answer, a delay, or a reset connection.' };
  }
  if (f.resetConnection) req.resetConnection = true;
  const method = f.method.trim().toUpperCase();
  if (method !== '') req.method = method;
  const path = f.path.trim();
  if (path !== '') req.path = path;
  if (f.keyId !== '') req.keyId = f.keyId;
  return { ok: true, request: req };
}

/** A queued fault in words, for the list. */
export interface FaultWords {
  /** What it does: "503", "503 after 200 ms", "connection reset", "200 ms delay". */
  answer: string;
  /** Which requests: "GET /v1/users", "any method /v1/users/*", "every request", with "· key name". */
  matches: string;
  /** How much is left: "2 of 2 left", "1 of 3 left · lets 1 more through first". */
  progress: string;
}

/** Describes a queued fault; keyName turns a key id into its name. */
export function describeFault(f: Fault, keyName: (id: string) => string = (id) => id): FaultWords {
  const latency = f.latencyMs ?? 0;
  let answer: string;
  if (f.resetConnection) {
    answer = latency > 0 ? `connection reset after ${latency} ms` : 'connection reset';
  } else if (f.status) {
    answer = latency > 0 ? `${f.status} after ${latency} ms` : String(f.status);
  } else {
    answer = `${latency} ms delay`;
  }

  let matches: string;
  if (!f.method && !f.path) {
    matches = 'every request';
  } else {
    matches = `${f.method || 'any method'} ${f.path || 'any path'}`;
  }
  if (f.keyId) {
    matches += f.method || f.path ? ` · key ${keyName(f.keyId)}` : ` with key ${keyName(f.keyId)}`;
  }

  let progress = `${f.remaining} of ${f.count} left`;
  const waiting = (f.after ?? 0) - f.skipped;
  if (waiting > 0) {
    progress += ` · lets ${waiting} more through first`;
  }
  return { answer, matches, progress };
}

/** The path the API's routes start with ("/v1" of "http://127.0.0.1:7702/v1"), "" for the root; for the path field's example. */
export function basePath(baseUrl: string): string {
  try {
    return new URL(baseUrl).pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
}
