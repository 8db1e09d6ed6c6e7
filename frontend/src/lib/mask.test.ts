import { describe, expect, it } from 'vitest';
import { headerRows, isSecretHeader, maskQuery, maskSecret, redact } from './mask';

describe('maskSecret (as backend/journal MaskSecret)', () => {
  it.each([
    ['Bearer jb_live_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd', 'Bearer jb_l…abcd'],
    ['jl_0123456789abcdefghij', 'jl_0…ghij'],
    ['Bearer abcdefgh', 'Bearer …gh'],
    ['abcdef', '…ef'],
    ['abc', '…'],
    ['Bearer ', 'Bearer '],
    ['', ''],
    ['Basic   dXNlcjpwYXNzd29yZA==', 'Basic   dXNl…ZA=='],
    ['not a scheme!! secretsecretsecret', 'not a sc…cret'],
    ['ключключключключ', 'ключ…ключ'],
  ])('%j → %j', (value, want) => {
    expect(maskSecret(value)).toBe(want);
  });

  it('leaves a value the backend already masked as it is', () => {
    expect(maskSecret('Bearer jb_l…abcd')).toBe('Bearer jb_l…abcd');
  });

  it('never returns a secret of 6 characters or more whole', () => {
    for (const s of ['abcdef', 'abcdefghijklm', 'x'.repeat(80), 'Bearer 123456']) {
      const secret = s.replace(/^Bearer /, '');
      expect(maskSecret(s)).not.toContain(secret);
    }
  });
});

describe('isSecretHeader', () => {
  it.each([
    ['Authorization', true],
    ['authorization', true],
    ['X-API-KEY', true],
    ['Cookie', true],
    ['Content-Type', false],
    ['X-Vendor-Token', false],
  ])('%s → %s', (name, want) => {
    expect(isSecretHeader(name)).toBe(want);
  });

  it('takes the API’s own key header as a secret too', () => {
    expect(isSecretHeader('X-Vendor-Token', ['x-vendor-token'])).toBe(true);
  });
});

describe('headerRows', () => {
  it('sorts, flattens and masks', () => {
    expect(
      headerRows({
        'X-Api-Key': ['jl_0123456789abcdefghij'],
        Accept: ['application/json', 'text/plain'],
        'X-Vendor-Token': 'secretsecretsecret',
      }, ['X-Vendor-Token']),
    ).toEqual([
      ['Accept', 'application/json'],
      ['Accept', 'text/plain'],
      ['X-Api-Key', 'jl_0…ghij'],
      ['X-Vendor-Token', 'secr…cret'],
    ]);
  });

  it('is empty for no headers', () => {
    expect(headerRows(undefined)).toEqual([]);
  });
});

describe('redact', () => {
  const key = 'jb_live_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd';
  it('hides every occurrence of a held key', () => {
    expect(redact(`curl -H 'Authorization: Bearer ${key}' # ${key}`, [key])).toBe(
      "curl -H 'Authorization: Bearer jb_l…abcd' # jb_l…abcd",
    );
  });

  it('ignores very short secrets', () => {
    expect(redact('a short text', ['short'])).toBe('a short text');
  });
});

describe('maskQuery', () => {
  it('masks the common key parameters and the API’s own, keeping the rest', () => {
    expect(maskQuery('page=2&api_key=pk_live_0123456789abcdef&q=a+b')).toBe('page=2&api_key=pk_l%E2%80%A6cdef&q=a+b');
    expect(maskQuery('AppKey=abcdefghijklmnop&x=1', ['appkey'])).toBe('AppKey=abcd%E2%80%A6mnop&x=1');
    expect(maskQuery('%61pi_key=abcdefghijklmnop')).toBe('%61pi_key=abcd%E2%80%A6mnop');
  });
  it('leaves a query without key parameters as it is', () => {
    expect(maskQuery('status=available&limit=5')).toBe('status=available&limit=5');
    expect(maskQuery('')).toBe('');
    expect(maskQuery('flag&key')).toBe('flag&key');
  });
});
