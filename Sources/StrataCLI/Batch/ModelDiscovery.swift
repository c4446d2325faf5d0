import Foundation
import ModelKit

/// Finds the model files under the input folders: recursive, every supported format, hidden
/// folders and the output folder skipped, symbolic-link loops detected, stable ids from the
/// relative path, sorted by id.
public enum ModelDiscovery {
    /// One model file found.
    public struct Found: Sendable, Hashable {
        /// Stable id: the path relative to its input folder (prefixed with the input folder's
        /// name when several folders are given), e.g. `vision/resnet8.keras`.
        public var id: String
        public var path: String
    }

    /// What discovery found: the models, and problems that concern single files or folders
    /// (an unreadable folder, a symlink loop, an id collision). The batch reports those and
    /// goes on.
    public struct Result: Sendable {
        public var models: [Found]
        /// Warnings about folders and links (unreadable folder, symlink loop, broken link).
        public var problems: [StrataError]
        /// Model files that will not be reported (an id collision): the run counts them as failed.
        public var rejected: [StrataError]
        /// Files that are not models (a `labels.json`, Keras 3 `*.weights.h5`, a README):
        /// not reported, listed in the index with the reason so the user sees why.
        public var skipped: [Skipped] = []
    }

    /// A file in an input folder that is not a model.
    public struct Skipped: Sendable, Hashable {
        /// The path relative to its input folder (as model ids are).
        public var id: String
        public var path: String
        public var reason: String
    }

    /// Discovers models. `excluding` is a folder never entered (the output folder).
    public static func discover(inputs: [String], excluding: [String] = []) -> Result {
        var models: [Found] = []
        var problems: [StrataError] = []
        var rejected: [StrataError] = []
        var skipped: [Skipped] = []
        let fm = FileManager.default
        let excluded = Set(excluding.map { canonical($0) })
        var byId: [String: String] = [:]
        var byFolder: [String: String] = [:]
        for input in inputs {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: input, isDirectory: &isDir) else {
                problems.append(StrataError(file: input, "input folder does not exist"))
                continue
            }
            if !isDir.boolValue {
                // A single file given as input.
                let id = (input as NSString).lastPathComponent
                add(Found(id: id, path: input))
                continue
            }
            let prefix = inputs.count > 1 ? (canonical(input) as NSString).lastPathComponent + "/" : ""
            var visited: Set<String> = []
            walk(input, relative: "", prefix: prefix)

            func walk(_ folder: String, relative: String, prefix: String) {
                let real = canonical(folder)
                if excluded.contains(real) { return }
                guard visited.insert(real).inserted else {
                    problems.append(StrataError(file: folder, "symbolic link loop: this folder was already visited as \(real); skipped"))
                    return
                }
                let names: [String]
                do { names = try fm.contentsOfDirectory(atPath: folder) } catch {
                    problems.append(StrataError(file: folder, "cannot read the folder: \(error.localizedDescription)"))
                    return
                }
                for name in names.sorted() where !name.hasPrefix(".") {
                    let path = (folder as NSString).appendingPathComponent(name)
                    let rel = relative.isEmpty ? name : relative + "/" + name
                    var sub: ObjCBool = false
                    guard fm.fileExists(atPath: path, isDirectory: &sub) else {
                        problems.append(StrataError(file: path, "broken symbolic link; skipped"))
                        continue
                    }
                    if sub.boolValue {
                        walk(path, relative: rel, prefix: prefix)
                    } else if let reason = FormatRegistry.standard.whyNotModel(path) {
                        skipped.append(Skipped(id: prefix + rel, path: path, reason: reason))
                    } else {
                        add(Found(id: prefix + rel, path: path))
                    }
                }
            }
        }

        func add(_ f: Found) {
            if let other = byId[f.id] {
                rejected.append(StrataError(file: f.path, "model id \"\(f.id)\" is already used by \(other); skipped (rename one of them)"))
                return
            }
            let folder = reportFolder(for: f.id).lowercased()
            if let other = byFolder[folder] {
                rejected.append(StrataError(file: f.path, "model id \"\(f.id)\" would share its report folder \(reportFolder(for: f.id)) with \"\(other)\"; skipped (rename one of them)"))
                return
            }
            byId[f.id] = f.path
            byFolder[folder] = f.id
            models.append(f)
        }

        models.sort { $0.id < $1.id }
        skipped.sort { $0.id < $1.id }
        return Result(models: models, problems: problems, rejected: rejected, skipped: skipped)
    }

    /// The models of shard `k` of `n` (1-based): every n-th model by id, starting with the k-th.
    public static func shard(_ models: [Found], k: Int, of n: Int) -> [Found] {
        models.enumerated().filter { $0.offset % n == k - 1 }.map(\.element)
    }

    /// The folder a model's report goes to, relative to the output folder: the id with
    /// dots and slashes made safe (`vision/resnet8.keras` -> `vision/resnet8_keras`).
    public static func reportFolder(for id: String) -> String {
        id.split(separator: "/").map { part in
            part.map { c -> Character in (c.isLetter || c.isNumber || c == "-" || c == "_") ? c : "_" }.map(String.init).joined()
        }.joined(separator: "/")
    }

    /// The path with symbolic links resolved (to detect loops and the output folder).
    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
    }
}
