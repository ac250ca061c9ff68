// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IJobMarket} from "./IJobMarket.sol";

/// @title IJobConsumer
/// @notice Implemented by contracts that create jobs with `callback = true` (on-chain agents). The market calls
///         `onJobFinalized` once, when the job reaches a terminal state (finalized, slashed, timed out, refunded, or
///         cancelled: a cancel calls it too, claimed or not), with a fixed gas cap.
///         A callback that reverts or runs out of gas changes nothing: payments and refunds are already done.
interface IJobConsumer {
    /// @notice Receives the job's receipt. Do not rely on being called: the market ignores failures.
    function onJobFinalized(IJobMarket.Receipt calldata receipt) external;
}
