"use client";
// Shown when a page fails to load (database or queue unreachable, a bug): what to try next.
import Link from "next/link";

export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error ? String((error as Error & { digest?: string }).digest ?? "") : "";
  return (
    <section className="panel error-state">
      <h1>This page could not be loaded</h1>
      <p>
        The server hit an error while reading data. This is usually temporary (the database or Redis being unreachable). Try again; if it keeps happening, check <code>/api/health</code> and
        the server logs
        {digest ? (
          <>
            {" "}
            for error id <code>{digest}</code>
          </>
        ) : null}
        .
      </p>
      <p className="actions">
        <button type="button" onClick={() => retry()}>
          Try again
        </button>
        <Link href="/">Back to the overview</Link>
      </p>
    </section>
  );
}
