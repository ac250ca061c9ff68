import { expect } from "chai";
import { nonceGaps } from "./nonceGaps.ts";

describe("sender/nonceGaps", () => {
  it("is empty when the owed nonces follow the mined count without a hole", () => {
    expect(nonceGaps({ mined: 5, owed: [5, 6, 7] })).to.deep.equal([]);
  });
  it("is empty when nothing is owed", () => {
    expect(nonceGaps({ mined: 5, owed: [] })).to.deep.equal([]);
  });
  it("names every nonce below the highest owed one that has no transaction", () => {
    expect(nonceGaps({ mined: 5, owed: [8, 6, 6] })).to.deep.equal([5, 7]);
  });
  it("ignores owed nonces the chain has already passed (they are settled by their receipts)", () => {
    expect(nonceGaps({ mined: 5, owed: [2, 3, 6] })).to.deep.equal([5]);
  });
});
