// A local "request bin" for the demo callback: prints every webhook it receives, answers 200.
import http from "node:http";
import { listenOnLoopback, type LoopbackServer } from "../lib/net-tools";

export async function startRequestSink(port: number, print: (line: string) => void): Promise<LoopbackServer> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const id = String(request.headers["webhook-id"] ?? "-");
      print(`${request.method} ${request.url} webhook-id=${id} ${body.length > 300 ? `${body.slice(0, 300)}…` : body}`);
      response.writeHead(200, { "content-type": "application/json" }).end('{"received":true}');
    });
  });
  return listenOnLoopback(server, port);
}
