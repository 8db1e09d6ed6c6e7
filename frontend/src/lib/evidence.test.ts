import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { attachmentName, coalesce, explainVerdict, isHar, isVerdict, requestQuery, VERDICTS } from './evidence';

describe('requestQuery', () => {
  it('leaves out empty fields', () => {
    expect(requestQuery({})).toBe('');
    expect(requestQuery({ api: '', status: '', key: '', verdict: '' })).toBe('');
  });
  it('carries every filter, verdict included, encoded', () => {
    expect(requestQuery({ api: 'jelou', status: '4xx', key: 'k 1', verdict: 'retry_too_early', before: 9, limit: 500 })).toBe(
      '?api=jelou&status=4xx&key=k+1&verdict=retry_too_early&before=9&limit=500',
    );
  });
});

describe('verdicts', () => {
  it('knows the three verdicts and explains each', () => {
    expect(VERDICTS).toEqual(['retry_too_early', 'ignored_auth_failure', 'repeated_bad_request']);
    for (const v of VERDICTS) expect(explainVerdict(v)).not.toBe('');
    expect(isVerdict('retry_too_early')).toBe(true);
    expect(isVerdict('too_early')).toBe(false);
    expect(isVerdict(undefined)).toBe(false);
  });
});

describe('isHar', () => {
  it('wants log.version and log.entries', () => {
    expect(isHar({ log: { version: '1.2', entries: [] } })).toBe(true);
    expect(isHar({ log: { version: '1.2' } })).toBe(false);
    expect(isHar({ error: 'x' })).toBe(false);
    expect(isHar(null)).toBe(false);
  });
});

describe('attachmentName', () => {
  it('reads the file name, else the fallback', () => {
    expect(attachmentName('attachment; filename="mockgate.har"', 'x.har')).toBe('mockgate.har');
    expect(attachmentName('attachment; filename=log.har', 'x.har')).toBe('log.har');
    expect(attachmentName(null, 'x.har')).toBe('x.har');
    expect(attachmentName('attachment; filename="../etc/passwd"', 'x.har')).toBe('x.har');
  });
});

describe('coalesce', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs once per burst, and again during a long flood', () => {
    const fn = vi.fn();
    const run = coalesce(fn, 500);
    run();
    run();
    vi.advanceTimersByTime(499);
    expect(fn).not.toHaveBeenCalled();
    run();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 10; i++) {
      run();
      vi.advanceTimersByTime(100);
    }
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('drops a pending call on cancel', () => {
    const fn = vi.fn();
    const run = coalesce(fn, 100);
    run();
    run.cancel();
    vi.advanceTimersByTime(200);
    expect(fn).not.toHaveBeenCalled();
  });
});
