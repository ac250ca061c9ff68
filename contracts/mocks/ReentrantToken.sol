// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title ReentrantToken
/// @notice Test double: an ERC20 that, on each transfer out of `market`, calls `market` again with a configured
///         payload and records whether that nested call succeeded. Used to show the market's guards hold.
contract ReentrantToken is ERC20 {
    address private _market;
    bytes private _payload;
    bool public reentered;
    bool public reentrySucceeded;

    constructor() ERC20("Reentrant", "REENT") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the attack: the next transfer from `market` calls it with `payload`.
    function arm(address market, bytes calldata payload) external {
        _market = market;
        _payload = payload;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (from == _market && _market != address(0) && !reentered) {
            reentered = true;
            (bool ok,) = _market.call(_payload);
            reentrySucceeded = ok;
        }
    }
}
