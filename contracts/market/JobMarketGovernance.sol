// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Settlement} from "../libraries/Settlement.sol";
import {JobMarketStorage} from "./JobMarketStorage.sol";

/// @title JobMarketGovernance
/// @notice JobMarket's governance: bounded parameters set by PARAMS_ROLE (meant for a timelock), the payment-token
///         allow list, and pausing by PAUSER_ROLE. Nothing here has a path to escrow or fees.
abstract contract JobMarketGovernance is JobMarketStorage {
    bytes32 public constant PARAMS_ROLE = keccak256("PARAMS_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice The protocol fee can never exceed 10% of a payment.
    uint16 public constant MAX_FEE_BPS = 1_000;
    /// @notice Job collateral can never exceed 1,000,000 staking tokens (18 decimals).
    uint80 public constant MAX_COLLATERAL = 1e24;
    /// @notice Job collateral can never be below 1 staking token (18 decimals): at 0 a slash would cost nothing.
    uint80 public constant MIN_COLLATERAL = 1e18;
    uint40 private constant _MIN_WINDOW = 10 minutes;
    uint40 private constant _MAX_WINDOW = 30 days;

    // ================================================================ governance (no path to funds)

    function setFeeBps(uint16 feeBps) external onlyRole(PARAMS_ROLE) {
        require(feeBps <= MAX_FEE_BPS, GovernanceFeeTooHigh(feeBps, MAX_FEE_BPS));
        _feeBps = feeBps;
        emit FeeSet(feeBps);
    }

    function setTreasury(address treasury) external onlyRole(PARAMS_ROLE) {
        require(treasury != address(0), GovernanceZeroAddress());
        _treasury = treasury;
        emit TreasurySet(treasury);
    }

    /// @dev Disallowing a token stops new jobs in it; live jobs still settle in it.
    function setPaymentToken(address token, bool allowed) external onlyRole(PARAMS_ROLE) {
        require(token != address(0), GovernanceZeroAddress());
        uint8 id = _paymentTokenIds[token];
        if (id == 0) {
            require(_paymentTokens.length < type(uint8).max, GovernanceTooManyTokens());
            _paymentTokens.push(token);
            // Cannot overflow: length < 255 was checked above.
            id = uint8(_paymentTokens.length);
            _paymentTokenIds[token] = id;
        }
        _paymentTokenAllowed[id] = allowed;
        emit PaymentTokenSet(token, allowed);
    }

    /// @dev Each window within [10 minutes, 30 days]; a window applies from the next step that starts it.
    function setWindows(uint40 challengeWindow, uint40 disputeWindow, uint40 keyDeliveryWindow)
        external
        onlyRole(PARAMS_ROLE)
    {
        _checkWindow(challengeWindow);
        _checkWindow(disputeWindow);
        _checkWindow(keyDeliveryWindow);
        (_challengeWindow, _disputeWindow, _keyDeliveryWindow) = (challengeWindow, disputeWindow, keyDeliveryWindow);
        emit WindowsSet(challengeWindow, disputeWindow, keyDeliveryWindow);
    }

    /// @dev Applies to claims made afterwards; each job keeps the collateral it locked.
    function setCollateral(uint80 collateral) external onlyRole(PARAMS_ROLE) {
        require(collateral <= MAX_COLLATERAL, GovernanceCollateralTooHigh(collateral, MAX_COLLATERAL));
        require(collateral >= MIN_COLLATERAL, GovernanceCollateralTooLow(collateral, MIN_COLLATERAL));
        _collateral = collateral;
        emit CollateralSet(collateral);
    }

    /// @dev Share of verifiable results sent to a committee without a user dispute, in basis points.
    function setSampleBps(uint16 sampleBps) external onlyRole(PARAMS_ROLE) {
        require(sampleBps <= Settlement.BPS, GovernanceSampleRateTooHigh(sampleBps));
        _sampleBps = sampleBps;
        emit SampleRateSet(sampleBps);
    }

    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    // ================================================================ views

    /// @notice Current parameters.
    function parameters()
        external
        view
        returns (
            uint16 feeBps,
            uint40 challengeWindow,
            uint40 disputeWindow,
            uint40 keyDeliveryWindow,
            uint16 sampleBps,
            uint80 collateral,
            address treasury
        )
    {
        return (_feeBps, _challengeWindow, _disputeWindow, _keyDeliveryWindow, _sampleBps, _collateral, _treasury);
    }

    /// @notice The payment token behind an allow-list id, and whether it is allowed for new jobs.
    function paymentToken(uint8 id) external view returns (address token, bool allowed) {
        return (id == 0 || id > _paymentTokens.length ? address(0) : _paymentTokens[id - 1], _paymentTokenAllowed[id]);
    }

    // ================================================================ internals

    function _checkWindow(uint40 window) private pure {
        require(window >= _MIN_WINDOW && window <= _MAX_WINDOW, GovernanceWindowInvalid(window));
    }
}
