import Foundation
import Testing
@testable import StrataCLI

/// `strata config`: the effective configuration as YAML, exit 2 on a configuration error.
@Suite struct ConfigCommandTests: CLISuite {

    func write(_ text: String) throws -> (dir: URL, file: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("strata-config-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("strata.yml")
        try Data(text.utf8).write(to: file)
        return (dir, file.path)
    }

    @Test func printsTheEffectiveConfigurationThatReadsBack() throws {
        let (dir, file) = try write(ConfigLoaderTests.full)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = run(["config", "--config", file])
        #expect(r.code == 0)
        #expect(r.err.isEmpty)
        #expect(try ConfigLoader.load(yaml: r.out, file: "stdout") == ConfigLoaderTests.fullExpected)
        #expect(r.out == ConfigPrinter.yaml(ConfigLoaderTests.fullExpected))
    }

    @Test func aFileWithOnlySomeKeysPrintsEveryKey() throws {
        let (dir, file) = try write("jobs: 3\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = run(["config", "--config", file])
        #expect(r.code == 0)
        var expected = StrataConfig.defaults
        expected.jobs = 3
        #expect(try ConfigLoader.load(yaml: r.out, file: "stdout") == expected)
        for key in ["inputs:", "output:", "formats:", "forward:", "  threads: null", "  input_shapes: {}", "regression:", "templates:", "history:", "jobs: 3"] {
            #expect(r.out.contains(key), "\(key)")
        }
    }

    @Test func aConfigurationErrorExitsTwoWithOneLine() throws {
        let (dir, file) = try write("output: Out\nforward:\n  runs: -1\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = run(["config", "--config", file])
        #expect(r.code == 2)
        #expect(r.out.isEmpty)
        #expect(r.err == "strata: error: \(file): line 3, column 9, forward.runs: -1 is negative; expected a whole number of at least 1\n")
    }

    @Test func aMissingNamedFileExitsTwo() {
        let r = run(["config", "--config", "/no/such/strata.yml"])
        #expect(r.code == 2)
        #expect(r.err == "strata: error: /no/such/strata.yml: no such configuration file\n")
    }
}
