// A TCP server that accepts connections and never sends a byte: a broker or HTTPS peer that hangs.
import net from "node:net";
import type { AddressInfo, Socket } from "node:net";
import { closeServer, type TestServer } from "@/scripts/lib/net-tools";

export async function startSilentServer(): Promise<TestServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    close: () => closeServer(server, sockets),
  };
}
