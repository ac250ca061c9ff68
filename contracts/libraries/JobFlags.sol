// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title JobFlags
/// @notice The bits of `IJobMarket.Job.flags`.
library JobFlags {
    /// @notice Deterministic decoding: open to sampling and re-execution by a committee.
    uint8 internal constant VERIFIABLE = 1;
    /// @notice The user is an IJobConsumer, notified when the job ends.
    uint8 internal constant CALLBACK = 2;
    /// @notice The provider has the job secret (delivered, or in a named job's envelope).
    uint8 internal constant KEY_DELIVERED = 4;
    /// @notice The job named its provider (claimed at creation; its envelope is sealed to that provider alone).
    uint8 internal constant NAMED = 8;
    /// @notice The escrow came from the user's balance in the market; refunds go back to it.
    uint8 internal constant FROM_BALANCE = 16;
}
