import Foundation
import Testing
import ModelKit
@testable import KerasFormat

/// Locates the committed Keras-made fixtures (Tests/Fixtures) from this source file.
enum Fixtures {
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// One model config with the truth Keras wrote for it.
    struct Case: CustomTestStringConvertible, Sendable {
        var group: String
        var name: String
        var model: String
        var truth: String
        var testDescription: String { "\(group)/\(name)/\((model as NSString).lastPathComponent)" }
    }

    /// Every (model, truth) pair under the groups, Keras 3 and Keras 2 forms.
    static func cases(_ groups: [String]) -> [Case] {
        var out: [Case] = []
        let fm = FileManager.default
        for group in groups {
            let dir = root.appendingPathComponent(group)
            guard let names = try? fm.contentsOfDirectory(atPath: dir.path) else { continue }
            for name in names.sorted() {
                let folder = dir.appendingPathComponent(name)
                for (model, truth) in [("model.json", "truth.json"), ("model_keras2.json", "truth_keras2.json"), ("model.keras", "truth.json"), ("model_keras2.h5", "truth_keras2.json")] {
                    let m = folder.appendingPathComponent(model).path, t = folder.appendingPathComponent(truth).path
                    if fm.fileExists(atPath: m), fm.fileExists(atPath: t) {
                        out.append(Case(group: group, name: name, model: m, truth: t))
                    }
                }
            }
        }
        return out
    }

    static func json(_ path: String) throws -> JSONValue {
        try JSONParser.parse(Array(FileManager.default.contents(atPath: path) ?? Data()))
    }
}

/// Compares an analysis with Keras's truth.json; returns one line per disagreement.
enum TruthComparison {
    static func shapes(_ v: JSONValue?) -> [TensorShape?] {
        guard let a = v?.arrayValue else { return [] }
        if a.isEmpty { return [TensorShape([])] }
        if a.contains(where: { $0.arrayValue != nil }) {
            return a.map { s in s.arrayValue.map { TensorShape($0.map { $0.intValue }) } }
        }
        return [TensorShape(a.map { $0.intValue })]
    }

    static func describe(_ s: [TensorShape?]) -> String { s.map { $0?.description ?? "?" }.joined(separator: ", ") }

    static func compare(model truth: JSONValue, totals: ModelAnalysis.Totals?, rows: [LayerRow], context: String) -> [String] {
        var problems: [String] = []
        if let totals {
            for (key, ours) in [("total_params", totals.params), ("trainable_params", totals.trainableParams),
                                ("non_trainable_params", totals.nonTrainableParams)] {
                let theirs = truth[key]?.intValue
                if theirs != ours { problems.append("\(context): \(key) Keras \(theirs.map(String.init) ?? "-") vs Strata \(ours.map(String.init) ?? "nil")") }
            }
        }
        let layers = truth["layers"]?.arrayValue ?? []
        if layers.count != rows.count {
            problems.append("\(context): Keras lists \(layers.count) layers, Strata \(rows.count): Keras \(layers.prefix(5).compactMap { $0["name"]?.stringValue }) Strata \(rows.prefix(5).map(\.name))")
            return problems
        }
        for (t, row) in zip(layers, rows) {
            let name = t["name"]?.stringValue ?? "?"
            let where_ = "\(context) layer \(name)"
            if name != row.name { problems.append("\(where_): name differs, Strata has \(row.name)"); continue }
            if let cls = t["class_name"]?.stringValue, cls != row.className { problems.append("\(where_): class \(cls) vs \(row.className)") }
            for (key, ours) in [("params", row.params), ("trainable_params", row.trainableParams), ("non_trainable_params", row.nonTrainableParams)] {
                let theirs = t[key]?.intValue
                if theirs != ours { problems.append("\(where_) (\(row.className)): \(key) Keras \(theirs.map(String.init) ?? "-") vs Strata \(ours.map(String.init) ?? "nil")") }
            }
            // Output shapes of every call.
            if let calls = t["calls"]?.arrayValue, !calls.isEmpty {
                for (ci, call) in calls.enumerated() {
                    let theirs = shapes(call["output_shapes"]).map { $0 }
                    let ours = ci < row.callOutputShapes.count ? row.callOutputShapes[ci] : []
                    if theirs != ours { problems.append("\(where_) (\(row.className)) call \(ci): output Keras \(describe(theirs)) vs Strata \(describe(ours))") }
                }
            } else {
                let theirs = shapes(t["output_shape"])
                if theirs != row.outputShapes { problems.append("\(where_) (\(row.className)): output Keras \(describe(theirs)) vs Strata \(describe(row.outputShapes))") }
            }
            // Weight tensors, in Keras's order.
            if let sub = t["submodel"], sub.objectValue != nil {
                problems += compare(model: sub, totals: nil, rows: row.children, context: "\(context)/\(name)")
            } else if let weights = t["weights"]?.arrayValue {
                let theirs = weights.map { w in "\(w["shape"]?.arrayValue?.compactMap(\.intValue) ?? [])\(w["trainable"]?.boolValue == false ? "n" : "t")" }
                let ours = row.weights.map { "\($0.shape)\($0.trainable == true ? "t" : $0.trainable == false ? "n" : "?")" }
                if theirs != ours { problems.append("\(where_) (\(row.className)): weights Keras \(theirs) vs Strata \(ours)") }
            }
        }
        return problems
    }
}

/// Builds a catalog class's operator from the JSON text of its config.
func catalogKind(_ className: String, _ json: String) throws -> any Operator {
    guard let type = LayerCatalog.kind(named: className) else { throw LayerError("no kind \(className)") }
    guard case .object(let object) = try JSONParser.parse(json) else { throw LayerError("config is not an object") }
    return try type.decodeOperator(LayerConfig(object: object, path: "config", layerName: "probe"))
}
