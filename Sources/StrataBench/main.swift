// strata-bench: times reading and analysing every model config under the given folders
// (release build; `make bench`). Prints one line per model and the total, median of rounds.
import Foundation
import KerasFormat
import ONNXFormat
import ModelKit
import Execution

let args = Array(CommandLine.arguments.dropFirst())
var rounds = 5
var folders: [String] = []
var onnxFiles: [String] = []
var i = 0
while i < args.count {
    if args[i] == "--rounds", i + 1 < args.count, let r = Int(args[i + 1]) { rounds = max(1, r); i += 2; continue }
    if args[i] == "--onnx", i + 1 < args.count { onnxFiles.append(args[i + 1]); i += 2; continue }
    folders.append(args[i]); i += 1
}
if folders.isEmpty && onnxFiles.isEmpty {
    FileHandle.standardError.write(Data("usage: strata-bench [--rounds N] [--onnx FILE]... [FOLDER...]\n".utf8))
    exit(2)
}

func secondsOf(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

// ONNX files: open (decode, map onto operators) and analyse (shape inference with data
// propagation, parameters, MACs), the median of the rounds; `bench/onnx_reference.py` times
// onnx's own load + shape inference on the same file.
for f in onnxFiles {
    var times: [Double] = []
    var nodes = 0
    for _ in 0..<rounds {
        let t0 = ContinuousClock.now
        do {
            let a = Analyzer.analyze(try ONNXOpenedModel(path: f).graph)
            nodes = a.rows.count
        } catch {
            print("error: \(error)")
        }
        times.append(secondsOf(ContinuousClock.now - t0))
    }
    times.sort()
    print(String(format: "Strata: read + analyse %@ (%d nodes): median %.3f s over %d rounds (min %.3f s)",
                 (f as NSString).lastPathComponent, nodes, times[times.count / 2], rounds, times[0]))
}
if folders.isEmpty { exit(0) }

var files: [String] = []
for folder in folders {
    let enumerator = FileManager.default.enumerator(atPath: folder)
    while let rel = enumerator?.nextObject() as? String {
        if rel.hasSuffix("model.json") { files.append((folder as NSString).appendingPathComponent(rel)) }
    }
}
files.sort()
if files.isEmpty { print("no model.json under \(folders)"); exit(1) }

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

var perFile: [String: [Double]] = [:]
var totals: [Double] = []
var layerCount = 0
let clock = ContinuousClock()
for round in 0..<rounds {
    var total = 0.0
    for f in files {
        let t0 = clock.now
        do {
            let g = try ModelFileReader.read(f)
            let a = Analyzer.analyze(g)
            if round == 0 { layerCount += a.flattenedRows.count }
        } catch {
            print("error: \(error)")
        }
        let dt = seconds(clock.now - t0)
        perFile[f, default: []].append(dt)
        total += dt
    }
    totals.append(total)
}
func median(_ v: [Double]) -> Double { let s = v.sorted(); return s[s.count / 2] }
func padded(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
print(padded("model", 28) + "  median ms")
for f in files {
    let name = ((f as NSString).deletingLastPathComponent as NSString).lastPathComponent
    print(padded(name, 28) + String(format: "  %9.2f", median(perFile[f]!) * 1000))
}
print(String(format: "Strata: read + analyse %d configs (%d layers): median %.3f s over %d rounds (min %.3f s)",
             files.count, layerCount, median(totals), rounds, totals.min()!))
