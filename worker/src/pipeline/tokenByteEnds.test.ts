import { expect } from "chai";
import { createTokenByteEnds } from "./tokenByteEnds.ts";

describe("pipeline/tokenByteEnds", () => {
  it("records the output's byte length after each piece", () => {
    const ends = createTokenByteEnds();
    for (const piece of ["He", "llo", " world"]) ends.add(piece);
    expect(ends.ends).to.deep.equal([2, 5, 11]);
  });

  it("counts UTF-8 bytes, not characters", () => {
    const ends = createTokenByteEnds();
    expect(ends.add("é")).to.equal(2);
    expect(ends.add("🙂")).to.equal(6);
  });

  it("repeats the last end for a piece that added no bytes (an end of sequence, which is not billed)", () => {
    const ends = createTokenByteEnds();
    ends.add("ok");
    ends.add("");
    expect(ends.ends).to.deep.equal([2, 2]);
  });
});
