// Sampled decoding through the gateway: a request that is not verifiable takes `temperature`, `top_p` and `seed`, the
// provider's real worker samples with them (llama.cpp, fixture model), and the answer is what the chain holds. The
// same seed gives the same text; a high temperature gives another text than greedy decoding.
import { expect } from "chai";
import type OpenAI from "openai";
import { startGatewayOnLocalMarket, type GatewayOnLocalMarket } from "./helpers/gatewayOnLocalMarket.ts";

type CompletionBody = Parameters<OpenAI["completions"]["create"]>[0] & {
  stream?: false;
  octo?: { verifiable?: boolean; wait?: string };
};

describe("gateway: sampled decoding for jobs that are not verifiable", function () {
  this.timeout(600_000);
  let g: GatewayOnLocalMarket;
  before(async () => (g = await startGatewayOnLocalMarket({ market: { model: "fixture" } })));
  after(async () => g?.stop());

  /** One completion, whole: its text, the text proven on-chain for its job, and whether the job was verifiable. */
  async function complete(body: Partial<CompletionBody>) {
    const { data, response } = await g
      .openai()
      .completions.create({ model: "octo-fixture-tiny", prompt: "Once upon a time", max_tokens: 16, ...body })
      .withResponse();
    const jobId = BigInt(response.headers.get("x-octo-job-id")!);
    const onChain = await g.onChain(jobId);
    const { verifiable } = (data as unknown as { octo: { verifiable: boolean } }).octo;
    return { text: data.choices[0]!.text, onChain: onChain.text, verifiable };
  }

  it("samples with the request's seed: the same seed gives the same text, other than the greedy one", async () => {
    const sampled = { temperature: 1.8, top_p: 1, seed: 7, octo: { verifiable: false } };
    const a = await complete(sampled);
    const b = await complete(sampled);
    const greedy = await complete({ octo: { verifiable: false } });
    expect(a.text).to.equal(a.onChain);
    expect(b.text).to.equal(b.onChain);
    expect(greedy.text).to.equal(greedy.onChain);
    expect(a.verifiable).to.equal(false);
    expect(b.text).to.equal(a.text);
    expect(a.text).to.not.equal(greedy.text);
  });

  it("streams a sampled answer whose pieces add up to the text proven on-chain", async () => {
    const { data: stream, response } = await g
      .openai()
      .completions.create({
        model: "octo-fixture-tiny",
        prompt: "Once upon a time",
        max_tokens: 16,
        temperature: 1.8,
        top_p: 1,
        seed: 7,
        stream: true,
        octo: { verifiable: false },
      } as Parameters<OpenAI["completions"]["create"]>[0] & { stream: true })
      .withResponse();
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? "";
    const onChain = await g.onChain(BigInt(response.headers.get("x-octo-job-id")!));
    expect(text).to.equal(onChain.text);
    // The same request as the whole one above (same seed): the same sample.
    const whole = await complete({ temperature: 1.8, top_p: 1, seed: 7, octo: { verifiable: false } });
    expect(text).to.equal(whole.text);
  });
});
