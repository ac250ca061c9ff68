// @octo/devnet deploys local markets from DEPLOY_PLAN; real networks deploy through the Ignition modules. Both must
// describe the same system: the same contracts with the same constructor arguments, the same binding calls, the
// same external libraries, and the same parameter defaults. This test reads the Ignition module's futures and
// compares.
import { expect } from "chai";
import { DEPLOY_PARAMETERS, DEPLOY_PLAN, readArtifact } from "@octo/devnet";
import OctoLocal from "../../../ignition/modules/OctoLocal.ts";

type RuntimeValue =
  | { type: "MODULE_PARAMETER"; name: string; defaultValue: unknown }
  | { type: "ACCOUNT"; accountIndex: number };
type Future = {
  id: string;
  type: string;
  contractName?: string;
  constructorArgs?: unknown[];
  libraries?: Record<string, Future>;
  contract?: Future;
  functionName?: string;
  args?: unknown[];
};

/** An Ignition argument as DEPLOY_PLAN writes it. */
function describe_(arg: unknown): unknown {
  if (typeof arg === "object" && arg !== null && "type" in arg) {
    const v = arg as RuntimeValue | Future;
    if (v.type === "MODULE_PARAMETER") return { parameter: (v as { name: string }).name };
    if (v.type === "ACCOUNT") return { account: (v as { accountIndex: number }).accountIndex };
    if ("contractName" in v) return { contract: v.contractName };
  }
  return { value: arg };
}

const futures = [...(OctoLocal as unknown as { futures: Set<Future> }).futures];
const deployments = futures.filter((f) => f.type === "NAMED_ARTIFACT_CONTRACT_DEPLOYMENT");
const parametersOf = (f: Future) =>
  (f.constructorArgs ?? []).filter(
    (a): a is RuntimeValue => typeof a === "object" && a !== null && (a as RuntimeValue).type === "MODULE_PARAMETER",
  );

describe("devnet deploy plan = Ignition modules", () => {
  it("test_deployPlan_deploysTheSameContractsWithTheSameArguments", () => {
    const ignition = Object.fromEntries(
      deployments.map((f) => [f.contractName, (f.constructorArgs ?? []).map(describe_)]),
    );
    // Ignition's admin and treasury default to account 0 (`m.getParameter("admin", m.getAccount(0))`); the
    // OctoToken's holder is account 0 itself. The devnet's deployer is account 0.
    const plan = Object.fromEntries(
      DEPLOY_PLAN.contracts.map((c) => [
        c.name,
        c.args.map((a) => ("parameter" in a && a.parameter === "admin" && c.name === "OctoToken" ? { account: 0 } : a)),
      ]),
    );
    expect(plan).to.deep.equal(ignition);
  });

  it("test_deployPlan_bindsTheMarketWithTheSameCalls", () => {
    const calls = futures
      .filter((f) => f.type === "CONTRACT_CALL")
      .map((f) => ({
        contract: f.contract!.contractName,
        functionName: f.functionName,
        args: (f.args ?? []).map(describe_),
      }));
    expect(DEPLOY_PLAN.calls).to.deep.equal(calls);
  });

  it("test_deployPlan_parameterDefaultsMatchIgnitions", () => {
    const defaults = new Map<string, unknown>();
    for (const f of deployments)
      for (const p of parametersOf(f)) if (p.type === "MODULE_PARAMETER") defaults.set(p.name, p.defaultValue);
    // admin/treasury default to an account (a runtime value), which the devnet resolves to its deployer.
    expect(defaults.get("stakingDecimalsUnit")).to.equal(DEPLOY_PARAMETERS.stakingDecimalsUnit);
    expect(defaults.get("octoSupply")).to.equal(DEPLOY_PARAMETERS.octoSupply);
    expect((defaults.get("admin") as RuntimeValue).type).to.equal("ACCOUNT");
    expect((defaults.get("treasury") as RuntimeValue).type).to.equal("ACCOUNT");
  });

  it("test_deployPlan_linksTheLibrariesIgnitionDeploys", () => {
    // The devnet links whatever the artifacts' link references name; Ignition lists its libraries by hand.
    const linked = new Set<string>();
    const visit = (source: string, name: string) => {
      const refs = readArtifact(source, name).linkReferences ?? {};
      for (const [file, libs] of Object.entries(refs))
        for (const lib of Object.keys(libs)) {
          linked.add(lib);
          visit(file.replace(/^project\/contracts\//, ""), lib);
        }
    };
    for (const c of DEPLOY_PLAN.contracts) visit(c.source, c.name);
    const ignition = new Set(
      futures.filter((f) => f.type === "NAMED_ARTIFACT_LIBRARY_DEPLOYMENT").map((f) => f.contractName!),
    );
    expect([...linked].sort()).to.deep.equal([...ignition].sort());
  });
});
