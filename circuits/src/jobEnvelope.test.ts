import { expect } from "chai";
import { decodeJobEnvelope, encodeJobEnvelope } from "./jobEnvelope.ts";
import { DecryptionError } from "./errors.ts";

describe("jobEnvelope", () => {
  const sealedPrompt = Uint8Array.from({ length: 50 }, (_, i) => i);
  const wrappedSecret = Uint8Array.from({ length: 72 }, (_, i) => 255 - i);

  it("round-trips an envelope that carries the wrapped secret", () => {
    const decoded = decodeJobEnvelope(encodeJobEnvelope({ wrappedSecret, sealedPrompt }));
    expect(decoded.wrappedSecret).to.deep.equal(wrappedSecret);
    expect(decoded.sealedPrompt).to.deep.equal(sealedPrompt);
  });

  it("round-trips an envelope without a wrapped secret (no named provider)", () => {
    const decoded = decodeJobEnvelope(encodeJobEnvelope({ sealedPrompt }));
    expect(decoded.wrappedSecret).to.equal(undefined);
    expect(decoded.sealedPrompt).to.deep.equal(sealedPrompt);
  });

  it("rejects an unknown version", () => {
    const bytes = encodeJobEnvelope({ sealedPrompt });
    bytes[0] = 9;
    expect(() => decodeJobEnvelope(bytes)).to.throw(DecryptionError, /version 9/);
  });

  it("rejects a truncated envelope", () => {
    const bytes = encodeJobEnvelope({ wrappedSecret, sealedPrompt }).subarray(0, 40);
    expect(() => decodeJobEnvelope(bytes)).to.throw(DecryptionError, /truncated/);
  });

  it("rejects a wrapped secret of the wrong size", () => {
    expect(() => decodeJobEnvelope(Uint8Array.of(1, 5, 0, 0, 0, 0, 0))).to.throw(DecryptionError);
  });
});
