// State shared by the screens: the APIs, the keys, the virtual clock, the
// live stream, the keys held in memory for the Explorer, the key being
// created (its dialogs are opened from several screens), the first-run
// guide and which screen shows. Loaded and kept fresh by App.svelte;
// screens read it and call api.ts to change it.

import {
  getClock,
  listApis,
  listKeys,
  moveClock,
  openLiveStream,
  type ApiInfo,
  type ClockMove,
  type ClockStatus,
  type CreatedKey,
  type KeyView,
  type RequestSummary,
} from './api';
import { clockView } from './clock';
import { countsAsUse } from './requests';

/** The screens, in navigation order. */
export const VIEWS = ['apis', 'keys', 'explorer', 'requests'] as const;
export type View = (typeof VIEWS)[number];

function viewFromHash(hash: string): View {
  const v = new URLSearchParams(hash.replace(/^#/, '')).get('view');
  return (VIEWS as readonly string[]).includes(v ?? '') ? (v as View) : 'apis';
}

/** A raw key created in this window, held in memory for the Explorer (never stored). */
export interface HeldKey {
  id: string;
  api: string;
  name: string;
  masked: string;
  raw: string;
  scopes: string[];
}

/** A key being created: for which API, and whether the Explorer asked (it then selects the new key). */
export interface KeyRequest {
  api: string;
  forExplorer: boolean;
}

const GUIDE_KEY = 'mockgate.guide';

class AppState {
  view = $state<View>('apis');
  apis = $state<ApiInfo[]>([]);
  apisError = $state('');
  apisLoaded = $state(false);
  keys = $state<KeyView[]>([]);
  keysError = $state('');
  keysLoaded = $state(false);
  live = $state(false);
  /** Raw keys of this session, newest first. Memory only. */
  held = $state<HeldKey[]>([]);
  /** The key the Explorer should select next (set by "Use in Explorer"). */
  explorerKeyId = $state('');
  /** The API the Explorer should show next (set by the guide). */
  explorerApi = $state('');
  /** The create dialog, open while set (KeyCreation.svelte). */
  creating = $state<KeyRequest | null>(null);
  /** The new key, shown once while set. */
  created = $state<CreatedKey | null>(null);
  /** Whether the first-run guide was put away (kept in localStorage, like the theme). */
  guideHidden = $state(false);
  /** The virtual clock as last read (null until then), and when it was read (performance.now()). */
  clock = $state<ClockStatus | null>(null);
  clockReadAt = $state(0);

  private requestListeners = new Set<(r: RequestSummary) => void>();

  api(id: string): ApiInfo | undefined {
    return this.apis.find((a) => a.id === id);
  }

  async loadApis(): Promise<void> {
    try {
      this.apis = await listApis();
      this.apisError = '';
    } catch (err) {
      this.apisError = err instanceof Error ? err.message : String(err);
    } finally {
      this.apisLoaded = true;
    }
  }

  async loadKeys(): Promise<void> {
    try {
      this.keys = await listKeys();
      this.keysError = '';
    } catch (err) {
      this.keysError = err instanceof Error ? err.message : String(err);
    } finally {
      this.keysLoaded = true;
    }
  }

  async loadClock(): Promise<void> {
    try {
      this.setClock(await getClock());
    } catch {
      // The badge stays as it was; the next clock event corrects it.
    }
  }

  /** Moves the virtual clock; throws the admin API's refusal for the form to show. */
  async moveClock(move: ClockMove): Promise<void> {
    this.setClock(await moveClock(move));
    // Keys may have expired (or come back to life): the Keys screen shows
    // it at once, even if the stream's clock event is late.
    await this.loadKeys();
  }

  /** The mock APIs' time now, in ms (real time until the clock is read); for "5 min ago" beside mock timestamps. */
  mockNow(): number {
    return (this.clock && clockView(this.clock, performance.now() - this.clockReadAt)?.now) || Date.now();
  }

  private setClock(s: ClockStatus): void {
    this.clock = s;
    this.clockReadAt = performance.now();
  }

  hold(k: HeldKey): void {
    this.held = [k, ...this.held.filter((h) => h.id !== k.id)];
  }

  /** Opens the create dialog for an API ("" for the first). */
  startCreate(api = '', forExplorer = false): void {
    this.creating = { api, forExplorer };
  }

  /** A key was created: held for the Explorer, shown once, selected there if the Explorer asked for it. */
  finishCreate(k: CreatedKey): void {
    const forExplorer = this.creating?.forExplorer ?? false;
    this.creating = null;
    this.hold({ id: k.id, api: k.api, name: k.name, masked: k.masked, raw: k.key, scopes: k.scopes ?? [] });
    if (forExplorer) this.explorerKeyId = k.id;
    this.created = k;
    void this.loadKeys();
  }

  /** Puts the guide away, or brings it back. */
  setGuideHidden(hidden: boolean): void {
    this.guideHidden = hidden;
    try {
      if (hidden) localStorage.setItem(GUIDE_KEY, 'hidden');
      else localStorage.removeItem(GUIDE_KEY);
    } catch {
      // Not kept: it shows again after a reload.
    }
  }

  /** The status of a held key as the key list says ("deleted" when gone). */
  keyStatus(id: string): string {
    return this.keys.find((k) => k.id === id)?.status ?? (this.keysLoaded ? 'deleted' : 'unknown');
  }

  /** Calls fn for every new request-log entry; returns the unsubscribe. */
  onRequest(fn: (r: RequestSummary) => void): () => void {
    this.requestListeners.add(fn);
    return () => this.requestListeners.delete(fn);
  }

  go(view: View): void {
    if (typeof window !== 'undefined') {
      window.location.hash = `view=${view}`;
    }
    this.view = view;
  }

  /** Starts routing, loading and the live stream; returns the teardown. */
  start(): () => void {
    this.view = viewFromHash(window.location.hash);
    try {
      this.guideHidden = localStorage.getItem(GUIDE_KEY) === 'hidden';
    } catch {
      // Storage disabled: the guide shows.
    }
    const onHash = (): void => {
      this.view = viewFromHash(window.location.hash);
    };
    window.addEventListener('hashchange', onHash);
    void this.loadApis();
    void this.loadKeys();
    void this.loadClock();
    let keysTimer: ReturnType<typeof setTimeout> | undefined;
    let apisTimer: ReturnType<typeof setTimeout> | undefined;
    const close = openLiveStream((e) => {
      switch (e.type) {
        case 'state':
          this.live = e.connected;
          if (e.connected) {
            // Catch up on what changed while the stream was down.
            void this.loadKeys();
            void this.loadClock();
          }
          break;
        case 'clock':
        case 'keys':
          // A moved clock can expire keys: their status is the server's to say.
          if (e.type === 'clock') this.setClock(e.clock);
          clearTimeout(keysTimer);
          keysTimer = setTimeout(() => void this.loadKeys(), 50);
          break;
        case 'request': {
          // A key's last use shows at once; the periodic reload corrects counts.
          const k = countsAsUse(e.request) ? this.keys.find((x) => x.id === e.request.keyId) : undefined;
          if (k) {
            k.lastUsedAt = e.request.time;
            k.useCount++;
          }
          for (const fn of this.requestListeners) {
            fn(e.request);
          }
          // A write changed an API's records: its record counts follow.
          if (!['GET', 'HEAD', 'OPTIONS'].includes(e.request.method) && e.request.status < 300) {
            clearTimeout(apisTimer);
            apisTimer = setTimeout(() => void this.loadApis(), 300);
          }
          break;
        }
      }
    });
    // Traffic sends no key event: reload now and then so use counts and
    // last-used times match the server's.
    const slow = setInterval(() => {
      if (document.visibilityState === 'visible') {
        void this.loadKeys();
      }
    }, 10_000);
    return () => {
      window.removeEventListener('hashchange', onHash);
      clearInterval(slow);
      clearTimeout(keysTimer);
      clearTimeout(apisTimer);
      close();
    };
  }
}

/** The one application state. */
export const app = new AppState();
