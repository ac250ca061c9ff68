import { expect } from "chai";
import { DeploymentsError, parseDeployments, serializeDeployments } from "@octo/sdk";

const file = {
  chainId: 31337,
  contracts: {
    JobMarket: { address: "0x5fbdb2315678afecb367f032d93f642f64180aa3", deployedOnBlock: 12 },
    StakingRegistry: { address: "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512", deployedOnBlock: 10 },
    ModelRegistry: { address: "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0", deployedOnBlock: 11 },
    MockUSDC: { address: "0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9", deployedOnBlock: 9 },
  },
};

describe("deployments", () => {
  it("parseDeployments_checksumsAddressesAndKeepsExtraContracts", () => {
    const d = parseDeployments(JSON.stringify(file), { chainId: 31337 });
    expect(d.contracts.JobMarket).to.deep.equal({
      address: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      deployedOnBlock: 12n,
    });
    expect(d.contracts.MockUSDC?.deployedOnBlock).to.equal(9n);
    expect(parseDeployments(serializeDeployments(d))).to.deep.equal(d);
  });

  it("parseDeployments_anotherChain_isRefused", () => {
    expect(() => parseDeployments(file, { chainId: 137 })).to.throw(DeploymentsError, "chain 31337, not 137");
  });

  it("parseDeployments_missingTheMarket_isRefused", () => {
    const { JobMarket: _, ...rest } = file.contracts;
    expect(() => parseDeployments({ chainId: 31337, contracts: rest })).to.throw(
      DeploymentsError,
      "not a deployments file",
    );
  });
});
