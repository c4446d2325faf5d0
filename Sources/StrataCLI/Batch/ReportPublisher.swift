import CLinux
import Foundation
import ModelKit

/// Publishes a model's report folder in one step: files are written to a staging folder
/// inside the output folder, then swapped with the previous folder atomically
/// (renameat2 RENAME_EXCHANGE), so a reader, or a run killed at any moment, sees either the
/// whole previous report or the whole new one.
public struct ReportPublisher: Sendable {
    public let output: String
    public let staging: String

    public init(output: String, runToken: String) throws {
        self.output = output
        self.staging = (output as NSString).appendingPathComponent(".strata-staging-\(runToken)")
        Self.removeAbandonedStaging(in: output)
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        } catch {
            throw StrataError(file: output, "cannot write to the output folder: \(error.localizedDescription)")
        }
    }

    /// A fresh staging folder for the report at `relative` (a worker writes into it).
    public func stagingFolder(for relative: String) -> String {
        (staging as NSString).appendingPathComponent(relative.replacingOccurrences(of: "/", with: "__"))
    }

    /// Writes the files of one model into `folder` (created anew).
    public static func writeStaged(_ files: [(name: String, data: Data)], into folder: String) throws {
        let fm = FileManager.default
        try? fm.removeItem(atPath: folder)
        do { try fm.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw StrataError(file: folder, "cannot create the staging folder: \(error.localizedDescription)")
        }
        for (name, data) in files {
            let path = (folder as NSString).appendingPathComponent(name)
            guard fm.createFile(atPath: path, contents: data) else {
                throw StrataError(file: path, "cannot be written (is the disk full? is the folder writable?)")
            }
        }
    }

    /// Puts a staged folder in place of `<output>/<relative>`, atomically when the folder
    /// already exists.
    public func publish(_ staged: String, to relative: String) throws {
        let fm = FileManager.default
        let final = (output as NSString).appendingPathComponent(relative)
        try? fm.createDirectory(atPath: (final as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: final, isDirectory: &isDir) {
            if strata_rename_exchange(staged, final) == 0 {
                try? fm.removeItem(atPath: staged)   // now holds the previous report
                return
            }
            // No RENAME_EXCHANGE on this file system: move the old one aside first.
            let aside = staged + ".previous"
            guard rename(final, aside) == 0 else { throw Self.error(final, "cannot move the previous report aside") }
            guard rename(staged, final) == 0 else {
                _ = rename(aside, final)
                throw Self.error(final, "cannot put the new report in place")
            }
            try? fm.removeItem(atPath: aside)
            return
        }
        guard rename(staged, final) == 0 else { throw Self.error(final, "cannot put the new report in place") }
    }

    /// Writes one file (the index) through a temporary name and a rename.
    public func writeFile(_ data: Data, to relative: String) throws {
        let final = (output as NSString).appendingPathComponent(relative)
        let temp = (staging as NSString).appendingPathComponent("." + (relative as NSString).lastPathComponent + ".tmp")
        guard FileManager.default.createFile(atPath: temp, contents: data) else {
            throw StrataError(file: final, "cannot be written (is the disk full? is the folder writable?)")
        }
        guard rename(temp, final) == 0 else { throw Self.error(final, "cannot be put in place") }
    }

    /// Removes staging folders left by runs that were killed (their process is gone).
    static func removeAbandonedStaging(in output: String) {
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: output)) ?? [] where name.hasPrefix(".strata-staging-") {
            guard let pid = Int32(name.dropFirst(".strata-staging-".count)), pid != getpid(), kill(pid, 0) != 0 else { continue }
            try? fm.removeItem(atPath: (output as NSString).appendingPathComponent(name))
        }
    }

    /// Removes the staging folder (at the end of a run).
    public func cleanUp() { try? FileManager.default.removeItem(atPath: staging) }

    static func error(_ path: String, _ what: String) -> StrataError {
        StrataError(file: path, "\(what): \(String(cString: strerror(errno)))")
    }
}
