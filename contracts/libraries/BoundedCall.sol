// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title BoundedCall
/// @notice A call that can neither revert its caller, nor take more than a fixed amount of gas, nor flood memory
///         with return data: what the market needs to notify consumer contracts without letting them block payment.
library BoundedCall {
    /// @notice There is not enough gas left to give the callee its full allowance (EIP-150 keeps 1/64 back).
    error BoundedCallGasInsufficient(uint256 available, uint256 needed);

    /// @notice Calls `target` with `data` and exactly `gasLimit` gas, ignoring any return data.
    /// @dev Reverts (the whole transaction) when fewer than gasLimit × 64/63 + 5,000 gas remain, so a caller cannot
    ///      starve the callee on purpose to make it fail. Return data is never copied (no returndata bomb).
    /// @return success Whether the call succeeded.
    function call(address target, uint256 gasLimit, bytes memory data) internal returns (bool success) {
        uint256 needed = gasLimit + gasLimit / 63 + 5000;
        require(gasleft() >= needed, BoundedCallGasInsufficient(gasleft(), needed));
        assembly ("memory-safe") {
            success := call(gasLimit, target, 0, add(data, 0x20), mload(data), 0, 0)
        }
    }
}
