// Raw HTTP over a socket, for requests fetch refuses to send (10,000 headers, bad bytes in the
// request line, bodies that lie about their length).
import net from "node:net";

export interface RawResponse {
  status: number;
  text: string;
}

export function rawRequest(port: number, request: string | Buffer, timeoutMs = 5000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("raw request timed out"));
    }, timeoutMs);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString("latin1");
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
    // No half-close: Node's server drops a connection whose client ended before the answer.
    // Callers send `connection: close`, so the server closes once it has answered.
    socket.write(request);
  });
}
