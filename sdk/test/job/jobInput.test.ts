import { expect } from "chai";
import { createWalletClient, http, zeroAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  InvalidInputError,
  SamplingNotVerifiableError,
  assertDecodingFits,
  createJob,
  decodeJobInput,
  encodeJobInput,
  isSampledDecoding,
  parseDeployments,
  renderJobInput,
} from "@octo/sdk";

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

  it("decodeJobInput_unknownVersionOrSampledV1_throws", () => {
    expect(() => decodeJobInput(bytes('{"v":3,"prompt":"x","decoding":{"temperature":0}}'))).to.throw(
      InvalidInputError,
    );
    // v1 is greedy only: a sampled input must say v2, so a worker that reads only v1 never samples by mistake
    expect(() => decodeJobInput(bytes('{"v":1,"prompt":"x","decoding":{"temperature":0.7}}'))).to.throw(
      InvalidInputError,
    );
    expect(() => encodeJobInput({ messages: [] })).to.throw(InvalidInputError);
  });

  it("encodeJobInput_sampled_roundTripsAsVersion2WithItsParameters", () => {
    const decoding = { temperature: 0.8, topP: 0.9, seed: 7 };
    const bytesOut = encodeJobInput({ prompt: "Hi", decoding });
    expect(JSON.parse(new TextDecoder().decode(bytesOut))).to.deep.equal({ v: 2, prompt: "Hi", decoding });
    expect(decodeJobInput(bytesOut)).to.deep.equal({ v: 2, prompt: "Hi", decoding });
    const messages = [{ role: "user", content: "Hi" }] as const;
    expect(decodeJobInput(encodeJobInput({ messages, decoding: { temperature: 1.5 } }))).to.deep.equal({
      v: 2,
      messages,
      decoding: { temperature: 1.5 },
    });
  });

  it("encodeJobInput_greedy_staysVersion1SoOlderWorkersReadIt", () => {
    const text = new TextDecoder().decode(encodeJobInput({ prompt: "Hi", decoding: { temperature: 0 } }));
    expect(JSON.parse(text)).to.deep.equal({ v: 1, prompt: "Hi", decoding: { temperature: 0 } });
  });

  it("encodeJobInput_samplingOutOfRange_throws", () => {
    for (const decoding of [
      { temperature: -0.1 },
      { temperature: 2.5 },
      { temperature: 1, topP: 0 },
      { temperature: 1, topP: 1.2 },
      { temperature: 1, seed: 1.5 },
      { temperature: 1, seed: -1 },
      { temperature: 1, seed: 2 ** 31 },
    ])
      expect(() => encodeJobInput({ prompt: "x", decoding }), JSON.stringify(decoding)).to.throw(InvalidInputError);
    expect(() => decodeJobInput(bytes('{"v":2,"prompt":"x","decoding":{"temperature":1,"top_k":5}}'))).to.throw(
      InvalidInputError,
    );
  });

  it("isSampledDecoding_isTrueOnlyAboveTemperatureZero", () => {
    expect(isSampledDecoding(undefined)).to.equal(false);
    expect(isSampledDecoding({ temperature: 0, topP: 0.5, seed: 3 })).to.equal(false);
    expect(isSampledDecoding({ temperature: 0.01 })).to.equal(true);
  });

  it("assertDecodingFits_verifiableAndSampled_throwsSamplingNotVerifiable", () => {
    const input = { prompt: "x", decoding: { temperature: 0.7 } };
    expect(() => assertDecodingFits({ input, verifiable: true }))
      .to.throw(SamplingNotVerifiableError)
      .with.property("temperature", 0.7);
    expect(() => assertDecodingFits({ input, verifiable: false })).not.to.throw();
    expect(() => assertDecodingFits({ input: { prompt: "x" }, verifiable: true })).not.to.throw();
  });

  it("createJob_verifiableWithSampling_isRefusedBeforeTouchingTheChain", async () => {
    // An RPC nobody listens on: the refusal must come before any request.
    const client = createWalletClient({
      account: privateKeyToAccount(`0x${"11".repeat(32)}`),
      transport: http("http://127.0.0.1:9", { retryCount: 0 }),
    });
    const at = (n: number) => ({ address: `0x${String(n).repeat(40)}`, deployedOnBlock: 1 });
    const deployments = parseDeployments({
      chainId: 31337,
      contracts: { JobMarket: at(1), StakingRegistry: at(2), ModelRegistry: at(3) },
    });
    const parameters = {
      deployments,
      input: { prompt: "x", decoding: { temperature: 0.9, seed: 1 } },
      modelId: `0x${"00".repeat(32)}`,
      paymentToken: zeroAddress,
      maxOutputTokens: 8,
      maxPricePerToken: 1n,
    } as const;
    const error = await createJob(client, parameters).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SamplingNotVerifiableError);
    const notVerifiable = await createJob(client, { ...parameters, verifiable: false }).catch((e: unknown) => e);
    expect(notVerifiable).not.to.be.instanceOf(SamplingNotVerifiableError);
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
