// A user's choices kept in localStorage across reloads: read once (checked, else the default), written on every change.

/**
 * The stored JSON under `key`, passed through `restore` (which returns null for anything stale or malformed), or the
 * fallback. Storage that cannot be read (private mode, blocked cookies) gives the fallback too.
 */
export function readChoice<T>(key: string, fallback: T, restore: (stored: unknown) => T | null = (s) => s as T): T {
  try {
    const text = localStorage.getItem(key);
    if (text === null) return fallback;
    return restore(JSON.parse(text)) ?? fallback;
  } catch {
    return fallback;
  }
}

/** Stores a choice as JSON; a browser that refuses (storage full or blocked) only loses the memory of it. */
export function saveChoice(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch (e) {
    console.warn(`TuneLab could not remember a choice (${key}) in this browser's storage:`, e);
  }
}

/** Writes `read()` under `key` now and whenever the reactive state it reads changes (for the page's lifetime). */
export function persistChoice(key: string, read: () => unknown): void {
  $effect.root(() => {
    $effect(() => saveChoice(key, read()));
  });
}

/** The stored object's fields over the defaults (fields added since it was saved keep their defaults); null if not an object. */
export function overDefaults<T extends object>(defaults: T, stored: unknown): T | null {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return null;
  const out = { ...defaults } as Record<string, unknown>;
  for (const [k, v] of Object.entries(stored)) {
    if (!(k in out)) continue;
    const d = out[k];
    if (typeof d === 'object' && d !== null && !Array.isArray(d) && typeof v === 'object' && v !== null && !Array.isArray(v)) out[k] = { ...d, ...v };
    else if (typeof v === typeof d || d === undefined) out[k] = v;
  }
  return out as T;
}
