// createVllmEngine end to end, with a stand-in `vllm` executable: it records the argv it was given and serves the
// fixture through openaiCompatServer on the host/port/name that argv asks for. What is checked is our side: the
// command we launch, the server we wait for, the API we speak.
import { expect } from "chai";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeFixtureModel } from "../../scripts/makeFixtureModel.ts";
import { createVllmEngine } from "./createVllmEngine.ts";
import { runSelfTest } from "../determinism/runSelfTest.ts";
import { vllmCommandLine } from "./vllmCommandLine.ts";

const SERVER = new URL("./openaiCompatServer.ts", import.meta.url).pathname;

describe("createVllmEngine (stand-in vllm executable)", () => {
  const { path } = makeFixtureModel();
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "octo-vllm-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("launches `vllm serve` with the configured argv, waits for it, and generates through it", async () => {
    const argvFile = join(dir, "argv.json");
    const envFile = join(dir, "env.json");
    const shim = join(dir, "vllm");
    writeFileSync(
      shim,
      `#!${process.execPath}
const fs = require("node:fs");
const argv = process.argv.slice(2);
fs.writeFileSync(${JSON.stringify(argvFile)}, JSON.stringify(argv));
fs.writeFileSync(${JSON.stringify(envFile)}, JSON.stringify({ VLLM_BATCH_INVARIANT: process.env.VLLM_BATCH_INVARIANT ?? null }));
const flag = (name) => argv[argv.indexOf(name) + 1];
const { spawn } = require("node:child_process");
const child = spawn(process.execPath, [${JSON.stringify(SERVER)}, "--model", argv[1], "--host", flag("--host"), "--port", flag("--port"),
  "--served-model-name", flag("--served-model-name"), "--context-size", flag("--max-model-len")], { stdio: "inherit" });
process.on("SIGTERM", () => child.kill("SIGTERM"));
child.on("exit", (code) => process.exit(code ?? 1));
`,
    );
    chmodSync(shim, 0o755);
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const vllm = {
      model: path,
      servedModelName: "fixture-7b",
      executable: shim,
      port,
      seed: 0,
      maxModelLen: 512,
      tensorParallelSize: 1,
      gpuMemoryUtilization: 0.9,
      batchInvariant: true,
    };
    const engine = await createVllmEngine({ vllm, pollIntervalMs: 50 });
    try {
      expect(JSON.parse(readFileSync(argvFile, "utf8"))).to.deep.equal(vllmCommandLine(vllm).args);
      // A verifiable offer's server runs with batch-invariant kernels.
      expect(JSON.parse(readFileSync(envFile, "utf8"))).to.deep.equal({ VLLM_BATCH_INVARIANT: "1" });
      expect(engine.id).to.equal("fixture-7b");
      expect(engine.info()).to.deep.include({ engine: "vllm", model: "fixture-7b", contextSize: 512 });
      const result = await engine.generate({ prompt: "hello", maxTokens: 10, temperature: 0, seed: 0 });
      expect(result).to.deep.include({ tokens: 10, finishReason: "length", promptTokens: 7 });
      expect(await engine.health()).to.deep.equal({ healthy: true });
      // The self-test runs through the server's HTTP API as it would on a GPU host.
      const selfTest = await runSelfTest({ engine, prompts: ["hello", "2 + 2 ="], maxTokens: 8, rounds: 1 });
      expect(selfTest).to.deep.include({ passed: true, compared: 4 });
    } finally {
      await engine.stop();
    }
    expect(engine.supervisor.state()).to.equal("stopped");
  });
});
