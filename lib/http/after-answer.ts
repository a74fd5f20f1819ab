// Work that must not hold up an answer, run once the answer is on its way. The hot routes are
// Pages API routes, where Next's after() throws ("called outside a request scope"), so this does
// what after() does there: it starts the task after the current turn of the event loop — the
// pages wrapper writes the reply in the turn the handler resolves in — and hands it to the
// platform's waitUntil, so a Vercel function stays alive until the task ends (elsewhere there is
// none and the process simply runs it).

/**
 * Vercel's request context, read as @vercel/functions' waitUntil reads it: that package's root
 * (the only way it exports waitUntil) also loads its cache, purge and OIDC helpers and execa,
 * ~3 MB of heap in every function for three lines.
 */
type RequestContextHolder = typeof globalThis & {
  [key: symbol]: { get?: () => { waitUntil?: (promise: Promise<unknown>) => void } | undefined } | undefined;
};
const requestContextSymbol = Symbol.for("@vercel/request-context");

function waitUntil(promise: Promise<unknown>): void {
  (globalThis as RequestContextHolder)[requestContextSymbol]?.get?.()?.waitUntil?.(promise);
}

/** `task`'s failure is its own to report: it is swallowed here, as no one waits for it. */
export function afterAnswer(task: () => Promise<unknown>): void {
  const ran = new Promise<void>((resolve) => {
    setImmediate(() => {
      task().then(
        () => resolve(),
        () => resolve(),
      );
    });
  });
  waitUntil(ran);
}
