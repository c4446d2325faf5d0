import Foundation
import ModelKit
import Testing
@testable import StrataCLI

/// Reading the configuration: defaults, every key, the committed default file.
@Suite struct ConfigLoaderTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func load(_ yaml: String) throws -> StrataConfig { try ConfigLoader.load(yaml: yaml, file: "test.yml") }

    @Test func defaultsAreTheIssuesDefaults() {
        let d = StrataConfig.defaults
        #expect(d.inputs == ["Examples"])
        #expect(d.output == "Output")
        #expect(d.formats == [.pdf, .svg, .md, .json])
        #expect(d.forward.enabled == true)
        #expect(d.forward.threads == nil)
        #expect(d.forward.warmup == 5)
        #expect(d.forward.runs == 30)
        #expect(d.forward.seed == 0)
        #expect(d.forward.inputShapes.isEmpty)
        #expect(d.regression.latencyIncreasePercent == 10)
        #expect(d.regression.failOnParamChange == true)
        #expect(d.regression.failOnMissingModel == true)
        #expect(d.templates == "Templates")
        #expect(d.history == "Output/history.sqlite")
        #expect(d.jobs == nil)
        #expect(d.resolvedJobs(coreCount: 8) == 8)
        #expect(d.forward.resolvedThreads(coreCount: 2) == 2)
        #expect(StrataConfig(jobs: 3).resolvedJobs(coreCount: 8) == 3)
    }

    @Test func emptyTextMeansDefaults() throws {
        #expect(try Self.load("") == .defaults)
        #expect(try Self.load("# only a comment\n\n") == .defaults)
        #expect(try Self.load("~\n") == .defaults)
        // An empty section is that section's defaults.
        #expect(try Self.load("forward:\nregression:\n") == .defaults)
        #expect(try Self.load("forward: {}\n") == .defaults)
    }

    @Test func keysLeftOutKeepTheirDefaults() throws {
        let c = try Self.load("forward:\n  runs: 7\n")
        var expected = StrataConfig.defaults
        expected.forward.runs = 7
        #expect(c == expected)
    }

    static let full = """
        inputs: [models, "more models"]
        output: Nightly
        formats: [json, md]
        report:
          detail: full
          shade: latency
        forward:
          enabled: false
          threads: 4
          warmup: 0
          runs: 12
          budget_seconds: 2.5
          seed: 42
          input_shapes:
            vision/mobilenet.keras: ["224,224,3"]
            two_inputs.json: ["32x32x3", [10, 4]]
            single.h5: "128"
          memory_limit: 2G
          retime: changed
        regression:
          latency_increase_percent: 2.5
          fail_on_param_change: no
          fail_on_missing_model: false
        templates: my/templates
        history: /var/lib/strata/history.sqlite
        jobs: 1
        batch:
          model_timeout: 60
          model_memory: 8G
        """

    static let fullExpected = StrataConfig(
        inputs: ["models", "more models"], output: "Nightly", formats: [.md, .json],
        forward: ForwardConfig(enabled: false, threads: 4, warmup: 0, runs: 12, budgetSeconds: 2.5, seed: 42, inputShapes: [
            "vision/mobilenet.keras": [[224, 224, 3]],
            "two_inputs.json": [[32, 32, 3], [10, 4]],
            "single.h5": [[128]],
        ], memoryLimit: 2 << 30, retime: .changed),
        regression: RegressionConfig(latencyIncreasePercent: 2.5, failOnParamChange: false, failOnMissingModel: false),
        templates: "my/templates", history: "/var/lib/strata/history.sqlite", jobs: 1,
        batch: BatchConfig(modelTimeout: 60, modelMemory: 8 << 30), detail: .full, shade: .latency)

    /// Every key set away from its default; formats come back in canonical order (md before json).
    @Test func everyKeyIsRead() throws {
        #expect(try Self.load(Self.full) == Self.fullExpected)
    }

    /// Printed and read back, the configuration is the same value; the text is the key order
    /// of the issue, model ids sorted, text that would read as a number or null quoted.
    @Test func printedYAMLRoundTrips() throws {
        let printed = ConfigPrinter.yaml(Self.fullExpected)
        #expect(printed == """
            inputs:
            - models
            - more models
            output: Nightly
            formats:
            - md
            - json
            report:
              detail: full
              shade: latency
            forward:
              enabled: false
              threads: 4
              warmup: 0
              runs: 12
              budget_seconds: 2.5
              seed: 42
              input_shapes:
                single.h5:
                - '128'
                two_inputs.json:
                - 32,32,3
                - 10,4
                vision/mobilenet.keras:
                - 224,224,3
              memory_limit: 2147483648
              retime: changed
            regression:
              latency_increase_percent: 2.5
              fail_on_param_change: false
              fail_on_missing_model: false
            templates: my/templates
            history: /var/lib/strata/history.sqlite
            jobs: 1
            batch:
              model_timeout: 60
              model_memory: 8589934592

            """)
        #expect(try Self.load(printed) == Self.fullExpected)
        #expect(try Self.load(ConfigPrinter.yaml(.defaults)) == .defaults)
        var awkward = StrataConfig.defaults
        awkward.inputs = ["null", "123", "true", "a: b", "#x"]
        awkward.output = "0x10"
        #expect(try Self.load(ConfigPrinter.yaml(awkward)) == awkward)
    }

    /// The committed config/strata.yml is valid, equals the defaults, and states and comments every key.
    @Test func committedDefaultFileIsTheDefaults() throws {
        let file = Self.repository.appendingPathComponent("config/strata.yml").path
        #expect(try ConfigLoader.load(path: file) == .defaults)
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        for key in ConfigLoader.topKeys + ConfigLoader.forwardKeys + ConfigLoader.regressionKeys + ConfigLoader.batchKeys + ConfigLoader.reportKeys {
            let index = try #require(lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix(key + ":") }, "\(key) is in the file")
            let above = index > 0 ? lines[index - 1].trimmingCharacters(in: .whitespaces) : ""
            // Sections carry a comment; every value its default, stated just above it.
            let section = key == "forward" || key == "regression" || key == "batch" || key == "report"
            #expect(above.hasPrefix(section ? "# " : "# Default: "), "\(key) is commented just above")
        }
    }

    @Test func missingDefaultFileMeansDefaultsButAMissingNamedFileIsAnError() throws {
        #expect(try ConfigLoader.load(path: nil, defaultPath: "/no/such/strata.yml") == .defaults)
        #expect(throws: StrataError(file: "/no/such/strata.yml", "no such configuration file")) {
            try ConfigLoader.load(path: "/no/such/strata.yml")
        }
        #expect(throws: StrataError(file: "/tmp", "is a folder; expected a YAML configuration file")) {
            try ConfigLoader.load(path: "/tmp")
        }
    }

    @Test func aNamedFileIsRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("strata-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("strata.yml").path
        try Data(Self.full.utf8).write(to: URL(fileURLWithPath: file))
        #expect(try ConfigLoader.load(path: file) == Self.fullExpected)
        #expect(try ConfigLoader.load(path: nil, defaultPath: file) == Self.fullExpected)
        try Data().write(to: URL(fileURLWithPath: file))
        #expect(try ConfigLoader.load(path: file) == .defaults)
    }
}
