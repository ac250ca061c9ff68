// The supervisor and the OpenAI-compatible client, tested for real: a real subprocess (our openaiCompatServer serving
// the fixture model with the llama.cpp engine) speaking the API vLLM speaks, killed, crash-looped and drained for real.
import { expect } from "chai";
import { createServer } from "node:net";
import { makeFixtureModel } from "../../scripts/makeFixtureModel.ts";
import { createLlamaCppEngine } from "./createLlamaCppEngine.ts";
import { createOpenAiServerEngine, type OpenAiServerEngine } from "./createOpenAiServerEngine.ts";
import {
  EngineCrashedError,
  EngineStartError,
  EngineTimeoutError,
  EngineUnavailableError,
  GenerationAbortedError,
  PromptTooLongError,
} from "./errors.ts";
import { requestJson } from "./requestJson.ts";
import { streamCompletion } from "./streamCompletion.ts";
import { superviseServer } from "./superviseServer.ts";
import type { Engine, EngineLogger, RestartRecord } from "./types.ts";

const SERVER = new URL("./openaiCompatServer.ts", import.meta.url).pathname;
const MODEL = "fixture";
const CONTEXT = 2048;
const PROMPT = "The quick brown fox";
/** A prompt on which the fixture runs 2000 tokens without emitting </s>: a long stream to interrupt. */
const LONG_PROMPT = "benchmark";

type LogLine = { level: string; obj: Record<string, unknown>; msg: string | undefined };
function memoryLogger(lines: LogLine[]): EngineLogger {
  const at = (level: string) => (obj: object, msg?: string) =>
    lines.push({ level, obj: obj as Record<string, unknown>, msg });
  return { info: at("info"), warn: at("warn"), error: at("error") };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("OpenAI-compatible server engine (supervised subprocess)", function () {
  const { path } = makeFixtureModel();
  let direct: Engine;
  let engine: OpenAiServerEngine;
  let port: number;
  const logs: LogLine[] = [];
  const restarts: RestartRecord[] = [];
  const health: boolean[] = [];

  before(async () => {
    direct = await createLlamaCppEngine({ modelPath: path, contextSize: CONTEXT });
    port = await freePort();
    engine = await createOpenAiServerEngine({
      id: "fixture-http",
      engine: "vllm",
      command: process.execPath,
      args: [
        SERVER,
        "--model",
        path,
        "--port",
        String(port),
        "--served-model-name",
        MODEL,
        "--context-size",
        String(CONTEXT),
      ],
      baseUrl: `http://127.0.0.1:${port}`,
      model: MODEL,
      startTimeoutMs: 30_000,
      pollIntervalMs: 50,
      restartDelayMs: 200,
      killGraceMs: 2000,
      idleTimeoutMs: 1000,
      livenessIntervalMs: 300,
      livenessFailures: 2,
      logger: memoryLogger(logs),
      metrics: { restart: (r) => restarts.push(r), health: (_, h) => health.push(h) },
    });
  });
  afterEach(function () {
    // The server's own output, to tell a slow machine from a stuck server when something fails.
    if (this.currentTest?.state === "failed")
      console.log(
        logs
          .slice(-30)
          .map((l) => `${l.level} ${JSON.stringify(l.obj)} ${l.msg ?? ""}`)
          .join("\n"),
      );
  });
  after(async () => {
    await engine?.stop();
    await direct?.stop();
  });

  it("starts the server, waits for health, and forwards its output to the logger", async () => {
    expect(engine.supervisor.state()).to.equal("ready");
    expect(await engine.health()).to.deep.equal({ healthy: true });
    expect(engine.info()).to.deep.include({ model: MODEL, contextSize: CONTEXT });
    expect(engine.info().version).to.match(/^vllm@node-llama-cpp@3\.22\.1/);
    expect(logs.some((l) => l.obj.stream === "stdout" && /openaiCompatServer: serving/.test(l.msg ?? ""))).to.equal(
      true,
    );
    expect(health).to.deep.equal([true]);
  });

  it("streams a completion equal to the llama.cpp engine's direct output", async () => {
    for (const prompt of [PROMPT, "héllo wörld 😀", "prompt 68"]) {
      const viaHttp: string[] = [];
      const viaDirect: string[] = [];
      const a = await engine.generate({ prompt, maxTokens: 48, temperature: 0, seed: 3 }, (t) => viaHttp.push(t));
      const b = await direct.generate({ prompt, maxTokens: 48, temperature: 0, seed: 3 }, (t) => viaDirect.push(t));
      expect(a).to.deep.equal(b);
      expect(viaHttp).to.deep.equal(viaDirect);
    }
    expect(await engine.countTokens("héllo")).to.equal(await direct.countTokens("héllo"));
  });

  it("sends sampling (temperature, top_p, seed) with the request: sampled output equals the engine's own", async () => {
    // vLLM takes the same three fields; here the server is ours, over the same llama.cpp engine as `direct`.
    for (const sampling of [
      { temperature: 1.5, seed: 11 },
      { temperature: 1.5, topP: 1e-6, seed: 11 },
    ]) {
      const a = await engine.generate({ prompt: PROMPT, maxTokens: 24, ...sampling });
      const b = await direct.generate({ prompt: PROMPT, maxTokens: 24, ...sampling });
      expect(a, JSON.stringify(sampling)).to.deep.equal(b);
    }
    // top_p reached the engine: a one-token nucleus decodes as greedy does, where the full one does not.
    const greedy = await engine.generate({ prompt: PROMPT, maxTokens: 24, temperature: 0, seed: 11 });
    const narrow = await engine.generate({ prompt: PROMPT, maxTokens: 24, temperature: 1.5, topP: 1e-6, seed: 11 });
    const wide = await engine.generate({ prompt: PROMPT, maxTokens: 24, temperature: 1.5, seed: 11 });
    expect(narrow.text).to.equal(greedy.text);
    expect(wide.text).to.not.equal(greedy.text);
  });

  it("answers a non-streaming completion with the same text and usage", async () => {
    const expected = await direct.generate({ prompt: PROMPT, maxTokens: 20, temperature: 0, seed: 0 });
    const res = await requestJson({
      url: `http://127.0.0.1:${port}/v1/completions`,
      method: "POST",
      timeoutMs: 5000,
      body: { model: MODEL, prompt: PROMPT, max_tokens: 20, temperature: 0, seed: 0 },
    });
    expect(res.status).to.equal(200);
    expect(res.json).to.deep.include({ object: "text_completion", model: MODEL });
    expect((res.json as { choices: unknown[] }).choices[0]).to.deep.include({
      text: expected.text,
      finish_reason: "length",
    });
    expect((res.json as { usage: unknown }).usage).to.deep.equal({
      prompt_tokens: expected.promptTokens,
      completion_tokens: 20,
      total_tokens: expected.promptTokens + 20,
    });
  });

  it("aborts a streaming request: the caller gets GenerationAbortedError at once and the server stops generating", async () => {
    const controller = new AbortController();
    const pieces: string[] = [];
    let abortedAt = 0;
    const error = await engine
      .generate({ prompt: LONG_PROMPT, maxTokens: 2000, temperature: 0, seed: 0, signal: controller.signal }, (t) => {
        pieces.push(t);
        if (pieces.length === 3) {
          controller.abort();
          abortedAt = performance.now();
        }
      })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(GenerationAbortedError);
    expect((error as GenerationAbortedError).text).to.equal(pieces.join(""));
    expect(performance.now() - abortedAt).to.be.below(200);
    // The server saw the disconnect and freed its engine: a short job right after is not stuck behind 2000 tokens.
    // (Finishing the 2000 tokens first would take over a second; the next job takes milliseconds.)
    const started = performance.now();
    expect((await engine.generate({ prompt: PROMPT, maxTokens: 4, temperature: 0, seed: 0 })).tokens).to.equal(4);
    expect(performance.now() - started).to.be.below(1000);
  });

  it("rejects a prompt that does not fit before generating, and maps the server's own 400 the same way", async () => {
    const prompt = "x".repeat(CONTEXT);
    const error = await engine.generate({ prompt, maxTokens: 8, temperature: 0, seed: 0 }).catch((e: unknown) => e);
    expect(error)
      .to.be.instanceOf(PromptTooLongError)
      .that.deep.includes({ promptTokens: CONTEXT + 2, contextSize: CONTEXT, fault: "input" });
    // Straight to /v1/completions, skipping the /tokenize check: vLLM's error message is parsed.
    const raw = await streamCompletion({
      baseUrl: `http://127.0.0.1:${port}`,
      model: MODEL,
      prompt,
      maxTokens: 8,
      temperature: 0,
      seed: 0,
      firstTokenTimeoutMs: 5000,
      idleTimeoutMs: 5000,
    }).catch((e: unknown) => e);
    expect(raw)
      .to.be.instanceOf(PromptTooLongError)
      .that.deep.includes({ promptTokens: CONTEXT + 2, maxTokens: 8, contextSize: CONTEXT });
  });

  it("fails an in-flight request promptly when the server is killed (-9), then restarts it with back-off and serves again", async () => {
    const expected = await direct.generate({ prompt: PROMPT, maxTokens: 16, temperature: 0, seed: 0 });
    const pid = engine.supervisor.pid()!;
    let killedAt = 0;
    const error = await engine
      .generate({ prompt: LONG_PROMPT, maxTokens: 2000, temperature: 0, seed: 0 }, (_, index) => {
        if (index === 0) {
          process.kill(pid, "SIGKILL");
          killedAt = performance.now();
        }
      })
      .catch((e: unknown) => e);
    const failedAfterMs = performance.now() - killedAt;
    expect(error).to.be.instanceOf(EngineCrashedError);
    expect(failedAfterMs).to.be.below(2000);
    expect(await engine.health()).to.have.property("healthy", false);

    // The broken connection may reach us before the exit does; the supervisor notices the exit within moments.
    await until(() => restarts.length === 1, 2000);
    await engine.supervisor.ready(30_000);
    expect(engine.supervisor.pid()).to.not.equal(pid);
    expect(restarts).to.have.length(1);
    expect(restarts[0]).to.deep.include({ engineId: "fixture-http", signal: "SIGKILL", crashes: 1, delayMs: 200 });
    expect(health).to.deep.equal([true, false, true]);
    expect(await engine.generate({ prompt: PROMPT, maxTokens: 16, temperature: 0, seed: 0 })).to.deep.equal(expected);
  });

  it("a request made during the restart waits for the server instead of failing", async () => {
    process.kill(engine.supervisor.pid()!, "SIGKILL");
    await until(() => engine.supervisor.state() !== "ready", 2000);
    const result = await engine.generate({ prompt: PROMPT, maxTokens: 8, temperature: 0, seed: 0 });
    expect(result.tokens).to.equal(8);
    expect(restarts.map((r) => r.delayMs)).to.deep.equal([200, 400]); // second crash in the window: doubled
  });

  it("times out a stream that goes silent (server frozen with SIGSTOP), and the watchdog restarts the hung server", async () => {
    const pid = engine.supervisor.pid()!;
    let frozenAt = 0;
    const error = await engine
      .generate({ prompt: LONG_PROMPT, maxTokens: 2000, temperature: 0, seed: 0 }, (_, index) => {
        if (index === 0) {
          process.kill(pid, "SIGSTOP");
          frozenAt = performance.now();
        }
      })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(EngineTimeoutError).with.property("timeoutMs", 1000);
    expect(performance.now() - frozenAt).to.be.within(900, 2500);
    await until(() => restarts.length === 3, 5000); // 2 failed probes × 300 ms, then SIGKILL
    expect(restarts[2]).to.deep.include({ signal: "SIGKILL", crashes: 3, delayMs: 800 });
    expect(alive(pid)).to.equal(false);
    await engine.supervisor.ready(30_000);
    expect((await engine.generate({ prompt: PROMPT, maxTokens: 4, temperature: 0, seed: 0 })).tokens).to.equal(4);
  });

  it("drains the in-flight request on shutdown, then stops the server", async () => {
    const pid = engine.supervisor.pid()!;
    const expected = await direct.generate({ prompt: LONG_PROMPT, maxTokens: 1000, temperature: 0, seed: 0 });
    expect(expected).to.deep.include({ tokens: 1000, finishReason: "length" });
    const pieces: string[] = [];
    let stopped: Promise<void> | undefined;
    const running = engine.generate({ prompt: LONG_PROMPT, maxTokens: 1000, temperature: 0, seed: 0 }, (t) => {
      pieces.push(t);
      if (pieces.length === 1) stopped = engine.stop();
    });
    expect(await running).to.deep.equal(expected);
    expect(engine.supervisor.state()).to.not.equal("stopped"); // the request finished first
    await stopped;
    expect(engine.supervisor.state()).to.equal("stopped");
    expect(alive(pid)).to.equal(false);
    const after = await engine
      .generate({ prompt: PROMPT, maxTokens: 1, temperature: 0, seed: 0 })
      .catch((e: unknown) => e);
    expect(after).to.be.instanceOf(EngineUnavailableError);
    expect(await engine.health()).to.deep.include({ healthy: false, permanent: false }); // stopped for a restart, not broken
  });
});

describe("superviseServer failure modes", () => {
  it("gives up on a command that exits at once every time, with back-off, and reports why", async () => {
    const restarts: RestartRecord[] = [];
    const supervisor = superviseServer({
      id: "dies",
      command: process.execPath,
      args: ["-e", "process.exit(3)"],
      baseUrl: "http://127.0.0.1:9",
      model: "m",
      restartDelayMs: 50,
      maxCrashes: 3,
      crashWindowMs: 60_000,
      metrics: { restart: (r) => restarts.push(r) },
    });
    const started = performance.now();
    const error = await supervisor.start().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(EngineStartError);
    expect((error as Error).message).to.match(/crash loop: 4 exits .* exit code 3/);
    expect(supervisor.state()).to.equal("failed");
    expect(restarts.map((r) => r.delayMs)).to.deep.equal([50, 100, 200]);
    expect(performance.now() - started).to.be.above(350);
    const ready = await supervisor.ready(1000).catch((e: unknown) => e);
    expect(ready).to.be.instanceOf(EngineUnavailableError);
    expect((ready as Error).message).to.match(/crash loop/);
    await supervisor.stop();
  });

  it("fails at once, without restarting, when the command cannot be run", async () => {
    const restarts: RestartRecord[] = [];
    const supervisor = superviseServer({
      id: "missing",
      command: "/nonexistent/bin/vllm",
      args: ["serve", "m"],
      baseUrl: "http://127.0.0.1:9",
      model: "m",
      restartDelayMs: 50,
      metrics: { restart: (r) => restarts.push(r) },
    });
    const error = await supervisor.start().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(EngineStartError);
    expect((error as Error).message).to.match(/cannot run \/nonexistent\/bin\/vllm: .*ENOENT/);
    expect(restarts).to.have.length(0);
    await supervisor.stop();
  });

  it("times out a server that never becomes healthy, with a clear error, and kills it", async function () {
    this.timeout(20_000);
    const port = await freePort();
    const script = `require("node:http").createServer((q, s) => s.writeHead(503).end()).listen(${port}, "127.0.0.1")`;
    const lines: LogLine[] = [];
    const supervisor = superviseServer({
      id: "sick",
      command: process.execPath,
      args: ["-e", script],
      baseUrl: `http://127.0.0.1:${port}`,
      model: "m",
      startTimeoutMs: 1000,
      pollIntervalMs: 50,
      restartDelayMs: 50,
      logger: memoryLogger(lines),
    });
    const starting = supervisor.start();
    await until(() => supervisor.pid() !== undefined, 2000);
    const pid = supervisor.pid()!;
    const error = await starting.catch((e: unknown) => e);
    if (!(error instanceof EngineStartError) || alive(pid)) console.log(lines);
    expect(error).to.be.instanceOf(EngineStartError);
    expect((error as Error).message).to.match(/did not become healthy at http:\/\/127\.0\.0\.1:\d+ within 1000 ms/);
    expect(alive(pid)).to.equal(false);
    await supervisor.stop();
  });

  it("escalates to SIGKILL when the server ignores SIGTERM", async () => {
    const port = await freePort();
    const script = `process.on("SIGTERM", () => {});
      require("node:http").createServer((q, s) => q.url === "/v1/models" ? s.end(JSON.stringify({ data: [{ id: "m" }] })) : s.end()).listen(${port}, "127.0.0.1")`;
    const supervisor = superviseServer({
      id: "stubborn",
      command: process.execPath,
      args: ["-e", script],
      baseUrl: `http://127.0.0.1:${port}`,
      model: "m",
      pollIntervalMs: 50,
      killGraceMs: 300,
    });
    await supervisor.start();
    const pid = supervisor.pid()!;
    const started = performance.now();
    await supervisor.stop();
    expect(performance.now() - started).to.be.within(250, 3000);
    expect(alive(pid)).to.equal(false);
  });
});
