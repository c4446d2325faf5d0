import ModelKit

/// A Keras 2 full-model `.h5` file (`model.save("m.h5")` in tf.keras / Keras 2): root
/// attributes `model_config` (the model's JSON), `keras_version`, `backend`, and the
/// weights under `model_weights/`.
public struct KerasH5: Sendable {
    /// The file, kept open for the weights.
    public let file: HDF5File
    /// The bytes of the root attribute `model_config` (JSON text, UTF-8).
    public let modelConfigBytes: [UInt8]
    /// The root attribute `keras_version` (`2.21.0`), when present.
    public let kerasVersion: String?
    /// The root attribute `backend` (`tensorflow`), when present.
    public let backend: String?

    /// Opens the `.h5` file at `path` and reads its root attributes.
    ///
    /// Throws a `StrataError` naming the file when it is not HDF5, is corrupt, or has no
    /// `model_config` attribute (a weights-only file).
    public init(path: String) throws {
        try self.init(file: HDF5File(path: path))
    }

    /// Reads the root attributes of an already open HDF5 file.
    public init(file: HDF5File) throws {
        self.file = file
        guard try file.hasAttribute("model_config") else {
            let hasWeights = file.kind(at: "/model_weights") != nil || ((try? file.hasAttribute("layer_names")) ?? false)
            throw StrataError(file: file.displayName, place: "/",
                              "an HDF5 file without a model_config attribute: probably a weights-only file "
                                  + "(model.save_weights) rather than a full Keras model"
                                  + (hasWeights ? "" : "; it has no Keras weights layout either"))
        }
        modelConfigBytes = Array(try file.stringAttribute("model_config").utf8)
        kerasVersion = try KerasH5.optionalString(file, "keras_version")
        backend = try KerasH5.optionalString(file, "backend")
    }

    private static func optionalString(_ file: HDF5File, _ name: String) throws -> String? {
        try file.hasAttribute(name) ? try file.stringAttribute(name) : nil
    }
}
