import { expect } from "chai";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeFixtureModel } from "../../scripts/makeFixtureModel.ts";
import { modelOfferSchema, type ModelOffer } from "../config/configSchema.ts";
import { createEngines } from "../daemon/createEngines.ts";
import { EngineConfigError } from "../engines/errors.ts";
import { assertVerifiableEngine, offerClass } from "./offerClass.ts";
import { readGpus } from "./readGpus.ts";

const MODEL_ID = `0x${"ab".repeat(32)}`;
const TOKEN = `0x${"cd".repeat(20)}`;
const offer = (engine: Record<string, unknown>, verifiable?: boolean): ModelOffer =>
  modelOfferSchema.parse({
    modelId: MODEL_ID,
    engine,
    paymentToken: TOKEN,
    pricePerToken: "1",
    maxContext: 4096,
    ...(verifiable === undefined ? {} : { verifiable }),
  });
const quietLogger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

describe("determinism/offerClass", () => {
  let dir: string;
  /** A stand-in nvidia-smi printing the given CSV lines, as the driver's would. */
  const nvidiaSmi = (lines: string[]) => {
    const path = join(dir, `nvidia-smi-${lines.length}-${Math.random().toString(36).slice(2)}`);
    writeFileSync(path, `#!/bin/sh\nprintf '${lines.join("\\n")}\\n'\n`);
    chmodSync(path, 0o755);
    return path;
  };
  before(() => (dir = mkdtempSync(join(tmpdir(), "octo-class-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the GPUs and their compute capability from nvidia-smi, and none when it is missing", () => {
    expect(readGpus({ nvidiaSmi: nvidiaSmi(["NVIDIA H200, 9.0", "NVIDIA H200, 9.0"]) })).to.deep.equal([
      { name: "NVIDIA H200", computeCapability: 9 },
      { name: "NVIDIA H200", computeCapability: 9 },
    ]);
    expect(readGpus({ nvidiaSmi: join(dir, "no-such-binary") })).to.deep.equal([]);
  });

  it("refuses a verifiable vLLM offer on a GPU without batch-invariant kernels, naming the GPU and the way out", () => {
    const gpus = readGpus({ nvidiaSmi: nvidiaSmi(["Tesla T4, 7.5"]) });
    const vllm = offer({ kind: "vllm", model: "meta-llama/Llama-3.1-8B-Instruct", port: 8000 });
    expect(() => assertVerifiableEngine(vllm, { gpus }))
      .to.throw(EngineConfigError)
      .with.property("message")
      .that.includes("Tesla T4 (compute capability 7.5)")
      .and.includes('"verifiable": false');
    expect(() => assertVerifiableEngine(vllm, { gpus: [] })).to.throw(EngineConfigError, /no NVIDIA GPU/);
    expect(() =>
      assertVerifiableEngine(offer({ kind: "vllm", model: "m", port: 8000 }, false), { gpus }),
    ).to.not.throw();
    expect(() =>
      assertVerifiableEngine(vllm, { gpus: readGpus({ nvidiaSmi: nvidiaSmi(["NVIDIA A100-SXM4-80GB, 8.0"]) }) }),
    ).to.not.throw();
  });

  it("a worker with a verifiable vLLM offer and no qualifying GPU stops before it starts any engine", async () => {
    const vllm = offer({ kind: "vllm", model: "m", port: 8000 });
    let error: unknown;
    try {
      await createEngines({
        models: [vllm],
        logger: quietLogger,
        gpus: [{ name: "Tesla T4", computeCapability: 7.5 }],
      });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(EngineConfigError);
    expect((error as EngineConfigError).field).to.equal("verifiable");
  });

  it("asks for an explicit thread count on a large llama.cpp model, and takes 1 for a tiny one", () => {
    const big = join(dir, "big.gguf");
    writeFileSync(big, Buffer.alloc(65 * 1024 * 1024));
    expect(() => assertVerifiableEngine(offer({ kind: "llamaCpp", modelPath: big }), { gpus: [] })).to.throw(
      EngineConfigError,
      /engine\.threads/,
    );
    expect(() =>
      assertVerifiableEngine(offer({ kind: "llamaCpp", modelPath: big, threads: 8 }), { gpus: [] }),
    ).to.not.throw();
    const tiny = offer({ kind: "llamaCpp", modelPath: makeFixtureModel().path });
    const info = {
      engine: "llama.cpp",
      version: "node-llama-cpp@3.22.1+llama.cpp@b1/cpu",
      model: "fixture",
      contextSize: 4096,
    } as const;
    expect(offerClass(tiny, { info, gpus: [] }).fields).to.deep.equal({
      engine: "llama.cpp",
      version: info.version,
      threads: 1,
      gpuLayers: 0,
      contextSize: 4096,
    });
  });

  it("declares a vLLM class with batch invariance and the GPUs it runs on", () => {
    const vllm = offer({ kind: "vllm", model: "m", port: 8000, tensorParallel: 2 });
    const info = { engine: "vllm", version: "vllm@0.11.0", model: "m", contextSize: 8192 } as const;
    const gpus = [
      { name: "NVIDIA H200", computeCapability: 9 },
      { name: "NVIDIA H200", computeCapability: 9 },
    ];
    expect(offerClass(vllm, { info, gpus }).fields).to.deep.include({
      batchInvariant: true,
      tensorParallel: 2,
      gpu: "NVIDIA H200 sm_90 + NVIDIA H200 sm_90",
    });
  });
});
