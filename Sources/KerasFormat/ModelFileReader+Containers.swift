import ModelKit

extension ModelFileReader {
    /// `.keras` archives: read `config.json` and `metadata.json` from the zip.
    static func readArchive(_ path: String) throws -> ModelGraph {
        throw StrataError(file: path, ".keras archives: reader not merged yet")
    }

    /// Keras 2 full-model `.h5`: the root `model_config` attribute.
    static func readH5(_ path: String) throws -> ModelGraph {
        throw StrataError(file: path, ".h5 files: reader not merged yet")
    }
}
