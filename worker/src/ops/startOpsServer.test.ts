import { expect } from "chai";
import { createHealth } from "./createHealth.ts";
import { createMetrics } from "./createMetrics.ts";
import { startOpsServer, type OpsServer } from "./startOpsServer.ts";

describe("startOpsServer", () => {
  let server: OpsServer;
  before(async () => {
    const health = createHealth();
    health.register("engine", () => ({ status: "ok" }));
    server = await startOpsServer({ port: 0, metrics: createMetrics({ defaultMetrics: false }), health });
  });
  after(() => server.close());

  it("lets a page on another origin (the web app's provider dashboard) read /health", async () => {
    const res = await fetch(`${server.url}/health`, { headers: { origin: "http://localhost:3000" } });
    expect(res.headers.get("access-control-allow-origin")).to.equal("*");
    expect(await res.json()).to.deep.include({ status: "ok", components: { engine: { status: "ok" } } });
  });

  it("lets a page on another origin read /metrics", async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { origin: "http://localhost:3000" } });
    expect(res.status).to.equal(200);
    expect(res.headers.get("access-control-allow-origin")).to.equal("*");
  });
});
