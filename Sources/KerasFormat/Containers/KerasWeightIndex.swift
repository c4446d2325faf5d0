import Foundation
import ModelKit

/// The weight tensors stored in a Keras weights file, per layer, without reading their
/// values: name, shape, dtype and where each lives in the HDF5 file.
///
/// Two layouts are read:
///
/// - Keras 3 (`model.weights.h5` inside a `.keras` archive, or a `*.weights.h5`): the file's
///   root is the model; `layers/<key>/vars/<i>` holds the i-th variable of a layer, where
///   `<key>` is the snake-cased class name made unique in the container (`dense`,
///   `dense_1`, `batch_normalization`), NOT the layer's name. Keras >= 3.x writes the
///   layer's name as the attribute `name` of each `vars` group; it is used when present.
///   Sub-objects nest further: a nested model's layers under `layers/<key>/layers/<key>/`,
///   a wrapper's layer under `layer/` (TimeDistributed), `forward_layer/cell/` and
///   `backward_layer/cell/` (Bidirectional of an RNN), `query_dense/`, `key_dense/`, ...
///   (MultiHeadAttention). Variables within a `vars` group are in the layer's creation
///   order (BatchNormalization: gamma, beta, moving_mean, moving_variance).
/// - Keras 2 (`.h5` full models under `model_weights/`, weights-only files at the root):
///   attribute `layer_names` lists the layers in model order, each layer group's attribute
///   `weight_names` lists its datasets (`conv2d/kernel:0`) in `layer.weights` order
///   (trainable first, then non-trainable).
public struct KerasWeightIndex: Sendable {
    /// Which of the two layouts the index was read from.
    public enum Layout: String, Sendable { case keras3, keras2 }

    /// One stored weight tensor.
    public struct Tensor: Sendable, Hashable {
        /// Keras 3: the variable's index in its `vars` group (`"0"`, `"1"`, ...); Keras 2: the
        /// stored weight name (`"conv2d/kernel:0"`).
        public var name: String
        /// Keras 3: the name of the object owning the variable (the `vars` group's `name`
        /// attribute, e.g. `lstm_cell`, `query`, an inner layer's name), or its group key when
        /// the attribute is absent. Keras 2: the first component of `name` (`conv2d`).
        public var owner: String
        /// The path relative to the layer's group (`vars/0`, `forward_layer/cell/vars/1`,
        /// `layers/dense/vars/0`; Keras 2: `conv2d/kernel:0`).
        public var relativePath: String
        /// The absolute HDF5 path of the dataset, for `HDF5File.readFloats`.
        public var hdf5Path: String
        /// The stored shape, row-major (Keras's own shape: Dense kernel `[in, out]`, Conv2D
        /// kernel `[kh, kw, in, out]`).
        public var shape: [Int]
        public var dtype: DType
    }

    /// One layer of the model (or of a nested model).
    public struct Layer: Sendable {
        /// The layer's name (`conv2d`, `skip`), as Keras's `layer.name`.
        public var name: String
        /// The layer's group: `/layers/dense_1` (Keras 3), `/model_weights/dense_1` (Keras 2).
        public var groupPath: String
        /// Every weight of the layer, including those of its sub-objects and inner layers.
        /// Keras 3: own variables first (index order), then sub-objects and inner layers in
        /// best-effort creation order (see `layers`); this is not always `layer.weights`
        /// order (MultiHeadAttention's sub-objects are written alphabetically: key, output,
        /// query, value; Bidirectional's may come backward first), so go by `relativePath`
        /// or `sublayers`. Keras 2: `weight_names` order, which is trainable weights first,
        /// then non-trainable ones (tf.keras's `_legacy_weights`).
        public var weights: [Tensor]
        /// For a nested model in a Keras 3 file: its layers, the same way. Empty otherwise
        /// (Keras 2 files keep a nested model's weights flat; `Tensor.owner` names the inner
        /// layer).
        public var sublayers: [Layer]
    }

    public let layout: Layout
    /// The file the index was read from (for messages).
    public let fileName: String
    /// The model's layers. Keras 2: `layer_names` order, which is `model.layers` order.
    /// Keras 3: best-effort creation order (object header addresses); HDF5 keeps no creation
    /// order for h5py's groups and reuses freed space, so a few layers can be out of place
    /// (seen: `activation_1` first in the ResNet-8 fixture). Look layers up by name, or pair
    /// them exactly with `keras3GroupKeys(classNames:)` and `layer(groupKey:)`.
    public let layers: [Layer]

    /// The layer called `name` among the top-level layers, if any.
    public func layer(named name: String) -> Layer? { layers.first { $0.name == name } }

    /// The top-level layer stored under the Keras 3 group key `key` (`dense_1`), if any.
    public func layer(groupKey key: String) -> Layer? {
        layers.first { $0.groupPath.split(separator: "/").last.map(String.init) == key }
    }

    /// The Keras 3 group keys of a container's layers, given their Python class names in
    /// `model.layers` order: the snake-cased class name, then `_1`, `_2`, ... for repeats
    /// (`["Conv2D", "Conv2D", "BatchNormalization"]` -> `conv2d`, `conv2d_1`,
    /// `batch_normalization`). This is how Keras names the groups
    /// (`keras/src/saving/saving_lib.py`, `_save_container_state`, with
    /// `keras/src/utils/naming.py` `to_snake_case`), and the exact way to pair layers with
    /// groups, also in files without `name` attributes.
    public static func keras3GroupKeys(classNames: [String]) -> [String] {
        var used: [String: Int] = [:]
        return classNames.map { cls in
            let base = snakeCase(cls)
            if let n = used[base] {
                used[base] = n + 1
                return "\(base)_\(n + 1)"
            }
            used[base] = 0
            return base
        }
    }

    /// Keras's `to_snake_case`: drop non-word characters, `_` before an uppercase letter
    /// followed by lowercase ones (not at the start), `_` between a lowercase letter and an
    /// uppercase one, then lowercase.
    static func snakeCase(_ name: String) -> String {
        let chars = Array(name.unicodeScalars.filter { $0 == "_" || CharacterSet.alphanumerics.contains($0) })
        func isUpper(_ c: Unicode.Scalar) -> Bool { c.value >= 65 && c.value <= 90 }  // [A-Z]
        func isLower(_ c: Unicode.Scalar) -> Bool { c.value >= 97 && c.value <= 122 }  // [a-z]
        // Pass 1: re.sub("(.)([A-Z][a-z]+)", r"\1_\2") — non-overlapping, left to right.
        var pass1: [Unicode.Scalar] = []
        var i = 0
        while i < chars.count {
            if i + 2 < chars.count, isUpper(chars[i + 1]), isLower(chars[i + 2]) {
                var j = i + 2
                while j < chars.count, isLower(chars[j]) { j += 1 }
                pass1.append(chars[i]); pass1.append("_")
                pass1.append(contentsOf: chars[(i + 1)..<j])
                i = j
            } else {
                pass1.append(chars[i]); i += 1
            }
        }
        // Pass 2: re.sub("([a-z])([A-Z])", r"\1_\2"), then lower().
        var out = ""
        for (k, c) in pass1.enumerated() {
            if k > 0, isLower(pass1[k - 1]), isUpper(c) { out += "_" }
            out.unicodeScalars.append(c)
        }
        return out.lowercased()
    }

    /// Every tensor of the file, layer by layer.
    public var allTensors: [Tensor] { layers.flatMap(\.weights) }

    /// Reads the index of a Keras 3 weights file (root groups `layers` and `vars`).
    public init(keras3 file: HDF5File) throws {
        layout = .keras3
        fileName = file.displayName
        guard file.kind(at: "/layers") == .group else {
            throw StrataError(file: file.displayName, place: "/", "not a Keras 3 weights file: no group \"layers\" at the root")
        }
        layers = try KerasWeightIndex.keras3Layers(file, container: "/layers")
    }

    /// Reads the index of a Keras 2 file: a full model (`model_weights/`) or a weights-only
    /// file (attribute `layer_names` at the root).
    public init(keras2 file: HDF5File) throws {
        layout = .keras2
        fileName = file.displayName
        let root: String
        if file.kind(at: "/model_weights") == .group {
            root = "/model_weights"
        } else if try file.hasAttribute("layer_names") {
            root = "/"
        } else {
            throw StrataError(file: file.displayName, place: "/", "not a Keras 2 weights layout: no group \"model_weights\" and no attribute \"layer_names\"")
        }
        let names = try file.stringArrayAttribute("layer_names", of: root)
        var result: [Layer] = []
        for name in names {
            let group = root == "/" ? "/" + name : root + "/" + name
            guard file.kind(at: group) == .group else {
                throw StrataError(file: file.displayName, place: group, "layer \"\(name)\" is listed in layer_names but has no group")
            }
            var tensors: [Tensor] = []
            for weightName in try file.stringArrayAttribute("weight_names", of: group) {
                let path = group + "/" + weightName
                let info = try file.datasetInfo(path)
                let owner = weightName.split(separator: "/").first.map(String.init) ?? name
                tensors.append(Tensor(name: weightName, owner: owner, relativePath: weightName, hdf5Path: path, shape: info.shape, dtype: info.dtype))
            }
            result.append(Layer(name: name, groupPath: group, weights: tensors, sublayers: []))
        }
        layers = result
    }

    /// Reads the index of whichever layout `file` has (Keras 3 when the root has a `layers`
    /// group, Keras 2 otherwise).
    public init(file: HDF5File) throws {
        if file.kind(at: "/layers") == .group {
            try self.init(keras3: file)
        } else {
            try self.init(keras2: file)
        }
    }

    // MARK: - Keras 3

    private static func keras3Layers(_ file: HDF5File, container: String) throws -> [Layer] {
        try file.childrenInCreationOrder(of: container).compactMap { child in
            guard child.kind == .group else { return nil }
            return try keras3Layer(file, group: child.path, key: child.name)
        }
    }

    private static func keras3Layer(_ file: HDF5File, group: String, key: String) throws -> Layer {
        let name = try ownerName(file, group: group, key: key)
        var weights: [Tensor] = []
        try collect(file, group: group, relative: "", owner: name, into: &weights, depth: 0)
        var sublayers: [Layer] = []
        if file.kind(at: group + "/layers") == .group {
            sublayers = try keras3Layers(file, container: group + "/layers")
        }
        return Layer(name: name, groupPath: group, weights: weights, sublayers: sublayers)
    }

    /// The `name` attribute of `group/vars`, or the group key when there is none.
    private static func ownerName(_ file: HDF5File, group: String, key: String) throws -> String {
        let vars = group + "/vars"
        if file.kind(at: vars) == .group, try file.hasAttribute("name", of: vars) {
            return try file.stringAttribute("name", of: vars)
        }
        return key
    }

    /// Own variables of `group` (its `vars` datasets in index order), then every sub-object
    /// group in creation order, recursively.
    private static func collect(_ file: HDF5File, group: String, relative: String, owner: String, into out: inout [Tensor], depth: Int) throws {
        guard depth < 32 else { throw StrataError(file: file.displayName, place: group, "weights nested more than 32 groups deep") }
        let kids = try file.childrenInCreationOrder(of: group)
        if let vars = kids.first(where: { $0.name == "vars" && $0.kind == .group }) {
            var indexed: [(Int, HDF5File.Child)] = []
            for d in try file.children(of: vars.path) where d.kind == .dataset {
                guard let i = Int(d.name) else {
                    throw StrataError(file: file.displayName, place: d.path, "unexpected dataset name in a vars group (expected 0, 1, 2, ...)")
                }
                indexed.append((i, d))
            }
            for (_, d) in indexed.sorted(by: { $0.0 < $1.0 }) {
                let info = try file.datasetInfo(d.path)
                out.append(Tensor(name: d.name, owner: owner, relativePath: relative + "vars/" + d.name, hdf5Path: d.path, shape: info.shape, dtype: info.dtype))
            }
        }
        for kid in kids where kid.kind == .group && kid.name != "vars" {
            let subOwner = try ownerName(file, group: kid.path, key: kid.name)
            try collect(file, group: kid.path, relative: relative + kid.name + "/", owner: subOwner, into: &out, depth: depth + 1)
        }
    }
}
