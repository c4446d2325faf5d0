import ModelKit

/// keras/src/layers/pooling/base_adaptive_pooling.py (`output_size`: one number or one per
/// spatial axis; `data_format`) and keras/src/layers/preprocessing/discretization.py
/// (`bin_boundaries`, `output_mode`: only "int" runs; the others encode the ids).
enum KerasAdaptivePooling {
    static func make(_ config: LayerConfig, rank: Int, reduction: PoolingOp.Reduction, _ n: String) throws -> any Operator {
        let size = try config.intTuple("output_size", count: rank)
        return named(AdaptivePoolingOp(outputSize: size, reduction: reduction, channelsFirst: try config.channelsFirst()), n)
    }

    static func discretization(_ config: LayerConfig, _ n: String) throws -> any Operator {
        guard let list = config["bin_boundaries"]?.arrayValue else {
            throw config.error("bin_boundaries", "needs the bucket boundaries (a Discretization saved before adapt() has none)")
        }
        let bounds = try list.enumerated().map { i, v -> Float in
            guard let d = v.doubleValue else { throw config.error("bin_boundaries", "entry \(i) is not a number: \(v.brief)") }
            return Float(d)
        }
        let mode = config["output_mode"]?.stringValue ?? "int"
        guard mode == "int" else { throw config.error("output_mode", "only \"int\" is read, found \"\(mode)\"") }
        return named(BucketizeOp(boundaries: bounds), n)
    }
}
