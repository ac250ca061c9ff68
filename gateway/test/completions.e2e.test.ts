// The gateway through the official OpenAI client, changed only in baseURL and apiKey, against a local market whose
// provider runs octo-tiny: completions and chat, whole and streamed. Each answer is the text the operator decrypts
// from the chain, its usage is the receipt's billed tokens, and x-octo-job-id names a job with a proven result.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect } from "chai";
import { renderOctoTinyPrompt } from "@octo/worker/models";
import { curlExample } from "../src/index.ts";
import { startGatewayOnLocalMarket, type GatewayOnLocalMarket } from "./helpers/gatewayOnLocalMarket.ts";

describe("gateway: completions through the OpenAI client (local market, octo-tiny)", function () {
  this.timeout(600_000);
  let g: GatewayOnLocalMarket;
  before(async () => (g = await startGatewayOnLocalMarket()));
  after(async () => g?.stop());

  const octoOf = (body: object) =>
    (
      body as {
        octo: {
          job_id: string;
          provider: string;
          cost: string | null;
          receipt: { status: string; transactions: { create: string; result: string | null } };
        };
      }
    ).octo;

  it("lists the registry's active models with their id and spec", async () => {
    const models = await g.openai().models.list();
    const ids = models.data.map((m) => m.id);
    expect(ids).to.deep.equal(["octo-tiny"]);
    const octo = (models.data[0] as unknown as { octo: { model_id: string; spec: { name: string } } }).octo;
    expect(octo.model_id).to.equal(g.market.devnet.modelId);
    expect(octo.spec.name).to.equal("octo-tiny");
  });

  it("answers a completion with the text proven on-chain, and the receipt's billed tokens as usage", async () => {
    const { data, response } = await g
      .openai()
      .completions.create({ model: "octo-tiny", prompt: renderOctoTinyPrompt("17 + 25"), max_tokens: 8 })
      .withResponse();
    const jobId = BigInt(response.headers.get("x-octo-job-id")!);
    const { text, job } = await g.onChain(jobId);
    expect(data.choices[0]!.text).to.equal("42");
    expect(data.choices[0]!.text).to.equal(text);
    expect(data.usage!.completion_tokens).to.equal(job.tokenCount);
    expect(["Submitted", "Finalized"]).to.include(job.statusName);
    const octo = octoOf(data);
    expect(octo.job_id).to.equal(jobId.toString());
    expect(octo.provider.toLowerCase()).to.equal(g.market.provider.address.toLowerCase());
    expect(octo.cost).to.equal((BigInt(job.tokenCount) * job.pricePerToken).toString());
    expect(octo.receipt.transactions.result).to.match(/^0x[0-9a-f]{64}$/);
  });

  it("streams a completion in OpenAI chunks; the pieces add up to the text proven on-chain", async () => {
    const { data: stream, response } = await g
      .openai()
      .completions.create({
        model: "octo-tiny",
        prompt: renderOctoTinyPrompt("17 + 25"),
        max_tokens: 8,
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    let text = "";
    let usage: number | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.text ?? "";
      if (chunk.usage) usage = chunk.usage.completion_tokens;
    }
    const jobId = BigInt(response.headers.get("x-octo-job-id")!);
    const onChain = await g.onChain(jobId);
    expect(text).to.equal("42");
    expect(text).to.equal(onChain.text);
    expect(usage).to.equal(onChain.job.tokenCount);
    expect(chunks).to.be.greaterThan(2);
  });

  it("answers a chat completion: messages travel as structured input, rendered with the model's chat template", async () => {
    const { data, response } = await g
      .openai()
      .chat.completions.create({ model: "octo-tiny", messages: [{ role: "user", content: "17 + 25" }], max_tokens: 12 })
      .withResponse();
    const jobId = BigInt(response.headers.get("x-octo-job-id")!);
    const onChain = await g.onChain(jobId);
    expect(data.object).to.equal("chat.completion");
    expect(data.choices[0]!.message.role).to.equal("assistant");
    // octo-tiny's template (in its GGUF) renders the question as "Q: 17 + 25\nA: ", the form it was trained on.
    expect(data.choices[0]!.message.content).to.equal("42");
    expect(data.choices[0]!.message.content).to.equal(onChain.text);
    expect(data.usage!.completion_tokens).to.equal(onChain.job.tokenCount);
  });

  it("answers the curl line npm start prints", async () => {
    const line = curlExample({ baseURL: g.gateway.baseURL, apiKey: g.apiKey, model: "octo-tiny" });
    // Asynchronously: the gateway answers from this process.
    const { stdout } = await promisify(execFile)("bash", ["-c", line], { encoding: "utf8", timeout: 120_000 });
    const body = JSON.parse(stdout) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]!.message.content).to.equal("42");
  });

  it("streams a chat completion; the deltas add up to the text proven on-chain", async () => {
    const { data: stream, response } = await g
      .openai()
      .chat.completions.create({
        model: "octo-tiny",
        messages: [{ role: "user", content: "17 + 25" }],
        max_tokens: 12,
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    let text = "";
    let role: string | undefined;
    let usage: number | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      role ??= choice?.delta.role;
      text += choice?.delta.content ?? "";
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage.completion_tokens;
    }
    const onChain = await g.onChain(BigInt(response.headers.get("x-octo-job-id")!));
    expect(role).to.equal("assistant");
    expect(text).to.equal("42");
    expect(text).to.equal(onChain.text);
    expect(usage).to.equal(onChain.job.tokenCount);
    expect(finish).to.be.oneOf(["stop", "length"]);
  });
});
