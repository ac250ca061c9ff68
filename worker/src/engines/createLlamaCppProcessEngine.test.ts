import { expect } from "chai";
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { makeFixtureModel } from "../../scripts/makeFixtureModel.ts";
import type { ChildEngine } from "./child/createChildEngine.ts";
import { createLlamaCppEngine } from "./createLlamaCppEngine.ts";
import { createLlamaCppProcessEngine } from "./createLlamaCppProcessEngine.ts";
import {
  EngineConfigError,
  EngineCrashedError,
  EngineUnavailableError,
  GenerationAbortedError,
  PromptTooLongError,
} from "./errors.ts";
import type { Engine, GenerationRecord, RestartRecord } from "./types.ts";

const PROMPT = "The quick brown fox";
const running = (pid: number) =>
  existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
const waitUntil = async (what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("createLlamaCppProcessEngine (llama.cpp in a supervised child process)", () => {
  const { path } = makeFixtureModel();
  let engine: ChildEngine;
  let inProcess: Engine;
  const records: GenerationRecord[] = [];
  const progress: number[] = [];

  before(async () => {
    engine = await createLlamaCppProcessEngine({
      modelPath: path,
      id: "fixture",
      contextSize: 256,
      onLoadProgress: (p) => progress.push(p),
      metrics: { generation: (r) => records.push(r) },
    });
    inProcess = await createLlamaCppEngine({ modelPath: path, contextSize: 256 });
  });
  after(async () => {
    await engine?.stop();
    await inProcess?.stop();
  });

  it("runs the engine in another process and reports the same engine, version and model", async () => {
    expect(engine.pid()).to.be.a("number").and.not.equal(process.pid);
    expect(engine.info()).to.deep.equal(inProcess.info());
    expect(await engine.health()).to.deep.equal({ healthy: true });
    expect(progress.at(-1)).to.equal(1);
  });

  it("generates exactly what the engine generates in-process, piece by piece", async () => {
    for (const prompt of [PROMPT, "héllo wörld 😀", "prompt 68"]) {
      const pieces: Array<[string, number]> = [];
      const expectedPieces: Array<[string, number]> = [];
      const result = await engine.generate({ prompt, maxTokens: 120, temperature: 0, seed: 0 }, (text, index) =>
        pieces.push([text, index]),
      );
      const expected = await inProcess.generate({ prompt, maxTokens: 120, temperature: 0, seed: 0 }, (text, index) =>
        expectedPieces.push([text, index]),
      );
      expect(result).to.deep.equal(expected);
      expect(pieces).to.deep.equal(expectedPieces);
    }
  });

  it("counts prompt tokens as the engine does, from the vocabulary in this process", async () => {
    for (const text of ["", "a", "héllo wörld 😀", PROMPT, "x".repeat(300)]) {
      expect(await engine.countTokens(text)).to.equal(await inProcess.countTokens(text));
      expect(await engine.countTokens(text)).to.equal(
        (
          await engine
            .generate({ prompt: text, maxTokens: 1, temperature: 0, seed: 0 })
            .catch((e: PromptTooLongError) => e)
        ).promptTokens,
      );
    }
  });

  it("keeps the error's class and fields across the process boundary", async () => {
    const error = await engine
      .generate({ prompt: "x".repeat(300), maxTokens: 8, temperature: 0, seed: 0 })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(PromptTooLongError);
    expect(error).to.deep.include({ promptTokens: 302, maxTokens: 8, contextSize: 256, fault: "input" });
  });

  it("aborts mid-stream with the partial text, then serves the next job unchanged", async () => {
    const expected = await engine.generate({ prompt: PROMPT, maxTokens: 200, temperature: 0, seed: 0 });
    const controller = new AbortController();
    const pieces: string[] = [];
    const error = await engine
      .generate({ prompt: PROMPT, maxTokens: 200, temperature: 0, seed: 0, signal: controller.signal }, (text) => {
        pieces.push(text);
        controller.abort();
      })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(GenerationAbortedError);
    expect((error as GenerationAbortedError).text.startsWith(pieces.join(""))).to.equal(true);
    expect((error as GenerationAbortedError).tokens).to.be.lessThan(200);
    expect(await engine.generate({ prompt: PROMPT, maxTokens: 200, temperature: 0, seed: 0 })).to.deep.equal(expected);
  });

  it("reports each generation to the metrics hook", async () => {
    records.length = 0;
    await engine.generate({ prompt: PROMPT, maxTokens: 5, temperature: 0, seed: 0 });
    expect(records).to.have.length(1);
    expect(records[0]).to.deep.include({ engineId: "fixture", tokens: 5, outcome: "length" });
  });

  it("fails creation with the engine's own error when the model cannot load", async () => {
    const missing = await createLlamaCppProcessEngine({ modelPath: "/nonexistent/model.gguf" }).catch(
      (e: unknown) => e,
    );
    expect(missing)
      .to.be.instanceOf(EngineUnavailableError)
      .with.property("reason")
      .that.includes("/nonexistent/model.gguf");
    const bad = await createLlamaCppProcessEngine({ modelPath: path, threads: 0 }).catch((e: unknown) => e);
    expect(bad).to.be.instanceOf(EngineConfigError).with.property("field", "threads");
  });

  it("pins the engine process to the CPUs it is given", async function () {
    if (process.platform !== "linux") this.skip();
    const pinned = await createLlamaCppProcessEngine({ modelPath: path, contextSize: 64, cpus: "0" });
    try {
      const status = readFileSync(`/proc/${pinned.pid()}/status`, "utf8");
      expect(status).to.match(/^Cpus_allowed_list:\s+0$/m);
      expect((await pinned.generate({ prompt: "a", maxTokens: 4, temperature: 0, seed: 0 })).tokens).to.equal(4);
    } finally {
      await pinned.stop();
    }
  });

  it("rejects a CPU list taskset cannot read, before starting anything", async () => {
    const error = await createLlamaCppProcessEngine({ modelPath: path, cpus: "first" }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(EngineConfigError).with.property("field", "cpus");
  });

  it("fails the running generation with EngineCrashedError when the process dies, restarts it, and serves again", async () => {
    const restarts: RestartRecord[] = [];
    const health: boolean[] = [];
    const crashing = await createLlamaCppProcessEngine({
      modelPath: path,
      contextSize: 256,
      supervision: { restartDelayMs: 50 },
      metrics: { restart: (r) => restarts.push(r), health: (_, h) => health.push(h) },
    });
    try {
      const expected = await crashing.generate({ prompt: PROMPT, maxTokens: 200, temperature: 0, seed: 0 });
      const firstPid = crashing.pid()!;
      const error = await crashing
        .generate({ prompt: PROMPT, maxTokens: 200, temperature: 0, seed: 0 }, () => process.kill(firstPid, "SIGKILL"))
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(EngineCrashedError).with.property("message").that.includes("SIGKILL");
      expect((await crashing.health()).healthy).to.equal(false);
      const refused = await crashing
        .generate({ prompt: PROMPT, maxTokens: 1, temperature: 0, seed: 0 })
        .catch((e: unknown) => e);
      expect(refused)
        .to.be.instanceOf(EngineUnavailableError)
        .with.property("reason")
        .that.matches(/is restarting/);
      await waitUntil("the engine is healthy again", async () => (await crashing.health()).healthy);
      expect(crashing.pid()).to.be.a("number").and.not.equal(firstPid);
      expect(await crashing.generate({ prompt: PROMPT, maxTokens: 200, temperature: 0, seed: 0 })).to.deep.equal(
        expected,
      );
      expect(crashing.restarts()).to.equal(1);
      expect(restarts).to.have.length(1);
      expect(restarts[0]).to.deep.include({ signal: "SIGKILL", crashes: 1 });
      expect(health).to.deep.equal([true, false, true]);
    } finally {
      await crashing.stop();
    }
  });

  it("gives up after too many deaths in the window and says why, instead of restarting forever", async () => {
    const dir = mkdtempSync(join(tmpdir(), "octo-engine-"));
    const modelPath = join(dir, "model.gguf");
    copyFileSync(path, modelPath);
    const failing = await createLlamaCppProcessEngine({
      modelPath,
      contextSize: 64,
      supervision: { restartDelayMs: 10, maxCrashes: 2 },
    });
    try {
      rmSync(modelPath); // every reload now fails, and a failed reload counts as a death
      process.kill(failing.pid()!, "SIGKILL");
      await waitUntil(
        "the engine gives up",
        async () =>
          (await failing.health()).healthy === false &&
          /^failed/.test(((await failing.health()) as { reason: string }).reason),
        60_000,
      );
      const h = (await failing.health()) as { reason: string; permanent?: boolean };
      expect(h.reason).to.include("crashes within").and.include("model file not readable");
      expect(h.permanent).to.equal(true); // the pipeline hands its jobs back rather than wait for their deadlines
      const error = await failing
        .generate({ prompt: "a", maxTokens: 1, temperature: 0, seed: 0 })
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(EngineUnavailableError);
    } finally {
      await failing.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }).timeout(120_000);

  it("ends the engine process on stop(), and refuses work after", async () => {
    const stopping = await createLlamaCppProcessEngine({ modelPath: path, contextSize: 64 });
    const pid = stopping.pid()!;
    await stopping.stop();
    await stopping.stop();
    expect(running(pid)).to.equal(false);
    expect(await stopping.health()).to.deep.include({ healthy: false, permanent: false }); // stopped for a restart, not broken
    const error = await stopping
      .generate({ prompt: "a", maxTokens: 1, temperature: 0, seed: 0 })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(EngineUnavailableError);
  });

  it("lets the generations already asked finish on stop(), and refuses new ones", async () => {
    const stopping = await createLlamaCppProcessEngine({ modelPath: path, contextSize: 256 });
    const expected = await inProcess.generate({ prompt: PROMPT, maxTokens: 200, temperature: 0, seed: 0 });
    const generating = stopping.generate({ prompt: PROMPT, maxTokens: 200, temperature: 0, seed: 0 });
    const stopped = stopping.stop();
    const refused = await stopping
      .generate({ prompt: PROMPT, maxTokens: 1, temperature: 0, seed: 0 })
      .catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(EngineUnavailableError);
    expect(await generating).to.deep.equal(expected);
    await stopped;
  });

  it("leaves no engine process behind when the worker's process is killed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "octo-engine-"));
    const script = join(dir, "host.ts");
    writeFileSync(
      script,
      `import { createLlamaCppProcessEngine } from ${JSON.stringify(new URL("./createLlamaCppProcessEngine.ts", import.meta.url).pathname)};
       const e = await createLlamaCppProcessEngine({ modelPath: ${JSON.stringify(path)}, contextSize: 64 });
       console.log(e.pid());
       setInterval(() => {}, 1000);`,
    );
    const host = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const enginePid = Number(
        await new Promise<string>((resolve) => createInterface({ input: host.stdout! }).once("line", resolve)),
      );
      expect(running(enginePid)).to.equal(true);
      host.kill("SIGKILL");
      await waitUntil("the orphaned engine process exits", () => !running(enginePid));
    } finally {
      host.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
