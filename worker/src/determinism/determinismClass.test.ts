import { expect } from "chai";
import { determinismClass } from "./determinismClass.ts";

const llama = {
  engine: "llama.cpp",
  version: "node-llama-cpp@3.22.1+llama.cpp@b6000/cpu",
  threads: 1,
  gpuLayers: 0,
  contextSize: 4096,
} as const;

describe("determinism/determinismClass", () => {
  it("names the same fields with the same id, whatever order they are given in", () => {
    const reordered = {
      contextSize: 4096,
      gpuLayers: 0,
      threads: 1,
      version: llama.version,
      engine: "llama.cpp",
    } as const;
    expect(determinismClass(reordered).id).to.equal(determinismClass(llama).id);
  });
  it("gives another id when the thread count differs (sums split differently)", () => {
    expect(determinismClass({ ...llama, threads: 2 }).id).to.not.equal(determinismClass(llama).id);
  });
  it("gives another id for another engine build", () => {
    expect(determinismClass({ ...llama, version: "node-llama-cpp@3.22.1+llama.cpp@b6000/cuda" }).id).to.not.equal(
      determinismClass(llama).id,
    );
  });
  it("separates a batch-invariant vLLM server from one that is not", () => {
    const vllm = {
      engine: "vllm",
      version: "vllm@0.11.0",
      batchInvariant: true,
      dtype: "bfloat16",
      maxModelLen: 8192,
      tensorParallel: 1,
      pipelineParallel: 1,
      gpu: "NVIDIA H200 sm_90",
    } as const;
    expect(determinismClass({ ...vllm, batchInvariant: false }).id).to.not.equal(determinismClass(vllm).id);
    expect(determinismClass(vllm).id).to.match(/^0x[0-9a-f]{64}$/);
  });
});
