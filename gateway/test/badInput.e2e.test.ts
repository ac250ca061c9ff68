// Requests the gateway refuses: each gets its documented status and OpenAI-shaped error, and none costs anything
// on-chain (the operator's transaction count does not move).
import { expect } from "chai";
import OpenAI from "openai";
import { startGatewayOnLocalMarket, type GatewayOnLocalMarket } from "./helpers/gatewayOnLocalMarket.ts";

describe("gateway: refused requests cost nothing on-chain", function () {
  this.timeout(300_000);
  let g: GatewayOnLocalMarket;
  before(async () => (g = await startGatewayOnLocalMarket({ market: { model: "fixture" } })));
  after(async () => g?.stop());

  /** The error the request raises, after checking that it sent no transaction. */
  async function refused(request: (client: OpenAI) => Promise<unknown>, key?: string) {
    const before = await g.nonce();
    let caught: unknown;
    try {
      await request(g.openai(key));
    } catch (error) {
      caught = error;
    }
    expect(caught, "the request should fail").to.be.instanceOf(OpenAI.APIError);
    expect(await g.nonce()).to.equal(before);
    return caught as InstanceType<typeof OpenAI.APIError>;
  }
  const chat = (body: Record<string, unknown>) => (c: OpenAI) =>
    c.chat.completions.create({
      model: "octo-fixture-tiny",
      messages: [{ role: "user", content: "hi" }],
      max_tokens: 4,
      ...body,
    });

  it("an unknown model: 404 model_not_found", async () => {
    const e = await refused(chat({ model: "gpt-4o" }));
    expect([e.status, e.code, e.param]).to.deep.equal([404, "model_not_found", "model"]);
  });

  it("a prompt no context can hold: 400 context_length_exceeded", async () => {
    const e = await refused((c) =>
      c.completions.create({ model: "octo-fixture-tiny", prompt: "x".repeat(10_000), max_tokens: 4 }),
    );
    expect([e.status, e.code, e.param]).to.deep.equal([400, "context_length_exceeded", "prompt"]);
  });

  it("max_tokens over the model's context: 400 max_tokens_exceeded", async () => {
    const e = await refused(chat({ max_tokens: 100_000 }));
    expect([e.status, e.code, e.param]).to.deep.equal([400, "max_tokens_exceeded", "max_tokens"]);
  });

  it("n = 2, tools, logprobs: 400 unsupported_parameter, by name", async () => {
    expect((await refused(chat({ n: 2 }))).param).to.equal("n");
    const tools = await refused(chat({ tools: [{ type: "function", function: { name: "f", parameters: {} } }] }));
    expect([tools.status, tools.code, tools.param]).to.deep.equal([400, "unsupported_parameter", "tools"]);
    expect((await refused(chat({ logprobs: true }))).param).to.equal("logprobs");
  });

  it("sampling in verifiable mode: 400 sampling_not_verifiable", async () => {
    const e = await refused(chat({ temperature: 0.7 }));
    expect([e.status, e.code, e.param]).to.deep.equal([400, "sampling_not_verifiable", "temperature"]);
    expect(e.message).to.match(/greedily/);
    const topP = await refused(chat({ top_p: 0.5 }));
    expect([topP.status, topP.code, topP.param]).to.deep.equal([400, "sampling_not_verifiable", "top_p"]);
  });

  it("a sampled job's seed out of range: 400 invalid_request", async () => {
    const e = await refused(chat({ temperature: 0.7, seed: -1, octo: { verifiable: false } }));
    expect([e.status, e.code, e.param]).to.deep.equal([400, "invalid_request", "seed"]);
  });

  it("an invalid key: 401 invalid_api_key", async () => {
    const e = await refused(chat({}), "octo-not-a-key");
    expect(e).to.be.instanceOf(OpenAI.AuthenticationError);
    expect(e.code).to.equal("invalid_api_key");
  });

  it("a revoked key: 401", async () => {
    const { revokeApiKey, listApiKeys, openStore } = await import("../src/index.ts");
    const secret = g.gateway.createApiKey({ name: "to-revoke" });
    const store = openStore({ path: `${g.dataDir}/gateway.sqlite` });
    try {
      const key = listApiKeys(store).find((k) => k.name === "to-revoke")!;
      expect(revokeApiKey(store, key.id)).to.equal(true);
    } finally {
      store.close();
    }
    expect((await refused(chat({}), secret)).status).to.equal(401);
  });

  it("a key whose spending limit is reached: 402 spending_limit_exceeded", async () => {
    // Price 10 per token: 4 tokens escrow 40 units, so a 60-unit limit covers one request and not a second.
    const secret = g.gateway.createApiKey({ name: "limited", spendLimit: 60n });
    const first = await g.openai(secret).chat.completions.create({
      model: "octo-fixture-tiny",
      messages: [{ role: "user", content: "hi" }],
      max_tokens: 4,
    });
    expect(first.choices[0]!.message.content).to.be.a("string");
    const e = await refused(chat({}), secret);
    expect([e.status, e.code]).to.deep.equal([402, "spending_limit_exceeded"]);
  });

  it("a key over its rate limit: 429 rate_limit_exceeded", async () => {
    const secret = g.gateway.createApiKey({ name: "slow", ratePerMinute: 1 });
    await g.openai(secret).models.list();
    const e = await refused((c) => c.models.list(), secret);
    expect(e).to.be.instanceOf(OpenAI.RateLimitError);
    expect(e.code).to.equal("rate_limit_exceeded");
  });

  it("malformed JSON: 400 invalid_json", async () => {
    const before = await g.nonce();
    const response = await fetch(`${g.gateway.baseURL}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${g.apiKey}`, "content-type": "application/json" },
      body: '{"model": "octo-fixture-tiny", "messages": [',
    });
    const body = (await response.json()) as { error: { code: string; type: string; message: string } };
    expect(response.status).to.equal(400);
    expect(body.error.code).to.equal("invalid_json");
    expect(body.error.type).to.equal("invalid_request_error");
    expect(await g.nonce()).to.equal(before);
  });

  it("a price bound under every offer: 402 price_bound_exceeded", async () => {
    const e = await refused(chat({ octo: { max_price_per_token: "1" } }));
    expect([e.status, e.code]).to.deep.equal([402, "price_bound_exceeded"]);
  });

  it("a provider that is not in the market: 503 no_provider", async () => {
    const e = await refused(chat({ octo: { provider: "0x000000000000000000000000000000000000dEaD" } }));
    expect([e.status, e.code]).to.deep.equal([503, "no_provider"]);
  });
});
