import CHDF5
import Foundation
import ModelKit

/// An HDF5 file opened read-only, from a path or from bytes in memory.
///
/// The only place in Strata where HDF5 handles live: every call opens what it needs and
/// closes it before returning, so the file handle is the only long-lived resource.
/// Every failure is a `StrataError` with `file` set to `displayName` and `place` set to the
/// HDF5 path involved; HDF5's own printing to stderr is silenced.
///
/// Sendable because the handle is immutable and Debian's libhdf5 is built thread-safe
/// (`Threadsafety: yes` in libhdf5.settings): the library serialises calls itself.
public final class HDF5File: @unchecked Sendable {
    /// The name used in error messages (a path, or `model.keras!model.weights.h5`).
    public let displayName: String

    private let fileID: hid_t
    /// The file's size in bytes: what a dataset's stored values must fit in.
    public let fileSize: UInt64
    /// The file image for a file opened from memory; HDF5 reads it in place and does not
    /// free it (`H5LT_FILE_IMAGE_DONT_COPY | DONT_RELEASE`), so it lives until `deinit`.
    private let image: UnsafeMutableRawBufferPointer?

    /// libhdf5 set up without its exit handler (see `strata_h5_no_atexit`), once, before
    /// the first HDF5 call of the process.
    private static let library: Void = strata_h5_no_atexit()

    /// The 8-byte HDF5 format signature, `\x89HDF\r\n\x1a\n`.
    public static let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Opens the HDF5 file at `path` read-only.
    ///
    /// - Parameter displayName: the name for error messages; defaults to `path`.
    public init(path: String, displayName: String? = nil) throws {
        WorkStage.enter("opening the HDF5 file")
        HDF5File.library
        let name = displayName ?? path
        self.displayName = name
        self.image = nil
        guard FileManager.default.fileExists(atPath: path) else {
            throw StrataError(file: name, "no such file")
        }
        guard HDF5File.hasSignature(atPath: path) else {
            throw StrataError(file: name, "not an HDF5 file: no HDF5 signature at offset 0 or at any user-block offset (512, 1024, 2048, ...)")
        }
        strata_h5_quiet()
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        self.fileSize = (attributes?[.size] as? NSNumber)?.uint64Value ?? UInt64.max
        let id = H5Fopen(path, strata_h5f_acc_rdonly(), hid_t(H5P_DEFAULT))
        guard id >= 0 else {
            throw StrataError(file: name, "cannot open the HDF5 file (corrupt or truncated?)" + HDF5File.libraryMessage())
        }
        self.fileID = id
    }

    /// Opens an HDF5 file image held in memory (for example `model.weights.h5` inside a
    /// `.keras` archive) without writing a temporary file. The bytes are copied once.
    public init(bytes: Data, displayName: String) throws {
        WorkStage.enter("opening the HDF5 file")
        HDF5File.library
        self.displayName = displayName
        guard HDF5File.hasSignature(bytes) else {
            throw StrataError(file: displayName, "not an HDF5 file: no HDF5 signature at offset 0 or at any user-block offset (512, 1024, 2048, ...)")
        }
        self.fileSize = UInt64(bytes.count)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 16)
        bytes.copyBytes(to: buffer)
        strata_h5_quiet()
        let id = H5LTopen_file_image(buffer.baseAddress, buffer.count, strata_h5lt_dont_copy_dont_release())
        guard id >= 0 else {
            let detail = HDF5File.libraryMessage()
            buffer.deallocate()
            throw StrataError(file: displayName, "cannot open the HDF5 image (corrupt or truncated?)" + detail)
        }
        self.fileID = id
        self.image = buffer
    }

    deinit {
        H5Fclose(fileID)
        image?.deallocate()
    }

    // MARK: - Detecting HDF5 by content

    /// True when the file at `path` starts with the HDF5 signature at offset 0, 512, 1024,
    /// 2048, ... (HDF5 allows a user block of a power-of-two size before the superblock).
    /// Reads 8 bytes per candidate offset, never the whole file.
    public static func hasSignature(atPath path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd() else { return false }
        for offset in signatureOffsets(fileSize: size) {
            guard (try? handle.seek(toOffset: offset)) != nil,
                  let bytes = try? handle.read(upToCount: 8) else { return false }
            if bytes.elementsEqual(signature) { return true }
        }
        return false
    }

    /// True when `bytes` hold the HDF5 signature at offset 0, 512, 1024, 2048, ...
    public static func hasSignature(_ bytes: Data) -> Bool {
        for offset in signatureOffsets(fileSize: UInt64(bytes.count)) {
            let start = bytes.startIndex + Int(offset)
            if bytes[start..<start + 8].elementsEqual(signature) { return true }
        }
        return false
    }

    /// 0, 512, 1024, 2048, ... while 8 bytes still fit in the file.
    private static func signatureOffsets(fileSize: UInt64) -> [UInt64] {
        var offsets: [UInt64] = []
        var offset: UInt64 = 0
        while offset + 8 <= fileSize {
            offsets.append(offset)
            offset = offset == 0 ? 512 : offset * 2
        }
        return offsets
    }

    // MARK: - Objects and attributes

    /// What an HDF5 path names.
    public enum ObjectKind: String, Sendable {
        case group, dataset, namedDatatype, softOrExternalLink, other
    }

    /// One child of a group: its name, full path and kind.
    public struct Child: Sendable, Hashable {
        /// The link name inside the parent group.
        public var name: String
        /// The absolute HDF5 path, e.g. `/layers/dense/vars/0`.
        public var path: String
        public var kind: ObjectKind
        /// The object header's address in the file: a hint of creation order only (a later
        /// object can reuse space freed earlier).
        public var address: UInt64?
    }

    /// The kind of object at `path`, or nil when nothing is there. Does not follow soft or
    /// external links.
    public func kind(at path: String) -> ObjectKind? {
        strata_h5_quiet()
        if path == "/" { return .group }
        guard linkExists(path) else { return nil }
        return try? childInfo(parent: fileID, name: path).kind
    }

    /// True when `path` exists (every intermediate link too) as a hard link.
    private func linkExists(_ path: String) -> Bool {
        var prefix = ""
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if H5Lexists(fileID, prefix, hid_t(H5P_DEFAULT)) <= 0 { H5Eclear2(strata_h5e_default()); return false }
        }
        return true
    }

    /// The children of the group at `path`, in the order of their names as HDF5 indexes them
    /// (byte order: `dense`, `dense_1`, `dense_10`, `dense_2`).
    public func children(of path: String) throws -> [Child] {
        WorkStage.enter("listing the HDF5 group \(path)")
        return try withGroup(path) { gid in
            var info = H5G_info_t()
            guard H5Gget_info(gid, &info) >= 0 else { throw failure(path, "cannot list the group") }
            var result: [Child] = []
            result.reserveCapacity(Int(info.nlinks))
            for i in 0..<info.nlinks {
                let name = try linkName(gid, index: i, path: path)
                var child = try childInfo(parent: gid, name: name)
                child.path = join(path, name)
                result.append(child)
            }
            return result
        }
    }

    /// The children of the group at `path` in best-effort creation order: by object header
    /// address, then by name (links without an address last). h5py does not track creation
    /// order by default, and HDF5 may reuse freed space for a later object, so this is a
    /// heuristic: usually right, not always.
    public func childrenInCreationOrder(of path: String) throws -> [Child] {
        WorkStage.enter("listing the HDF5 group \(path)")
        let kids = try children(of: path)
        return kids.enumerated().sorted { a, b in
            switch (a.element.address, b.element.address) {
            case let (x?, y?) where x != y: return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a.offset < b.offset
            }
        }.map(\.element)
    }

    /// Visits every object below `path` depth-first (a group before its children, children
    /// in name order). Hard-link cycles are visited once; depth is limited to 64.
    public func walk(from path: String = "/", _ visit: (Child) throws -> Void) throws {
        var seen = Set<UInt64>()
        try walk(path, depth: 0, seen: &seen, visit)
    }

    private func walk(_ path: String, depth: Int, seen: inout Set<UInt64>, _ visit: (Child) throws -> Void) throws {
        guard depth < 64 else { throw StrataError(file: displayName, place: path, "groups nested more than 64 deep") }
        for child in try children(of: path) {
            try visit(child)
            if child.kind == .group {
                if let a = child.address {
                    if seen.contains(a) { continue }
                    seen.insert(a)
                }
                try walk(child.path, depth: depth + 1, seen: &seen, visit)
            }
        }
    }

    /// The names of the attributes of the object at `path`, in name order.
    public func attributeNames(of path: String = "/") throws -> [String] {
        WorkStage.enter("listing the attributes of \(path)")
        return try withObject(path) { oid in
            var info = H5O_info_t()
            guard H5Oget_info2(oid, &info, UInt32(H5O_INFO_NUM_ATTRS)) >= 0 else { throw failure(path, "cannot read the object's header") }
            var names: [String] = []
            for i in 0..<info.num_attrs {
                let n = H5Aget_name_by_idx(oid, ".", H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, hid_t(H5P_DEFAULT))
                guard n >= 0 else { throw failure(path, "cannot read attribute name \(i)") }
                var buf = [CChar](repeating: 0, count: Int(n) + 1)
                _ = H5Aget_name_by_idx(oid, ".", H5_INDEX_NAME, H5_ITER_INC, i, &buf, buf.count, hid_t(H5P_DEFAULT))
                names.append(string(fromCString: buf))
            }
            return names
        }
    }

    /// True when the object at `path` has an attribute `name`.
    public func hasAttribute(_ name: String, of path: String = "/") throws -> Bool {
        try withObject(path) { oid in
            let r = H5Aexists(oid, name)
            guard r >= 0 else { throw failure(path, "cannot look up attribute \"\(name)\"") }
            return r > 0
        }
    }

    /// The string attribute `name` of the object at `path` (the root by default): a scalar
    /// or one-element string, variable-length (as h5py writes `str`) or fixed-length (as
    /// numpy `bytes`).
    public func stringAttribute(_ name: String, of path: String = "/") throws -> String {
        let values = try stringArrayAttribute(name, of: path)
        guard values.count == 1 else {
            throw StrataError(file: displayName, place: attributePlace(path, name), "expected one string, found \(values.count)")
        }
        return values[0]
    }

    /// The string attribute `name` of the object at `path` as an array (Keras 2's
    /// `layer_names`, `weight_names`). An empty attribute of any type (h5py writes an empty
    /// list as a 0-element float64 array) is an empty array.
    public func stringArrayAttribute(_ name: String, of path: String = "/") throws -> [String] {
        WorkStage.enter("reading the HDF5 attribute \(name) of \(path)")
        return try withObject(path) { oid in
            let exists = H5Aexists(oid, name)
            guard exists >= 0 else { throw failure(attributePlace(path, name), "cannot look up the attribute") }
            guard exists > 0 else {
                throw StrataError(file: displayName, place: path, "no attribute \"\(name)\"")
            }
            let place = attributePlace(path, name)
            let aid = H5Aopen(oid, name, hid_t(H5P_DEFAULT))
            guard aid >= 0 else { throw failure(place, "cannot open the attribute") }
            defer { H5Aclose(aid) }
            let tid = H5Aget_type(aid)
            guard tid >= 0 else { throw failure(place, "cannot read the attribute's type") }
            defer { H5Tclose(tid) }
            let sid = H5Aget_space(aid)
            guard sid >= 0 else { throw failure(place, "cannot read the attribute's dataspace") }
            defer { H5Sclose(sid) }
            let n = H5Sget_simple_extent_npoints(sid)
            guard n >= 0 else { throw failure(place, "cannot count the attribute's elements") }
            let count = Int(n)
            let typeClass = H5Tget_class(tid)
            if count == 0 { return [] }
            guard typeClass == H5T_STRING else {
                throw StrataError(file: displayName, place: place, "expected a string attribute, found \(describe(typeClass: typeClass, size: H5Tget_size(tid)))")
            }
            let isVariable = H5Tis_variable_str(tid)
            guard isVariable >= 0 else { throw failure(place, "cannot read the string type") }
            let mem = H5Tcopy(strata_h5t_c_s1())
            defer { H5Tclose(mem) }
            H5Tset_cset(mem, H5Tget_cset(tid))
            if isVariable > 0 {
                H5Tset_size(mem, strata_h5t_variable())
                var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
                guard H5Aread(aid, mem, &pointers) >= 0 else { throw failure(place, "cannot read the strings") }
                defer { for p in pointers where p != nil { H5free_memory(p) } }
                return pointers.map { p in p.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: strlen($0)), as: UTF8.self) } ?? "" }
            }
            let size = H5Tget_size(tid)
            guard size > 0, count <= Int.max / size else { throw StrataError(file: displayName, place: place, "implausible string size \(size) x \(count)") }
            H5Tset_size(mem, size)
            H5Tset_strpad(mem, H5Tget_strpad(tid))
            var raw = [UInt8](repeating: 0, count: count * size)
            guard H5Aread(aid, mem, &raw) >= 0 else { throw failure(place, "cannot read the strings") }
            let pad = H5Tget_strpad(tid)
            return (0..<count).map { i in
                var slice = raw[(i * size)..<((i + 1) * size)]
                if let nul = slice.firstIndex(of: 0) { slice = slice[..<nul] }
                if pad == H5T_STR_SPACEPAD { while slice.last == 0x20 { slice = slice.dropLast() } }
                return String(decoding: slice, as: UTF8.self)
            }
        }
    }

    // MARK: - Datasets

    /// A dataset's shape (row-major, as HDF5 and numpy store it; `[]` for a scalar) and
    /// element type.
    public struct DatasetInfo: Sendable, Hashable {
        public var shape: [Int]
        /// `float16`, `float32`, `float64`, `int8` ... `uint64`, `bool`, or a description
        /// such as `string` or `compound(12 bytes)` for types Strata does not compute with.
        public var dtype: DType
        /// Element count; nil on overflow.
        public var count: Int? { checkedProduct(shape) }
    }

    /// The shape and element type of the dataset at `path`.
    public func datasetInfo(_ path: String) throws -> DatasetInfo {
        WorkStage.enter("reading the HDF5 dataset header \(path)")
        return try withDataset(path) { did in try info(did, path) }
    }

    private func info(_ did: hid_t, _ path: String) throws -> DatasetInfo {
        let sid = H5Dget_space(did)
        guard sid >= 0 else { throw failure(path, "cannot read the dataset's dataspace") }
        defer { H5Sclose(sid) }
        let rank = H5Sget_simple_extent_ndims(sid)
        guard rank >= 0, rank <= 32 else { throw failure(path, "unreadable dataset rank \(rank)") }
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        if rank > 0 { guard H5Sget_simple_extent_dims(sid, &dims, nil) >= 0 else { throw failure(path, "cannot read the dataset's dimensions") } }
        let tid = H5Dget_type(did)
        guard tid >= 0 else { throw failure(path, "cannot read the dataset's type") }
        defer { H5Tclose(tid) }
        var shape: [Int] = []
        for d in dims {
            guard d <= UInt64(Int.max) else { throw StrataError(file: displayName, place: path, "implausible dimension \(d)") }
            shape.append(Int(d))
        }
        return DatasetInfo(shape: shape, dtype: dtype(of: tid))
    }

    private func dtype(of tid: hid_t) -> DType {
        let cls = H5Tget_class(tid)
        let size = H5Tget_size(tid)
        switch cls {
        case H5T_FLOAT:
            return DType("float\(size * 8)")
        case H5T_INTEGER:
            return DType((H5Tget_sign(tid) == H5T_SGN_NONE ? "uint" : "int") + "\(size * 8)")
        case H5T_ENUM where size == 1:
            return DType("bool")  // h5py stores numpy bool as an int8 enum {FALSE, TRUE}
        default:
            return DType(describe(typeClass: cls, size: size))
        }
    }

    private func describe(typeClass: H5T_class_t, size: Int) -> String {
        switch typeClass {
        case H5T_INTEGER: return "integer(\(size) bytes)"
        case H5T_FLOAT: return "float(\(size) bytes)"
        case H5T_STRING: return "string"
        case H5T_COMPOUND: return "compound(\(size) bytes)"
        case H5T_ENUM: return "enum(\(size) bytes)"
        case H5T_ARRAY: return "array(\(size) bytes)"
        case H5T_VLEN: return "vlen"
        case H5T_OPAQUE: return "opaque(\(size) bytes)"
        case H5T_REFERENCE: return "reference"
        case H5T_BITFIELD: return "bitfield(\(size) bytes)"
        default: return "unknown HDF5 type"
        }
    }

    /// The dataset at `path` as `Float`s in row-major order (the layout of `datasetInfo`'s
    /// shape). float16, float32, float64 and integer datasets are converted by HDF5.
    ///
    /// - Parameter maxElements: refuse larger datasets (default 2^31 elements, 8 GiB).
    public func readFloats(_ path: String, maxElements: Int = 1 << 31) throws -> [Float] {
        WorkStage.enter("reading the HDF5 dataset \(path)")
        return try withDataset(path) { did in
            let meta = try info(did, path)
            let tid = H5Dget_type(did)
            guard tid >= 0 else { throw failure(path, "cannot read the dataset's type") }
            defer { H5Tclose(tid) }
            let cls = H5Tget_class(tid)
            guard cls == H5T_FLOAT || cls == H5T_INTEGER else {
                throw StrataError(file: displayName, place: path, "cannot read a dataset of type \(meta.dtype) as numbers")
            }
            guard let count = meta.count, count <= maxElements else {
                throw StrataError(file: displayName, place: path, "dataset of shape \(meta.shape) is larger than \(maxElements) elements")
            }
            if count == 0 { return [] }
            try checkNumericType(tid, path)
            try checkStorage(did, path, count: count, rank: meta.shape.count, elementSize: try elementBytes(tid, path))
            var values = [Float](repeating: 0, count: count)
            let status = values.withUnsafeMutableBytes { buf in
                H5Dread(did, strata_h5t_native_float(), strata_h5s_all(), strata_h5s_all(), hid_t(H5P_DEFAULT), buf.baseAddress)
            }
            guard status >= 0 else { throw failure(path, "cannot read \(count) \(meta.dtype) values (corrupt or truncated file?)") }
            return values
        }
    }

    /// Checks what can be checked of a dataset's storage before libhdf5 reads it, so that a
    /// damaged layout is a clean error rather than a read past the end of the file: the
    /// values' place and size against their `count` elements of `elementSize` bytes and the
    /// file's size, the chunk dimensions against the dataset's `rank`, and that every filter
    /// of the pipeline is one libhdf5 has.
    private func checkStorage(_ did: hid_t, _ path: String, count: Int, rank: Int, elementSize: Int) throws {
        func refuse(_ what: String) -> StrataError {
            StrataError(file: displayName, place: path, what + " (the file is damaged)")
        }
        var s = strata_h5d_storage()
        guard strata_h5d_storage_of(did, &s) == 0, s.layout >= 0 else { throw failure(path, "cannot read the dataset's storage layout") }
        let (needed, overflow) = UInt64(count).multipliedReportingOverflow(by: UInt64(elementSize))
        guard !overflow else { throw refuse("\(count) values of \(elementSize) bytes do not fit in memory") }
        switch Int(s.layout) {
        case Int(H5D_CONTIGUOUS.rawValue):
            if s.offset != strata_haddr_undef() {
                guard s.storage == needed else {
                    throw refuse("the dataset stores \(s.storage) bytes where its shape and type need \(needed)")
                }
                let (end, over) = s.offset.addingReportingOverflow(s.storage)
                guard !over, end <= fileSize else {
                    throw refuse("the values (bytes \(s.offset) to \(over ? UInt64.max : end)) lie beyond the end of the file (\(fileSize) bytes)")
                }
            }
        case Int(H5D_CHUNKED.rawValue):
            let chunk = withUnsafeBytes(of: s.chunk) { Array($0.bindMemory(to: UInt64.self).prefix(Int(max(0, s.chunk_rank)))) }
            guard chunk.count == rank, chunk.allSatisfy({ $0 > 0 }) else {
                throw refuse("chunk dimensions \(chunk) do not fit the dataset")
            }
            let (chunkBytes, over) = chunk.reduce((UInt64(elementSize), false)) { acc, d in
                let (p, o) = acc.0.multipliedReportingOverflow(by: d); return (p, acc.1 || o)
            }
            guard !over, chunkBytes <= 4 << 30 else { throw refuse("chunks of \(chunk) elements exceed HDF5's 4 GiB chunk limit") }
            guard s.storage <= fileSize else {
                throw refuse("the dataset claims \(s.storage) bytes of storage in a file of \(fileSize) bytes")
            }
            let filters = withUnsafeBytes(of: s.filter) { Array($0.bindMemory(to: Int32.self).prefix(Int(min(16, max(0, s.nfilters))))) }
            let available = withUnsafeBytes(of: s.filter_available) { Array($0.bindMemory(to: Int32.self).prefix(filters.count)) }
            guard s.nfilters <= 16 else { throw refuse("\(s.nfilters) filters in the pipeline") }
            if let missing = zip(filters, available).first(where: { $0.1 == 0 }) {
                throw StrataError(file: displayName, place: path, "compressed with HDF5 filter \(missing.0), which this libhdf5 does not have")
            }
        case Int(H5D_COMPACT.rawValue):
            guard s.storage == needed else {
                throw refuse("the dataset stores \(s.storage) bytes where its shape and type need \(needed)")
            }
        default:
            throw StrataError(file: displayName, place: path, "a virtual dataset (values in other files); Strata reads only values stored in the model's own file")
        }
    }

    /// Bytes per stored element of the type `tid`: 1, 2, 4 or 8 for the numbers Keras stores.
    private func elementBytes(_ tid: hid_t, _ path: String) throws -> Int {
        let size = H5Tget_size(tid)
        guard [1, 2, 4, 8].contains(size) else {
            throw StrataError(file: displayName, place: path, "elements of \(size) bytes; a number stored by Keras has 1, 2, 4 or 8 (the file is damaged)")
        }
        return size
    }

    /// The float layouts Keras stores, by size in bytes: precision, sign bit, exponent
    /// position and size, mantissa position and size, exponent bias (IEEE 754 half, single,
    /// double, and bfloat16).
    private static let floatFields: [Int: [[Int]]] = [
        2: [[16, 15, 10, 5, 0, 10, 15], [16, 15, 7, 8, 0, 7, 127]],
        4: [[32, 31, 23, 8, 0, 23, 127]],
        8: [[64, 63, 52, 11, 0, 52, 1023]],
    ]

    /// Checks that the dataset's element type is one Keras writes: an integer of whole bytes
    /// or an IEEE 754 half, single or double (or bfloat16) float, little- or big-endian.
    /// libhdf5 converts whatever float layout the file declares: a damaged datatype message
    /// gives wrong values without any error (a 4-byte float with a 255-bit mantissa, an
    /// 8-byte float of 32 bits: Tests/Fixtures/fuzz/fixed/), or, with an element size of
    /// gigabytes, conversion buffers that exhaust the memory.
    private func checkNumericType(_ tid: hid_t, _ path: String) throws {
        let size = H5Tget_size(tid), precision = H5Tget_precision(tid), offset = Int(H5Tget_offset(tid))
        let order = H5Tget_order(tid)
        func refuse(_ what: String) -> StrataError {
            StrataError(file: displayName, place: path, "the values' type is \(what); Keras stores whole-byte integers and IEEE (or bfloat16) floats (the file is damaged)")
        }
        guard order == H5T_ORDER_LE || order == H5T_ORDER_BE else { throw refuse("numbers of \(size) bytes in byte order \(order.rawValue)") }
        if H5Tget_class(tid) == H5T_INTEGER {
            guard precision == size * 8, offset == 0 else {
                throw refuse("an integer of \(size) bytes with \(precision) bits of precision at bit \(offset)")
            }
            return
        }
        var spos = 0, epos = 0, esize = 0, mpos = 0, msize = 0
        guard H5Tget_fields(tid, &spos, &epos, &esize, &mpos, &msize) >= 0 else { throw failure(path, "cannot read the float type's bit fields") }
        let fields = [precision, spos, epos, esize, mpos, msize, H5Tget_ebias(tid)]
        guard Self.floatFields[size]?.contains(fields) == true, offset == 0, H5Tget_norm(tid) == H5T_NORM_IMPLIED else {
            throw refuse("a float of \(size) bytes with \(precision) bits of precision at bit \(offset): sign bit \(spos), exponent of \(esize) bits at \(epos) "
                + "(bias \(fields[6])), mantissa of \(msize) bits at \(mpos)")
        }
    }

    /// The storage of the dataset at `path` (layout, place of contiguous values, bytes):
    /// what `readFloats` checks; tests use it to damage a file on purpose.
    public func storage(of path: String) throws -> (layout: Int, offset: UInt64?, bytes: UInt64) {
        try withDataset(path) { did in
            var s = strata_h5d_storage()
            guard strata_h5d_storage_of(did, &s) == 0 else { throw failure(path, "cannot read the dataset's storage layout") }
            return (Int(s.layout), s.offset == strata_haddr_undef() ? nil : s.offset, s.storage)
        }
    }

    // MARK: - Handles (all opened and closed here)

    private func withObject<T>(_ path: String, _ body: (hid_t) throws -> T) throws -> T {
        strata_h5_quiet()
        if path != "/" && !linkExists(path) {
            throw StrataError(file: displayName, place: path, "no such group or dataset")
        }
        let oid = H5Oopen(fileID, path, hid_t(H5P_DEFAULT))
        guard oid >= 0 else { throw failure(path, "cannot open the object") }
        defer { H5Oclose(oid) }
        return try body(oid)
    }

    private func withGroup<T>(_ path: String, _ body: (hid_t) throws -> T) throws -> T {
        try withObject(path) { oid in
            guard H5Iget_type(oid) == H5I_GROUP else {
                throw StrataError(file: displayName, place: path, "expected a group, found a \(kindName(oid))")
            }
            return try body(oid)
        }
    }

    private func withDataset<T>(_ path: String, _ body: (hid_t) throws -> T) throws -> T {
        try withObject(path) { oid in
            guard H5Iget_type(oid) == H5I_DATASET else {
                throw StrataError(file: displayName, place: path, "expected a dataset, found a \(kindName(oid)) (the file is damaged)")
            }
            return try body(oid)
        }
    }

    private func kindName(_ oid: hid_t) -> String {
        switch H5Iget_type(oid) {
        case H5I_GROUP: return "group"
        case H5I_DATASET: return "dataset"
        case H5I_DATATYPE: return "named datatype"
        default: return "object of another kind"
        }
    }

    private func linkName(_ gid: hid_t, index: hsize_t, path: String) throws -> String {
        let n = H5Lget_name_by_idx(gid, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, hid_t(H5P_DEFAULT))
        guard n >= 0 else { throw failure(path, "cannot read the name of link \(index)") }
        var buf = [CChar](repeating: 0, count: Int(n) + 1)
        guard H5Lget_name_by_idx(gid, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buf, buf.count, hid_t(H5P_DEFAULT)) >= 0 else {
            throw failure(path, "cannot read the name of link \(index)")
        }
        return string(fromCString: buf)
    }

    /// Kind and address of the link `name` relative to `parent`; soft and external links
    /// are reported, never followed.
    private func childInfo(parent: hid_t, name: String) throws -> Child {
        var linfo = H5L_info_t()
        guard H5Lget_info(parent, name, &linfo, hid_t(H5P_DEFAULT)) >= 0 else { throw failure(name, "cannot read the link") }
        guard linfo.type == H5L_TYPE_HARD else {
            return Child(name: name, path: name, kind: .softOrExternalLink, address: nil)
        }
        let oid = H5Oopen(parent, name, hid_t(H5P_DEFAULT))
        guard oid >= 0 else { throw failure(name, "cannot open the object") }
        defer { H5Oclose(oid) }
        let kind: ObjectKind
        switch H5Iget_type(oid) {
        case H5I_GROUP: kind = .group
        case H5I_DATASET: kind = .dataset
        case H5I_DATATYPE: kind = .namedDatatype
        default: kind = .other
        }
        let addr = strata_h5_object_address(oid)
        return Child(name: name, path: name, kind: kind, address: addr == haddr_t.max ? nil : UInt64(addr))
    }

    private func join(_ parent: String, _ name: String) -> String {
        parent.hasSuffix("/") ? parent + name : parent + "/" + name
    }

    private func attributePlace(_ path: String, _ name: String) -> String {
        "\(path) attribute \"\(name)\""
    }

    private func string(fromCString buf: [CChar]) -> String {
        let bytes = buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A StrataError for `place` with HDF5's own description appended.
    private func failure(_ place: String, _ message: String) -> StrataError {
        StrataError(file: displayName, place: place, message + HDF5File.libraryMessage())
    }

    /// HDF5's description of the last failure on this thread, its two innermost distinct
    /// messages (` (HDF5: unable to load object header; truncated file: eof = 1000, ...)`),
    /// or "".
    private static func libraryMessage() -> String {
        var buf = [CChar](repeating: 0, count: 4096)
        strata_h5_error_message(&buf, buf.count)
        let text = String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var parts: [String] = []
        for part in text.components(separatedBy: "; ") where !part.isEmpty && parts.last != part {
            parts.append(part)
        }
        return parts.isEmpty ? "" : " (HDF5: \(parts.suffix(2).joined(separator: "; ")))"
    }
}
