/// The output height and width of an image resize or crop and where they go: the last three
/// axes are `(height, width, channels)` channels-last and `(channels, height, width)`
/// channels-first, for a batched (rank 4) or single (rank 3) image.
public struct ImageSizeTarget: Sendable, Hashable {
    public let height: Int
    public let width: Int
    public let channelsFirst: Bool


    /// The input with its height and width replaced; rank 3 or 4 only.
    public func outputShape(_ input: TensorShape, _ layer: String) throws -> TensorShape {
        guard input.rank == 3 || input.rank == 4 else {
            throw LayerError("\(layer) expects an image batch of rank 4 (or one image of rank 3), found \(input)")
        }
        var out = input
        let h = input.rank - (channelsFirst ? 2 : 3)
        out[h] = height
        out[h + 1] = width
        return out
    }

    /// Every property, as a reader sets them.
    public init(height: Int, width: Int, channelsFirst: Bool) {
        self.height = height
        self.width = width
        self.channelsFirst = channelsFirst
    }
}
