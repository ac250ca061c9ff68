// The CLI's key commands, run as a user runs them (a child process on a fresh data directory).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect } from "chai";
import { authenticate } from "../keys/apiKeys.ts";
import { openStore } from "../store/openStore.ts";

const MAIN = resolve(import.meta.dirname, "main.ts");
const cli = (dataDir: string, ...args: string[]) =>
  execFileSync(process.execPath, [MAIN, "--data-dir", dataDir, ...args], { encoding: "utf8" });

describe("octo-gateway keys", () => {
  it("creates a key whose secret authenticates, lists it without the secret, and revokes it", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "octo-gateway-cli-"));
    const created = cli(dataDir, "keys", "create", "--name", "alice", "--spend-limit", "5000", "--rate-limit", "30");
    const secret = created.trim().split("\n").at(-1)!;
    expect(secret).to.match(/^octo-[A-Za-z0-9_-]{32}$/);

    const listed = JSON.parse(cli(dataDir, "keys", "list", "--json")) as {
      id: string;
      name: string;
      spendLimit: string;
      ratePerMinute: number;
    }[];
    expect(listed).to.have.length(1);
    expect(listed[0]).to.include({ name: "alice", spendLimit: "5000", ratePerMinute: 30 });
    expect(JSON.stringify(listed)).not.to.include(secret);

    const store = openStore({ path: join(dataDir, "gateway.sqlite") });
    try {
      expect(authenticate(store, `Bearer ${secret}`).name).to.equal("alice");
      cli(dataDir, "keys", "revoke", listed[0]!.id.slice(0, 8));
      expect(() => authenticate(store, `Bearer ${secret}`)).to.throw(/invalid API key/);
    } finally {
      store.close();
    }
    expect(spawnSync(process.execPath, [MAIN, "--data-dir", dataDir, "keys", "revoke", listed[0]!.id]).status).to.equal(
      1,
    );
  });

  it("serve refuses to start without an operator key", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "octo-gateway-cli-"));
    const run = spawnSync(process.execPath, [MAIN, "--data-dir", dataDir, "serve"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH },
    });
    expect(run.status).to.equal(2);
    expect(run.stderr).to.match(/OCTO_GATEWAY_OPERATOR_KEY/);
  });
});
