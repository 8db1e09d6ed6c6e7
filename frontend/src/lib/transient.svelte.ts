// A status message that belongs to one action: shown when the action ends,
// gone after a while or as soon as something else happens (clear), so
// "Applied." never lingers beside what came after it.

/** One transient message; `text` is reactive. */
export class Transient {
  text = $state('');
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly ms = 5000) {}

  /** Shows text for ms milliseconds (replacing any message shown). */
  show(text: string, ms = this.ms): void {
    clearTimeout(this.timer);
    this.text = text;
    this.timer = setTimeout(() => (this.text = ''), ms);
  }

  /** Takes the message away now. */
  clear(): void {
    clearTimeout(this.timer);
    this.text = '';
  }
}
