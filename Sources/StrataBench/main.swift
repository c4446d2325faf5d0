// strata-bench: times reading and analysing every model config under the given folders
// (release build; `make bench`). Prints one line per model and the total, median of rounds.
import Foundation
import KerasFormat
import ModelKit
import Execution

let args = Array(CommandLine.arguments.dropFirst())
var rounds = 5
var folders: [String] = []
var i = 0
while i < args.count {
    if args[i] == "--rounds", i + 1 < args.count, let r = Int(args[i + 1]) { rounds = max(1, r); i += 2; continue }
    folders.append(args[i]); i += 1
}
if folders.isEmpty {
    FileHandle.standardError.write(Data("usage: strata-bench [--rounds N] FOLDER...\n".utf8))
    exit(2)
}

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
