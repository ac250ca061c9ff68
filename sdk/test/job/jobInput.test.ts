import { expect } from "chai";
import { InvalidInputError, decodeJobInput, encodeJobInput, renderJobInput } from "@octo/sdk";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("job input", () => {
  it("encodeJobInput_prompt_roundTripsWithGreedyDecoding", () => {
    expect(decodeJobInput(encodeJobInput({ prompt: "Hi" }))).to.deep.equal({
      v: 1,
      prompt: "Hi",
      decoding: { temperature: 0 },
    });
  });

  it("encodeJobInput_chat_roundTripsTheMessagesInOrder", () => {
    const messages = [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi" },
    ] as const;
    expect(decodeJobInput(encodeJobInput({ messages }))).to.deep.equal({
      v: 1,
      messages,
      decoding: { temperature: 0 },
    });
  });

  it("decodeJobInput_plainUtf8_isAPromptOfVersion0", () => {
    expect(decodeJobInput(bytes("{not json"))).to.deep.equal({
      v: 0,
      prompt: "{not json",
      decoding: { temperature: 0 },
    });
    expect(decodeJobInput(bytes('{"prompt":"no version"}'))).to.deep.equal({
      v: 0,
      prompt: '{"prompt":"no version"}',
      decoding: { temperature: 0 },
    });
  });

  it("decodeJobInput_unknownVersionOrSampledDecoding_throws", () => {
    expect(() => decodeJobInput(bytes('{"v":2,"prompt":"x","decoding":{"temperature":0}}'))).to.throw(
      InvalidInputError,
    );
    expect(() => decodeJobInput(bytes('{"v":1,"prompt":"x","decoding":{"temperature":0.7}}'))).to.throw(
      InvalidInputError,
    );
    expect(() => encodeJobInput({ messages: [] })).to.throw(InvalidInputError);
  });

  it("decodeJobInput_notUtf8_throws", () => {
    expect(() => decodeJobInput(new Uint8Array([0xff, 0xfe]))).to.throw(InvalidInputError, "not UTF-8");
  });

  it("renderJobInput_chat_usesTheOneFixedTemplate", () => {
    const input = decodeJobInput(
      encodeJobInput({
        messages: [
          { role: "user", content: "2+2?" },
          { role: "assistant", content: "4" },
          { role: "user", content: "and 3+3?" },
        ],
      }),
    );
    expect(renderJobInput(input)).to.equal("<|user|>\n2+2?\n<|assistant|>\n4\n<|user|>\nand 3+3?\n<|assistant|>\n");
    expect(renderJobInput(decodeJobInput(encodeJobInput({ prompt: "as is" })))).to.equal("as is");
  });
});
