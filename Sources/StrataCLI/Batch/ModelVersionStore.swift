import Foundation

/// The history's copies of model files by content hash, `<history folder>/model-versions/
/// <sha256>/<file name>`, so that when a model's file changes the next run can compare it with
/// the version it last reported (`strata diff`), although the folder now holds the new one.
///
/// A version is saved once its report is published; at the end of an unsharded run only the
/// versions some model may still be compared against are kept: each reported model's current
/// version, and a failed model's previous one. Only the model's own file is kept (an ONNX
/// model's external data files and a Keras config's weights are not), which is all the
/// comparison of layers, shapes and counts needs. A hash that is not 64 hexadecimal digits
/// (a damaged history) names no version: nothing outside the store is ever opened.
struct ModelVersionStore {
    let folder: String

    init(historyPath: String) {
        folder = ((historyPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("model-versions")
    }

    static func isHash(_ s: String) -> Bool {
        s.utf8.count == 64 && s.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// The stored file of this version, nil when there is none.
    func existing(hash: String) -> String? {
        guard Self.isHash(hash) else { return nil }
        let dir = (folder as NSString).appendingPathComponent(hash)
        guard let name = (try? FileManager.default.contentsOfDirectory(atPath: dir))?.first(where: { !$0.hasPrefix(".") }) else { return nil }
        return (dir as NSString).appendingPathComponent(name)
    }

    /// Keeps a copy of the model file `path` whose content hash is `hash` (once per version:
    /// copied under a temporary name and renamed, so a version is whole or absent).
    func save(_ path: String, hash: String?) {
        guard let hash, Self.isHash(hash), existing(hash: hash) == nil else { return }
        let fm = FileManager.default
        let temp = (folder as NSString).appendingPathComponent(".\(hash).\(getpid()).tmp")
        let dir = (folder as NSString).appendingPathComponent(hash)
        try? fm.removeItem(atPath: temp)
        do {
            try fm.createDirectory(atPath: temp, withIntermediateDirectories: true)
            try fm.copyItem(atPath: path, toPath: (temp as NSString).appendingPathComponent((path as NSString).lastPathComponent))
            try? fm.removeItem(atPath: dir)
            guard rename(temp, dir) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? fm.removeItem(atPath: temp)
        }
    }

    /// Removes every stored version not in `keeping`.
    func prune(keeping: Set<String>) {
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: folder)) ?? [] where !keeping.contains(name) {
            try? fm.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
        }
    }
}
