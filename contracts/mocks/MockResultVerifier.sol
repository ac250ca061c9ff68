// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IResultVerifier} from "../interfaces/IResultVerifier.sol";

/// @title MockResultVerifier
/// @notice Test double that answers a configured verdict, for exercising control flow where proving every step
///         would be too slow (fuzz and invariant runs). Key tests use the real ResultVerifier and real proofs.
contract MockResultVerifier is IResultVerifier {
    bool private _verdict = true;

    /// @notice Sets what every verification returns.
    function setVerdict(bool verdict) external {
        _verdict = verdict;
    }

    /// @inheritdoc IResultVerifier
    function verifyProof(uint256[8] calldata, uint256[3] calldata) external view returns (bool) {
        return _verdict;
    }

    /// @inheritdoc IResultVerifier
    function verifyBatch(uint256[8][] calldata proofs, uint256[3][] calldata publicSignals)
        external
        view
        returns (bool)
    {
        return _verdict && proofs.length == publicSignals.length && proofs.length > 0;
    }

    /// @inheritdoc IResultVerifier
    function circuitId() external pure returns (bytes32) {
        return keccak256("mock");
    }
}
