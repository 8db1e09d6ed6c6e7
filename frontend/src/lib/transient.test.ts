import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Transient } from './transient.svelte';

describe('Transient', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shows a message for a while', () => {
    const t = new Transient(3000);
    t.show('Applied.');
    expect(t.text).toBe('Applied.');
    vi.advanceTimersByTime(2999);
    expect(t.text).toBe('Applied.');
    vi.advanceTimersByTime(1);
    expect(t.text).toBe('');
  });
  it('a new message gets its own time', () => {
    const t = new Transient(3000);
    t.show('Applied.');
    vi.advanceTimersByTime(2000);
    t.show('Faults cleared.');
    vi.advanceTimersByTime(2000);
    expect(t.text).toBe('Faults cleared.');
    vi.advanceTimersByTime(1000);
    expect(t.text).toBe('');
  });
  it('goes at once when cleared', () => {
    const t = new Transient();
    t.show('Applied.');
    t.clear();
    expect(t.text).toBe('');
    vi.advanceTimersByTime(10_000);
    expect(t.text).toBe('');
  });
});
