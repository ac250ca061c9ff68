import { expect } from "chai";
import { encryptOutput } from "@octo/circuits";
import { judgeBill, judgeResult } from "./judgeResult.ts";

const provider = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc" as const;
const jobId = 12n;
const outputKey = 987654321n;
const output = "The answer is four.";
const tokenByteEnds = [3, 10, 13, 18, 19];
const rootOf = (text: string, p: `0x${string}` = provider) =>
  encryptOutput({ output: new TextEncoder().encode(text), outputKey, jobId, provider: p }).outputRoot;
const judge = (posted: { outputRoot: `0x${string}`; tokenCount: number }) =>
  judgeResult({ output, tokenByteEnds, canonicalTokens: 5, outputKey, jobId, provider, posted });

describe("judgeResult", () => {
  it("clears a provider whose posted output is the model's and whose bill is at most its tokens", () => {
    expect(judge({ outputRoot: rootOf(output), tokenCount: 5 })).to.include({
      providerAtFault: false,
      expectedTokens: 5,
    });
    expect(judge({ outputRoot: rootOf(output), tokenCount: 3 }).providerAtFault).to.equal(false);
  });

  it("faults a provider whose posted output differs from the model's, by a single byte", () => {
    expect(judge({ outputRoot: rootOf("The answer is five."), tokenCount: 5 }).providerAtFault).to.equal(true);
  });

  it("faults a provider that bills more tokens than the model generated", () => {
    const verdict = judge({ outputRoot: rootOf(output), tokenCount: 6 });
    expect(verdict.providerAtFault).to.equal(true);
    expect(verdict.reason).to.match(/billed 6 tokens, the model generated 5/);
  });

  it("compares under the accused provider's address, as the provider had to encrypt", () => {
    const other = "0x90f79bf6eb2c4f870365e785982e1f101e93b906" as const;
    expect(judge({ outputRoot: rootOf(output, other), tokenCount: 5 }).providerAtFault).to.equal(true);
  });

  it("faults a provider whose bill exceeds the output's canonical count, though within the tokens generated", () => {
    const verdict = judgeResult({
      output,
      tokenByteEnds,
      canonicalTokens: 4,
      outputKey,
      jobId,
      provider,
      posted: { outputRoot: rootOf(output), tokenCount: 5 },
    });
    expect(verdict).to.include({ providerAtFault: true, reason: "billed 5 tokens, the output tokenizes to 4" });
  });
});

describe("judgeBill", () => {
  it("faults a padded bill: more tokens than the output tokenizes to", () => {
    expect(judgeBill({ tokenCount: 256, canonicalTokens: 2 })).to.deep.equal({
      providerAtFault: true,
      reason: "billed 256 tokens, the output tokenizes to 2",
    });
  });

  it("clears a bill at or under the output's canonical count", () => {
    expect(judgeBill({ tokenCount: 2, canonicalTokens: 2 }).providerAtFault).to.equal(false);
    expect(judgeBill({ tokenCount: 1, canonicalTokens: 2 }).providerAtFault).to.equal(false);
  });
});
