import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { makeFixtureModel } from "../../scripts/makeFixtureModel.ts";
import { createLlamaCppEngine } from "./createLlamaCppEngine.ts";
import {
  EngineConfigError,
  EngineRequestError,
  EngineUnavailableError,
  GenerationAbortedError,
  PromptTooLongError,
} from "./errors.ts";
import type { Engine, GenerationRecord } from "./types.ts";

const PROMPT = "The quick brown fox";
/** A prompt on which the fixture emits </s> after 9 text tokens (found by search; see fixtureModelBytes.ts). */
const STOPPING_PROMPT = "prompt 68";

describe("createLlamaCppEngine (fixture model, threads: 1)", () => {
  const { path } = makeFixtureModel();
  let engine: Engine;
  const records: GenerationRecord[] = [];
  const progress: number[] = [];

  before(async () => {
    engine = await createLlamaCppEngine({
      modelPath: path,
      id: "fixture",
      contextSize: 256,
      onLoadProgress: (p) => progress.push(p),
      metrics: { generation: (r) => records.push(r) },
    });
  });
  after(() => engine?.stop());

  it("reports its engine, exact version and model", () => {
    expect(engine.info()).to.deep.include({ engine: "llama.cpp", model: "octo-fixture-llama", contextSize: 256 });
    expect(engine.info().version).to.match(/^node-llama-cpp@3\.22\.1\+llama\.cpp@\S+\/cpu$/);
    expect(progress.at(-1)).to.equal(1);
  });

  it("decodes greedily and deterministically: two loads give identical outputs", async () => {
    const other = await createLlamaCppEngine({ modelPath: path, contextSize: 256 });
    try {
      for (const prompt of [PROMPT, "héllo wörld 😀", "a"]) {
        const a = await engine.generate({ prompt, maxTokens: 32, temperature: 0, seed: 1 });
        const b = await other.generate({ prompt, maxTokens: 32, temperature: 0, seed: 99 });
        expect(b).to.deep.equal(a);
        expect(a.text).to.have.length.greaterThan(0);
      }
    } finally {
      await other.stop();
    }
  });

  it("gives the same output in a fresh process", async () => {
    const here = await engine.generate({ prompt: PROMPT, maxTokens: 24, temperature: 0, seed: 0 });
    const script = `
      import { createLlamaCppEngine } from ${JSON.stringify(new URL("./createLlamaCppEngine.ts", import.meta.url).pathname)};
      const e = await createLlamaCppEngine({ modelPath: ${JSON.stringify(path)}, contextSize: 256 });
      console.log(JSON.stringify(await e.generate({ prompt: ${JSON.stringify(PROMPT)}, maxTokens: 24, temperature: 0, seed: 0 })));
      await e.stop();`;
    // A script file, not `node -e`: node-llama-cpp re-runs process.execArgv to test its binding.
    const file = join(mkdtempSync(join(tmpdir(), "octo-engine-")), "generate.ts");
    writeFileSync(file, script);
    const out = execFileSync(process.execPath, [file], { encoding: "utf8" });
    rmSync(dirname(file), { recursive: true, force: true });
    expect(JSON.parse(out.trim().split("\n").at(-1)!)).to.deep.equal(here);
  });

  it("does not depend on earlier jobs (each job starts from an empty context)", async () => {
    const first = await engine.generate({ prompt: PROMPT, maxTokens: 16, temperature: 0, seed: 0 });
    await engine.generate({ prompt: "something else entirely", maxTokens: 16, temperature: 0, seed: 0 });
    expect(await engine.generate({ prompt: PROMPT, maxTokens: 16, temperature: 0, seed: 0 })).to.deep.equal(first);
  });

  it("streams pieces, in order, that concatenate to the final text", async () => {
    const pieces: Array<[string, number]> = [];
    const result = await engine.generate({ prompt: PROMPT, maxTokens: 40, temperature: 0, seed: 0 }, (text, index) =>
      pieces.push([text, index]),
    );
    expect(pieces.length).to.be.greaterThan(1);
    expect(pieces.map(([, i]) => i)).to.deep.equal(pieces.map((_, i) => i));
    expect(pieces.map(([t]) => t).join("")).to.equal(result.text);
  });

  it("respects maxTokens and reports finishReason length", async () => {
    for (const maxTokens of [1, 7, 50]) {
      const result = await engine.generate({ prompt: PROMPT, maxTokens, temperature: 0, seed: 0 });
      expect(result).to.deep.include({ tokens: maxTokens, finishReason: "length" });
    }
    const long = await engine.generate({ prompt: PROMPT, maxTokens: 50, temperature: 0, seed: 0 });
    const short = await engine.generate({ prompt: PROMPT, maxTokens: 7, temperature: 0, seed: 0 });
    expect(long.text.startsWith(short.text)).to.equal(true);
  });

  it("stops at end-of-generation with finishReason stop, counting the </s> token", async () => {
    const result = await engine.generate({ prompt: STOPPING_PROMPT, maxTokens: 64, temperature: 0, seed: 0 });
    expect(result).to.deep.include({ finishReason: "stop", tokens: 10 });
    expect(result.text).to.not.include("</s>");
  });

  it("counts prompt tokens as generate does: BOS + one per UTF-8 byte, spaces as one token", async () => {
    expect(await engine.countTokens("a")).to.equal(3); // <s> ▁ a
    expect(await engine.countTokens("héllo")).to.equal(8); // <s> ▁ h 0xC3 0xA9 l l o
    const result = await engine.generate({ prompt: "héllo", maxTokens: 1, temperature: 0, seed: 0 });
    expect(result.promptTokens).to.equal(8);
  });

  it("rejects a prompt that does not fit, before generating anything", async () => {
    let called = 0;
    const prompt = "x".repeat(300);
    const error = await engine
      .generate({ prompt, maxTokens: 8, temperature: 0, seed: 0 }, () => called++)
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(PromptTooLongError);
    expect(error).to.deep.include({ promptTokens: 302, maxTokens: 8, contextSize: 256, fault: "input" });
    expect(called).to.equal(0);
    // Prompt fits alone but not with the requested output:
    const tight = await engine
      .generate({ prompt: "x".repeat(200), maxTokens: 60, temperature: 0, seed: 0 })
      .catch((e: unknown) => e);
    expect(tight).to.be.instanceOf(PromptTooLongError);
    // Exactly full is allowed:
    const full = await engine.generate({ prompt: "x".repeat(200), maxTokens: 54, temperature: 0, seed: 0 });
    expect(full.promptTokens + full.tokens).to.be.at.most(256);
  });

  it("aborts mid-stream with the partial text, then serves the next job unchanged", async () => {
    const expected = await engine.generate({ prompt: PROMPT, maxTokens: 40, temperature: 0, seed: 0 });
    const controller = new AbortController();
    const pieces: string[] = [];
    const error = await engine
      .generate({ prompt: PROMPT, maxTokens: 40, temperature: 0, seed: 0, signal: controller.signal }, (text) => {
        pieces.push(text);
        if (pieces.length === 3) controller.abort();
      })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(GenerationAbortedError);
    expect((error as GenerationAbortedError).text).to.equal(pieces.join(""));
    expect(pieces.length).to.equal(3);
    expect(await engine.generate({ prompt: PROMPT, maxTokens: 40, temperature: 0, seed: 0 })).to.deep.equal(expected);
  });

  it("rejects at once when aborted before it starts", async () => {
    const error = await engine
      .generate({ prompt: PROMPT, maxTokens: 8, temperature: 0, seed: 0, signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(GenerationAbortedError).with.property("tokens", 0);
  });

  it("queues overlapping jobs and gives each the result it would get alone", async () => {
    const prompts = ["one", "two", "three"];
    const alone = [];
    for (const prompt of prompts) alone.push(await engine.generate({ prompt, maxTokens: 12, temperature: 0, seed: 0 }));
    const together = await Promise.all(
      prompts.map((prompt) => engine.generate({ prompt, maxTokens: 12, temperature: 0, seed: 0 })),
    );
    expect(together).to.deep.equal(alone);
  });

  it("samples reproducibly with temperature > 0 and a fixed seed", async () => {
    const a = await engine.generate({ prompt: PROMPT, maxTokens: 24, temperature: 0.9, seed: 42 });
    const b = await engine.generate({ prompt: PROMPT, maxTokens: 24, temperature: 0.9, seed: 42 });
    const greedy = await engine.generate({ prompt: PROMPT, maxTokens: 24, temperature: 0, seed: 42 });
    expect(b).to.deep.equal(a);
    expect(a.text).to.not.equal(greedy.text);
  });

  it("samples within topP: a nucleus of one token decodes as greedy does, even at a high temperature", async () => {
    const greedy = await engine.generate({ prompt: PROMPT, maxTokens: 24, temperature: 0, seed: 42 });
    const wide = await engine.generate({ prompt: PROMPT, maxTokens: 24, temperature: 1.5, topP: 1, seed: 42 });
    const narrow = await engine.generate({ prompt: PROMPT, maxTokens: 24, temperature: 1.5, topP: 1e-6, seed: 42 });
    expect(wide.text).to.not.equal(greedy.text);
    expect(narrow.text).to.equal(greedy.text);
  });

  it("refuses a topP outside (0, 1]", async () => {
    for (const topP of [0, 1.5])
      await engine.generate({ prompt: PROMPT, maxTokens: 4, temperature: 1, topP, seed: 1 }).then(
        () => expect.fail(`topP ${topP} was accepted`),
        (error: unknown) => expect(error).to.be.instanceOf(EngineRequestError),
      );
  });

  it("reports each generation to the metrics hook", async () => {
    records.length = 0;
    await engine.generate({ prompt: PROMPT, maxTokens: 5, temperature: 0, seed: 0 });
    expect(records).to.have.length(1);
    expect(records[0]).to.deep.include({ engineId: "fixture", tokens: 5, promptTokens: 21, outcome: "length" });
    expect(records[0]!.seconds).to.be.greaterThan(0);
  });

  it("fails clearly on a missing model file or bad config", async () => {
    const missing = await createLlamaCppEngine({ modelPath: "/nonexistent/model.gguf" }).catch((e: unknown) => e);
    expect(missing).to.be.instanceOf(EngineUnavailableError);
    const bad = await createLlamaCppEngine({ modelPath: path, threads: 0 }).catch((e: unknown) => e);
    expect(bad).to.be.instanceOf(EngineConfigError).with.property("field", "threads");
  });

  it("is unavailable after stop()", async () => {
    const other = await createLlamaCppEngine({ modelPath: path, contextSize: 64 });
    await other.stop();
    await other.stop();
    expect(await other.health()).to.deep.equal({ healthy: false, reason: "stopped" });
    const error = await other.generate({ prompt: "a", maxTokens: 1, temperature: 0, seed: 0 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(EngineUnavailableError);
  });
});
