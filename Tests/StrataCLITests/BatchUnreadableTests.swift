import Foundation
import Testing
@testable import StrataCLI

/// A model file the user may not read fails alone, with a message naming it; the other
/// models are reported. Tests run as root, who reads anything, so the run is a child process
/// of the strata executable with its privileges dropped to nobody (`setpriv`, util-linux);
/// as another user the child runs as that user.
@Suite struct BatchUnreadableTests {
    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/reference")

    @Test func unreadableModelFailsAloneWithItsName() throws {
        let strata = try #require(BatchKillTests.executable, "the strata executable is built beside the tests")
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("strata-unreadable-\(UUID().uuidString)").path
        try fm.createDirectory(atPath: root + "/models", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/out", withIntermediateDirectories: true)
        // The executable is copied beside the models: the user nobody may not reach the build folder.
        try fm.copyItem(atPath: strata, toPath: root + "/strata")
        try fm.copyItem(atPath: Self.reference.appendingPathComponent("case_nested/model.json").path, toPath: root + "/models/good.json")
        try fm.copyItem(atPath: Self.reference.appendingPathComponent("case_nested/model.json").path, toPath: root + "/models/secret.json")
        for (path, mode) in [(root, 0o755), (root + "/models", 0o755), (root + "/out", 0o777), (root + "/strata", 0o755),
                             (root + "/models/good.json", 0o644), (root + "/models/secret.json", 0o000)] {
            try fm.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        }
        let arguments = ["report", root + "/models", "--out", root + "/out", "--no-forward", "--format", "json,md", "--date", "2026-01-01"]
        var p = Process(), stdout = "", stderr = ""
        // The copied executable may still be open for writing in a child another test forked
        // meanwhile (it inherits the descriptor): exec then fails with ETXTBSY. Try again.
        for _ in 0..<20 {
            p = Process()
            if geteuid() == 0 {
                p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
                p.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", root + "/strata"] + arguments
            } else {
                p.executableURL = URL(fileURLWithPath: root + "/strata")
                p.arguments = arguments
            }
            p.currentDirectoryURL = URL(fileURLWithPath: root)
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            try p.run()
            stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            guard p.terminationStatus == 126, stderr.contains("Text file busy") else { break }
            usleep(100_000)
        }
        #expect(p.terminationStatus == 1, "some models failed\n\(stdout)\n\(stderr)")
        #expect(stdout.contains("Reported 1 of 2 models"), "\(stdout)")
        #expect(stdout.contains("secret.json: \(root)/models/secret.json: cannot be opened for reading"), "\(stdout)")
        #expect(fm.fileExists(atPath: root + "/out/good_json/report.json"))
        let index = try String(contentsOfFile: root + "/out/index.md", encoding: .utf8)
        #expect(index.contains("secret.json"))
        #expect(index.contains("cannot be opened for reading"))
    }
}
