import ModelKit

extension CountingConventions {
    /// Keras's own counting, as `model.summary()` and `count_params()` do it.
    public static let keras = CountingConventions(
        formatName: "Keras",
        layerCountLabel: "Keras layers (entries of model.layers)",
        layerCountDefinition: "Keras layers: the entries of model.layers",
        layerTermNote: "A Keras \"layer\" is any step of the computation, not a layer in the textbook sense.",
        // Keras's Sequential keeps its InputLayer out of model.layers.
        unlistedInputNote: "a Sequential model does not list its input",
        parameterNote: "Parameters are counted as Keras counts them. BatchNormalization keeps 4 numbers per channel: gamma and beta are trainable, and the moving mean and moving variance are non-trainable moving statistics. PyTorch-style tools count 2 per channel (the running statistics are buffers there, not parameters), which is why these totals differ from torchvision's.",
        parameterShortNote: "Keras's count: BatchNormalization holds 4 per channel",
        nonTrainableNote: "kept out of the optimizer: BatchNormalization moving statistics, frozen layers",
        batchNormalizationNote: "BatchNormalization layers do carry weights (a common misreading says they have none): Keras keeps 4 numbers per channel. gamma (scale) and beta (offset) are learned like any weight (trainable); the moving mean and moving variance are updated from the data during training but not by the optimizer, so Keras counts them as non-trainable.",
        batchNormalizationComparison: "Tools that follow PyTorch's convention count 2 per channel (the running statistics are buffers there, not parameters), so their totals are smaller.",
        unknownDimension: "None",
        kernelCountLabel: "layers with a kernel (Dense, convolutions, recurrent, attention; nested models opened)")
}
