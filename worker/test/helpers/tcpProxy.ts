/**
 * A TCP proxy in front of an RPC node that a test can take down and bring back on the same port, to make a real
 * outage (connections refused and open ones reset), not a mocked one.
 */
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { freePort } from "@octo/devnet";

export type TcpProxy = {
  url: string;
  port: number;
  up(): Promise<void>;
  down(): Promise<void>;
  close(): Promise<void>;
};

export async function startTcpProxy({ targetPort }: { targetPort: number }): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | null = null;

  async function up(): Promise<void> {
    if (server) return;
    const s = createServer((client) => {
      const upstream = createConnection({ host: "127.0.0.1", port: targetPort });
      sockets.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on("error", drop).on("close", drop);
      upstream.on("error", drop).on("close", drop);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => resolve());
    });
    server = s;
  }
  async function down(): Promise<void> {
    const s = server;
    if (!s) return;
    server = null;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
  await up();
  return { url: `http://127.0.0.1:${port}`, port, up, down, close: down };
}
