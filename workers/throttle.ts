// Rate-limits progress events so the UI gets a few updates a second, never a flood; the last one always goes out.

export function throttled<T>(send: (event: T) => void, minIntervalMs: number): { report(event: T, force?: boolean): void; flush(): void } {
  let lastSent = -Infinity;
  let pending: T | null = null;
  return {
    report(event, force = false) {
      const now = performance.now();
      if (force || now - lastSent >= minIntervalMs) {
        lastSent = now;
        pending = null;
        send(event);
      } else {
        pending = event;
      }
    },
    flush() {
      if (pending !== null) send(pending);
      pending = null;
      lastSent = performance.now();
    },
  };
}
