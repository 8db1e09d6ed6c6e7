// WebKitGTK reports the POSIX locale ("C", "POSIX") as navigator.language
// when LANG is unset, which is not a BCP 47 tag: libraries that pass it to
// Intl (uPlot does, when it loads) then throw "invalid language tag" and the
// whole page stays blank. Imported first by main.ts, before any of them.

function isLocale(tag: string | undefined): boolean {
  if (!tag) return false;
  try {
    return Intl.getCanonicalLocales(tag).length > 0;
  } catch {
    return false;
  }
}

if (typeof navigator !== 'undefined' && !isLocale(navigator.language)) {
  Object.defineProperty(navigator, 'language', { value: 'en-US', configurable: true });
  Object.defineProperty(navigator, 'languages', { value: ['en-US'], configurable: true });
}

export {};
