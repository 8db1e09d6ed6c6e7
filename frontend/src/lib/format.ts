// Display formatting shared by every screen. Pure functions, unit-tested in
// format.test.ts.

/**
 * Formats a latency given in microseconds with a unit that keeps it short:
 * "850 µs", "12.3 ms", "1.20 s". Rounding never produces "1000 µs" or
 * "1000.0 ms"; such values move up to the next unit. Negative or non-finite
 * input yields "–" (the request log uses it for unknown latencies).
 */
export function formatLatency(micros: number): string {
  if (!Number.isFinite(micros) || micros < 0) {
    return '–';
  }
  const us = Math.round(micros);
  if (us < 1000) {
    return `${us} µs`;
  }
  const ms = micros / 1000;
  if (Number(ms.toFixed(1)) < 1000) {
    return `${ms.toFixed(1)} ms`;
  }
  return `${(micros / 1_000_000).toFixed(2)} s`;
}
