import CCairo
import Foundation
import ModelKit

/// Collects the bytes a cairo surface writes (through its write callback), so every writer
/// renders in memory and touches the file system once, with a Foundation error that names
/// the file.
final class CairoOutput {
    private(set) var data = Data()

    /// The callback cairo calls with each chunk; `closure` is an unretained `CairoOutput`.
    static let write: cairo_write_func_t = { closure, bytes, length in
        guard let closure else { return CAIRO_STATUS_WRITE_ERROR }
        let output = Unmanaged<CairoOutput>.fromOpaque(closure).takeUnretainedValue()
        if let bytes, length > 0 { output.data.append(bytes, count: Int(length)) }
        return CAIRO_STATUS_SUCCESS
    }

    /// The pointer to pass as cairo's closure; valid while `self` is alive.
    var closure: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// Throws a `StrataError` naming `file` when `status` is not success.
    static func check(_ status: cairo_status_t, file: String, doing what: String) throws {
        guard status != CAIRO_STATUS_SUCCESS else { return }
        let text = cairo_status_to_string(status).map { String(cString: $0) } ?? "status \(status.rawValue)"
        throw StrataError(file: file, "cairo failed while \(what): \(text)")
    }

    /// Writes `data` to `path` as is (no temporary file: the caller publishes atomically).
    static func save(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            let reason = (error as NSError).localizedDescription
            throw StrataError(file: path, "cannot write the file: \(reason)")
        }
    }
}
