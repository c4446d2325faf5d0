import ModelKit
import Testing
@testable import StrataCLI

/// The `strata report` options laid over a loaded configuration.
@Suite struct ConfigOverridesTests {
    static let base = StrataConfig(
        inputs: ["models"], output: "Out", formats: [.pdf, .md],
        forward: ForwardConfig(enabled: true, threads: 2, warmup: 1, runs: 3, seed: 9, inputShapes: ["a.keras": [[8, 8, 1]]]),
        regression: RegressionConfig(latencyIncreasePercent: 5), templates: "T", history: "Out/history.sqlite", jobs: 2)

    @Test func noOverridesChangeNothing() throws {
        #expect(try Self.base.applying(ConfigOverrides()) == Self.base)
    }

    @Test func everyOverrideLandsOnItsKey() throws {
        let o = ConfigOverrides(inputs: ["x", "y"], output: "Nightly", formats: [.json], forwardEnabled: false, threads: 6, jobs: 1)
        let c = try Self.base.applying(o)
        var expected = Self.base
        expected.inputs = ["x", "y"]
        expected.output = "Nightly"
        expected.history = "Nightly/history.sqlite"
        expected.formats = [.json]
        expected.forward.enabled = false
        expected.forward.threads = 6
        expected.jobs = 1
        #expect(c == expected)
    }

    /// A history inside the output folder moves with --out; one elsewhere stays.
    @Test func historyFollowsTheOutputFolderOnlyWhenInsideIt() throws {
        #expect(try Self.base.applying(ConfigOverrides(output: "shard-1/")).history == "shard-1/history.sqlite")
        var trailing = Self.base
        trailing.output = "Out/"
        #expect(try trailing.applying(ConfigOverrides(output: "B")).history == "B/history.sqlite")
        var elsewhere = Self.base
        elsewhere.history = "/var/lib/strata.sqlite"
        #expect(try elsewhere.applying(ConfigOverrides(output: "B")).history == "/var/lib/strata.sqlite")
        var sibling = Self.base
        sibling.history = "Outside/history.sqlite"
        #expect(try sibling.applying(ConfigOverrides(output: "B")).history == "Outside/history.sqlite")
    }

    @Test func formatOptionParses() throws {
        #expect(try ConfigOverrides.parseFormats("json,pdf") == [.pdf, .json])
        #expect(try ConfigOverrides.parseFormats("md") == [.md])
        #expect(try ConfigOverrides.parseFormats(" svg , md ") == [.svg, .md])
        #expect(throws: StrataError(place: "--format", "unknown format \"jsn\" in \"pdf,jsn\" (did you mean \"json\"?); expected names from pdf, svg, md, json, separated by commas")) {
            try ConfigOverrides.parseFormats("pdf,jsn")
        }
        #expect(throws: StrataError(place: "--format", "unknown format \"\" in \"pdf,,svg\"; expected names from pdf, svg, md, json, separated by commas")) {
            try ConfigOverrides.parseFormats("pdf,,svg")
        }
        #expect(throws: StrataError(place: "--format", "\"pdf\" is given twice in \"pdf,pdf\"; expected each format at most once")) {
            try ConfigOverrides.parseFormats("pdf,pdf")
        }
    }

    @Test func badNumbersAreRejected() {
        #expect(throws: StrataError(place: "--threads", "0 is less than 1; expected a whole number of at least 1")) {
            try Self.base.applying(ConfigOverrides(threads: 0))
        }
        #expect(throws: StrataError(place: "--jobs", "-2 is less than 1; expected a whole number of at least 1")) {
            try Self.base.applying(ConfigOverrides(jobs: -2))
        }
        #expect(throws: StrataError(place: "--out", "the folder is empty; expected a folder path")) {
            try Self.base.applying(ConfigOverrides(output: ""))
        }
    }
}
