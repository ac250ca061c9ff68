import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { privateKeyToAccount } from "viem/accounts";
import { ConfigError } from "./ConfigError.ts";
import { KeyError, loadAccount } from "./loadAccount.ts";
import { loadConfig } from "./loadConfig.ts";

const KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d" as const;
const MODEL_ID = `0x${"ab".repeat(32)}`;

describe("config/loadConfig", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "octo-config-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const base = () => ({
    chainId: 31337,
    rpcUrls: ["http://127.0.0.1:8545", "wss://backup.example/ws"],
    deployments: "../deployments/31337.json",
    key: { file: "./provider.key" },
    dataDir: "./data",
    models: [
      {
        modelId: MODEL_ID,
        engine: { kind: "llamaCpp", modelPath: "./m.gguf", threads: 2 },
        paymentToken: `0x${"11".repeat(20)}`,
        pricePerToken: "1000000000000000000000",
        maxContext: 2048,
      },
      {
        modelId: `0x${"cd".repeat(32)}`,
        engine: {
          kind: "vllm",
          model: "meta-llama/Llama-3.1-70B",
          port: 8001,
          tensorParallel: 4,
          pipelineParallel: 2,
          rayAddress: "10.0.0.2:6379",
        },
        paymentToken: `0x${"22".repeat(20)}`,
        pricePerToken: 5,
        maxContext: 8192,
      },
    ],
  });
  const write = (value: unknown) => {
    const path = join(dir, "worker.json");
    writeFileSync(path, JSON.stringify(value));
    return path;
  };
  const errorOf = (fn: () => unknown): ConfigError => {
    try {
      fn();
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      return error as ConfigError;
    }
    throw new Error("expected a ConfigError");
  };

  it("returns a typed config with defaults, absolute paths and bigint prices", () => {
    const config = loadConfig({ path: write(base()), env: {} });
    expect(config.confirmations).to.equal(2);
    expect(config.minSecondsToDeadline).to.equal(60);
    expect(config.ops).to.deep.equal({ host: "127.0.0.1", port: 9464 });
    expect(config.dataDir).to.equal(join(dir, "data"));
    expect(config.deployments).to.equal(join(dir, "..", "deployments", "31337.json"));
    expect(config.key).to.deep.equal({ file: join(dir, "provider.key") });
    expect(config.models[0]!.pricePerToken).to.equal(1000000000000000000000n);
    expect(config.models[0]!.engine).to.deep.include({
      kind: "llamaCpp",
      modelPath: join(dir, "m.gguf"),
      gpuLayers: 0,
      contextSize: 4096,
    });
    expect(config.models[1]!.engine).to.deep.include({ kind: "vllm", gpuMemoryUtilization: 0.9, extraArgs: [] });
  });

  it("takes the CPUs a llama.cpp engine is pinned to, and names the fix for a list taskset cannot read", () => {
    const pinned = base();
    (pinned.models[0]!.engine as { cpus?: string }).cpus = "0,2-3";
    expect(loadConfig({ path: write(pinned), env: {} }).models[0]!.engine).to.deep.include({ cpus: "0,2-3" });
    (pinned.models[0]!.engine as { cpus?: string }).cpus = "cores 2 and 3";
    expect(errorOf(() => loadConfig({ path: write(pinned), env: {} })).shortMessage).to.equal(
      'models[0].engine.cpus: must be a CPU list for taskset — e.g. "0", "2-3" or "0,4-7"',
    );
  });

  it("applies OCTO_* environment overrides", () => {
    const config = loadConfig({
      path: write(base()),
      env: {
        OCTO_RPC_URLS: "http://a:1, http://b:2",
        OCTO_CONFIRMATIONS: "0",
        OCTO_KEY_ENV: "MY_KEY",
        OCTO_OPS_PORT: "0",
        OCTO_MIN_SECONDS_TO_DEADLINE: "900",
      },
    });
    expect(config.minSecondsToDeadline).to.equal(900);
    expect(config.rpcUrls).to.deep.equal(["http://a:1", "http://b:2"]);
    expect(config.confirmations).to.equal(0);
    expect(config.key).to.deep.equal({ env: "MY_KEY" });
    expect(config.ops.port).to.equal(0);
  });

  it("names the field and the fix", () => {
    const bad = base();
    bad.rpcUrls[1] = "localhost:8545";
    expect(errorOf(() => loadConfig({ path: write(bad), env: {} })).shortMessage).to.equal(
      'rpcUrls[1]: must be an http(s) or ws(s) URL — e.g. "http://127.0.0.1:8545"',
    );
    const e = errorOf(() => loadConfig({ path: write(base()), env: { OCTO_CONFIRMATIONS: "two" } }));
    expect(e.issues).to.deep.equal([
      {
        path: "confirmations",
        message: "must be a whole number ≥ 0 — blocks to wait before handling an event, e.g. 2 (Polygon PoS: 32)",
        env: "OCTO_CONFIRMATIONS",
      },
    ]);
    const { chainId: _, ...noChain } = base();
    expect(errorOf(() => loadConfig({ path: write(noChain), env: {} })).message).to.match(/^chainId: is required — /);
    const vllm = base();
    delete (vllm.models[1]!.engine as { rayAddress?: string }).rayAddress;
    expect(errorOf(() => loadConfig({ path: write(vllm), env: {} })).message).to.contain(
      "models[1].engine.rayAddress: is required when pipelineParallel > 1",
    );
    const kind = base();
    (kind.models[0]!.engine as { kind: string }).kind = "onnx";
    expect(errorOf(() => loadConfig({ path: write(kind), env: {} })).message).to.contain("models[0].engine");
  });

  it("refuses a key written into the config, without echoing it", () => {
    const e = errorOf(() => loadConfig({ path: write({ ...base(), privateKey: KEY }), env: {} }));
    expect(e.message).to.contain("privateKey: a secret must never be in the config file");
    expect(e.message).to.not.contain(KEY.slice(2, 12));
    const inline = errorOf(() => loadConfig({ path: write({ ...base(), key: KEY }), env: {} }));
    expect(inline.message).to.contain('key: must be { "file"');
    expect(inline.message).to.not.contain(KEY.slice(2, 12));
  });

  it("reports a missing file and bad JSON clearly", () => {
    expect(errorOf(() => loadConfig({ path: join(dir, "nope.json"), env: {} })).message).to.contain("ENOENT");
    writeFileSync(join(dir, "bad.json"), '{ "chainId": ');
    expect(errorOf(() => loadConfig({ path: join(dir, "bad.json"), env: {} })).message).to.contain("is not valid JSON");
    expect(errorOf(() => loadConfig({ env: {} })).message).to.contain("OCTO_CONFIG");
  });
});

describe("config/loadAccount", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "octo-key-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const address = privateKeyToAccount(KEY).address;

  it("loads a 0600 key file and refuses one others can read, never printing the key", () => {
    const file = join(dir, "provider.key");
    writeFileSync(file, `${KEY}\n`, { mode: 0o600 });
    expect(loadAccount({ key: { file } }).address).to.equal(address);
    chmodSync(file, 0o644);
    expect(() => loadAccount({ key: { file } })).to.throw(KeyError, "chmod 600");
    try {
      loadAccount({ key: { file } });
    } catch (error) {
      expect(String((error as Error).message)).to.not.contain(KEY.slice(2, 12));
    }
  });

  it("decrypts a V3 JSON keystore (made by ethers) with the password from the named variable", async () => {
    const { encryptKeystoreJsonSync } = await import("ethers");
    const json = encryptKeystoreJsonSync({ address, privateKey: KEY }, "correct horse", { scrypt: { N: 1 << 12 } });
    const file = join(dir, "keystore.json");
    writeFileSync(file, json, { mode: 0o600 });
    expect(loadAccount({ key: { file, passwordEnv: "PW" }, env: { PW: "correct horse" } }).address).to.equal(address);
    expect(() => loadAccount({ key: { file, passwordEnv: "PW" }, env: { PW: "wrong" } })).to.throw(
      KeyError,
      "wrong keystore password",
    );
    expect(() => loadAccount({ key: { file }, env: {} })).to.throw(KeyError, "passwordEnv");
  });

  it("loads a key from a named environment variable", () => {
    expect(loadAccount({ key: { env: "K" }, env: { K: KEY } }).address).to.equal(address);
    expect(() => loadAccount({ key: { env: "K" }, env: {} })).to.throw(KeyError, "K is not set");
    expect(() => loadAccount({ key: { env: "K" }, env: { K: "nonsense" } })).to.throw(KeyError, "32-byte hex");
  });
});
