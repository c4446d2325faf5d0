import ModelKit

extension RepeatOp {
    /// RepeatVector (keras/src/layers/reshaping/repeat_vector.py): `n`.
    public init(config: LayerConfig) throws {
        var n: Int
        n = try config.positiveInt("n")
        self.init(n: n)
    }
}
