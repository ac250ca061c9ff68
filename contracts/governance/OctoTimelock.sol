// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title OctoTimelock
/// @notice Where every admin role of a public deployment ends (ignition/modules/governance.ts): a parameter change,
///         a model listing or a role change is proposed by governance, waits `minDelay` in public, and only then can be
///         executed, so that providers and users see it coming and can leave first.
/// @dev OpenZeppelin's TimelockController with no separate admin: the timelock administers itself, so changing its
///      proposers or its delay goes through the same delay.
contract OctoTimelock is TimelockController {
    /// @param minDelay Seconds between a proposal and its execution.
    /// @param proposers Who may propose and cancel (governance's multisig).
    /// @param executors Who may execute a proposal once its delay has passed; [address(0)] lets anyone.
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors)
        TimelockController(minDelay, proposers, executors, address(0))
    {}
}
