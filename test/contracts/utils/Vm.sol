// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice The few Foundry-compatible cheatcodes our Solidity tests use (Hardhat 3's runner implements them; forge-std
///         cannot be installed here, and these lines are all we need from it).
interface Vm {
    function prank(address sender) external;
    function warp(uint256 timestamp) external;
    function roll(uint256 blockNumber) external;
}

Vm constant VM = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
