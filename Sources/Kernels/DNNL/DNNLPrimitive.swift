import CDNNL
import Foundation

/// An element-wise function oneDNN 2.6 computes exactly as Keras does (up to float
/// rounding), usable as a post-op of a convolution or matmul or as a standalone primitive.
public enum EltwiseOp: Sendable, Equatable {
    /// x > 0 ? x : slope * x.
    case relu(slope: Float)
    /// min(max(x, lower), upper) (ReLU6 is clip(0, 6)).
    case clip(lower: Float, upper: Float)
    /// 1 / (1 + e^-x).
    case logistic
    case tanh
    /// x > 0 ? x : alpha (e^x - 1).
    case elu(alpha: Float)
    /// x * logistic(beta * x) (Keras swish / silu: beta 1).
    case swish(beta: Float)
    /// 0.5 x (1 + erf(x / sqrt 2)) (Keras gelu, approximate false).
    case geluErf
    /// x * relu6(x + 3) / 6.
    case hardswish
    /// scale * x + shift.
    case linear(scale: Float, shift: Float)
    case exp

    var algorithm: (kind: dnnl_alg_kind_t, alpha: Float, beta: Float) {
        switch self {
        case .relu(let s): return (dnnl_eltwise_relu, s, 0)
        case .clip(let lo, let hi): return (dnnl_eltwise_clip_v2, lo, hi)
        case .logistic: return (dnnl_eltwise_logistic, 0, 0)
        case .tanh: return (dnnl_eltwise_tanh, 0, 0)
        case .elu(let a): return (dnnl_eltwise_elu, a, 0)
        case .swish(let b): return (dnnl_eltwise_swish, b, 0)
        case .geluErf: return (dnnl_eltwise_gelu_erf, 0, 0)
        case .hardswish: return (dnnl_eltwise_hardswish, 0, 0)
        case .linear(let a, let b): return (dnnl_eltwise_linear, a, b)
        case .exp: return (dnnl_eltwise_exp, 0, 0)
        }
    }
}

/// What a primitive does to its result before storing it, in order: an element-wise
/// function, or `sum` (add the destination's previous contents: the residual add).
public enum PostOp: Sendable, Equatable {
    case eltwise(EltwiseOp)
    case sum
}

/// One oneDNN primitive made once and executed many times: its descriptor, the primitive,
/// and (for convolutions and matmuls) its weights reordered once into the layout the
/// primitive prefers and owned here. Source and destination are the caller's buffers,
/// attached at each execution (NHWC float32 for convolutions and pooling, row-major
/// (rows, units) for matmul, flat for element-wise).
///
/// Two phases, so a plan can add up its memory before allocating anything large: the
/// factories create only the primitive descriptor (`weightBytes`, `scratchpadBytes` are
/// known then); `load(kernel:bias:)` creates the primitive and packs the weights.
public final class DNNLPrimitive: @unchecked Sendable {
    /// What this primitive is, for messages: `convolution`, `matmul`, `pooling`, `eltwise`.
    public let what: String
    private let backend: DNNLBackend
    private let pd: dnnl_primitive_desc_t
    private var primitive: dnnl_primitive_t?
    private let srcMemory: dnnl_memory_t
    private let dstMemory: dnnl_memory_t
    private var scratchpadMemory: dnnl_memory_t?
    /// The execution arguments, made once by `load` (only the data handles change per run).
    private var args: [dnnl_exec_arg_t] = []
    private var weightsMemory: dnnl_memory_t?
    private var biasMemory: dnnl_memory_t?
    /// The user's weights layout (Keras's), nil for primitives without weights.
    private let userWeights: dnnl_memory_desc_t?
    private let biasDesc: dnnl_memory_desc_t?
    /// Bytes of the packed weights and bias this primitive will own after `load`.
    public let weightBytes: Int
    /// Bytes of scratchpad oneDNN says the primitive needs (the library holds it).
    public let scratchpadBytes: Int

    private init(what: String, backend: DNNLBackend, opDesc: UnsafeRawPointer, postOps: [PostOp],
                 userWeights: dnnl_memory_desc_t?, biasDesc: dnnl_memory_desc_t?) throws {
        self.what = what
        self.backend = backend
        var attr: dnnl_primitive_attr_t?
        try DNNLBackend.check(dnnl_primitive_attr_create(&attr), "primitive_attr_create")
        defer { if let attr { dnnl_primitive_attr_destroy(attr) } }
        // The caller provides the scratchpad (one buffer shared by a plan's primitives), so
        // its size is known and counted.
        try DNNLBackend.check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "primitive_attr_set_scratchpad_mode")
        if !postOps.isEmpty {
            var ops: dnnl_post_ops_t?
            try DNNLBackend.check(dnnl_post_ops_create(&ops), "post_ops_create")
            defer { if let ops { dnnl_post_ops_destroy(ops) } }
            for op in postOps {
                switch op {
                case .sum:
                    try DNNLBackend.check(dnnl_post_ops_append_sum(ops, 1), "post_ops_append_sum")
                case .eltwise(let e):
                    let a = e.algorithm
                    try DNNLBackend.check(dnnl_post_ops_append_eltwise(ops, 1, a.kind, a.alpha, a.beta), "post_ops_append_eltwise")
                }
            }
            try DNNLBackend.check(dnnl_primitive_attr_set_post_ops(attr, ops), "primitive_attr_set_post_ops")
        }
        var pd: dnnl_primitive_desc_t?
        try DNNLBackend.check(dnnl_primitive_desc_create(&pd, opDesc, attr, backend.engine, nil), "primitive_desc_create (\(what))")
        guard let pd else { throw DNNLError(operation: "primitive_desc_create", status: "no descriptor") }
        self.pd = pd
        func md(_ q: dnnl_query_t) throws -> dnnl_memory_desc_t {
            guard let p = dnnl_primitive_desc_query_md(pd, q, 0) else {
                dnnl_primitive_desc_destroy(pd)
                throw DNNLError(operation: "primitive_desc_query_md", status: "no descriptor for \(what)")
            }
            return p.pointee
        }
        var src = try md(dnnl_query_src_md)
        var dst = try md(dnnl_query_dst_md)
        var s: dnnl_memory_t?, d: dnnl_memory_t?
        dnnl_memory_create(&s, &src, backend.engine, strata_dnnl_memory_none())
        dnnl_memory_create(&d, &dst, backend.engine, strata_dnnl_memory_none())
        guard let s, let d else {
            if let s { dnnl_memory_destroy(s) }
            dnnl_primitive_desc_destroy(pd)
            throw DNNLError(operation: "memory_create", status: "no memory for \(what)")
        }
        self.srcMemory = s
        self.dstMemory = d
        self.userWeights = userWeights
        self.biasDesc = biasDesc
        var bytes = 0
        if userWeights != nil, var w = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0)?.pointee {
            bytes += dnnl_memory_desc_get_size(&w)
        }
        if var b = biasDesc { bytes += dnnl_memory_desc_get_size(&b) }
        self.weightBytes = bytes
        var scratch = dnnl_memory_desc_t()
        if let p = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0) { scratch = p.pointee }
        self.scratchpadBytes = dnnl_memory_desc_get_size(&scratch)
        if scratchpadBytes > 0 {
            var m: dnnl_memory_t?
            dnnl_memory_create(&m, &scratch, backend.engine, strata_dnnl_memory_none())
            scratchpadMemory = m
        }
    }

    deinit {
        if let primitive { dnnl_primitive_destroy(primitive) }
        if let weightsMemory { dnnl_memory_destroy(weightsMemory) }
        if let biasMemory { dnnl_memory_destroy(biasMemory) }
        if let scratchpadMemory { dnnl_memory_destroy(scratchpadMemory) }
        dnnl_memory_destroy(srcMemory)
        dnnl_memory_destroy(dstMemory)
        dnnl_primitive_desc_destroy(pd)
    }

    // MARK: Factories (descriptor only)

    /// A 2-D convolution over NHWC `input` (n, h, w, cin) giving `output` (n, oh, ow, cout);
    /// kernel (kh, kw, cin / groups, cout) as Keras stores it (a depthwise kernel is the
    /// grouped kernel (kh, kw, 1, cin * dm) with groups = cin).
    /// `padding`, when given, replaces the window's own (before and after along H and W),
    /// e.g. a ZeroPadding2D folded into a `valid` convolution.
    public static func convolution(_ backend: DNNLBackend, input: [Int], output: [Int], kernel: [Int], groups: Int,
                                   window: Window2D, padding: (before: [Int], after: [Int])? = nil,
                                   bias: Bool, postOps: [PostOp]) throws -> DNNLPrimitive {
        let (n, h, w, cin) = (input[0], input[1], input[2], input[3])
        let (kh, kw, cinG, cout) = (kernel[0], kernel[1], kernel[2], kernel[3])
        guard cinG * groups == cin, cout % groups == 0, output[3] == cout else {
            throw DNNLError(operation: "convolution", status: "kernel \(kernel) with \(groups) group(s) does not fit input \(input)")
        }
        var src = try DNNLBackend.memoryDesc([n, cin, h, w], dnnl_nhwc)
        var dst = try DNNLBackend.memoryDesc([n, cout, output[1], output[2]], dnnl_nhwc)
        let user = groups == 1
            ? try DNNLBackend.memoryDesc([cout, cinG, kh, kw], dnnl_hwio)
            : try DNNLBackend.memoryDesc([groups, cout / groups, cinG, kh, kw], dnnl_hwigo)
        var any = groups == 1
            ? try DNNLBackend.memoryDesc([cout, cinG, kh, kw], dnnl_format_tag_any)
            : try DNNLBackend.memoryDesc([groups, cout / groups, cinG, kh, kw], dnnl_format_tag_any)
        var biasDesc = try DNNLBackend.memoryDesc([cout], dnnl_a)
        let g = padding ?? DNNLBackend.padding(window, h: h, w: w)
        var desc = dnnl_convolution_desc_t()
        try DNNLBackend.check(withUnsafeMutablePointer(to: &biasDesc) { bp in
            dnnl_dilated_convolution_forward_desc_init(
                &desc, dnnl_forward_inference, dnnl_convolution_direct, &src, &any, bias ? bp : nil, &dst,
                DNNLBackend.dims(window.strides), DNNLBackend.dims(window.dilation.map { $0 - 1 }),
                DNNLBackend.dims(g.before), DNNLBackend.dims(g.after))
        }, "dilated_convolution_forward_desc_init")
        return try DNNLPrimitive(what: "convolution", backend: backend, opDesc: &desc, postOps: postOps,
                                 userWeights: user, biasDesc: bias ? biasDesc : nil)
    }

    /// (rows, k) x (k, units) + bias, row-major; kernel as Keras's Dense stores it.
    public static func matmul(_ backend: DNNLBackend, rows: Int, k: Int, units: Int, bias: Bool, postOps: [PostOp]) throws -> DNNLPrimitive {
        var src = try DNNLBackend.memoryDesc([rows, k], dnnl_ab)
        var dst = try DNNLBackend.memoryDesc([rows, units], dnnl_ab)
        let user = try DNNLBackend.memoryDesc([k, units], dnnl_ab)
        var any = try DNNLBackend.memoryDesc([k, units], dnnl_format_tag_any)
        var biasDesc = try DNNLBackend.memoryDesc([1, units], dnnl_ab)
        var desc = dnnl_matmul_desc_t()
        try DNNLBackend.check(withUnsafeMutablePointer(to: &biasDesc) { bp in
            dnnl_matmul_desc_init(&desc, &src, &any, bias ? bp : nil, &dst)
        }, "matmul_desc_init")
        return try DNNLPrimitive(what: "matmul", backend: backend, opDesc: &desc, postOps: postOps,
                                 userWeights: user, biasDesc: bias ? biasDesc : nil)
    }

    /// Max or average (padding excluded, as Keras) pooling over NHWC.
    /// Max or average pooling of an NHWC tensor; `padding` gives the cells before and after
    /// each spatial axis explicitly (the window's own rule otherwise); an average counts the
    /// padded cells when `includePadding`.
    public static func pooling(_ backend: DNNLBackend, input: [Int], output: [Int], window: Window2D, max: Bool,
                               padding: (before: [Int], after: [Int])? = nil, includePadding: Bool = false) throws -> DNNLPrimitive {
        let (n, h, w, c) = (input[0], input[1], input[2], input[3])
        var src = try DNNLBackend.memoryDesc([n, c, h, w], dnnl_nhwc)
        var dst = try DNNLBackend.memoryDesc([n, c, output[1], output[2]], dnnl_nhwc)
        let g = padding ?? DNNLBackend.padding(window, h: h, w: w)
        let algorithm = max ? dnnl_pooling_max : includePadding ? dnnl_pooling_avg_include_padding : dnnl_pooling_avg_exclude_padding
        var desc = dnnl_pooling_v2_desc_t()
        try DNNLBackend.check(dnnl_pooling_v2_forward_desc_init(
            &desc, dnnl_forward_inference, algorithm, &src, &dst,
            DNNLBackend.dims(window.strides), DNNLBackend.dims(window.kernel), DNNLBackend.dims(window.dilation.map { $0 - 1 }),
            DNNLBackend.dims(g.before), DNNLBackend.dims(g.after)), "pooling_v2_forward_desc_init")
        return try DNNLPrimitive(what: "pooling", backend: backend, opDesc: &desc, postOps: [], userWeights: nil, biasDesc: nil)
    }

    /// `op` over `count` contiguous floats (source and destination may be the same buffer).
    public static func eltwise(_ backend: DNNLBackend, count: Int, op: EltwiseOp) throws -> DNNLPrimitive {
        var data = try DNNLBackend.memoryDesc([count], dnnl_a)
        let a = op.algorithm
        var desc = dnnl_eltwise_desc_t()
        try DNNLBackend.check(dnnl_eltwise_forward_desc_init(&desc, dnnl_forward_inference, a.kind, &data, a.alpha, a.beta),
                              "eltwise_forward_desc_init")
        return try DNNLPrimitive(what: "eltwise", backend: backend, opDesc: &desc, postOps: [], userWeights: nil, biasDesc: nil)
    }

    /// Softmax along `axis` of a dense row-major tensor of `shape` (source and destination
    /// may be the same buffer).
    public static func softmax(_ backend: DNNLBackend, shape: [Int], axis: Int) throws -> DNNLPrimitive {
        let tags = [dnnl_a, dnnl_ab, dnnl_abc, dnnl_abcd, dnnl_abcde, dnnl_abcdef]
        guard shape.count >= 1, shape.count <= tags.count, axis >= 0, axis < shape.count else {
            throw DNNLError(operation: "softmax", status: "shape \(shape), axis \(axis) not supported")
        }
        var data = try DNNLBackend.memoryDesc(shape, tags[shape.count - 1])
        var desc = dnnl_softmax_desc_t()
        try DNNLBackend.check(dnnl_softmax_forward_desc_init(&desc, dnnl_forward_inference, &data, Int32(axis)), "softmax_forward_desc_init")
        return try DNNLPrimitive(what: "softmax", backend: backend, opDesc: &desc, postOps: [], userWeights: nil, biasDesc: nil)
    }

    // MARK: Loading and running

    /// Creates the primitive and, for a primitive with weights, reorders `kernel` (Keras
    /// layout, as described by the factory) once into owned memory and copies `bias`.
    public func load(kernel: [Float]? = nil, bias: [Float]? = nil) throws {
        let engine = backend.engine
        if var user = userWeights {
            guard let kernel, var wanted = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0)?.pointee else {
                throw DNNLError(operation: "load", status: "\(what) needs its weights")
            }
            guard kernel.count * 4 == dnnl_memory_desc_get_size(&user) else {
                throw DNNLError(operation: "load", status: "\(what): \(kernel.count) weights do not fit the kernel")
            }
            var packed: dnnl_memory_t?
            try DNNLBackend.check(dnnl_memory_create(&packed, &wanted, engine, strata_dnnl_memory_allocate()), "memory_create")
            weightsMemory = packed
            try kernel.withUnsafeBufferPointer { kp in
                var userMemory: dnnl_memory_t?
                try DNNLBackend.check(dnnl_memory_create(&userMemory, &user, engine, UnsafeMutableRawPointer(mutating: kp.baseAddress)),
                                      "memory_create")
                defer { if let userMemory { dnnl_memory_destroy(userMemory) } }
                var reorder: dnnl_primitive_desc_t?
                try DNNLBackend.check(dnnl_reorder_primitive_desc_create(&reorder, &user, engine, &wanted, engine, nil),
                                      "reorder_primitive_desc_create")
                defer { if let reorder { dnnl_primitive_desc_destroy(reorder) } }
                var r: dnnl_primitive_t?
                try DNNLBackend.check(dnnl_primitive_create(&r, reorder), "primitive_create (reorder)")
                defer { if let r { dnnl_primitive_destroy(r) } }
                let args = [dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: userMemory),
                            dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: packed)]
                try DNNLBackend.check(dnnl_primitive_execute(r, backend.stream, 2, args), "primitive_execute (reorder)")
                try DNNLBackend.check(dnnl_stream_wait(backend.stream), "stream_wait")
            }
        }
        if var b = biasDesc {
            guard let bias, bias.count * 4 == dnnl_memory_desc_get_size(&b) else {
                throw DNNLError(operation: "load", status: "\(what): bias missing or of the wrong size")
            }
            var m: dnnl_memory_t?
            try DNNLBackend.check(dnnl_memory_create(&m, &b, engine, strata_dnnl_memory_allocate()), "memory_create")
            biasMemory = m
            var handle: UnsafeMutableRawPointer?
            dnnl_memory_get_data_handle(m, &handle)
            guard let handle else { throw DNNLError(operation: "memory_get_data_handle", status: "no bias buffer") }
            bias.withUnsafeBytes { handle.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        }
        var p: dnnl_primitive_t?
        try DNNLBackend.check(dnnl_primitive_create(&p, pd), "primitive_create (\(what))")
        primitive = p
        args = [dnnl_exec_arg_t(arg: DNNL_ARG_SRC, memory: srcMemory), dnnl_exec_arg_t(arg: DNNL_ARG_DST, memory: dstMemory)]
        if let weightsMemory { args.append(dnnl_exec_arg_t(arg: DNNL_ARG_WEIGHTS, memory: weightsMemory)) }
        if let biasMemory { args.append(dnnl_exec_arg_t(arg: DNNL_ARG_BIAS, memory: biasMemory)) }
        if let scratchpadMemory { args.append(dnnl_exec_arg_t(arg: DNNL_ARG_SCRATCHPAD, memory: scratchpadMemory)) }
    }

    /// Runs once: reads `src`, writes `dst` (with a `sum` post-op, `dst` must hold the
    /// addend), using `scratchpad` (at least `scratchpadBytes`, 64-byte aligned; nil when 0).
    /// Blocks until done.
    public func execute(src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>, scratchpad: UnsafeMutableRawPointer?) throws {
        guard let primitive else { throw DNNLError(operation: "execute", status: "\(what) was not loaded") }
        try DNNLBackend.check(dnnl_memory_set_data_handle(srcMemory, UnsafeMutableRawPointer(mutating: src)), "memory_set_data_handle")
        try DNNLBackend.check(dnnl_memory_set_data_handle(dstMemory, dst), "memory_set_data_handle")
        if let scratchpadMemory {
            guard let scratchpad else { throw DNNLError(operation: "execute", status: "\(what) needs a scratchpad of \(scratchpadBytes) bytes") }
            try DNNLBackend.check(dnnl_memory_set_data_handle(scratchpadMemory, scratchpad), "memory_set_data_handle")
        }
        let status = args.withUnsafeBufferPointer { dnnl_primitive_execute(primitive, backend.stream, Int32($0.count), $0.baseAddress) }
        try DNNLBackend.check(status, "primitive_execute (\(what))")
        try DNNLBackend.check(dnnl_stream_wait(backend.stream), "stream_wait")
    }
}
