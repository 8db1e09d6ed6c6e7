import { describe, expect, it } from 'vitest';
import { errorFromBody, splitTokenFromHash } from './api';

describe('splitTokenFromHash', () => {
  it.each([
    ['', null, ''],
    ['#', null, '#'],
    ['#token=abc', 'abc', ''],
    ['#token=abc&view=keys', 'abc', '#view=keys'],
    ['#view=keys&token=a%2Bb', 'a+b', '#view=keys'],
    ['#token=', null, '#token='],
    ['#view=keys', null, '#view=keys'],
  ])('%s', (hash, token, rest) => {
    expect(splitTokenFromHash(hash)).toEqual({ token, rest });
  });
});

describe('errorFromBody', () => {
  it('reads the admin envelope', () => {
    expect(errorFromBody({ error: { code: 'bad_request', message: 'name: a key needs a name' } })).toEqual({
      code: 'bad_request',
      message: 'name: a key needs a name',
      problems: [],
    });
  });
  it('reads the problems of a refused profile, one by one', () => {
    const body = { error: { code: 'invalid_profile', message: 'profile "x": a\nprofile "x": b', problems: ['id: a', 'keyFormat.alphabet: b', 3] } };
    expect(errorFromBody(body)?.problems).toEqual(['id: a', 'keyFormat.alphabet: b']);
  });
  it('reads a plain error string', () => {
    expect(errorFromBody({ error: 'nope' })).toEqual({ code: '', message: 'nope', problems: [] });
  });
  it.each([null, 'text', [], {}, { error: {} }, { error: '' }])('%j → null', (body) => {
    expect(errorFromBody(body)).toBeNull();
  });
});
