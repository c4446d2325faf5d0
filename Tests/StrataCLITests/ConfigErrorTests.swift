import Foundation
import ModelKit
import Testing
@testable import StrataCLI

/// Every configuration error names the file, the line and column of the offending node, the
/// key path, the value and what was expected. Positions are counted by hand from the snippets.
@Suite struct ConfigErrorTests {
    func error(_ yaml: String) throws -> StrataError {
        do {
            let config = try ConfigLoader.load(yaml: yaml, file: "cfg.yml")
            Issue.record("expected an error, got \(config)")
            throw CancellationError()
        } catch let e as StrataError {
            #expect(e.file == "cfg.yml")
            #expect(!e.description.contains("\n"), "one line")
            return e
        }
    }

    @Test func typoOfATopLevelKeySuggestsTheKey() throws {
        let e = try error("inputs:\n  - Examples\nfromats: [pdf]\n")
        #expect(e.place == "line 3, column 1, fromats")
        #expect(e.message == "unknown key \"fromats\" (did you mean \"formats\"?); the keys allowed at the top level are: inputs, output, formats, report, forward, regression, templates, history, jobs, batch")
        #expect(e.description.hasPrefix("cfg.yml: line 3, column 1, fromats: unknown key"))
    }

    /// `report.detail`: blocks or full; anything else names the key, the line and the value.
    @Test func reportDetail() throws {
        #expect(try ConfigLoader.load(yaml: "report:\n  detail: full\n", file: "cfg.yml").detail == .full)
        #expect(try ConfigLoader.load(yaml: "formats: [pdf]\n", file: "cfg.yml").detail == .blocks)
        let e = try error("report:\n  detail: everything\n")
        #expect(e.place == "line 2, column 11, report.detail")
        #expect(e.message.contains("expected blocks or full"), "\(e.message)")
        let printed = ConfigPrinter.yaml(try ConfigLoader.load(yaml: "report:\n  detail: full\n", file: "cfg.yml"))
        #expect(try ConfigLoader.load(yaml: printed, file: "printed.yml").detail == .full)
    }

    /// `report.shade`: params or latency; anything else names the key, the line and the value.
    @Test func reportShade() throws {
        #expect(try ConfigLoader.load(yaml: "report:\n  shade: latency\n", file: "cfg.yml").shade == .latency)
        #expect(try ConfigLoader.load(yaml: "report:\n  detail: full\n", file: "cfg.yml").shade == .params)
        let e = try error("report:\n  detail: full\n  shade: time\n")
        #expect(e.place == "line 3, column 10, report.shade")
        #expect(e.message.contains("\"time\" is not a shading; expected params or latency"), "\(e.message)")
    }

    @Test func typoOfANestedKeyNamesItsPath() throws {
        let e = try error("forward:\n  enabled: true\n  wramup: 3\n")
        #expect(e.place == "line 3, column 3, forward.wramup")
        #expect(e.message == "unknown key \"wramup\" (did you mean \"warmup\"?); the keys allowed under forward are: enabled, threads, warmup, runs, budget_seconds, seed, input_shapes, memory_limit, retime")
        let r = try error("regression:\n    fail_on_param_changes: true\n")
        #expect(r.place == "line 2, column 5, regression.fail_on_param_changes")
        #expect(r.message.contains("(did you mean \"fail_on_param_change\"?)"))
    }

    @Test func unknownKeyFarFromAnyListsTheAllowedOnes() throws {
        let e = try error("output: Out\ncolour: red\n")
        #expect(e.place == "line 2, column 1, colour")
        #expect(e.message == "unknown key \"colour\"; the keys allowed at the top level are: inputs, output, formats, report, forward, regression, templates, history, jobs, batch")
        #expect(!e.message.contains("did you mean"))
    }

    @Test func wrongTypes() throws {
        let jobs = try error("jobs: many\n")
        #expect(jobs.description == "cfg.yml: line 1, column 7, jobs: \"many\" is not a whole number; expected a whole number of at least 1, or null for the core count")
        let forward = try error("output: Out\nforward: yes\n")
        #expect(forward.place == "line 2, column 10, forward")
        #expect(forward.message.hasPrefix("yes is not a mapping; expected the forward-pass settings with the keys enabled, threads"))
        let enabled = try error("forward:\n  enabled: \"true\"\n")
        #expect(enabled.description == "cfg.yml: line 2, column 12, forward.enabled: \"true\" is not true or false; expected true or false")
        let inputs = try error("inputs: Examples\n")
        #expect(inputs.description == "cfg.yml: line 1, column 9, inputs: \"Examples\" is not a list; expected a list, e.g. [Examples]")
        let item = try error("inputs:\n  - Examples\n  - [a, b]\n")
        #expect(item.description == "cfg.yml: line 3, column 5, inputs[1]: a list is not text; expected a folder path")
        let output = try error("output:\n")
        #expect(output.description == "cfg.yml: line 1, column 8, output: an empty value (null) is not text; expected a folder path, e.g. Output")
        let percent = try error("regression:\n  latency_increase_percent: ten\n")
        #expect(percent.description == "cfg.yml: line 2, column 29, regression.latency_increase_percent: \"ten\" is not a number; expected a number of percent, at least 0, e.g. 10")
        let runs = try error("forward:\n  runs: 2.5\n")
        #expect(runs.description == "cfg.yml: line 2, column 9, forward.runs: 2.5 is not a whole number; expected a whole number of at least 1")
        let root = try error("- inputs\n")
        #expect(root.place == "line 1, column 1")
        #expect(root.message.hasPrefix("a list is not a mapping; expected a configuration with the keys inputs, output"))
    }

    @Test func invalidValues() throws {
        let negative = try error("output: Out\nforward:\n  runs: -1\n")
        #expect(negative.description == "cfg.yml: line 3, column 9, forward.runs: -1 is negative; expected a whole number of at least 1")
        let zero = try error("forward:\n  threads: 0\n")
        #expect(zero.description == "cfg.yml: line 2, column 12, forward.threads: 0 is too small; expected a whole number of at least 1, or null for the core count")
        let budget = try error("forward:\n  budget_seconds: 0\n")
        #expect(budget.description == "cfg.yml: line 2, column 19, forward.budget_seconds: 0 is too small; expected a number of seconds of at least 0.001, or null for no budget")
        let warmup = try error("forward: {warmup: -3}\n")
        #expect(warmup.description == "cfg.yml: line 1, column 19, forward.warmup: -3 is negative; expected a whole number of at least 0")
        let huge = try error("forward:\n  seed: 99999999999999999999\n")
        #expect(huge.description == "cfg.yml: line 2, column 9, forward.seed: 99999999999999999999 is too large; expected a whole number of at least 0")
        let percent = try error("regression: {latency_increase_percent: -0.5}\n")
        #expect(percent.place == "line 1, column 40, regression.latency_increase_percent")
        #expect(percent.message == "-0.5 is negative; expected a number of percent, at least 0, e.g. 10")
    }

    @Test func formatNames() throws {
        let typo = try error("formats: [pdf, svgg]\n")
        #expect(typo.description == "cfg.yml: line 1, column 16, formats[1]: unknown format \"svgg\" (did you mean \"svg\"?); expected one of pdf, svg, md, json")
        let unknown = try error("formats:\n  - md\n  - docx\n")
        #expect(unknown.description == "cfg.yml: line 3, column 5, formats[1]: unknown format \"docx\"; expected one of pdf, svg, md, json")
        let twice = try error("formats: [md, json, md]\n")
        #expect(twice.description == "cfg.yml: line 1, column 21, formats[2]: \"md\" is listed twice; expected each format at most once")
        let empty = try error("formats: []\n")
        #expect(empty.description == "cfg.yml: line 1, column 10, formats: the list is empty; expected at least one of pdf, svg, md, json")
    }

    @Test func inputShapes() throws {
        let zero = try error("forward:\n  input_shapes:\n    a.keras: [\"224,0,3\"]\n")
        #expect(zero.description == "cfg.yml: line 3, column 15, forward.input_shapes[\"a.keras\"][0]: \"224,0,3\" is not a list of sizes; expected positive sizes without the batch, as a string like \"224,224,3\" or a list like [224, 224, 3]")
        let bare = try error("forward:\n  input_shapes:\n    a.keras: [224, 224, 3]\n")
        #expect(bare.place == "line 3, column 15, forward.input_shapes[\"a.keras\"][0]")
        #expect(bare.message.hasPrefix("224 is not a string of sizes (a lone number must be quoted, \"224\")"))
        let absolute = try error("forward:\n  input_shapes:\n    /models/a.keras: [\"1\"]\n")
        #expect(absolute.place == "line 3, column 5, forward.input_shapes[\"/models/a.keras\"]")
        let nested = try error("forward:\n  input_shapes:\n    a.keras: [[3, -1]]\n")
        #expect(nested.description == "cfg.yml: line 3, column 19, forward.input_shapes[\"a.keras\"][0][1]: -1 is negative; expected a positive size")
        let notMap = try error("forward:\n  input_shapes: [\"224,224,3\"]\n")
        #expect(notMap.place == "line 2, column 17, forward.input_shapes")
    }

    @Test func yamlSyntaxAndDuplicateKeys() throws {
        let syntax = try error("output: [a\n")
        #expect(syntax.place == "line 2, column 1")
        #expect(syntax.message.hasPrefix("not valid YAML: did not find expected ',' or ']'"))
        let duplicate = try error("forward:\n  runs: 3\n  runs: 4\n")
        #expect(duplicate.description == "cfg.yml: line 2, column 3: key \"runs\" appears more than once in the same mapping; expected each key once")
    }
}
