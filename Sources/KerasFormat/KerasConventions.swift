import ModelKit

extension CountingConventions {
    /// Keras's own counting, as `model.summary()` and `count_params()` do it.
    public static let keras = CountingConventions(
        formatName: "Keras",
        layerCountLabel: "Keras layers (entries of model.layers)",
        parameterNote: "Parameters are counted as Keras counts them. BatchNormalization keeps 4 numbers per channel: gamma and beta are trainable, and the moving mean and moving variance are non-trainable moving statistics. PyTorch-style tools count 2 per channel (the running statistics are buffers there, not parameters), which is why these totals differ from torchvision's.",
        unknownDimension: "None")
}
