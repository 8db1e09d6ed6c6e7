import { describe, expect, it } from 'vitest';
import type { KeyView } from './api';
import { guideProgress, isExplorerKey, keyFilterOptions, readOnlyScopes, scopeSummary } from './keys';

function key(over: Partial<KeyView>): KeyView {
  return { id: 'k', api: 'journeybee', name: 'n', masked: 'jb_live_abcd…wxyz', scopes: ['read'], status: 'active', createdAt: '2026-01-01T00:00:00Z', useCount: 0, ...over };
}

const EUDR = [
  'integration:suppliers:read',
  'integration:products:read',
  'integration:batches:read',
  'integration:batches:write',
  'integration:dds:write',
  'integration:webhooks:read',
  'integration:webhooks:write',
  'integration:sync:read',
  'integration:sync:write',
];

describe('scopeSummary', () => {
  it('shows two scopes as they are', () => {
    expect(scopeSummary(['read', 'write'])).toEqual({ shown: ['read', 'write'], label: '', all: 'read, write' });
  });
  it('counts nine', () => {
    const s = scopeSummary(EUDR);
    expect(s.shown).toEqual([]);
    expect(s.label).toBe('9 scopes');
    expect(s.all.split(', ')).toEqual(EUDR);
  });
  it('has nothing to show for none', () => {
    expect(scopeSummary(null)).toEqual({ shown: [], label: '', all: '' });
  });
});

describe('readOnlyScopes', () => {
  it('picks the reading scopes', () => {
    expect(readOnlyScopes(EUDR)).toEqual([
      'integration:suppliers:read',
      'integration:products:read',
      'integration:batches:read',
      'integration:webhooks:read',
      'integration:sync:read',
    ]);
    expect(readOnlyScopes(['read', 'write'])).toEqual(['read']);
    expect(readOnlyScopes(['inventory', 'pos', 'resources', 'thread'])).toEqual([]);
  });
});

describe('the Explorer keys', () => {
  const mine = key({ id: 'a' });
  const demo = key({ id: 'b', purpose: 'explorer', useCount: 4 });
  const other = key({ id: 'c', api: 'eudr' });
  it('are told from the user keys', () => {
    expect(isExplorerKey(demo)).toBe(true);
    expect(isExplorerKey(mine)).toBe(false);
  });
  it('do not count as the guide’s steps', () => {
    expect(guideProgress([demo])).toEqual({ keyMade: false, called: false });
    expect(guideProgress([demo, mine])).toEqual({ keyMade: true, called: false });
    expect(guideProgress([{ ...mine, useCount: 1 }])).toEqual({ keyMade: true, called: true });
  });
  it('come apart in the key filter, of the API filtered on', () => {
    expect(keyFilterOptions([mine, demo, other], 'journeybee')).toEqual({ mine: [mine], explorer: [demo] });
    expect(keyFilterOptions([mine, demo, other], '')).toEqual({ mine: [mine, other], explorer: [demo] });
  });
});
