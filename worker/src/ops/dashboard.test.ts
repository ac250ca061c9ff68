// The example Grafana dashboard for providers (docs/grafana/worker-dashboard.json) may only query metrics the worker
// exports: a renamed metric would leave a provider's panel silently empty.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { createMetrics } from "./createMetrics.ts";

describe("the example Grafana dashboard", () => {
  it("queries only metrics the worker exports", async () => {
    const dashboard = readFileSync(new URL("../../../docs/grafana/worker-dashboard.json", import.meta.url), "utf8");
    const queried = new Set(
      [...dashboard.matchAll(/\bocto_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, "")),
    );
    const exported = new Set(
      (await createMetrics({ defaultMetrics: false }).registry.getMetricsAsJSON()).map((m) => m.name),
    );
    expect(queried.size).to.be.greaterThan(10);
    expect([...queried].filter((name) => !exported.has(name))).to.deep.equal([]);
  });
});
