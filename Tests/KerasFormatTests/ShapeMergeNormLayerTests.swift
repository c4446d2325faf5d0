import Testing
@testable import ModelKit
@testable import KerasFormat

// Layer kinds of the pooling/reshaping, merging, normalization and preprocessing groups.
// Truth: numbers copied from Keras-made fixtures (keras 3.15.1, tf-keras 2.21) where a case
// names one (`fixture: name/layer`), otherwise hand arithmetic shown in the comment.

private func kind(_ className: String, _ json: String) throws -> any Operator { try catalogKind(className, json) }

/// `(None, 8, 9)` from `s(nil, 8, 9)`.
private func s(_ dims: Int?...) -> TensorShape { TensorShape(dims) }

/// The message of whatever `body` throws ("" when it does not throw).
private func thrownText(_ body: () throws -> Void) -> String {
    do { try body() } catch { return String(describing: error) }
    return ""
}

struct ShapeCase: Sendable, CustomStringConvertible {
    let className: String
    let config: String
    let inputs: [TensorShape]
    let expected: TensorShape
    let note: String
    init(_ className: String, _ config: String, _ inputs: [TensorShape], _ expected: TensorShape, _ note: String = "") {
        self.className = className; self.config = config; self.inputs = inputs; self.expected = expected; self.note = note
    }
    var description: String { "\(className) \(config) \(note)" }
}

private let shapeCases: [ShapeCase] = [
    // Pooling (fixture pooling_1d, pooling_2d, conv2d_channels_first).
    ShapeCase("MaxPooling1D", #"{"pool_size": [2], "padding": "valid", "strides": [2]}"#, [s(nil, 17, 4)], s(nil, 8, 4), "fixture pooling_1d/max_default"),
    ShapeCase("MaxPooling1D", #"{"pool_size": [3], "padding": "same", "strides": [2]}"#, [s(nil, 17, 4)], s(nil, 9, 4), "fixture pooling_1d/max_same_s2"),
    ShapeCase("AveragePooling1D", #"{"pool_size": [3], "padding": "valid", "strides": [2]}"#, [s(nil, 17, 4)], s(nil, 8, 4), "fixture pooling_1d/avg_valid_s2"),
    ShapeCase("AveragePooling1D", #"{"pool_size": 4, "padding": "same", "strides": null}"#, [s(nil, 17, 4)], s(nil, 5, 4), "strides default to pool_size: ceil(17/4) = 5"),
    ShapeCase("MaxPooling2D", #"{"pool_size": [2, 2]}"#, [s(nil, 11, 10, 3)], s(nil, 5, 5, 3), "fixture pooling_2d/max_default"),
    ShapeCase("MaxPooling2D", #"{"pool_size": [3, 2], "padding": "same", "strides": [2, 3]}"#, [s(nil, 11, 10, 3)], s(nil, 6, 4, 3), "fixture pooling_2d/max_same"),
    ShapeCase("AveragePooling2D", #"{"pool_size": [3, 3], "padding": "valid", "strides": [2, 2]}"#, [s(nil, 11, 10, 3)], s(nil, 5, 4, 3), "fixture pooling_2d/avg_valid_s2"),
    ShapeCase("MaxPooling2D", #"{"pool_size": [2, 2], "data_format": "channels_first"}"#, [s(nil, 4, 8, 6)], s(nil, 4, 4, 3), "fixture conv2d_channels_first/pool_cf"),
    ShapeCase("MaxPool2D", #"{"pool_size": 2}"#, [s(nil, nil, 10, 3)], s(nil, nil, 5, 3), "alias; unknown height stays unknown"),
    ShapeCase("AveragePooling3D", #"{"pool_size": [2, 2, 2]}"#, [s(nil, 4, 6, 9, 2)], s(nil, 2, 3, 4, 2), "floor((9-2)/2)+1 = 4"),
    ShapeCase("MaxPooling3D", #"{"pool_size": 3, "strides": 1, "padding": "same", "data_format": "channels_first"}"#, [s(nil, 2, 5, 5, 5)], s(nil, 2, 5, 5, 5)),
    // Global pooling (fixture global_pooling, conv2d_channels_first).
    ShapeCase("GlobalAveragePooling1D", #"{"keepdims": false}"#, [s(nil, 9, 4)], s(nil, 4), "fixture global_pooling/gap1d"),
    ShapeCase("GlobalMaxPooling1D", #"{"keepdims": true}"#, [s(nil, 9, 4)], s(nil, 1, 4), "fixture global_pooling/gmp1d_keep"),
    ShapeCase("GlobalAveragePooling2D", #"{"keepdims": true}"#, [s(nil, 7, 6, 5)], s(nil, 1, 1, 5), "fixture global_pooling/gap2d_keep"),
    ShapeCase("GlobalMaxPooling2D", #"{}"#, [s(nil, 7, 6, 5)], s(nil, 5), "fixture global_pooling/gmp2d"),
    ShapeCase("GlobalAveragePooling2D", #"{"data_format": "channels_first"}"#, [s(nil, 4, 4, 3)], s(nil, 4), "fixture conv2d_channels_first/gap_cf"),
    ShapeCase("GlobalMaxPooling3D", #"{"data_format": "channels_first", "keepdims": true}"#, [s(nil, 4, 2, 3, 5)], s(nil, 4, 1, 1, 1)),
    ShapeCase("GlobalAveragePooling3D", #"{}"#, [s(nil, 2, 3, 5, 7)], s(nil, 7)),
    // Padding and cropping (fixture padding_cropping).
    ShapeCase("ZeroPadding1D", #"{"padding": [1, 3]}"#, [s(nil, 10, 4)], s(nil, 14, 4), "fixture padding_cropping/zpad1d"),
    ShapeCase("ZeroPadding2D", #"{"padding": [[1, 2], [3, 0]]}"#, [s(nil, 8, 9, 2)], s(nil, 11, 12, 2), "fixture padding_cropping/zpad2d"),
    ShapeCase("ZeroPadding2D", #"{"padding": [2, 1], "data_format": "channels_first"}"#, [s(nil, 2, 8, 9)], s(nil, 2, 12, 11), "pair = symmetric per axis"),
    ShapeCase("ZeroPadding2D", #"{}"#, [s(nil, 8, nil, 2)], s(nil, 10, nil, 2), "default ((1, 1), (1, 1))"),
    ShapeCase("ZeroPadding3D", #"{"padding": 2}"#, [s(nil, 1, 2, 3, 4)], s(nil, 5, 6, 7, 4)),
    ShapeCase("Cropping1D", #"{"cropping": [2, 1]}"#, [s(nil, 14, 4)], s(nil, 11, 4), "fixture padding_cropping/crop1d"),
    ShapeCase("Cropping2D", #"{"cropping": [[1, 0], [2, 3]]}"#, [s(nil, 11, 12, 2)], s(nil, 10, 7, 2), "fixture padding_cropping/crop2d"),
    ShapeCase("Cropping2D", #"{"cropping": 1, "data_format": "channels_first"}"#, [s(nil, 3, 5, 6)], s(nil, 3, 3, 4)),
    ShapeCase("Cropping3D", #"{}"#, [s(nil, 4, 5, 6, 2)], s(nil, 2, 3, 4, 2), "default ((1, 1), (1, 1), (1, 1))"),
    // Upsampling (fixture upsampling).
    ShapeCase("UpSampling1D", #"{"size": 3}"#, [s(nil, 5, 3)], s(nil, 15, 3), "fixture upsampling/up1d"),
    ShapeCase("UpSampling2D", #"{"size": [2, 3], "interpolation": "nearest"}"#, [s(nil, 4, 5, 2)], s(nil, 8, 15, 2), "fixture upsampling/up2d_nearest"),
    ShapeCase("UpSampling2D", #"{"size": [2, 2], "interpolation": "bilinear", "data_format": "channels_first"}"#, [s(nil, 2, 4, 5)], s(nil, 2, 8, 10)),
    ShapeCase("UpSampling3D", #"{"size": [1, 2, 3]}"#, [s(nil, 2, 2, 2, 1)], s(nil, 2, 4, 6, 1)),
    // Reshaping (fixture reshape_permute_flatten_repeat).
    ShapeCase("Permute", #"{"dims": [2, 1, 3]}"#, [s(nil, 4, 6, 2)], s(nil, 6, 4, 2), "fixture .../permute"),
    ShapeCase("Reshape", #"{"target_shape": [-1, 4]}"#, [s(nil, 6, 4, 2)], s(nil, 12, 4), "fixture .../reshape_minus1"),
    ShapeCase("Reshape", #"{"target_shape": [2, 3]}"#, [s(nil, 6)], s(nil, 2, 3)),
    ShapeCase("Reshape", #"{"target_shape": [-1, 4]}"#, [s(nil, nil, 4)], s(nil, nil, 4), "unknown input: -1 stays unknown"),
    ShapeCase("Flatten", #"{"data_format": "channels_last"}"#, [s(nil, 12, 4)], s(nil, 48), "fixture .../flatten"),
    ShapeCase("Flatten", #"{"data_format": "channels_first"}"#, [s(nil, 3, nil)], s(nil, nil)),
    ShapeCase("Flatten", #"{}"#, [s(nil)], s(nil, 1), "rank-1 input gives (batch, 1)"),
    ShapeCase("RepeatVector", #"{"n": 3}"#, [s(nil, 48)], s(nil, 3, 48), "fixture .../repeat"),
    // Merging (fixture merge_elementwise, concatenate_axes, dot_axes_normalize).
    ShapeCase("Add", #"{}"#, [s(nil, 6), s(nil, 6), s(nil, 6)], s(nil, 6), "fixture merge_elementwise/add3"),
    ShapeCase("Subtract", #"{}"#, [s(nil, 6), s(nil, 6)], s(nil, 6), "fixture merge_elementwise/subtract"),
    ShapeCase("Multiply", #"{}"#, [s(nil, 4, 4, 8), s(nil, 1, 1, 8)], s(nil, 4, 4, 8), "squeeze-excite broadcast"),
    ShapeCase("Average", #"{}"#, [s(nil, 3, 5), s(nil, 5)], s(nil, 3, 5), "shorter shape lines up with the end"),
    ShapeCase("Maximum", #"{}"#, [s(nil, nil, 5), s(nil, 7, 5)], s(nil, nil, 5), "unknown wins over known (base_merge.py)"),
    ShapeCase("Minimum", #"{}"#, [s(2, 5), s(nil, 5)], s(2, 5), "the one known batch size is kept"),
    ShapeCase("Concatenate", #"{"axis": 1}"#, [s(nil, 4, 6), s(nil, 3, 6)], s(nil, 7, 6), "fixture concatenate_axes/concat_axis1"),
    ShapeCase("Concatenate", #"{"axis": -1}"#, [s(nil, 4, 6), s(nil, 4, 2)], s(nil, 4, 8), "fixture concatenate_axes/concat_last"),
    ShapeCase("Concatenate", #"{}"#, [s(nil, 4, 6), s(nil, nil, 2)], s(nil, 4, 8), "unknown agrees with anything off the axis"),
    ShapeCase("Concatenate", #"{"axis": 1}"#, [s(nil, 4, 6), s(nil, nil, 6)], s(nil, nil, 6)),
    ShapeCase("Dot", #"{"axes": 1, "normalize": true}"#, [s(nil, 6), s(nil, 6)], s(nil, 1), "fixture dot_axes_normalize/cosine"),
    ShapeCase("Dot", #"{"axes": 2}"#, [s(nil, 4, 6), s(nil, 5, 6)], s(nil, 4, 5), "fixture dot_axes_normalize/dot_axes2"),
    ShapeCase("Dot", #"{"axes": [1, 1]}"#, [s(nil, 4, 6), s(nil, 4, 3)], s(nil, 6, 3), "fixture dot_axes_normalize/dot_axes11"),
    ShapeCase("Dot", #"{"axes": -1}"#, [s(nil, 4, 6), s(nil, 6)], s(nil, 4), "negative axis per input rank"),
    // Normalization layers keep the shape.
    ShapeCase("BatchNormalization", #"{"axis": 1}"#, [s(nil, 6, 5, 4)], s(nil, 6, 5, 4)),
    ShapeCase("LayerNormalization", #"{"axis": [1, 2]}"#, [s(nil, 5, 6, 4)], s(nil, 5, 6, 4)),
    ShapeCase("UnitNormalization", #"{"axis": [-2, -1]}"#, [s(nil, 5, 6)], s(nil, 5, 6)),
    // Preprocessing (fixture resizing_rescaling).
    ShapeCase("Resizing", #"{"height": 10, "width": 12, "interpolation": "bilinear"}"#, [s(nil, 20, 24, 3)], s(nil, 10, 12, 3), "fixture resizing_rescaling/resize"),
    ShapeCase("Resizing", #"{"height": 8, "width": 8, "crop_to_aspect_ratio": true}"#, [s(nil, 20, 24, 3)], s(nil, 8, 8, 3), "fixture resizing_rescaling/resize_crop"),
    ShapeCase("Resizing", #"{"height": 8, "width": 6, "data_format": "channels_first"}"#, [s(nil, 3, 20, 24)], s(nil, 3, 8, 6)),
    ShapeCase("Resizing", #"{"height": 8, "width": 6}"#, [s(20, 24, 3)], s(8, 6, 3), "a single rank-3 image"),
    ShapeCase("Rescaling", #"{"scale": 0.00784313725490196, "offset": -1.0}"#, [s(nil, 10, 12, 3)], s(nil, 10, 12, 3), "fixture resizing_rescaling/rescale"),
    ShapeCase("CenterCrop", #"{"height": 5, "width": 4}"#, [s(nil, 9, 9, 3)], s(nil, 5, 4, 3)),
    ShapeCase("Normalization", #"{"axis": [-1], "mean": null, "variance": null}"#, [s(nil, 4, 4, 3)], s(nil, 4, 4, 3)),
    // Application layers.
    ShapeCase("CustomScaleLayer", #"{"scale": 0.17}"#, [s(nil, 35, 35, 320), s(nil, 35, 35, 320)], s(nil, 35, 35, 320)),
    ShapeCase("LayerScale", #"{"init_values": 1e-6, "projection_dim": 96}"#, [s(nil, 56, 56, 96)], s(nil, 56, 56, 96)),
    ShapeCase("RandomFlip", #"{"mode": "horizontal"}"#, [s(nil, 32, 32, 3)], s(nil, 32, 32, 3)),
    ShapeCase("RandomRotation", #"{"factor": 0.1}"#, [s(nil, 32, 32, 3)], s(nil, 32, 32, 3)),
    ShapeCase("RandomZoom", #"{"height_factor": 0.2}"#, [s(nil, 32, 32, 3)], s(nil, 32, 32, 3)),
    ShapeCase("RandomCrop", #"{"height": 24, "width": 20}"#, [s(nil, 32, 32, 3)], s(nil, 24, 20, 3)),
    ShapeCase("StochasticDepth", #"{"drop_path_rate": 0.1}"#, [s(nil, 56, 56, 96)], s(nil, 56, 56, 96)),
]

@Test(arguments: shapeCases)
func outputShapeMatchesKeras(_ c: ShapeCase) throws {
    let k = try kind(c.className, c.config)
    #expect(try k.outputShapes(c.inputs) == [c.expected])
}

/// Weights as `name shape trainable` lines, for compact comparison.
private func weightLines(_ className: String, _ config: String, _ input: [TensorShape]) throws -> [String] {
    try kind(className, config).weights(input).map { "\($0.name) \($0.shape) \($0.trainable.map(String.init) ?? "unknown")" }
}

@Test func batchNormalizationWeights() throws {
    let x = [s(nil, 6, 5, 4)]
    // fixture batchnorm_variants: 16 params, 8 trainable.
    #expect(try weightLines("BatchNormalization", #"{"axis": -1}"#, x) ==
            ["gamma [4] true", "beta [4] true", "moving_mean [4] false", "moving_variance [4] false"])
    // fixture bn_no_scale: 12 params, 4 trainable.
    #expect(try weightLines("BatchNormalization", #"{"axis": -1, "scale": false}"#, x) ==
            ["beta [4] true", "moving_mean [4] false", "moving_variance [4] false"])
    // fixture bn_no_center.
    #expect(try weightLines("BatchNormalization", #"{"center": false}"#, x) ==
            ["gamma [4] true", "moving_mean [4] false", "moving_variance [4] false"])
    // fixture bn_axis1: 24 params.
    #expect(try weightLines("BatchNormalization", #"{"axis": 1}"#, x).count == 4)
    #expect(try weightLines("BatchNormalization", #"{"axis": 1}"#, x).first == "gamma [6] true")
    // Keras 2 saves the axis as a list (truth_keras2 of batchnorm_variants: same counts).
    #expect(try weightLines("BatchNormalization", #"{"axis": [3]}"#, x) ==
            ["gamma [4] true", "beta [4] true", "moving_mean [4] false", "moving_variance [4] false"])
    // Keras 2 multi-axis: weights of the input's rank with 1 elsewhere (5 * 4 = 20 each).
    #expect(try weightLines("BatchNormalization", #"{"axis": [2, 3]}"#, x).first == "gamma [1, 1, 5, 4] true")
    // renorm adds three non-trainable (C,) weights (batch_normalization.py, build).
    #expect(try weightLines("BatchNormalization", #"{"renorm": true}"#, x).suffix(3) ==
            ["moving_stddev [4] false", "renorm_mean [4] false", "renorm_stddev [4] false"])
}

@Test func layerNormalizationWeights() throws {
    let x = [s(nil, 5, 6, 4)]
    // fixture layernorm_axes.
    #expect(try weightLines("LayerNormalization", #"{"axis": [-1]}"#, x) == ["gamma [4] true", "beta [4] true"])
    #expect(try weightLines("LayerNormalization", #"{"axis": [1, 2]}"#, x) == ["gamma [5, 6] true", "beta [5, 6] true"])
    #expect(try weightLines("LayerNormalization", #"{"axis": [1, 2, 3], "center": false}"#, x) == ["gamma [5, 6, 4] true"])
    #expect(try weightLines("LayerNormalization", #"{"axis": [1], "scale": false}"#, x) == ["beta [5] true"])
    #expect(try weightLines("LayerNormalization", #"{"axis": -1}"#, x) == ["gamma [4] true", "beta [4] true"])
    // fixture layernorm_rms_scaling: rms_scaling keeps gamma and drops beta (8 params on (None, 5, 8)).
    #expect(try weightLines("LayerNormalization", #"{"axis": [-1], "center": true, "scale": true, "rms_scaling": true}"#, [s(nil, 5, 8)]) == ["gamma [8] true"])
}

@Test func groupAndRMSNormalizationWeights() throws {
    // fixture group_normalization: gn4 16 params, gn2_no_center 8.
    #expect(try weightLines("GroupNormalization", #"{"groups": 4}"#, [s(nil, 6, 6, 8)]) == ["gamma [8] true", "beta [8] true"])
    #expect(try weightLines("GroupNormalization", #"{"groups": 2, "center": false}"#, [s(nil, 6, 6, 8)]) == ["gamma [8] true"])
    #expect(try weightLines("GroupNormalization", #"{"groups": -1, "axis": 1}"#, [s(nil, 3, 6, 6)]) == ["gamma [3] true", "beta [3] true"])
    #expect(try weightLines("RMSNormalization", #"{"axis": -1}"#, [s(nil, 5, 8)]) == ["scale [8] true"])
    #expect(try weightLines("UnitNormalization", #"{}"#, [s(nil, 5, 8)]) == [])
}

@Test func preprocessingNormalizationWeights() throws {
    // fixture normalization/norm_adapted: 7 non-trainable params (3 + 3 + 1), count is int64.
    let w = try kind("Normalization", #"{"axis": [-1], "invert": false, "mean": null, "variance": null}"#).weights([s(nil, 4, 4, 3)])
    #expect(w.map { "\($0.name) \($0.shape) \($0.trainable.map(String.init) ?? "unknown")" } == ["mean [3] false", "variance [3] false", "count [] false"])
    #expect(w.compactMap(\.count).reduce(0, +) == 7)
    #expect(w.last?.dtype == DType("int64"))
    // fixture normalization/norm_given: statistics in the config, no weights.
    #expect(try weightLines("Normalization", #"{"axis": [-1], "mean": [1, 2, 3, 4, 5], "variance": [1, 4, 9, 16, 25]}"#, [s(nil, 5)]) == [])
    // axis null: one statistic overall, scalar weights (1 + 1 + 1).
    #expect(try weightLines("Normalization", #"{"axis": null}"#, [s(nil, 4)]) == ["mean [] false", "variance [] false", "count [] false"])
    // Several kept axes are sorted: (None, 4, 5, 3) with axis [-1, 1] -> (4, 3).
    #expect(try weightLines("Normalization", #"{"axis": [-1, 1]}"#, [s(nil, 4, 5, 3)]).first == "mean [4, 3] false")
}

@Test func applicationLayerWeights() throws {
    // convnext.py LayerScale: one trainable (projection_dim,) weight, unnamed in Keras 3 ("variable").
    #expect(try weightLines("LayerScale", #"{"init_values": 1e-6, "projection_dim": 96}"#, [s(nil, 56, 56, 96)]) == ["variable [96] true"])
    #expect(try weightLines("CustomScaleLayer", #"{"scale": 0.1}"#, [s(nil, 8, 8, 4), s(nil, 8, 8, 4)]) == [])
    #expect(try weightLines("StochasticDepth", #"{"drop_path_rate": 0.0}"#, [s(nil, 8)]) == [])
}

@Test func macsFollowTheConvention() throws {
    // Pooling, reshaping and element-wise merges are free.
    let pool = try kind("MaxPooling2D", #"{"pool_size": 2}"#)
    #expect(pool.macs([s(nil, 8, 8, 3)], [s(nil, 4, 4, 3)]) == 0)
    #expect(try kind("Add", "{}").macs([s(nil, 6), s(nil, 6)], [s(nil, 6)]) == 0)
    // Normalization: one per output element at batch 1: 6 * 5 * 4 = 120.
    #expect(try kind("BatchNormalization", "{}").macs([s(nil, 6, 5, 4)], [s(nil, 6, 5, 4)]) == 120)
    #expect(try kind("LayerNormalization", "{}").macs([s(nil, 5, nil)], [s(nil, 5, nil)]) == nil)
    // Dot: output elements * contracted size: (4 * 5) * 6 = 120.
    #expect(try kind("Dot", #"{"axes": 2}"#).macs([s(nil, 4, 6), s(nil, 5, 6)], [s(nil, 4, 5)]) == 120)
    // Categories.
    #expect(pool.category == .pooling)
    #expect(try kind("Concatenate", "{}").category == .merge)
    #expect(try kind("GroupNormalization", "{}").category == .normalization)
    #expect(try kind("Reshape", #"{"target_shape": [4]}"#).category == .reshape)
    #expect(try kind("Rescaling", #"{"scale": 2}"#).category == .preprocessing)
}

struct ErrorCase: Sendable, CustomStringConvertible {
    let className: String
    let config: String
    let inputs: [TensorShape]?
    let mustMention: [String]
    init(_ className: String, _ config: String, _ inputs: [TensorShape]? = nil, _ mustMention: [String]) {
        self.className = className; self.config = config; self.inputs = inputs; self.mustMention = mustMention
    }
    var description: String { "\(className) \(config)" }
}

private let errorCases: [ErrorCase] = [
    // Bad configs: the error names the key and the value.
    ErrorCase("MaxPooling2D", #"{"pool_size": [2, -1]}"#, nil, ["pool_size", "-1"]),
    ErrorCase("MaxPooling2D", #"{"pool_size": 2, "padding": "causal"}"#, nil, ["padding", "causal"]),
    ErrorCase("AveragePooling2D", #"{"pool_size": 2, "data_format": "NHWC"}"#, nil, ["data_format", "NHWC"]),
    ErrorCase("ZeroPadding2D", #"{"padding": [[1, 2], [3]]}"#, nil, ["padding"]),
    ErrorCase("ZeroPadding2D", #"{"padding": [1, 2, 3]}"#, nil, ["padding", "expected 2 entries"]),
    ErrorCase("Cropping2D", #"{"cropping": -1}"#, nil, ["cropping", "-1"]),
    ErrorCase("UpSampling2D", #"{"size": [0, 2]}"#, nil, ["size", "0"]),
    ErrorCase("Reshape", #"{"target_shape": [-1, -1]}"#, nil, ["target_shape", "-1"]),
    ErrorCase("Reshape", #"{"target_shape": [-2, 4]}"#, nil, ["target_shape", "-2"]),
    ErrorCase("Reshape", #"{}"#, nil, ["target_shape"]),
    ErrorCase("Permute", #"{"dims": [0, 1]}"#, nil, ["dims", "[0, 1]"]),
    ErrorCase("RepeatVector", #"{"n": -3}"#, nil, ["n", "-3"]),
    ErrorCase("Dot", #"{"axes": [1, 2, 3]}"#, nil, ["axes"]),
    ErrorCase("GroupNormalization", #"{"groups": 0}"#, nil, ["groups", "0"]),
    ErrorCase("BatchNormalization", #"{"axis": "last"}"#, nil, ["axis", "last"]),
    ErrorCase("Resizing", #"{"height": 0, "width": 4}"#, nil, ["height", "0"]),
    ErrorCase("Resizing", #"{"height": 4, "width": 4, "crop_to_aspect_ratio": true, "pad_to_aspect_ratio": true}"#, nil, ["pad_to_aspect_ratio"]),
    ErrorCase("Normalization", #"{"mean": [1, 2]}"#, nil, ["variance"]),
    ErrorCase("LayerScale", #"{"init_values": 0.1, "projection_dim": -4}"#, nil, ["projection_dim", "-4"]),
    // Inputs that do not fit: the error names the shapes.
    ErrorCase("Add", "{}", [s(nil, 8), s(nil, 9)], ["(None, 8)", "(None, 9)"]),
    ErrorCase("Multiply", "{}", [s(nil, 4, 8), s(nil, 3, 8)], ["(None, 4, 8)", "(None, 3, 8)"]),
    ErrorCase("Add", "{}", [s(2, 8), s(3, 8)], ["batch", "(2, 8)", "(3, 8)"]),
    ErrorCase("Subtract", "{}", [s(nil, 8), s(nil, 8), s(nil, 8)], ["exactly 2"]),
    ErrorCase("Concatenate", #"{"axis": -1}"#, [s(nil, 4, 6), s(nil, 5, 6)], ["(None, 4, 6)", "(None, 5, 6)"]),
    ErrorCase("Concatenate", "{}", [s(nil, 4, 6), s(nil, 6)], ["rank"]),
    ErrorCase("Dot", #"{"axes": 1}"#, [s(nil, 6), s(nil, 7)], ["(None, 6)", "(None, 7)"]),
    ErrorCase("Reshape", #"{"target_shape": [3, 3]}"#, [s(nil, 8)], ["(None, 8)", "(3, 3)"]),
    ErrorCase("Reshape", #"{"target_shape": [-1, 3]}"#, [s(nil, 8)], ["(None, 8)", "(-1, 3)"]),
    ErrorCase("MaxPooling2D", #"{"pool_size": 5}"#, [s(nil, 4, 4, 3)], ["(None, 4, 4, 3)", "pool_size"]),
    ErrorCase("MaxPooling2D", #"{"pool_size": 2}"#, [s(nil, 4, 3)], ["rank 4", "(None, 4, 3)"]),
    ErrorCase("Cropping1D", #"{"cropping": [3, 3]}"#, [s(nil, 6, 2)], ["(None, 6, 2)"]),
    ErrorCase("Permute", #"{"dims": [2, 1]}"#, [s(nil, 4, 6, 2)], ["rank 3"]),
    ErrorCase("RepeatVector", #"{"n": 2}"#, [s(nil, 4, 6)], ["rank 2"]),
    ErrorCase("GroupNormalization", #"{"groups": 3}"#, [s(nil, 6, 6, 8)], ["3", "8"]),
    ErrorCase("BatchNormalization", #"{"axis": 4}"#, [s(nil, 6, 5, 4)], ["axis 4", "(None, 6, 5, 4)"]),
    ErrorCase("LayerNormalization", #"{"axis": [1, 5]}"#, [s(nil, 6, 5, 4)], ["5", "(None, 6, 5, 4)"]),
    ErrorCase("UpSampling2D", #"{"size": [4611686018427387904, 4]}"#, [s(nil, 4, 4, 1)], ["overflows"]),
]

@Test(arguments: errorCases)
func badConfigsAndInputsThrowNamedErrors(_ c: ErrorCase) throws {
    let text = thrownText {
        let k = try kind(c.className, c.config)
        if let inputs = c.inputs {
            _ = try k.outputShapes(inputs)
            _ = try k.weights(inputs)
        }
    }
    #expect(!text.isEmpty, "expected an error")
    for word in c.mustMention {
        #expect(text.contains(word), "\(text) should mention \(word)")
    }
}

@Test func hugeSizesAreCountedNotAllocated() throws {
    // 10^6 * 10^6 per weight: counted with checked arithmetic, never allocated.
    let w = try kind("LayerNormalization", #"{"axis": [1, 2]}"#).weights([s(nil, 1_000_000, 1_000_000)])
    #expect(w.compactMap(\.count) == [1_000_000_000_000, 1_000_000_000_000])
    // Flatten of an overflowing product is an error, not a trap.
    #expect(!thrownText { _ = try kind("Flatten", "{}").outputShapes([s(nil, Int.max, 2)]) }.isEmpty)
}

@Test func everyKindOfThisGroupIsInTheCatalog() {
    let names = ["Flatten", "Reshape", "Permute", "RepeatVector", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D",
                 "AveragePooling1D", "AveragePooling2D", "AveragePooling3D", "GlobalAveragePooling1D",
                 "GlobalAveragePooling2D", "GlobalAveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
                 "GlobalMaxPooling3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D",
                 "Cropping3D", "UpSampling1D", "UpSampling2D", "UpSampling3D", "Add", "Subtract", "Multiply", "Average",
                 "Maximum", "Minimum", "Concatenate", "Dot", "BatchNormalization", "LayerNormalization",
                 "GroupNormalization", "UnitNormalization", "RMSNormalization", "Normalization", "Rescaling", "Resizing",
                 "CenterCrop", "CustomScaleLayer", "LayerScale", "StochasticDepth"]
    for n in names {
        #expect(LayerCatalog.kind(named: n)?.className == n, "\(n)")
        #expect(!(LayerCatalog.kind(named: n)?.summary.isEmpty ?? true))
    }
    #expect(LayerCatalog.kind(named: "keras.layers.GlobalAvgPool2D")?.className == "GlobalAveragePooling2D")
}
