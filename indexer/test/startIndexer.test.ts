// startIndexer's failure path: Ponder exits before it is ready, and the error says why with Ponder's own log lines.
import { expect } from "chai";
import { freePort } from "@octo/devnet";
import { IndexerError, startIndexer } from "@octo/indexer";

describe("startIndexer", function () {
  it("rejects with an IndexerError carrying Ponder's log when the deployments file is missing", async function () {
    const missing = "/nonexistent/deployments-31337.json";
    const error = await startIndexer({
      deploymentsPath: missing,
      rpcUrl: "http://127.0.0.1:1",
      port: await freePort(),
      readyTimeoutMs: 300_000,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(IndexerError);
    expect((error as IndexerError).shortMessage).to.match(/exited \(code \d+\) before it was ready/);
    expect((error as IndexerError).details).to.contain(missing);
  });
});
