// What the screens show of keys: the Explorer's throwaway keys told from
// the user's, long scope lists summarised, the create form's presets, the
// first-run guide's progress and the request log's key filter. Pure
// functions, unit-tested in keys.test.ts.

import type { KeyView } from './api';

/** Whether a key is one of the Explorer's throwaway keys (made by the server for "Show a failure"). */
export function isExplorerKey(k: Pick<KeyView, 'purpose'>): boolean {
  return k.purpose === 'explorer';
}

/**
 * How a key's scopes show in a table cell: up to `max` as they are, more
 * as a count ("9 scopes") with the whole list for a tooltip.
 */
export function scopeSummary(scopes: string[] | null | undefined, max = 2): { shown: string[]; label: string; all: string } {
  const list = scopes ?? [];
  if (list.length <= max) {
    return { shown: list, label: '', all: list.join(', ') };
  }
  return { shown: [], label: `${list.length} scopes`, all: list.join(', ') };
}

/** The scopes that only read: "read", "integration:suppliers:read", "orders.read"… */
export function readOnlyScopes(all: string[]): string[] {
  return all.filter((s) => /(^|[:._-])read$/.test(s));
}

/**
 * The first-run guide's steps: a key made (one of the user's, not the
 * Explorer's), and a key used (a request it made passed authentication).
 */
export function guideProgress(keys: KeyView[]): { keyMade: boolean; called: boolean } {
  const mine = keys.filter((k) => !isExplorerKey(k));
  return { keyMade: mine.length > 0, called: mine.some((k) => k.useCount > 0) };
}

/**
 * The keys the request log's key filter offers: those of the API filtered
 * on (all when none), the user's first, the Explorer's apart.
 */
export function keyFilterOptions(keys: KeyView[], api: string): { mine: KeyView[]; explorer: KeyView[] } {
  const of = keys.filter((k) => api === '' || k.api === api);
  return { mine: of.filter((k) => !isExplorerKey(k)), explorer: of.filter(isExplorerKey) };
}
