// The chain goes away under a running gateway: requests get 502 chain_unreachable (no job can be paid or read),
// /health says down, and both recover when the chain is back.
import { expect } from "chai";
import OpenAI from "openai";
import { startGatewayOnLocalMarket, type GatewayOnLocalMarket } from "./helpers/gatewayOnLocalMarket.ts";
import { startTcpRelay } from "./helpers/tcpRelay.ts";

describe("gateway: the chain unreachable", function () {
  this.timeout(300_000);
  let g: GatewayOnLocalMarket;
  let relay: Awaited<ReturnType<typeof startTcpRelay>>;
  before(async () => {
    g = await startGatewayOnLocalMarket({ market: { model: "fixture" } });
    const { port } = new URL(g.market.devnet.rpcUrl);
    relay = await startTcpRelay({ host: "127.0.0.1", port: Number(port) });
    await g.restartGateway({ rpcUrl: relay.url });
  });
  after(async () => {
    await g?.stop();
    await relay?.close();
  });
  const ask = () =>
    g.openai().chat.completions.create({
      model: "octo-fixture-tiny",
      messages: [{ role: "user", content: "hi" }],
      max_tokens: 4,
    });

  it("answers 502 chain_unreachable and /health 503 while the chain cannot be reached, and serves again after", async () => {
    relay.cut();
    const error = await ask().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(OpenAI.APIError);
    expect([
      (error as InstanceType<typeof OpenAI.APIError>).status,
      (error as InstanceType<typeof OpenAI.APIError>).code,
    ]).to.deep.equal([502, "chain_unreachable"]);
    const health = await fetch(`${g.gateway.url}/health`);
    expect(health.status).to.equal(503);
    expect(((await health.json()) as { status: string }).status).to.equal("down");

    relay.restore();
    expect((await fetch(`${g.gateway.url}/health`)).status).to.equal(200);
    const answer = await ask();
    expect(answer.choices[0]!.message.content).to.be.a("string");
  });
});
