import Foundation
import KerasFormat
import ONNXFormat
import ModelKit
import Execution

/// The Swift-side readers under libFuzzer: each input is a model file (JSON config or
/// `.keras` archive) read by `ModelFileReader` and analysed, and read as an `.onnx` file by
/// the ONNX reader and analysed (its initializers loaded too). HDF5 inputs are skipped: the
/// readers hand them to libhdf5, whose crashes the batch's workers contain (`strata fuzz`).
///
/// Built by `make fuzz-swift` with `-sanitize=fuzzer -D STRATA_LIBFUZZER` (the entry point
/// hands over to libFuzzer's driver); a normal build makes a replayer instead: `strata-libfuzz FILE...` runs
/// the same function on each file, to check a saved input.
enum LibFuzzTarget {
    /// One scratch file per process: the readers read paths.
    static let scratch = "/dev/shm/strata-libfuzz-\(getpid())"

    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        let hdf5: [UInt8] = [0x89, 0x48, 0x44, 0x46]
        if bytes.count >= 4 && Array(bytes.prefix(4)) == hdf5 { return }
        guard FileManager.default.createFile(atPath: scratch, contents: Data(buffer: bytes)) else { return }
        defer { unlink(scratch) }
        if let graph = try? ModelFileReader.read(scratch) {
            _ = Analyzer.analyze(graph)
        }
        if let model = try? ONNXOpenedModel(path: scratch) {
            _ = Analyzer.analyze(model.graph)
            _ = try? model.graph.initializerWeights()
        }
    }
}

#if STRATA_LIBFUZZER
import CLibFuzzer

/// SwiftPM makes this the process's entry point, so libFuzzer runs through its driver.
@main
struct LibFuzzMain {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            LibFuzzTarget.run(UnsafeBufferPointer(start: data, count: size))
            return 0
        })
    }
}
#else
@main
struct LibFuzzReplay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("strata-libfuzz: cannot read \(path)\n".utf8))
                exit(2)
            }
            Array(data).withUnsafeBufferPointer { LibFuzzTarget.run($0) }
            print("\(path): read without a crash")
        }
    }
}
#endif
