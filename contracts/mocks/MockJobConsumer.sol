// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IJobConsumer} from "../interfaces/IJobConsumer.sol";
import {IJobMarket} from "../interfaces/IJobMarket.sol";

/// @title MockJobConsumer
/// @notice Test double of an on-chain agent: creates jobs and receives `onJobFinalized`, behaving as configured
///         (record, revert, burn all gas, re-enter the market, or return a huge blob).
contract MockJobConsumer is IJobConsumer {
    enum Behaviour {
        Record,
        Revert,
        BurnGas,
        Reenter,
        ReturnBomb
    }

    error ConsumerCallerNotMarket(address caller);
    error ConsumerRefuses(uint256 jobId);

    IJobMarket private immutable _MARKET;
    Behaviour public behaviour;
    uint256 public calls;
    uint256 public lastJobId;
    uint256 public lastProviderAmount;
    uint8 public lastStatus;
    bool public reentrySucceeded;

    constructor(IJobMarket market) {
        _MARKET = market;
    }

    function setBehaviour(Behaviour b) external {
        behaviour = b;
    }

    function createJob(IJobMarket.JobRequest calldata request, bytes calldata envelope) external returns (uint256) {
        IERC20(request.paymentToken).approve(address(_MARKET), type(uint256).max);
        return _MARKET.createJob(request, envelope, "", bytes32(0));
    }

    /// @inheritdoc IJobConsumer
    function onJobFinalized(IJobMarket.Receipt calldata receipt) external {
        require(msg.sender == address(_MARKET), ConsumerCallerNotMarket(msg.sender));
        Behaviour b = behaviour;
        if (b == Behaviour.Revert) revert ConsumerRefuses(receipt.jobId);
        if (b == Behaviour.BurnGas) {
            while (true) {
                calls += 1;
            }
        }
        if (b == Behaviour.Reenter) {
            (bool ok,) = address(_MARKET).call(abi.encodeCall(IJobMarket.finalize, (receipt.jobId)));
            reentrySucceeded = ok;
        }
        if (b == Behaviour.ReturnBomb) {
            assembly ("memory-safe") {
                return(0, 100000)
            }
        }
        calls += 1;
        lastJobId = receipt.jobId;
        lastProviderAmount = receipt.providerAmount;
        lastStatus = uint8(receipt.job.status);
    }
}
