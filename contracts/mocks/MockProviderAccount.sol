// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title MockProviderAccount
/// @notice Test double of a provider that is a contract (a multisig, a smart account): its owner makes it call any
///         contract. It registers, stakes, claims and submits as itself, so the market sees the contract as the
///         provider, and the submitted proofs never appear as the input of a transaction sent to the market.
contract MockProviderAccount {
    /// @notice Only the owner may make the account call out.
    error AccountCallerNotOwner(address caller);
    /// @notice The forwarded call reverted; `reason` is its revert data.
    error AccountCallFailed(address target, bytes reason);

    address private immutable _OWNER;

    constructor(address owner) {
        _OWNER = owner;
    }

    /// @notice Calls `target` with `data` from this account and returns what it returned.
    function execute(address target, bytes calldata data) external returns (bytes memory result) {
        require(msg.sender == _OWNER, AccountCallerNotOwner(msg.sender));
        bool ok;
        (ok, result) = target.call(data);
        require(ok, AccountCallFailed(target, result));
    }
}
