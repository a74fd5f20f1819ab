// 404 for pages: a wrong link or something deleted since.
import Link from "next/link";

export default function NotFound() {
  return (
    <div className="content">
      <section className="panel empty">
        <h1>Not found</h1>
        <p>This callback, delivery or page does not exist (any more). It may have been deleted, or the link is incomplete.</p>
        <p className="actions">
          <Link href="/">Overview</Link> <Link href="/callbacks">Callbacks</Link> <Link href="/deliveries">Delivery log</Link>
        </p>
      </section>
    </div>
  );
}
