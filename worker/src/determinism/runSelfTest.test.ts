import { expect } from "chai";
import { makeFixtureModel } from "../../scripts/makeFixtureModel.ts";
import { createLlamaCppEngine } from "../engines/createLlamaCppEngine.ts";
import { createLlamaCppProcessEngine } from "../engines/createLlamaCppProcessEngine.ts";
import { OCTO_TINY_PATH } from "../models/octoTiny.ts";
import type { Engine, GenerateParameters, OnToken } from "../engines/types.ts";
import { runSelfTest } from "./runSelfTest.ts";

describe("determinism/runSelfTest (llama.cpp, fixture model)", function () {
  this.timeout(120_000);
  const { path } = makeFixtureModel();
  let oneThread: Engine;
  let oneThreadChild: Engine;
  let twoThreads: Engine;

  before(async () => {
    oneThread = await createLlamaCppEngine({ modelPath: path, contextSize: 256, threads: 1 });
    oneThreadChild = await createLlamaCppProcessEngine({ id: "child", modelPath: path, contextSize: 256, threads: 1 });
    twoThreads = await createLlamaCppEngine({ modelPath: path, contextSize: 256, threads: 2 });
  });
  after(async () => {
    await oneThread?.stop();
    await oneThreadChild?.stop();
    await twoThreads?.stop();
  });

  it("passes on llama.cpp: alone, concurrent and again alone give the same bytes and token counts", async () => {
    const result = await runSelfTest({ engine: oneThread, maxTokens: 24 });
    expect(result.mismatches).to.deep.equal([]);
    expect(result.passed).to.equal(true);
    expect(result.compared).to.equal(5 * 3); // five prompts, two concurrent rounds and one more run alone
    expect(result.engineVersion).to.match(/^node-llama-cpp@/);
  });

  it("compares the child-process engine with the in-process one, and 1 thread with 2, and reports any difference", async () => {
    // Two threads on a busy 2-core machine are slow: a few short prompts are enough to compare.
    const prompts = ["2 + 2 =", "List three prime numbers:"];
    const child = await runSelfTest({
      engine: oneThreadChild,
      prompts,
      maxTokens: 12,
      rounds: 1,
      reference: oneThread,
    });
    expect(child.passed).to.equal(true);
    expect(child.referenceMismatches).to.deep.equal([]);
    const threads = await runSelfTest({ engine: oneThread, prompts, maxTokens: 12, rounds: 1, reference: twoThreads });
    // Measured on this model: the thread count does not change its greedy output. The class still records threads,
    // because on larger models it can.
    expect(threads.referenceMismatches).to.deep.equal([]);
  });

  it("runs the prompts that fit a short context, each with the tokens its context leaves, and refuses when none fits", async () => {
    // octo-tiny holds 64 tokens; the fixture's context cannot be made that short.
    const short = await createLlamaCppEngine({ modelPath: OCTO_TINY_PATH, contextSize: 64, threads: 1 });
    try {
      const result = await runSelfTest({ engine: short, rounds: 1 });
      expect(result.passed).to.equal(true);
      expect(result.prompts).to.be.greaterThan(0).and.lessThan(5);
      let error: unknown;
      try {
        await runSelfTest({
          engine: short,
          prompts: [
            "a prompt far longer than the sixty-four tokens, bytes really, that this small engine's context can hold",
          ],
        });
      } catch (e) {
        error = e;
      }
      expect((error as Error).message).to.equal("no self-test prompt fits the engine's context of 64 tokens");
    } finally {
      await short.stop();
    }
  });

  it("fails, naming the prompt and the run, on an engine whose output depends on what runs beside it", async () => {
    // The real engine, wrapped so that a generation started while another is running decodes one token less: what
    // batch-dependent kernels do to a real server.
    let running = 0;
    const batchDependent: Engine = {
      ...oneThread,
      id: "batch-dependent",
      info: () => oneThread.info(),
      async generate(p: GenerateParameters, onToken?: OnToken) {
        const busy = running++ > 0;
        try {
          return await oneThread.generate({ ...p, maxTokens: busy ? p.maxTokens - 1 : p.maxTokens }, onToken);
        } finally {
          running--;
        }
      },
    };
    const result = await runSelfTest({ engine: batchDependent, maxTokens: 24, rounds: 1 });
    expect(result.passed).to.equal(false);
    expect(result.mismatches.length).to.be.greaterThan(0);
    expect(result.mismatches.every((m) => m.run === "concurrent round 1")).to.equal(true);
  });
});
