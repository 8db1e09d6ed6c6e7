// Copying text: the async Clipboard API where the page may use it (the web
// UI on loopback is a secure context), the Wails runtime in the desktop
// webview, and a hidden textarea as the last resort.

interface WailsRuntime {
  ClipboardSetText?: (text: string) => Promise<boolean>;
}

/** Copies text to the clipboard; resolves to whether it worked. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Denied (no user gesture, or a webview without the permission): try the others.
  }
  const runtime = (window as unknown as { runtime?: WailsRuntime }).runtime;
  if (runtime?.ClipboardSetText) {
    try {
      if (await runtime.ClipboardSetText(text)) {
        return true;
      }
    } catch {
      // Fall through.
    }
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  // Inside a modal dialog the rest of the page is inert: stay in the dialog.
  const host = document.activeElement?.closest('dialog') ?? document.body;
  host.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
}
