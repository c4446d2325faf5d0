import ModelKit

extension RepeatOp {
    public init(config: LayerConfig) throws {
        var n: Int
        n = try config.positiveInt("n")
        self.init(n: n)
    }
}
