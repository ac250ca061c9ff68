import { expect } from "chai";
import { decodingParameters } from "./decodingParameters.ts";

const base = { jobId: 2n ** 31n + 5n, maxOutputTokens: 100, promptTokens: 10, context: 64 };

describe("decodingParameters", () => {
  it("decodes a verifiable job greedily whatever its input asks, seeded with the job id", () => {
    expect(
      decodingParameters({ ...base, verifiable: true, asked: { temperature: 1, topP: 0.5, seed: 9 } }),
    ).to.deep.equal({ maxTokens: 54, temperature: 0, seed: 5 });
    expect(decodingParameters(base)).to.deep.equal({ maxTokens: 54, temperature: 0, seed: 5 });
  });

  it("samples a job that is not verifiable as its input asks", () => {
    expect(
      decodingParameters({ ...base, verifiable: false, asked: { temperature: 1.2, topP: 0.9, seed: 9 } }),
    ).to.deep.equal({ maxTokens: 54, temperature: 1.2, topP: 0.9, seed: 9 });
  });

  it("seeds a sampled job with its id when its input names no seed (a re-run samples alike)", () => {
    expect(decodingParameters({ ...base, verifiable: false, asked: { temperature: 0.7 } })).to.deep.equal({
      maxTokens: 54,
      temperature: 0.7,
      seed: 5,
    });
  });
});
