/**
 * HTTP for operators: GET /metrics (Prometheus text), GET /health (JSON; 200 when ok or degraded, 503 when down).
 *
 * API: startOpsServer({ host?, port, metrics, health, onScrape? }): Promise<OpsServer>
 *   OpsServer — { url, port, close(): Promise<void> }   (port 0 picks a free one)
 *   onScrape runs before each /metrics render (e.g. to refresh gauges from the store).
 * Both answers allow any origin (CORS): the provider dashboard in the web app reads /health from the browser. They are
 * read-only, take no credentials and say nothing a scraper on the same network could not read.
 */
import { createServer } from "node:http";
import type { Health } from "./createHealth.ts";
import type { Metrics } from "./createMetrics.ts";

export type StartOpsServerParameters = {
  host?: string | undefined;
  port: number;
  metrics: Pick<Metrics, "registry">;
  health: Pick<Health, "report">;
  onScrape?: (() => void) | undefined;
};
export type OpsServer = { url: string; port: number; close(): Promise<void> };

export async function startOpsServer({
  host = "127.0.0.1",
  port,
  metrics,
  health,
  onScrape,
}: StartOpsServerParameters): Promise<OpsServer> {
  const server = createServer((req, res) => {
    res.setHeader("access-control-allow-origin", "*");
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/metrics") {
      try {
        onScrape?.();
      } catch {
        // A failed refresh must not hide the other metrics.
      }
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": metrics.registry.contentType }).end(text),
        (error: unknown) => res.writeHead(500, { "content-type": "text/plain" }).end(String(error)),
      );
      return;
    }
    if (path === "/health" || path === "/healthz") {
      const report = health.report();
      const body = JSON.stringify(report, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
      res.writeHead(report.status === "down" ? 503 : 200, { "content-type": "application/json" }).end(body);
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found: try /metrics or /health\n");
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as { port: number }).port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
