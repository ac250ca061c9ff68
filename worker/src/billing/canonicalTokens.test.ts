import { expect } from "chai";
import { canonicalTokenCount, capTokensPerChunk } from "./canonicalTokens.ts";

// A tokenizer that counts words and, like llama.cpp and vLLM for most models, adds one BOS token to every prompt.
const wordEngine = { countTokens: async (text: string) => 1 + text.split(/(\s+)/).filter(Boolean).length };

describe("canonicalTokenCount", () => {
  it("counts the output alone, without the BOS token a prompt gets", async () => {
    expect(await canonicalTokenCount(wordEngine, "Hi there")).to.equal(3);
  });

  it("counts an empty output as no tokens", async () => {
    expect(await canonicalTokenCount(wordEngine, "")).to.equal(0);
  });

  it("counts padding as what it tokenizes to, not as one token per byte", async () => {
    expect(await canonicalTokenCount(wordEngine, `Hi${" ".repeat(254)}`)).to.equal(2);
  });
});

describe("capTokensPerChunk", () => {
  it("leaves a bill at or under the cap as it is", () => {
    expect(capTokensPerChunk([5, 3], 8)).to.deep.equal([5, 3]);
    expect(capTokensPerChunk([5, 3], 20)).to.deep.equal([5, 3]);
  });

  it("takes the excess off the last chunks first", () => {
    expect(capTokensPerChunk([5, 3, 2], 6)).to.deep.equal([5, 1, 0]);
  });

  it("bills nothing under a cap of zero", () => {
    expect(capTokensPerChunk([4, 4], 0)).to.deep.equal([0, 0]);
  });
});
