import { expect } from "chai";
import { makeFixtureModel } from "../../scripts/makeFixtureModel.ts";
import { createLlamaCppEngine } from "../engines/createLlamaCppEngine.ts";
import { GenerationAbortedError } from "../engines/errors.ts";
import type { Engine } from "../engines/types.ts";
import { startGeneration } from "./startGeneration.ts";

describe("startGeneration", () => {
  let engine: Engine;
  before(async () => {
    engine = await createLlamaCppEngine({ modelPath: makeFixtureModel().path, contextSize: 256 });
  });
  after(() => engine?.stop());
  const request = { prompt: "The quick brown fox", maxTokens: 60, temperature: 0, seed: 0 };

  it("gives a follower who comes late every piece, in order, then the rest as they come", async () => {
    const generation = startGeneration(engine, request);
    const early: Array<[string, number]> = [];
    generation.follow((piece, index) => early.push([piece, index]));
    await new Promise((r) => setTimeout(r, 5));
    const late: Array<[string, number]> = [];
    generation.follow((piece, index) => late.push([piece, index]));
    const result = await generation.done;
    expect(late).to.deep.equal(early);
    expect(early.map(([, i]) => i)).to.deep.equal(early.map((_, i) => i));
    expect(early.map(([p]) => p).join("")).to.equal(result.text);
  });

  it("produces what the engine produces when called directly", async () => {
    expect(await startGeneration(engine, request).done).to.deep.equal(await engine.generate(request));
  });

  it("stops on abort with GenerationAbortedError, and an abort nobody awaits is not an unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const awaited = startGeneration(engine, request);
      awaited.abort();
      expect(await awaited.done.catch((e: unknown) => e)).to.be.instanceOf(GenerationAbortedError);
      startGeneration(engine, request).abort(); // a speculation dropped with nobody waiting
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).to.deep.equal([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
