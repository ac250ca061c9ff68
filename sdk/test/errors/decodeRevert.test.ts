import { expect } from "chai";
import { encodeErrorResult } from "viem";
import { ContractRevertedError, decodeRevert, octoErrorAbi, revertSentences } from "@octo/sdk";

describe("decodeRevert", () => {
  it("decodeRevert_ourError_nameArgsAndSentence", () => {
    const data = encodeErrorResult({ abi: octoErrorAbi, errorName: "JobNotInStatus", args: [7n, 3, 2] });
    const error = decodeRevert(data)!;
    expect(error).to.be.instanceOf(ContractRevertedError);
    expect(error.errorName).to.equal("JobNotInStatus");
    expect(error.args).to.deep.equal([7n, 3, 2]);
    expect(error.shortMessage).to.equal("Job 7 is Submitted; this needs it Claimed.");
  });

  it("decodeRevert_openZeppelinErc20Error_saysWhatToDo", () => {
    const spender = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    const data = encodeErrorResult({
      abi: octoErrorAbi,
      errorName: "ERC20InsufficientAllowance",
      args: [spender, 5n, 640n],
    });
    expect(decodeRevert(data)!.shortMessage).to.equal(
      `The market (${spender}) may spend 5 of your tokens but needs 640: approve more, or pay with a permit.`,
    );
  });

  it("decodeRevert_errorCarryingRevertDataInItsCauses_findsIt", () => {
    const data = encodeErrorResult({ abi: octoErrorAbi, errorName: "EnforcedPause" });
    const wrapped = new Error("outer", { cause: new Error("inner", { cause: { data } }) });
    expect(decodeRevert(wrapped)!.errorName).to.equal("EnforcedPause");
  });

  it("decodeRevert_unknownSelectorOrNoData_isUndefined", () => {
    expect(decodeRevert("0xdeadbeef")).to.equal(undefined);
    expect(decodeRevert(new Error("network down"))).to.equal(undefined);
  });

  it("revertSentences_everyErrorOfTheAbi_hasASentence", () => {
    const names = new Set(octoErrorAbi.map((e) => e.name));
    expect(new Set(Object.keys(revertSentences))).to.deep.equal(names);
  });
});
