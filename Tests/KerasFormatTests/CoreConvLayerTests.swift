import Testing
@testable import ModelKit
@testable import KerasFormat

/// Tests of the core and convolution layer kinds. Numbers come from Keras-made fixtures
/// (Tests/Fixtures/layers/<case>/truth.json, Keras 3.15.1; the case is named beside them) or
/// from hand arithmetic small enough to check in the comment.
@Suite struct CoreConvLayerTests {
    // MARK: helpers

    func kind(_ className: String, _ json: String, keras2: Bool = false) throws -> any Operator {
        let value = try JSONParser.parse(json)
        guard let object = value.objectValue else { throw LayerError("test config is not an object") }
        guard let type = LayerCatalog.kind(named: className) else { throw LayerError("no kind \(className)") }
        return try type.decodeOperator(LayerConfig(object: object, path: "config", layerName: "t", isKeras2: keras2))
    }

    func shape(_ dims: Int?...) -> TensorShape { TensorShape(dims) }

    func weights(_ k: any Operator, _ input: TensorShape) throws -> [String] {
        try k.weights([input]).map { "\($0.name)\($0.shape)\($0.trainable == false ? "(frozen)" : "")" }
    }

    func params(_ k: any Operator, _ input: TensorShape) throws -> Int? {
        checkedSum(try k.weights([input]).map(\.count))
    }

    /// The error text thrown while decoding, or nil when it decodes.
    func configError(_ className: String, _ json: String, keras2: Bool = false) -> String? {
        do { _ = try kind(className, json, keras2: keras2); return nil } catch { return String(describing: error) }
    }

    /// The error text thrown by `outputShapes` or `weights`, or nil.
    func shapeError(_ k: any Operator, _ input: TensorShape) -> String? {
        do { _ = try k.outputShapes([input]); _ = try k.weights([input]); return nil } catch { return String(describing: error) }
    }

    // MARK: Dense

    @Test func denseBasic() throws {
        // dense_basic: Dense(8, relu) on (None, 16): 16*8+8 = 136.
        let d = try kind("Dense", #"{"units": 8, "activation": "relu"}"#)
        #expect(try d.outputShapes([shape(nil, 16)]) == [shape(nil, 8)])
        #expect(try weights(d, shape(nil, 16)) == ["kernel[16, 8]", "bias[8]"])
        #expect(try params(d, shape(nil, 16)) == 136)
        #expect(d.macs([shape(nil, 16)], [shape(nil, 8)]) == 128)
        #expect(d.category == .kernel)
    }

    @Test func denseOnRank3WithoutBias() throws {
        // dense_3d_no_bias: Dense(6, use_bias=False) on (None, 5, 12) -> (None, 5, 6), 72 params.
        let d = try kind("Dense", #"{"units": 6, "use_bias": false}"#)
        #expect(try d.outputShapes([shape(nil, 5, 12)]) == [shape(nil, 5, 6)])
        #expect(try params(d, shape(nil, 5, 12)) == 72)
        // 5 positions x 12 x 6 = 360.
        #expect(d.macs([shape(nil, 5, 12)], [shape(nil, 5, 6)]) == 360)
    }

    @Test func denseHugeUnitsIsCountedNotAllocated() throws {
        // 10^12 units on 10 features: kernel 10^13 + bias 10^12 = 11 * 10^12.
        let d = try kind("Dense", #"{"units": 1000000000000}"#)
        #expect(try params(d, shape(nil, 10)) == 11_000_000_000_000)
        // An overflowing product is nil, not a trap.
        let big = try kind("Dense", #"{"units": 4000000000000000000}"#)
        #expect(try params(big, shape(nil, 4)) == nil)
    }

    @Test func denseLoRA() throws {
        // Keras 3 enable_lora: kernel frozen; lora_kernel_a (in, r), lora_kernel_b (r, units).
        let d = try kind("Dense", #"{"units": 4, "lora_rank": 2}"#)
        #expect(try weights(d, shape(nil, 3)) == ["kernel[3, 4](frozen)", "bias[4]", "lora_kernel_a[3, 2]", "lora_kernel_b[2, 4]"])
    }

    @Test func denseErrors() throws {
        #expect(configError("Dense", #"{"units": -3}"#)?.contains("units") == true)
        #expect(configError("Dense", #"{"units": 0}"#)?.contains("units") == true)
        #expect(configError("Dense", #"{}"#)?.contains("units") == true)
        #expect(configError("Dense", #"{"units": 4, "activation": "reluu"}"#)?.contains("reluu") == true)
        let d = try kind("Dense", #"{"units": 4}"#)
        #expect(shapeError(d, shape(nil)) != nil)
        #expect(shapeError(d, shape(nil, nil))?.contains("axis -1") == true)
    }

    // MARK: activations

    @Test(arguments: Array(Activations.names).sorted())
    func everyActivationNameDecodesAndKeepsTheShape(_ name: String) throws {
        // activation_all_keras3: every Keras 3 activation keeps (None, 6, 4), glu included:
        // Activation.compute_output_shape returns the input shape.
        let a = try kind("Activation", "{\"activation\": \"\(name)\"}")
        #expect(try a.outputShapes([shape(nil, 6, 4)]) == [shape(nil, 6, 4)])
        #expect(try a.weights([shape(nil, 6, 4)]).isEmpty)
        #expect(a.macs([shape(nil, 6, 4)], [shape(nil, 6, 4)]) == 0)
    }

    @Test func activationNamesCoverKeras3() {
        // keras/src/activations/__init__.py ALL_OBJECTS_DICT plus the swish / hard_swish aliases.
        for name in ["relu", "sigmoid", "softmax", "softplus", "softsign", "tanh", "selu", "elu", "exponential",
                     "leaky_relu", "relu6", "silu", "swish", "gelu", "hard_sigmoid", "hard_silu", "hard_swish",
                     "linear", "mish", "log_softmax", "sparse_plus", "sparsemax", "squareplus", "celu", "glu",
                     "hard_tanh", "hard_shrink", "soft_shrink", "tanh_shrink", "threshold", "log_sigmoid",
                     "sparse_sigmoid"] {
            #expect(Activations.isKnown(name), "\(name)")
        }
        #expect(!Activations.isKnown("ReLU"))
        #expect(Activations.runtimeLastAxis("glu", 8) == 4)
        #expect(Activations.runtimeLastAxis("relu", 8) == 8)
    }

    @Test func activationForms() throws {
        // A serialized builtin function, a Keras 2 activation layer object, a custom function.
        let builtin = try kind("Activation", #"{"activation": {"module": "keras.activations", "class_name": "function", "config": "tanh", "registered_name": null}}"#)
        #expect((builtin as? ActivationOp)?.function == .tanh)
        let layer = try kind("Dense", #"{"units": 2, "activation": {"class_name": "LeakyReLU", "config": {"alpha": 0.2}}}"#, keras2: true)
        #expect((layer as? DenseOp)?.activation == .other("LeakyReLU"))
        let custom = try kind("Activation", #"{"activation": {"module": "my_model", "class_name": "function", "config": "my_act", "registered_name": "my_act"}}"#)
        #expect((custom as? ActivationOp)?.function == .other("my_act"))
        #expect(configError("Activation", #"{"activation": {"module": "keras.activations", "class_name": "function", "config": "nope"}}"#)?.contains("nope") == true)
        #expect(configError("Activation", #"{"activation": "swishy"}"#)?.contains("\"swishy\"") == true)
        #expect(configError("Activation", #"{"activation": "swishy"}"#)?.contains("config.activation") == true)
        #expect(configError("Activation", #"{}"#)?.contains("activation") == true)
        #expect(configError("Activation", #"{"activation": 3}"#)?.contains("activation") == true)
    }

    @Test func reluFamily() throws {
        // relu_leakyrelu_elu_softmax: all keep the input shape, no weights.
        for (cls, json) in [("ReLU", #"{"max_value": 6.0, "negative_slope": 0.0, "threshold": 0.0}"#),
                            ("LeakyReLU", #"{"negative_slope": 0.1}"#),
                            ("LeakyReLU", #"{"alpha": 0.1}"#),
                            ("ELU", #"{"alpha": 0.5}"#),
                            ("Softmax", #"{"axis": [1, 2]}"#),
                            ("ThresholdedReLU", #"{"theta": 0.5}"#)] {
            let k = try kind(cls, json)
            #expect(try k.outputShapes([shape(nil, 3, 4)]) == [shape(nil, 3, 4)], "\(cls)")
            #expect(try k.weights([shape(nil, 3, 4)]).isEmpty)
            #expect(k.category == .activation)
        }
        #expect((try kind("LeakyReLU", #"{"alpha": 0.1}"#, keras2: true) as? ActivationOp)?.function == .leakyReLU(slope: 0.1))
        #expect((try kind("LeakyReLU", #"{}"#) as? ActivationOp)?.function == .leakyReLU(slope: 0.3))
        #expect(configError("ReLU", #"{"max_value": -1}"#)?.contains("max_value") == true)
        #expect(configError("ReLU", #"{"negative_slope": -0.5}"#)?.contains("negative_slope") == true)
        #expect(configError("LeakyReLU", #"{"negative_slope": -0.5}"#)?.contains("negative_slope") == true)
        #expect(configError("LeakyReLU", #"{"alpha": -0.5}"#, keras2: true)?.contains("alpha") == true)
        #expect(configError("ThresholdedReLU", #"{"theta": -1}"#)?.contains("theta") == true)
        let softmax = try kind("Softmax", #"{"axis": 3}"#)
        #expect(shapeError(softmax, shape(nil, 3, 4)) != nil)
    }

    @Test func preluAlphaShape() throws {
        // prelu_shared_axes: on (None, 4, 5, 3) no sharing -> alpha (4, 5, 3) = 60;
        // shared_axes [1, 2] -> alpha (1, 1, 3) = 3.
        let full = try kind("PReLU", #"{"shared_axes": null}"#)
        #expect(try weights(full, shape(nil, 4, 5, 3)) == ["alpha[4, 5, 3]"])
        let shared = try kind("PReLU", #"{"shared_axes": [1, 2]}"#)
        #expect(try weights(shared, shape(nil, 4, 5, 3)) == ["alpha[1, 1, 3]"])
        #expect(try shared.outputShapes([shape(nil, 4, 5, 3)]) == [shape(nil, 4, 5, 3)])
        // A single int is one shared axis; unknown axes must be shared.
        let one = try kind("PReLU", #"{"shared_axes": 1}"#)
        #expect(try weights(one, shape(nil, nil, 8)) == ["alpha[1, 8]"])
        #expect(shapeError(full, shape(nil, nil, 8))?.contains("shared_axes") == true)
        #expect(shapeError(try kind("PReLU", #"{"shared_axes": [7]}"#), shape(nil, 4, 5)) != nil)
    }

    // MARK: regularization and identity

    @Test func dropoutFamilyKeepsShapes() throws {
        let input = shape(nil, 4, 4, 3)
        for (cls, json) in [("Dropout", #"{"rate": 0.5, "noise_shape": [null, 1, 1, 3]}"#),
                            ("SpatialDropout2D", #"{"rate": 0.2, "data_format": "channels_first"}"#),
                            ("GaussianNoise", #"{"stddev": 0.1}"#),
                            ("GaussianDropout", #"{"rate": 0.1}"#),
                            ("AlphaDropout", #"{"rate": 0.1}"#),
                            ("ActivityRegularization", #"{"l1": 0.01, "l2": 0.0}"#)] {
            let k = try kind(cls, json)
            #expect(try k.outputShapes([input]) == [input], "\(cls)")
            #expect(try k.weights([input]).isEmpty)
            #expect(k.macs([input], [input]) == 0)
            #expect(k.category == .regularization)
        }
        #expect(try kind("SpatialDropout1D", #"{"rate": 0.1}"#).outputShapes([shape(nil, 7, 3)]) == [shape(nil, 7, 3)])
        #expect(try kind("SpatialDropout3D", #"{"rate": 0.1}"#).outputShapes([shape(nil, 2, 2, 2, 3)]) == [shape(nil, 2, 2, 2, 3)])
        // Spatial dropout needs its rank.
        #expect(shapeError(try kind("SpatialDropout1D", #"{"rate": 0.1}"#), input)?.contains("rank 3") == true)
        #expect(shapeError(try kind("SpatialDropout3D", #"{"rate": 0.1}"#), input)?.contains("rank 5") == true)
    }

    @Test func dropoutErrors() {
        #expect(configError("Dropout", #"{"rate": 1.5}"#)?.contains("rate") == true)
        #expect(configError("Dropout", #"{}"#)?.contains("rate") == true)
        #expect(configError("Dropout", #"{"rate": 0.1, "noise_shape": [null, 0]}"#)?.contains("noise_shape") == true)
        #expect(configError("SpatialDropout2D", #"{"rate": -0.1}"#)?.contains("rate") == true)
        #expect(configError("GaussianDropout", #"{"rate": 2}"#)?.contains("rate") == true)
        #expect(configError("AlphaDropout", #"{"rate": "a"}"#)?.contains("rate") == true)
        // Keras 3 bounds stddev by 1; Keras 2 only by 0.
        #expect(configError("GaussianNoise", #"{"stddev": 2.0}"#)?.contains("stddev") == true)
        #expect(configError("GaussianNoise", #"{"stddev": 2.0}"#, keras2: true) == nil)
        #expect(configError("GaussianNoise", #"{"stddev": -1.0}"#, keras2: true)?.contains("stddev") == true)
    }

    @Test func identityPassesEverythingThrough() throws {
        let k = try kind("Identity", #"{"name": "id"}"#)
        #expect(try k.outputShapes([shape(nil, 3), shape(nil, 2, 2)]) == [shape(nil, 3), shape(nil, 2, 2)])
        #expect(try k.weights([shape(nil, 3)]).isEmpty)
    }

    // MARK: convolutions

    @Test func conv2dSameFromTheBrief() throws {
        // Conv2D(16, 3x3, same) on (None, 32, 32, 3) -> (None, 32, 32, 16); 3*3*3*16+16 = 448.
        let c = try kind("Conv2D", #"{"filters": 16, "kernel_size": [3, 3], "padding": "same"}"#)
        #expect(try c.outputShapes([shape(nil, 32, 32, 3)]) == [shape(nil, 32, 32, 16)])
        #expect(try params(c, shape(nil, 32, 32, 3)) == 448)
        // MACs: 32*32*16 outputs x 3*3*3 = 442368.
        #expect(c.macs([shape(nil, 32, 32, 3)], [shape(nil, 32, 32, 16)]) == 442_368)
    }

    @Test func conv2dStridesAndValid() throws {
        // conv2d_strided_same: (None, 15, 13, 4), 8 filters 3x3 stride 2 same -> (None, 8, 7, 8), 296.
        let same = try kind("Conv2D", #"{"filters": 8, "kernel_size": [3, 3], "strides": [2, 2], "padding": "same"}"#)
        #expect(try same.outputShapes([shape(nil, 15, 13, 4)]) == [shape(nil, 8, 7, 8)])
        #expect(try params(same, shape(nil, 15, 13, 4)) == 296)
        // Same case: 6 filters (3, 2) stride (2, 1) valid on (None, 8, 7, 8) -> (None, 3, 6, 6), 294.
        let valid = try kind("Conv2D", #"{"filters": 6, "kernel_size": [3, 2], "strides": [2, 1], "padding": "valid"}"#)
        #expect(try valid.outputShapes([shape(nil, 8, 7, 8)]) == [shape(nil, 3, 6, 6)])
        #expect(try weights(valid, shape(nil, 8, 7, 8)) == ["kernel[3, 2, 8, 6]", "bias[6]"])
        // Unknown spatial sizes stay unknown.
        #expect(try valid.outputShapes([shape(nil, nil, 7, 8)]) == [shape(nil, nil, 6, 6)])
    }

    @Test func conv2dDilatedAndChannelsFirst() throws {
        // conv2d_dilated_no_bias: 5 filters 3x3 dilation (2, 1) on (None, 12, 12, 3) -> (None, 8, 10, 5), 135.
        let d = try kind("Conv2D", #"{"filters": 5, "kernel_size": 3, "dilation_rate": [2, 1], "use_bias": false}"#)
        #expect(try d.outputShapes([shape(nil, 12, 12, 3)]) == [shape(nil, 8, 10, 5)])
        #expect(try params(d, shape(nil, 12, 12, 3)) == 135)
        // conv2d_channels_first: 4 filters 3x3 stride 2 same on (None, 3, 16, 12) -> (None, 4, 8, 6), 112.
        let cf = try kind("Conv2D", #"{"filters": 4, "kernel_size": [3, 3], "strides": 2, "padding": "same", "data_format": "channels_first"}"#)
        #expect(try cf.outputShapes([shape(nil, 3, 16, 12)]) == [shape(nil, 4, 8, 6)])
        #expect(try weights(cf, shape(nil, 3, 16, 12)) == ["kernel[3, 3, 3, 4]", "bias[4]"])
    }

    @Test func conv2dGroups() throws {
        // conv2d_groups: 8 filters 3x3 groups 4 on (None, 8, 8, 8) -> (None, 6, 6, 8),
        // kernel (3, 3, 2, 8) + 8 = 152; then 6 filters 1x1 groups 2 no bias -> kernel (1, 1, 4, 6) = 24.
        let g4 = try kind("Conv2D", #"{"filters": 8, "kernel_size": [3, 3], "groups": 4}"#)
        #expect(try g4.outputShapes([shape(nil, 8, 8, 8)]) == [shape(nil, 6, 6, 8)])
        #expect(try params(g4, shape(nil, 8, 8, 8)) == 152)
        // MACs: 6*6*8 outputs x 3*3*2 = 5184.
        #expect(g4.macs([shape(nil, 8, 8, 8)], [shape(nil, 6, 6, 8)]) == 5184)
        let g2 = try kind("Conv2D", #"{"filters": 6, "kernel_size": 1, "groups": 2, "use_bias": false}"#)
        #expect(try weights(g2, shape(nil, 6, 6, 8)) == ["kernel[1, 1, 4, 6]"])
        #expect(configError("Conv2D", #"{"filters": 6, "kernel_size": 1, "groups": 4}"#)?.contains("groups") == true)
        #expect(shapeError(try kind("Conv2D", #"{"filters": 6, "kernel_size": 1, "groups": 3}"#), shape(nil, 4, 4, 8))?.contains("groups") == true)
    }

    @Test func conv1dCausalStridedDilated() throws {
        // conv1d_causal_strided_dilated: causal 4 filters k3 dilation 2 on (None, 20, 3) -> (None, 20, 4), 40;
        // same stride 2, 6 filters on (None, 20, 4) -> (None, 10, 6), 78; valid k4 stride 3 no bias
        // on (None, 10, 6) -> (None, 3, 5), 120.
        let causal = try kind("Conv1D", #"{"filters": 4, "kernel_size": [3], "padding": "causal", "dilation_rate": [2]}"#)
        #expect(try causal.outputShapes([shape(nil, 20, 3)]) == [shape(nil, 20, 4)])
        #expect(try params(causal, shape(nil, 20, 3)) == 40)
        let strided = try kind("Conv1D", #"{"filters": 6, "kernel_size": 3, "strides": 2, "padding": "same"}"#)
        #expect(try strided.outputShapes([shape(nil, 20, 4)]) == [shape(nil, 10, 6)])
        #expect(try params(strided, shape(nil, 20, 4)) == 78)
        let valid = try kind("Conv1D", #"{"filters": 5, "kernel_size": 4, "strides": 3, "use_bias": false}"#)
        #expect(try valid.outputShapes([shape(nil, 10, 6)]) == [shape(nil, 3, 5)])
        #expect(try params(valid, shape(nil, 10, 6)) == 120)
        // Causal padding is Conv1D-only.
        #expect(configError("Conv2D", #"{"filters": 2, "kernel_size": 3, "padding": "causal"}"#)?.contains("padding") == true)
    }

    @Test func conv3d() throws {
        // conv3d: 4 filters 3x3x3 strides (1, 2, 2) same on (None, 6, 8, 8, 2) -> (None, 6, 4, 4, 4), 220;
        // 3 filters 2x2x2 valid on (None, 6, 4, 4, 4) -> (None, 5, 3, 3, 3), 99.
        let same = try kind("Conv3D", #"{"filters": 4, "kernel_size": [3, 3, 3], "strides": [1, 2, 2], "padding": "same"}"#)
        #expect(try same.outputShapes([shape(nil, 6, 8, 8, 2)]) == [shape(nil, 6, 4, 4, 4)])
        #expect(try params(same, shape(nil, 6, 8, 8, 2)) == 220)
        let valid = try kind("Conv3D", #"{"filters": 3, "kernel_size": 2}"#)
        #expect(try valid.outputShapes([shape(nil, 6, 4, 4, 4)]) == [shape(nil, 5, 3, 3, 3)])
        #expect(try params(valid, shape(nil, 6, 4, 4, 4)) == 99)
        // channels_first: (None, 2, 6, 8, 8) -> (None, 4, 6, 4, 4).
        let cf = try kind("Conv3D", #"{"filters": 4, "kernel_size": 3, "strides": [1, 2, 2], "padding": "same", "data_format": "channels_first"}"#)
        #expect(try cf.outputShapes([shape(nil, 2, 6, 8, 8)]) == [shape(nil, 4, 6, 4, 4)])
    }

    @Test func convErrors() throws {
        let c = try kind("Conv2D", #"{"filters": 4, "kernel_size": 5}"#)
        // A 5x5 window on a 3x3 input with valid padding.
        #expect(shapeError(c, shape(nil, 3, 3, 1))?.contains("larger than the input") == true)
        // Wrong rank, unknown channels.
        #expect(shapeError(c, shape(nil, 8, 1))?.contains("rank 4") == true)
        #expect(shapeError(c, shape(nil, 8, 8, nil))?.contains("channel") == true)
        #expect(configError("Conv2D", #"{"filters": -1, "kernel_size": 3}"#)?.contains("filters") == true)
        #expect(configError("Conv2D", #"{"filters": 2, "kernel_size": [3, 0]}"#)?.contains("kernel_size") == true)
        #expect(configError("Conv2D", #"{"filters": 2, "kernel_size": [3, 3, 3]}"#)?.contains("kernel_size") == true)
        #expect(configError("Conv2D", #"{"filters": 2, "kernel_size": 3, "strides": 0}"#)?.contains("strides") == true)
        #expect(configError("Conv2D", #"{"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2}"#)?.contains("strides") == true)
        #expect(configError("Conv2D", #"{"filters": 2, "kernel_size": 3, "padding": "full"}"#)?.contains("padding") == true)
        #expect(configError("Conv2D", #"{"filters": 2, "kernel_size": 3, "data_format": "nhwc"}"#)?.contains("data_format") == true)
        #expect(configError("Conv2D", #"{"filters": 2}"#)?.contains("kernel_size") == true)
        // Huge sizes are errors or nil counts, never traps.
        let huge = try kind("Conv1D", #"{"filters": 2, "kernel_size": 4611686018427387904, "dilation_rate": 4}"#)
        #expect(shapeError(huge, shape(nil, 10, 1)) != nil)
    }

    @Test func convKeras2Aliases() throws {
        // Keras 2 names and forms: Convolution2D, kernel_size as a one-element list, dtype as a string.
        let c = try kind("Convolution2D", #"{"filters": 2, "kernel_size": [3], "dtype": "float32"}"#, keras2: true)
        #expect(try c.outputShapes([shape(nil, 5, 5, 1)]) == [shape(nil, 3, 3, 2)])
        #expect(LayerCatalog.kind(named: "keras.layers.Conv2D")?.className == "Conv2D")
    }

    @Test func convLoRA() throws {
        // base_conv enable_lora: lora_kernel_a (*kernel[:-1], r), lora_kernel_b (r, filters).
        let c = try kind("Conv2D", #"{"filters": 4, "kernel_size": 3, "lora_rank": 2, "use_bias": false}"#)
        #expect(try weights(c, shape(nil, 5, 5, 3)) == ["kernel[3, 3, 3, 4](frozen)", "lora_kernel_a[3, 3, 3, 2]", "lora_kernel_b[2, 4]"])
    }

    @Test func conv2dTranspose() throws {
        // conv2d_transpose on (None, 5, 5, 4), kernel (3, 3, filters, in_channels):
        // same s2 -> (None, 10, 10, 3), 3*3*3*4+3 = 111;
        // valid s2 -> (None, 11, 11, 2), 74; valid s2 output_padding 1 -> (None, 12, 12, 2), 72 (no bias);
        // same k(4, 3) s(2, 3) output_padding (1, 2) -> (None, 9, 15, 2), 98.
        let input = shape(nil, 5, 5, 4)
        let same = try kind("Conv2DTranspose", #"{"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same", "output_padding": null}"#)
        #expect(try same.outputShapes([input]) == [shape(nil, 10, 10, 3)])
        #expect(try weights(same, input) == ["kernel[3, 3, 3, 4]", "bias[3]"])
        #expect(try params(same, input) == 111)
        // MACs: 5*5*4 inputs x 9 x 3 = 2700.
        #expect(same.macs([input], [shape(nil, 10, 10, 3)]) == 2700)
        let valid = try kind("Conv2DTranspose", #"{"filters": 2, "kernel_size": 3, "strides": 2}"#)
        #expect(try valid.outputShapes([input]) == [shape(nil, 11, 11, 2)])
        #expect(try params(valid, input) == 74)
        let outpad = try kind("Conv2DTranspose", #"{"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": [1, 1], "use_bias": false}"#)
        #expect(try outpad.outputShapes([input]) == [shape(nil, 12, 12, 2)])
        #expect(try params(outpad, input) == 72)
        let sameOutpad = try kind("Conv2DTranspose", #"{"filters": 2, "kernel_size": [4, 3], "strides": [2, 3], "padding": "same", "output_padding": [1, 2]}"#)
        #expect(try sameOutpad.outputShapes([input]) == [shape(nil, 9, 15, 2)])
        #expect(try params(sameOutpad, input) == 98)
        #expect(configError("Conv2DTranspose", #"{"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 2}"#)?.contains("output_padding") == true)
        #expect(configError("Conv2DTranspose", #"{"filters": 2, "kernel_size": 3, "output_padding": -1}"#)?.contains("output_padding") == true)
    }

    @Test func conv1dAnd3dTranspose() throws {
        // Conv1DTranspose(4, 3, strides 2, valid) on (None, 7, 2): (7-1)*2 + max(3, 2) = 15;
        // kernel (3, 4, 2) + 4 = 28.
        let t1 = try kind("Conv1DTranspose", #"{"filters": 4, "kernel_size": 3, "strides": 2}"#)
        #expect(try t1.outputShapes([shape(nil, 7, 2)]) == [shape(nil, 15, 4)])
        #expect(try params(t1, shape(nil, 7, 2)) == 28)
        // Conv3DTranspose(2, 2, strides 2, same, channels_first) on (None, 3, 4, 4, 4):
        // each side doubles -> (None, 2, 8, 8, 8); kernel (2, 2, 2, 2, 3) + 2 = 50.
        let t3 = try kind("Conv3DTranspose", #"{"filters": 2, "kernel_size": 2, "strides": 2, "padding": "same", "data_format": "channels_first"}"#)
        #expect(try t3.outputShapes([shape(nil, 3, 4, 4, 4)]) == [shape(nil, 2, 8, 8, 8)])
        #expect(try weights(t3, shape(nil, 3, 4, 4, 4)) == ["kernel[2, 2, 2, 2, 3]", "bias[2]"])
        // Dilated valid: k 3, dilation 2 -> effective 5; (6-1)*1 + 5 = 10.
        let dil = try kind("Conv1DTranspose", #"{"filters": 1, "kernel_size": 3, "dilation_rate": 2}"#)
        #expect(try dil.outputShapes([shape(nil, 6, 1)]) == [shape(nil, 10, 1)])
    }

    @Test func depthwiseAndSeparable() throws {
        // depthwise_separable: DepthwiseConv2D(3x3, s2, same, depth_multiplier 2) on (None, 9, 9, 3)
        // -> (None, 5, 5, 6), kernel (3, 3, 3, 2) + bias 6 = 60.
        let dw = try kind("DepthwiseConv2D", #"{"kernel_size": [3, 3], "strides": [2, 2], "padding": "same", "depth_multiplier": 2}"#)
        #expect(try dw.outputShapes([shape(nil, 9, 9, 3)]) == [shape(nil, 5, 5, 6)])
        #expect(try weights(dw, shape(nil, 9, 9, 3)) == ["kernel[3, 3, 3, 2]", "bias[6]"])
        // MACs: 5*5*6 outputs x 9 = 1350.
        #expect(dw.macs([shape(nil, 9, 9, 3)], [shape(nil, 5, 5, 6)]) == 1350)
        // Keras 2 names the depthwise kernel depthwise_kernel.
        let dw2 = try kind("DepthwiseConv2D", #"{"kernel_size": [2, 2], "depth_multiplier": 1, "use_bias": false}"#, keras2: true)
        #expect(try weights(dw2, shape(nil, 3, 3, 8)) == ["depthwise_kernel[2, 2, 8, 1]"])
        // SeparableConv2D(8, 3x3, depth_multiplier 2) on (None, 5, 5, 6) -> (None, 3, 3, 8):
        // depthwise (3, 3, 6, 2) = 108, pointwise (1, 1, 12, 8) = 96, bias 8 -> 212.
        let sep = try kind("SeparableConv2D", #"{"filters": 8, "kernel_size": 3, "depth_multiplier": 2}"#)
        #expect(try sep.outputShapes([shape(nil, 5, 5, 6)]) == [shape(nil, 3, 3, 8)])
        #expect(try weights(sep, shape(nil, 5, 5, 6)) == ["depthwise_kernel[3, 3, 6, 2]", "pointwise_kernel[1, 1, 12, 8]", "bias[8]"])
        #expect(try params(sep, shape(nil, 5, 5, 6)) == 212)
        // MACs: 9 positions x 12 x 9 (depthwise) + 9 x 12 x 8 (pointwise) = 972 + 864 = 1836.
        #expect(sep.macs([shape(nil, 5, 5, 6)], [shape(nil, 3, 3, 8)]) == 1836)
    }

    @Test func depthwiseAndSeparable1D() throws {
        // DepthwiseConv1D(k 3, depth_multiplier 3, channels_first) on (None, 2, 10) -> (None, 6, 8);
        // kernel (3, 2, 3) + bias 6 = 24.
        let dw = try kind("DepthwiseConv1D", #"{"kernel_size": 3, "depth_multiplier": 3, "data_format": "channels_first"}"#)
        #expect(try dw.outputShapes([shape(nil, 2, 10)]) == [shape(nil, 6, 8)])
        #expect(try params(dw, shape(nil, 2, 10)) == 24)
        // SeparableConv1D(5, k 3, same, stride 2) on (None, 9, 4): length ceil(9/2) = 5;
        // depthwise (3, 4, 1) = 12, pointwise (1, 4, 5) = 20, bias 5 -> 37.
        let sep = try kind("SeparableConv1D", #"{"filters": 5, "kernel_size": 3, "strides": 2, "padding": "same"}"#)
        #expect(try sep.outputShapes([shape(nil, 9, 4)]) == [shape(nil, 5, 5)])
        #expect(try params(sep, shape(nil, 9, 4)) == 37)
        // Keras 3 rejects causal here; Keras 2 allowed it for SeparableConv1D.
        #expect(configError("SeparableConv1D", #"{"filters": 5, "kernel_size": 3, "padding": "causal"}"#)?.contains("padding") == true)
        #expect(configError("SeparableConv1D", #"{"filters": 5, "kernel_size": 3, "padding": "causal"}"#, keras2: true) == nil)
        #expect(configError("DepthwiseConv2D", #"{"kernel_size": 3, "depth_multiplier": 0}"#)?.contains("depth_multiplier") == true)
    }

    // MARK: EinsumDense

    @Test func einsumDenseLikeDense() throws {
        // "ab,bc->ac", output_shape 64, bias "c" on (None, 32): kernel (32, 64), bias (64,).
        let e = try kind("EinsumDense", #"{"equation": "ab,bc->ac", "output_shape": 64, "bias_axes": "c"}"#)
        #expect(try e.outputShapes([shape(nil, 32)]) == [shape(nil, 64)])
        #expect(try weights(e, shape(nil, 32)) == ["kernel[32, 64]", "bias[64]"])
        #expect(e.macs([shape(nil, 32)], [shape(nil, 64)]) == 32 * 64)
    }

    @Test func einsumDenseAttentionProjection() throws {
        // The MultiHeadAttention query projection: "abc,cde->abde", output_shape [null, 2, 4],
        // bias "de" on (None, 5, 8): output (None, None, 2, 4) (the null stays unknown, as Keras
        // reports it), kernel (8, 2, 4), bias (2, 4).
        let e = try kind("EinsumDense", #"{"equation": "abc,cde->abde", "output_shape": [null, 2, 4], "bias_axes": "de"}"#)
        #expect(try e.outputShapes([shape(nil, 5, 8)]) == [shape(nil, nil, 2, 4)])
        #expect(try weights(e, shape(nil, 5, 8)) == ["kernel[8, 2, 4]", "bias[2, 4]"])
        // MACs: letters a=1 (batch), b=5, c=8, d=2, e=4 -> 320.
        #expect(e.macs([shape(nil, 5, 8)], []) == 320)
    }

    @Test func einsumDenseEllipses() throws {
        // Left ellipsis "...b,bc->...c" on (None, 3, 7, 5), output_shape 6: Keras inserts the
        // elided axes 1..2 one by one at position 1, giving (None, 7, 3, 6); kernel (5, 6).
        let left = try kind("EinsumDense", #"{"equation": "...b,bc->...c", "output_shape": 6}"#)
        #expect(try left.outputShapes([shape(nil, 3, 7, 5)]) == [shape(nil, 7, 3, 6)])
        #expect(try weights(left, shape(nil, 3, 7, 5)) == ["kernel[5, 6]"])
        // Right ellipsis "ab...,bc->ac..." on (None, 4, 9), output_shape 3, bias "c":
        // output (None, 3, 9); kernel (4, 3); bias (3, 1) (one 1 per right-elided axis).
        let right = try kind("EinsumDense", #"{"equation": "ab...,bc->ac...", "output_shape": 3, "bias_axes": "c"}"#)
        #expect(try right.outputShapes([shape(nil, 4, 9)]) == [shape(nil, 3, 9)])
        #expect(try weights(right, shape(nil, 4, 9)) == ["kernel[4, 3]", "bias[3, 1]"])
    }

    @Test func einsumDenseErrors() throws {
        #expect(configError("EinsumDense", #"{"equation": "ab->b", "output_shape": 3}"#)?.contains("equation") == true)
        #expect(configError("EinsumDense", #"{"equation": "ab,bc->ac", "output_shape": 3, "bias_axes": "x"}"#)?.contains("bias_axes") == true)
        #expect(configError("EinsumDense", #"{"equation": "ab,bc->ac"}"#)?.contains("output_shape") == true)
        let e = try kind("EinsumDense", #"{"equation": "abc,cd->abd", "output_shape": [7, 3]}"#)
        // Axis b is 5 in the input but 7 in output_shape.
        #expect(shapeError(e, shape(nil, 5, 8)) != nil)
    }

    // MARK: catalog

    @Test func catalogHasEveryClassWithASummary() {
        let names = ["Dense", "EinsumDense", "Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax",
                     "ThresholdedReLU", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
                     "GaussianNoise", "GaussianDropout", "AlphaDropout", "ActivityRegularization", "Identity",
                     "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
                     "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D",
                     "Convolution1D", "Convolution3DTranspose", "SeparableConvolution2D"]
        for n in names {
            let k = LayerCatalog.kind(named: n)
            #expect(k != nil, "\(n)")
            #expect(k.map { !$0.summary.isEmpty } == true)
        }
    }
}
