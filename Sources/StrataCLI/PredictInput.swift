import Kernels
import Execution
import ModelKit

/// One `--input` of `strata predict` checked against the model input it feeds: its shape and
/// its dtype, and turned into the float32 tensor the forward pass takes.
///
/// Dtypes: a float input takes float32 as is and float64 (NumPy's default) and integer files
/// (uint8 images, int32, int64) converted to float32; a bool file is refused, because 0/1 in
/// place of real values is almost always a mistake. An integer input (token ids) takes integer
/// files (int32, int64 within int32, int8, uint8) and float files whose every value is a whole
/// number; anything else is refused. A string input takes a unicode (`<U`) or bytes (`|S`)
/// array, and only that. Every refusal names the file, the model input, what it
/// expects and what the file holds.
struct PredictInput {
    /// The `--input` path, as given.
    var path: String
    /// The model input's layer name.
    var inputName: String
    /// The model input's position (0-based) and the number of inputs.
    var index: Int
    var count: Int
    /// The declared shape (batch first, `nil` where open); nil when the model does not say.
    var shape: TensorShape?
    /// The declared dtype of the model input.
    var dtype: DType

    /// The model input, as messages name it.
    var inputText: String {
        count > 1 ? "input \(index + 1) of \(count), \"\(inputName)\"" : "input \"\(inputName)\""
    }

    /// The inputs of `graph`, in order.
    static func inputs(of graph: ModelGraph, paths: [String]) -> [PredictInput] {
        let shapes = Analyzer.declaredInputShapes(graph)
        return zip(paths, graph.inputs).enumerated().map { i, pair in
            let layer = graph.layers[pair.1.layer]
            return PredictInput(path: pair.0, inputName: layer.name, index: i, count: graph.inputs.count, shape: shapes[i],
                                dtype: (layer.kind as? InputOp)?.dtype ?? .float32)
        }
    }

    static func isInteger(_ d: DType) -> Bool { d.name.hasPrefix("int") || d.name.hasPrefix("uint") }

    static func isIntegerFile(_ d: NPYDType) -> Bool {
        switch d {
        case .int32, .int64, .int8, .uint8: true
        case .float32, .float64, .bool, .text: false
        }
    }

    /// A note for a conversion a user may want to know about (float64 rounded to float32), or nil.
    func conversionNote(_ array: NPYArray) -> String? {
        guard !Self.isInteger(dtype), array.dtype == .float64 else { return nil }
        return "strata: note: \(path) holds float64; the model's \(inputText) is \(dtype), so its values were rounded to float32"
    }

    /// Checks `array` (read from `path`) against this input and converts it.
    func tensor(_ array: NPYArray) throws(CommandFailure) -> Tensor {
        if let shape {
            let fits = array.shape.count == shape.rank
                && zip(array.shape.dropFirst(), shape.dims.dropFirst()).allSatisfy { $0.1 == nil || $0.1 == $0.0 }
            guard fits else {
                throw CommandFailure("strata: error: \(path): the model's \(inputText) expects an input of shape \(shape) "
                    + "(any batch size), found \(PredictCommand.text(array.shape))")
            }
        }
        if dtype.name == "string" {
            guard array.dtype == .text else {
                throw CommandFailure("strata: error: \(path): the model's \(inputText) takes strings, found \(array.dtype) values; "
                    + "save the texts as a unicode array (np.array([[\"some text\"]]))")
            }
            return array.toTensor()
        }
        if array.dtype == .text {
            throw CommandFailure("strata: error: \(path): the model's \(inputText) takes \(dtype) values, found strings")
        }
        if Self.isIntegerFile(array.dtype), let ints = array.int32s,
           let big = ints.firstIndex(where: { $0 > 16_777_216 || $0 < -16_777_216 }) {
            // The forward pass carries values as float32, exact for whole numbers up to 2^24.
            throw CommandFailure("strata: error: \(path): element \(big) is \(ints[big]); the forward pass carries values as float32, "
                + "which holds whole numbers exactly only up to 16777216 (2^24)")
        }
        if Self.isInteger(dtype) {
            if Self.isIntegerFile(array.dtype) { return array.toTensor() }
            guard array.dtype != .bool else {
                throw CommandFailure("strata: error: \(path): the model's \(inputText) takes \(dtype) (e.g. token ids), found bool values")
            }
            let floats = array.floats ?? []
            let bad = floats.withUnsafeBufferPointer { p -> Int? in
                for i in 0..<p.count where !(p[i].rounded() == p[i] && abs(p[i]) <= 16_777_216) { return i }
                return nil
            }
            if let bad {
                throw CommandFailure("strata: error: \(path): the model's \(inputText) takes \(dtype) (e.g. token ids), found \(array.dtype) "
                    + "with a value that is not a whole number (element \(bad): \(floats[bad])); save the file as int32")
            }
            return array.toTensor()
        }
        guard array.dtype != .bool else {
            throw CommandFailure("strata: error: \(path): the model's \(inputText) takes \(dtype) values, found bool; "
                + "if 0 and 1 are meant, save it as float32 (x.astype(\"float32\"))")
        }
        return array.toTensor()
    }
}
