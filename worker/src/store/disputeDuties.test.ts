import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { disputeDuties } from "./disputeDuties.ts";
import { openStore, type Store } from "./openStore.ts";

describe("store/disputeDuties", () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "octo-duties-"));
    store = openStore({ path: join(dir, "worker.db") });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("records one open duty per job; a second record is ignored", () => {
    const duties = disputeDuties(store);
    expect(duties.record(7n, "member", { index: 1 })).to.equal(true);
    expect(duties.record(7n, "accused")).to.equal(false);
    expect(duties.get(7n)).to.deep.equal({
      jobId: 7n,
      role: "member",
      step: "open",
      reason: null,
      data: { index: 1 },
    });
    expect(duties.inStep("open").map((d) => d.jobId)).to.deep.equal([7n]);
  });

  it("acts on a duty once: a second advance from open fails, and an acted duty is never closed", () => {
    const duties = disputeDuties(store);
    duties.record(7n, "member");
    expect(duties.advance(7n, "open", "acted", { data: { verdict: "clean" } })).to.equal(true);
    expect(duties.advance(7n, "open", "acted")).to.equal(false);
    expect(duties.advance(7n, "open", "closed")).to.equal(false);
    expect(duties.get(7n)).to.include({ step: "acted" });
    expect(duties.get(7n)!.data).to.deep.equal({ verdict: "clean" });
  });

  it("forgets an open duty (its dispute was reorged out) but keeps one that was acted on", () => {
    const duties = disputeDuties(store);
    duties.record(7n, "member");
    duties.record(8n, "accused");
    duties.advance(8n, "open", "acted");
    expect(duties.forget(7n)).to.equal(true);
    expect(duties.forget(8n)).to.equal(false);
    expect(duties.get(7n)).to.equal(undefined);
    expect(duties.record(7n, "member")).to.equal(true);
  });

  it("counts duties by role and step for the metrics", () => {
    const duties = disputeDuties(store);
    duties.record(1n, "member");
    duties.record(2n, "member");
    duties.record(3n, "accused");
    duties.advance(2n, "open", "acted");
    expect(duties.countByRoleAndStep()).to.have.deep.members([
      { role: "member", step: "open", n: 1 },
      { role: "member", step: "acted", n: 1 },
      { role: "accused", step: "open", n: 1 },
    ]);
  });

  it("survives a restart", () => {
    disputeDuties(store).record(9n, "accused", { disputeEnd: 123 });
    store.close();
    store = openStore({ path: join(dir, "worker.db") });
    expect(disputeDuties(store).get(9n)).to.include({ role: "accused", step: "open" });
  });
});
