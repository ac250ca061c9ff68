/**
 * Live output over Server-Sent Events: GET /jobs/<jobId>/stream sends every piece sealed so far, then each new one as
 * it is generated (`event: piece`, data `{"i":index,"c":"0x…"}`), and `event: end` when the job's output is complete.
 * Pieces are sealed for the user (see @octo/circuits streamCipher) before they reach this server, so it never holds
 * plaintext; the on-chain, proven result remains the reference.
 *
 * API: createStreamServer({ host, port, retainMs? }): Promise<StreamServer>
 *   server.publish(jobId, index, sealed)   server.end(jobId)   server.url   server.close()
 */
import { createServer, type ServerResponse } from "node:http";
import { bytesToHex } from "viem";

export type StreamServer = {
  url: string;
  publish(jobId: bigint, index: number, sealed: Uint8Array): void;
  end(jobId: bigint): void;
  close(): Promise<void>;
};

type JobStream = { pieces: string[]; ended: boolean; listeners: Set<ServerResponse>; expiry?: NodeJS.Timeout };

export async function createStreamServer({
  host = "127.0.0.1",
  port = 0,
  retainMs = 10 * 60_000,
}: {
  host?: string;
  port?: number;
  retainMs?: number;
} = {}): Promise<StreamServer> {
  const jobs = new Map<string, JobStream>();
  const streamOf = (id: string) => {
    let s = jobs.get(id);
    if (!s) jobs.set(id, (s = { pieces: [], ended: false, listeners: new Set() }));
    return s;
  };
  const send = (res: ServerResponse, event: string, data: string) => res.write(`event: ${event}\ndata: ${data}\n\n`);

  const server = createServer((req, res) => {
    const match = /^\/jobs\/(\d+)\/stream$/.exec((req.url ?? "").split("?")[0] ?? "");
    if (req.method !== "GET" || !match) return void res.writeHead(404).end();
    const s = streamOf(match[1]!);
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "access-control-allow-origin": "*",
    });
    s.pieces.forEach((c, i) => send(res, "piece", JSON.stringify({ i, c })));
    if (s.ended) return (void send(res, "end", "{}"), res.end());
    s.listeners.add(res);
    req.on("close", () => s.listeners.delete(res));
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as { port: number };

  return {
    url: `http://${host}:${address.port}`,
    publish(jobId, index, sealed) {
      const s = streamOf(jobId.toString());
      const c = bytesToHex(sealed);
      s.pieces[index] = c;
      for (const res of s.listeners) send(res, "piece", JSON.stringify({ i: index, c }));
    },
    end(jobId) {
      const id = jobId.toString();
      const s = streamOf(id);
      s.ended = true;
      for (const res of s.listeners) send(res, "end", "{}"), res.end();
      s.listeners.clear();
      // Keep the pieces a while for a user who connects late, then free them.
      s.expiry = setTimeout(() => jobs.delete(id), retainMs);
      s.expiry.unref();
    },
    async close() {
      for (const s of jobs.values()) {
        for (const res of s.listeners) res.end();
        clearTimeout(s.expiry);
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
