import { describe, expect, it } from 'vitest';
import type { RequestSummary } from './api';
import { countsAsUse, logColumns, matchesFilter, mergeNewest } from './requests';

function req(id: number, over: Partial<RequestSummary> = {}): RequestSummary {
  return { id, time: '2026-03-01T12:00:00Z', api: 'journeybee', method: 'GET', path: '/v1/users', status: 200, latencyMicros: 10, ...over };
}

describe('matchesFilter', () => {
  it.each([
    [{}, req(1), true],
    [{ api: 'journeybee' }, req(1), true],
    [{ api: 'jelou' }, req(1), false],
    [{ status: '2xx' }, req(1), true],
    [{ status: '4xx' }, req(1, { status: 401 }), true],
    [{ status: '4xx' }, req(1, { status: 500 }), false],
    [{ status: '401' }, req(1, { status: 401 }), true],
    [{ status: '401' }, req(1, { status: 403 }), false],
    [{ key: 'k1' }, req(1, { keyId: 'k1' }), true],
    [{ key: 'k1' }, req(1), false],
    [{ api: 'journeybee', status: '401', key: 'k1' }, req(1, { status: 401, keyId: 'k1' }), true],
  ])('%j matches %j: %s', (f, r, want) => {
    expect(matchesFilter(f, r)).toBe(want);
  });

  it('filters by verdict like the server', () => {
    expect(matchesFilter({ verdict: 'retry_too_early' }, req(1, { verdict: 'retry_too_early' }))).toBe(true);
    expect(matchesFilter({ verdict: 'retry_too_early' }, req(1, { verdict: 'ignored_auth_failure' }))).toBe(false);
    expect(matchesFilter({ verdict: 'retry_too_early' }, req(1))).toBe(false);
    expect(matchesFilter({ verdict: '' }, req(1))).toBe(true);
  });
});

describe('mergeNewest', () => {
  const ids = (rs: RequestSummary[]) => rs.map((r) => r.id);

  it('puts new entries first, newest first', () => {
    expect(ids(mergeNewest([req(3), req(2)], [req(4), req(5)], 10))).toEqual([5, 4, 3, 2]);
  });

  it('drops duplicates and keeps order when entries interleave', () => {
    expect(ids(mergeNewest([req(5), req(3)], [req(4), req(5), req(6)], 10))).toEqual([6, 5, 4, 3]);
  });

  it('keeps at most cap entries, dropping the oldest', () => {
    expect(ids(mergeNewest([req(2), req(1)], [req(3)], 2))).toEqual([3, 2]);
  });

  it('returns the same list when nothing is new', () => {
    const list = [req(2), req(1)];
    expect(mergeNewest(list, [], 10)).toBe(list);
    expect(mergeNewest(list, [req(1)], 10)).toBe(list);
  });
});

describe('countsAsUse', () => {
  it.each([
    [req(1, { keyId: 'k' }), true],
    [req(1, { keyId: 'k', status: 404, errorKind: 'not_found' }), true],
    [req(1, { keyId: 'k', status: 401, errorKind: 'revoked_key' }), false],
    [req(1, { keyId: 'k', status: 403, errorKind: 'insufficient_scope' }), false],
    [req(1, { keyId: 'k', status: 429, errorKind: 'rate_limited' }), false],
    [req(1), false],
  ])('%j → %s', (r, want) => expect(countsAsUse(r)).toBe(want));
});

describe('logColumns', () => {
  it('fits the longest error code, key name and latency', () => {
    const cols = logColumns([
      req(1, { errorCode: 'INSUFFICIENT_SCOPES', keyName: 'Explorer demo: only integration:suppliers:rd', latencyMicros: 302_700 }),
      req(2, { api: 'eudr', errorKind: 'revoked_key' }),
    ]);
    expect(cols.error).toBe('calc(10.5em + 1.3rem)'); // 19 characters of monospace
    expect(cols.key).toBe('calc(26.4em + 1.3rem)'); // 44
    expect(cols.latency).toBe('calc(5.0em + 1.3rem)'); // "302.7 ms"
    expect(cols.api).toBe('calc(6.0em + 1.3rem)'); // "journeybee"
    expect(cols.status).toBe('4.4rem');
  });
  it('caps the columns of any length at a share of the table, a smaller one with the details open', () => {
    const rows = [req(1, { keyName: 'x'.repeat(60), errorCode: 'E'.repeat(40) })];
    expect(logColumns(rows, 1200)).toMatchObject({ key: 'min(calc(28.8em + 1.3rem), 360px)', error: 'min(calc(14.4em + 1.3rem), 264px)' });
    expect(logColumns(rows, 800, true)).toMatchObject({ key: 'min(calc(28.8em + 1.3rem), 104px)', error: 'min(calc(14.4em + 1.3rem), 176px)' });
  });
  it('makes room for the injected badge only when a row has one', () => {
    expect(logColumns([req(1, { injected: 'fault 1 (1 of 1)' })]).status).toBe('8.6rem');
  });
  it('keeps the headers readable with no rows', () => {
    expect(logColumns([])).toEqual({
      api: 'calc(2.4em + 1.3rem)',
      status: '4.4rem',
      error: 'calc(5.5em + 1.3rem)',
      key: 'calc(2.4em + 1.3rem)',
      latency: 'calc(4.3em + 1.3rem)',
    });
  });
});
