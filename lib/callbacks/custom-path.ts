// What a custom trigger path may look like; shared by the save-time schema and the trigger
// route, which refuses anything else without a lookup.

/** Segments of letters, digits and - _ . ~; no empty, "." or ".." segments. */
export const customPathPattern = /^(?!.*(^|\/)\.{1,2}(\/|$))[A-Za-z0-9_~.-]+(\/[A-Za-z0-9_~.-]+)*$/;

export const maxCustomPathLength = 200;

/** Paths are stored lowercase without surrounding slashes, so lookups are case-insensitive. */
export function normalizeCustomPath(path: string): string {
  return path
    .trim()
    .replace(/^\/+|\/+$/g, "")
    .toLowerCase();
}
