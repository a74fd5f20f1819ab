// Work that must not hold up an answer, run once the answer is on its way. The hot routes are
// Pages API routes, where Next's after() throws ("called outside a request scope"), so this does
// what after() does there: it starts the task after the current turn of the event loop — the
// pages wrapper writes the reply in the turn the handler resolves in — and hands it to the
// platform's waitUntil, so a Vercel function stays alive until the task ends (elsewhere it is
// a no-op and the process simply runs it).
import { waitUntil } from "@vercel/functions";

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
