import { describe, expect, it } from 'vitest';
import type { Fault } from './api';
import { basePath, describeFault, emptyFaultForm, faultFormToRequest, type FaultForm } from './faults';

function form(over: Partial<FaultForm>): FaultForm {
  return { ...emptyFaultForm(), ...over };
}

describe('faultFormToRequest', () => {
  it('sends only what was chosen', () => {
    expect(faultFormToRequest(form({ status: 503, count: 2, method: 'get', path: ' /v1/users ' }))).toEqual({
      ok: true,
      request: { status: 503, count: 2, method: 'GET', path: '/v1/users' },
    });
  });

  it('every field', () => {
    expect(faultFormToRequest(form({ status: 429, count: 3, method: 'POST', path: '/v1/users/*', keyId: 'k1', after: 1, latencyMs: 250 }))).toEqual({
      ok: true,
      request: { status: 429, count: 3, method: 'POST', path: '/v1/users/*', keyId: 'k1', after: 1, latencyMs: 250 },
    });
  });

  it('a delay alone, a reset connection alone', () => {
    expect(faultFormToRequest(form({ latencyMs: 2000 }))).toEqual({ ok: true, request: { count: 1, latencyMs: 2000 } });
    expect(faultFormToRequest(form({ resetConnection: true, count: null }))).toEqual({ ok: true, request: { resetConnection: true } });
  });

  it('leaves ranges to the backend, which names the field', () => {
    expect(faultFormToRequest(form({ status: 200 }))).toEqual({ ok: true, request: { status: 200, count: 1 } });
    expect(faultFormToRequest(form({ status: 503, after: -1 }))).toEqual({ ok: true, request: { status: 503, count: 1, after: -1 } });
  });

  it('refuses a fault that does nothing', () => {
    const r = faultFormToRequest(form({ method: 'GET' }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/status to answer, a delay, or a reset connection/);
  });

  it('refuses fractions and reads NaN as empty', () => {
    const r = faultFormToRequest(form({ status: 503, count: 1.5 }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe('Times must be a whole number.');
    expect(faultFormToRequest(form({ status: 503, count: Number.NaN }))).toEqual({ ok: true, request: { status: 503 } });
  });
});

describe('describeFault', () => {
  const base: Fault = { id: 1, count: 2, remaining: 2, skipped: 0, createdAt: '2026-12-02T10:00:00Z' };

  it.each<[Partial<Fault>, string, string, string]>([
    [{ status: 503, method: 'GET', path: '/v1/users' }, '503', 'GET /v1/users', '2 of 2 left'],
    [{ status: 503, latencyMs: 200 }, '503 after 200 ms', 'every request', '2 of 2 left'],
    [{ latencyMs: 1500, path: '/v1/users/*' }, '1500 ms delay', 'any method /v1/users/*', '2 of 2 left'],
    [{ resetConnection: true, method: 'POST' }, 'connection reset', 'POST any path', '2 of 2 left'],
    [{ resetConnection: true, latencyMs: 100 }, 'connection reset after 100 ms', 'every request', '2 of 2 left'],
    [{ status: 429, keyId: 'k1' }, '429', 'every request with key ci bot', '2 of 2 left'],
    [{ status: 429, method: 'GET', keyId: 'k1' }, '429', 'GET any path · key ci bot', '2 of 2 left'],
    [{ status: 500, after: 3, skipped: 1, remaining: 1 }, '500', 'every request', '1 of 2 left · lets 2 more through first'],
    [{ status: 500, after: 3, skipped: 3, remaining: 1 }, '500', 'every request', '1 of 2 left'],
  ])('%j', (over, answer, matches, progress) => {
    expect(describeFault({ ...base, ...over }, (id) => (id === 'k1' ? 'ci bot' : id))).toEqual({ answer, matches, progress });
  });
});

describe('basePath', () => {
  it.each([
    ['http://127.0.0.1:7702/v1', '/v1'],
    ['http://demo.localhost:46222/api/v1/', '/api/v1'],
    ['http://127.0.0.1:7702', ''],
    ['not a url', ''],
  ])('%s → %j', (url, want) => {
    expect(basePath(url)).toBe(want);
  });
});
