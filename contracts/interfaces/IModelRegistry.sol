// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IModelRegistry
/// @notice The models the market serves. A model's id is the keccak256 of its canonical spec (name, weights digest,
///         quantization, engine), so two registries that list the same weights agree on the id. A model moves one way
///         through its lifecycle: Active → Deprecated → Retired. Deprecated models take no new jobs; Retired models
///         can no longer be claimed either. Jobs already claimed finish whatever happens to their model.
interface IModelRegistry {
    /// @notice Lifecycle of a model; `None` means never registered.
    enum ModelStatus {
        None,
        Active,
        Deprecated,
        Retired
    }

    /// @notice The canonical spec a model id is derived from.
    /// @param name Human-readable name, e.g. "llama-3.1-8b-instruct".
    /// @param weightsDigest sha256 of the weights file(s) as published.
    /// @param quantization e.g. "q4_k_m", "fp16".
    /// @param engine Engine and version that decode deterministically for verifiable jobs, e.g. "vllm-0.6.3".
    struct ModelSpec {
        string name;
        bytes32 weightsDigest;
        string quantization;
        string engine;
    }

    /// @notice On-chain state of a model (one slot).
    struct Model {
        ModelStatus status;
        uint8 minTier;
    }

    /// @notice Emitted when governance lists a model.
    event ModelRegistered(bytes32 indexed modelId, ModelSpec spec, uint8 minTier);
    /// @notice Emitted when a model moves along its lifecycle.
    event ModelStatusChanged(bytes32 indexed modelId, ModelStatus previousStatus, ModelStatus newStatus);
    /// @notice Emitted when governance changes the minimum hardware tier of a model.
    event ModelMinTierChanged(bytes32 indexed modelId, uint8 previousMinTier, uint8 newMinTier);

    /// @notice `registerModel` was called for a spec that is already listed.
    error ModelAlreadyRegistered(bytes32 modelId);
    /// @notice The model id is not listed.
    error ModelUnknown(bytes32 modelId);
    /// @notice The lifecycle only moves forward: Active → Deprecated → Retired.
    error ModelStatusTransitionInvalid(bytes32 modelId, ModelStatus from, ModelStatus to);
    /// @notice Tiers are 0 (Consumer), 1 (Prosumer), 2 (Enterprise).
    error ModelTierInvalid(uint8 tier);

    /// @notice The role allowed to list models and move them along their lifecycle (meant for a timelock).
    function MODEL_ADMIN_ROLE() external view returns (bytes32);

    /// @notice The id of a spec: keccak256(abi.encode(name, weightsDigest, quantization, engine)).
    function computeModelId(ModelSpec calldata spec) external pure returns (bytes32);

    /// @notice Lists a model as Active.
    /// @return modelId The id derived from `spec`.
    function registerModel(ModelSpec calldata spec, uint8 minTier) external returns (bytes32 modelId);

    /// @notice Moves a model to `status`, which must come later in the lifecycle than its current one.
    function setModelStatus(bytes32 modelId, ModelStatus status) external;

    /// @notice Changes the minimum hardware tier a provider needs to serve the model.
    function setModelMinTier(bytes32 modelId, uint8 minTier) external;

    /// @notice The state of a model (status None when unknown).
    function getModel(bytes32 modelId) external view returns (Model memory);
}
