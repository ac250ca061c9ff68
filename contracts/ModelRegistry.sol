// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ProtocolConstants} from "./generated/ProtocolConstants.sol";
import {IModelRegistry} from "./interfaces/IModelRegistry.sol";

/// @title ModelRegistry
/// @notice See IModelRegistry. Holds no funds.
contract ModelRegistry is IModelRegistry, AccessControl {
    /// @inheritdoc IModelRegistry
    bytes32 public constant MODEL_ADMIN_ROLE = keccak256("MODEL_ADMIN_ROLE");

    mapping(bytes32 modelId => Model) private _models;

    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MODEL_ADMIN_ROLE, admin);
    }

    /// @inheritdoc IModelRegistry
    function computeModelId(ModelSpec calldata spec) public pure returns (bytes32) {
        return keccak256(abi.encode(spec.name, spec.weightsDigest, spec.quantization, spec.engine));
    }

    /// @inheritdoc IModelRegistry
    function registerModel(ModelSpec calldata spec, uint8 minTier)
        external
        onlyRole(MODEL_ADMIN_ROLE)
        returns (bytes32 modelId)
    {
        require(minTier < ProtocolConstants.TIER_COUNT, ModelTierInvalid(minTier));
        modelId = computeModelId(spec);
        require(_models[modelId].status == ModelStatus.None, ModelAlreadyRegistered(modelId));
        _models[modelId] = Model({status: ModelStatus.Active, minTier: minTier});
        emit ModelRegistered(modelId, spec, minTier);
    }

    /// @inheritdoc IModelRegistry
    function setModelStatus(bytes32 modelId, ModelStatus status) external onlyRole(MODEL_ADMIN_ROLE) {
        ModelStatus current = _models[modelId].status;
        require(current != ModelStatus.None, ModelUnknown(modelId));
        require(uint8(status) > uint8(current), ModelStatusTransitionInvalid(modelId, current, status));
        _models[modelId].status = status;
        emit ModelStatusChanged(modelId, current, status);
    }

    /// @inheritdoc IModelRegistry
    function setModelMinTier(bytes32 modelId, uint8 minTier) external onlyRole(MODEL_ADMIN_ROLE) {
        Model storage model = _models[modelId];
        require(model.status != ModelStatus.None, ModelUnknown(modelId));
        require(minTier < ProtocolConstants.TIER_COUNT, ModelTierInvalid(minTier));
        emit ModelMinTierChanged(modelId, model.minTier, minTier);
        model.minTier = minTier;
    }

    /// @inheritdoc IModelRegistry
    function getModel(bytes32 modelId) external view returns (Model memory) {
        return _models[modelId];
    }
}
