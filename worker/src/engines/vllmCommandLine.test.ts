import { expect } from "chai";
import { EngineConfigError } from "./errors.ts";
import { vllmCommandLine } from "./vllmCommandLine.ts";

describe("vllmCommandLine", () => {
  it("builds the single-GPU command with the defaults spelled out", () => {
    expect(vllmCommandLine({ model: "meta-llama/Llama-3.1-8B-Instruct", port: 8000 })).to.deep.equal({
      command: "vllm",
      env: {},
      args: [
        "serve",
        "meta-llama/Llama-3.1-8B-Instruct",
        "--host",
        "127.0.0.1",
        "--port",
        "8000",
        "--seed",
        "0",
        "--served-model-name",
        "meta-llama/Llama-3.1-8B-Instruct",
        "--generation-config",
        "vllm",
      ],
    });
  });

  it("passes tensor parallelism, memory share, context, dtype and extra args through", () => {
    expect(
      vllmCommandLine({
        model: "/models/llama-70b",
        servedModelName: "llama-70b",
        executable: "/opt/venv/bin/vllm",
        host: "0.0.0.0",
        port: 9000,
        seed: 7,
        gpuMemoryUtilization: 0.9,
        tensorParallelSize: 4,
        maxModelLen: 8192,
        dtype: "bfloat16",
        quantization: "fp8",
        extraArgs: ["--enforce-eager", "--max-num-seqs", "64"],
      }),
    ).to.deep.equal({
      command: "/opt/venv/bin/vllm",
      env: {},
      args: [
        "serve",
        "/models/llama-70b",
        "--host",
        "0.0.0.0",
        "--port",
        "9000",
        "--seed",
        "7",
        "--served-model-name",
        "llama-70b",
        "--gpu-memory-utilization",
        "0.9",
        "--tensor-parallel-size",
        "4",
        "--max-model-len",
        "8192",
        "--dtype",
        "bfloat16",
        "--quantization",
        "fp8",
        "--generation-config",
        "vllm",
        "--enforce-eager",
        "--max-num-seqs",
        "64",
      ],
    });
  });

  it("uses the Ray executor for a multi-node model (TP per node × PP across nodes)", () => {
    const { args } = vllmCommandLine({
      model: "big",
      port: 8000,
      tensorParallelSize: 8,
      pipelineParallelSize: 2,
      multiNode: true,
    });
    expect(args.slice(10)).to.deep.equal([
      "--tensor-parallel-size",
      "8",
      "--pipeline-parallel-size",
      "2",
      "--distributed-executor-backend",
      "ray",
      "--generation-config",
      "vllm",
    ]);
  });

  it("joins an existing Ray cluster through RAY_ADDRESS when given its address", () => {
    const { args, env } = vllmCommandLine({
      model: "big",
      port: 8000,
      tensorParallelSize: 4,
      pipelineParallelSize: 2,
      rayAddress: "10.0.0.1:6379",
    });
    expect(env).to.deep.equal({ RAY_ADDRESS: "10.0.0.1:6379" });
    expect(args.slice(10, 16)).to.deep.equal([
      "--tensor-parallel-size",
      "4",
      "--pipeline-parallel-size",
      "2",
      "--distributed-executor-backend",
      "ray",
    ]);
  });

  it("passes an explicit single-node backend and the model's own generation config when asked", () => {
    const { args } = vllmCommandLine({
      model: "m",
      port: 8000,
      tensorParallelSize: 2,
      distributedExecutorBackend: "mp",
      generationConfig: "auto",
    });
    expect(args.slice(10)).to.deep.equal([
      "--tensor-parallel-size",
      "2",
      "--distributed-executor-backend",
      "mp",
      "--generation-config",
      "auto",
    ]);
  });

  it("turns on batch-invariant kernels through the environment for a verifiable offer, and only then", () => {
    expect(vllmCommandLine({ model: "m", port: 8000, batchInvariant: true }).env).to.deep.equal({
      VLLM_BATCH_INVARIANT: "1",
    });
    expect(
      vllmCommandLine({ model: "m", port: 8000, batchInvariant: true, rayAddress: "10.0.0.1:6379" }).env,
    ).to.deep.equal({ RAY_ADDRESS: "10.0.0.1:6379", VLLM_BATCH_INVARIANT: "1" });
    expect(vllmCommandLine({ model: "m", port: 8000 }).env).to.deep.equal({});
  });

  it("rejects bad values naming the field", () => {
    const field = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        expect(error).to.be.instanceOf(EngineConfigError);
        return (error as EngineConfigError).field;
      }
      throw new Error("expected an EngineConfigError");
    };
    expect(field(() => vllmCommandLine({ model: "m", port: 0 }))).to.equal("vllm.port");
    expect(field(() => vllmCommandLine({ model: "", port: 8000 }))).to.equal("vllm.model");
    expect(field(() => vllmCommandLine({ model: "m", port: 8000, gpuMemoryUtilization: 1.5 }))).to.equal(
      "vllm.gpuMemoryUtilization",
    );
    expect(field(() => vllmCommandLine({ model: "m", port: 8000, tensorParallelSize: 0 }))).to.equal(
      "vllm.tensorParallelSize",
    );
    expect(field(() => vllmCommandLine({ model: "m", port: 8000, pipelineParallelSize: 1.5 }))).to.equal(
      "vllm.pipelineParallelSize",
    );
    expect(
      field(() => vllmCommandLine({ model: "m", port: 8000, multiNode: true, distributedExecutorBackend: "mp" })),
    ).to.equal("vllm.distributedExecutorBackend");
  });
});
