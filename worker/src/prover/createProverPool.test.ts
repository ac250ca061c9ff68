import { expect } from "chai";
import { verifyChunk } from "@octo/circuits";
import { artifactPaths, loadVerificationKey } from "@octo/circuits/node";
import { circuitIdOf } from "@octo/circuits";
import { readFileSync } from "node:fs";
import { createProverPool, ProverError } from "./createProverPool.ts";

const provider = "0x00000000000000000000000000000000000000aa" as const;
const request = (chunk: Uint8Array) => ({
  chunk,
  chunkIndex: 0,
  outputKey: 12345n,
  jobId: 7n,
  provider,
  tokenCount: 3,
  maxTokens: 100,
});

describe("createProverPool", () => {
  let pool: ReturnType<typeof createProverPool>;
  before(() => {
    pool = createProverPool({ processes: 1 });
  });
  after(() => pool.close());

  it("is ready once its prover has loaded the circuit, naming the circuitId its proofs are for", async () => {
    const { circuitId } = await pool.ready();
    expect(pool.pids()).to.have.length(1);
    expect(circuitId).to.equal(circuitIdOf(readFileSync(artifactPaths.verificationKey)));
  });

  it("proves a chunk off the main thread and the proof verifies", async () => {
    const result = await pool.prove(request(new TextEncoder().encode("hello from the prover thread")));
    expect(
      await verifyChunk({
        proof: result.proof,
        publicSignals: result.publicSignals,
        verificationKey: loadVerificationKey(),
      }),
    ).to.equal(true);
  });

  it("keeps the event loop free while proving", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    await pool.prove(request(new TextEncoder().encode("tick tock")));
    clearInterval(timer);
    expect(ticks).to.be.greaterThan(5);
  });

  it("rejects an unprovable request with a ProverError and keeps serving", async () => {
    const err = await pool.prove(request(new Uint8Array(3000))).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ProverError);
    const ok = await pool.prove(request(new TextEncoder().encode("still here")));
    expect(ok.encrypted.byteLength).to.equal(10);
  });

  it("fails only the running request when a prover process dies, and replaces the process", async () => {
    const [victim] = pool.pids();
    const inFlight = pool.prove(request(new TextEncoder().encode("about to be killed")));
    setTimeout(() => process.kill(victim!, "SIGKILL"), 100);
    expect(
      await inFlight.then(
        () => null,
        (e: unknown) => e,
      ),
    ).to.be.instanceOf(ProverError);
    const ok = await pool.prove(request(new TextEncoder().encode("after the crash")));
    expect(ok.encrypted.byteLength).to.equal(15);
    expect(pool.pids()).to.not.include(victim);
  });

  it("fails ready() when a prover dies before it has loaded, instead of restarting it in a loop", async () => {
    const p = createProverPool();
    try {
      const [pid] = p.pids();
      process.kill(pid!, "SIGKILL");
      expect(
        await p.ready().then(
          () => null,
          (e: unknown) => e,
        ),
      )
        .to.be.instanceOf(ProverError)
        .with.property("message")
        .that.includes("before it was ready");
      await new Promise((r) => setTimeout(r, 300));
      expect(p.pids()).to.deep.equal([]);
      expect(
        await p.prove(request(new Uint8Array(1))).then(
          () => null,
          (e: unknown) => e,
        ),
      ).to.be.instanceOf(ProverError);
    } finally {
      await p.close();
    }
  });

  it("rejects requests after close", async () => {
    const p = createProverPool();
    await p.close();
    const err = await p.prove(request(new Uint8Array(1))).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ProverError);
  });
});
