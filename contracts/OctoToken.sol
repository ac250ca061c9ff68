// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title OctoToken
/// @notice The staking token on local and test networks: a fixed supply minted once to `holder`, with EIP-2612
///         permit. On Polygon PoS an existing token is configured instead; the staking registry takes any ERC20.
contract OctoToken is ERC20, ERC20Permit {
    constructor(address holder, uint256 supply) ERC20("Octo", "OCTO") ERC20Permit("Octo") {
        _mint(holder, supply);
    }
}
