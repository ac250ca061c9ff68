// Public deployments end with every admin role behind an OctoTimelock: governance's multisig proposes, the delay
// passes in public, anyone executes. The deployer keeps nothing. Only pausing (which stops new jobs and claims and has
// no path to funds) stays immediate, with a guardian, because an emergency cannot wait for a delay.
import { keccak256, toBytes, zeroAddress, zeroHash } from "viem";
import type { Builder, CoreFutures } from "./core.ts";

const DEFAULT_ADMIN_ROLE = zeroHash;
const role = (name: string) => keccak256(toBytes(name));

export function handToTimelock(m: Builder, core: CoreFutures) {
  const deployer = m.getAccount(0);
  const minDelay = m.getParameter<bigint>("timelockDelaySeconds");
  const governance = m.getParameter<string>("governance");
  const guardian = m.getParameter<string>("guardian"); // may pause at once (a multisig, or governance's own)
  const timelock = m.contract("OctoTimelock", [minDelay, [governance], [zeroAddress]]);

  const { jobMarket, stakingRegistry, modelRegistry } = core;
  const roles = [
    { contract: jobMarket, id: "JobMarket", names: ["PARAMS_ROLE", "PAUSER_ROLE"] },
    { contract: stakingRegistry, id: "StakingRegistry", names: ["PARAMS_ROLE"] },
    { contract: modelRegistry, id: "ModelRegistry", names: ["MODEL_ADMIN_ROLE"] },
  ] as const;
  const grants = roles.flatMap(({ contract, id, names }) => [
    ...["DEFAULT_ADMIN_ROLE", ...names].map((name) =>
      m.call(contract, "grantRole", [name === "DEFAULT_ADMIN_ROLE" ? DEFAULT_ADMIN_ROLE : role(name), timelock], {
        id: `${id}_grant_${name}_timelock`,
      }),
    ),
  ]);
  grants.push(
    m.call(jobMarket, "grantRole", [role("PAUSER_ROLE"), guardian], { id: "JobMarket_grant_PAUSER_ROLE_guardian" }),
  );
  // Renounced last: the deployer's setup calls (binding, payment token) need its roles until they are done.
  for (const { contract, id, names } of roles) {
    for (const name of [...names, "DEFAULT_ADMIN_ROLE"]) {
      m.call(contract, "renounceRole", [name === "DEFAULT_ADMIN_ROLE" ? DEFAULT_ADMIN_ROLE : role(name), deployer], {
        id: `${id}_renounce_${name}`,
        after: [...grants, ...core.setup],
      });
    }
  }
  return { timelock };
}
