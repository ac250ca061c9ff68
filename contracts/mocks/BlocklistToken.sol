// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Test token whose issuer can block accounts from sending or receiving (as USDC and USDT can), to show that
///         one blocked party cannot freeze a settlement.
contract BlocklistToken is ERC20 {
    /// @notice `account` is blocked by the issuer.
    error BlocklistTokenBlocked(address account);

    mapping(address account => bool) public blocked;

    constructor() ERC20("Blocklist USD", "BUSD") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setBlocked(address account, bool isBlocked) external {
        blocked[account] = isBlocked;
    }

    function _update(address from, address to, uint256 value) internal override {
        require(!blocked[from], BlocklistTokenBlocked(from));
        require(!blocked[to], BlocklistTokenBlocked(to));
        super._update(from, to, value);
    }
}
