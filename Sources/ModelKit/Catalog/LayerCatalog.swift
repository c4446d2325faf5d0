/// Every layer class Strata understands, by Keras class name.
///
/// Adding a layer type: one file in `Layers/`, one line here, one Keras-made fixture.
public enum LayerCatalog {
    /// The catalog, one line per class.
    public static let kinds: [any LayerKind.Type] = [
        InputLayer.self,
        OperationKind.self,
        // core
        Dense.self,
        EinsumDense.self,
        Activation.self,
        ReLU.self,
        LeakyReLU.self,
        PReLU.self,
        ELU.self,
        Softmax.self,
        ThresholdedReLU.self,
        Dropout.self,
        SpatialDropout1D.self,
        SpatialDropout2D.self,
        SpatialDropout3D.self,
        GaussianNoise.self,
        GaussianDropout.self,
        AlphaDropout.self,
        ActivityRegularization.self,
        Identity.self,
        // convolution
        Conv1D.self,
        Conv2D.self,
        Conv3D.self,
        Conv1DTranspose.self,
        Conv2DTranspose.self,
        Conv3DTranspose.self,
        DepthwiseConv1D.self,
        DepthwiseConv2D.self,
        SeparableConv1D.self,
        SeparableConv2D.self,
        // pooling and reshaping
        Flatten.self,
        Reshape.self,
        Permute.self,
        RepeatVector.self,
        MaxPooling1D.self,
        MaxPooling2D.self,
        MaxPooling3D.self,
        AveragePooling1D.self,
        AveragePooling2D.self,
        AveragePooling3D.self,
        GlobalAveragePooling1D.self,
        GlobalAveragePooling2D.self,
        GlobalAveragePooling3D.self,
        GlobalMaxPooling1D.self,
        GlobalMaxPooling2D.self,
        GlobalMaxPooling3D.self,
        ZeroPadding1D.self,
        ZeroPadding2D.self,
        ZeroPadding3D.self,
        Cropping1D.self,
        Cropping2D.self,
        Cropping3D.self,
        UpSampling1D.self,
        UpSampling2D.self,
        UpSampling3D.self,
        // merging
        Add.self,
        Subtract.self,
        Multiply.self,
        Average.self,
        Maximum.self,
        Minimum.self,
        Concatenate.self,
        Dot.self,
        // normalization
        BatchNormalization.self,
        LayerNormalization.self,
        GroupNormalization.self,
        UnitNormalization.self,
        RMSNormalization.self,
        // recurrent and attention
        Embedding.self,
        SimpleRNN.self,
        LSTM.self,
        GRU.self,
        RNN.self,
        Bidirectional.self,
        TimeDistributed.self,
        MultiHeadAttention.self,
        Attention.self,
        AdditiveAttention.self,
        ConvLSTM1D.self,
        ConvLSTM2D.self,
        ConvLSTM3D.self,
        // preprocessing and application-specific
        Normalization.self,
        Rescaling.self,
        Resizing.self,
        CenterCrop.self,
        CustomScaleLayer.self,
        LayerScale.self,
        StochasticDepth.self,
        RandomFlip.self,
        RandomRotation.self,
        RandomTranslation.self,
        RandomZoom.self,
        RandomContrast.self,
        RandomBrightness.self,
        RandomCrop.self,
    ]

    /// Lookup by class name and aliases.
    public static let byName: [String: any LayerKind.Type] = {
        var table: [String: any LayerKind.Type] = [:]
        for kind in kinds {
            table[kind.className] = kind
            for alias in kind.aliases { table[alias] = kind }
        }
        return table
    }()

    /// The kind for a saved class name (`keras.layers.Conv2D` and `Conv2D` both resolve).
    public static func kind(named className: String) -> (any LayerKind.Type)? {
        if let k = byName[className] { return k }
        if let dot = className.lastIndex(of: ".") { return byName[String(className[className.index(after: dot)...])] }
        return nil
    }

    /// Class names for `strata layers`, sorted.
    public static var classNames: [String] { kinds.map { $0.className }.sorted() }
}
