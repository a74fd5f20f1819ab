// The callback's latest answered verification requests (events of kind "handshake"), which the
// delivery log does not list: a handshake has no deliveries.
import { listHandshakes } from "@/lib/callbacks/handshake-log";
import { getDb } from "@/lib/db";

export async function HandshakeLog({ callbackId, preset }: { callbackId: string; preset: string | undefined }) {
  const items = await listHandshakes(getDb(), callbackId);
  if (!preset && items.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="handshakes-heading">
      <h2 id="handshakes-heading">Handshakes{preset ? ` (${preset})` : ""}</h2>
      {items.length === 0 ? (
        <p className="muted">No verification request answered yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Received</th>
              <th>Method</th>
              <th>Query</th>
              <th>Body</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.eventId}>
                <td>{item.receivedAt}</td>
                <td>{item.method}</td>
                <td>
                  <code className="break">{new URLSearchParams(Object.entries(item.query).flatMap(([name, value]) => [value].flat().map((one) => [name, String(one)]))).toString()}</code>
                </td>
                <td>{item.body ? <code className="break">{item.body}</code> : <span className="muted">empty</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
