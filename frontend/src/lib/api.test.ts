import { describe, expect, it } from 'vitest';
import { splitTokenFromHash } from './api';

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
