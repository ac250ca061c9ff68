// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OutputDigest} from "../../../contracts/libraries/OutputDigest.sol";

/// @dev Exposes the internal OutputDigest.digest to tests (deployed linked to PoseidonT17 and PoseidonT5).
contract OutputDigestHarness {
    function digest(uint256[] calldata elements) external pure returns (uint256) {
        return OutputDigest.digest(elements);
    }
}
