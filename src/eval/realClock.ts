/**
 * The real `performance.now`, captured when this module loads: before ao-loader, whose glue
 * replaces the realm's clocks with deterministic counters when an instance is created. Timing
 * done after that with `performance.now()` would read the counter.
 */
export const realNow: () => number = performance.now.bind(performance)
