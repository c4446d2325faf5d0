/// Every layer class Strata understands, by Keras class name.
///
/// Adding a layer type: one file in `Layers/`, one line here, one Keras-made fixture.
public enum LayerCatalog {
    /// The catalog, one line per class.
    public static let kinds: [any LayerKind.Type] = [
        InputLayer.self,
        // core
        // convolution
        // pooling and reshaping
        // merging
        // normalization
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
