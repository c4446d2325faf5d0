import Testing
import ModelKit

/// The shape rules and value propagation of the array functions graph formats write as
/// nodes, on hand-sized cases (the arithmetic is in the comments).
@Suite struct ArrayFunctionRuleTests {
    func op(_ function: String, _ operands: [TensorFunctionOp.Operand]? = nil, _ attributes: [(String, JSONValue)] = []) -> TensorFunctionOp {
        TensorFunctionOp(name: function, function: function, operands: operands, attributes: JSONObject(attributes.map { (key: $0.0, value: $0.1) }))
    }

    func shape(_ dims: Dim...) -> TensorShape { TensorShape(dimensions: dims) }

    @Test func flattenThroughShapeArithmetic() throws {
        // x: (N, 4, 8, 8). Shape → [N, 4, 8, 8]; Gather index 0 → N; Unsqueeze → [N];
        // Concat with [-1] → [N, -1]; Reshape → (N, 256) since 4 × 8 × 8 = 256.
        let x = shape(.symbolic("N"), .known(4), .known(8), .known(8))
        let shapeOp = op("shape")
        let s = try shapeOp.outputShapes([x], values: [nil])
        #expect(s == [TensorShape([4])])
        let sv = shapeOp.outputValues([x], values: [nil], outputs: s)
        #expect(sv.first??.elements == [.symbolic("N"), .known(4), .known(8), .known(8)])

        let gather = op("gather", [.tensor, .constant(TensorValue(scalar: .known(0)))], [("axis", .number(0))])
        let g = try gather.outputShapes(s, values: sv)
        #expect(g == [TensorShape([])])
        let gv = gather.outputValues(s, values: sv, outputs: g)
        #expect(gv.first??.elements == [.symbolic("N")])

        let unsqueeze = op("unsqueeze", [.tensor, .constant(TensorValue(ints: [0]))])
        let u = try unsqueeze.outputShapes(g, values: gv)
        #expect(u == [TensorShape([1])])
        let uv = unsqueeze.outputValues(g, values: gv, outputs: u)

        let concat = op("concat", [.tensor, .constant(TensorValue(ints: [-1]))], [("axis", .number(0))])
        let c = try concat.outputShapes(u, values: uv)
        let cv = concat.outputValues(u, values: uv, outputs: c)
        #expect(cv.first??.elements == [.symbolic("N"), .known(-1)])

        let reshape = op("reshape")
        let r = try reshape.outputShapes([x] + c, values: [nil] + cv)
        #expect(r.first?.dimensions == [.symbolic("N"), .known(256)])
    }

    @Test func reshapeRules() throws {
        let reshape = op("reshape", [.tensor, .tensor])
        let x = TensorShape([2, 3, 4])
        // 0 copies the input's size on that axis; -1 takes the rest: 24 / (2 × 3) = 4.
        let copied = try reshape.outputShapes([x, TensorShape([3])], values: [nil, TensorValue(ints: [0, 3, -1])])
        #expect(copied == [TensorShape([2, 3, 4])])
        // 24 elements do not reshape to 5 × -1.
        #expect(throws: LayerError.self) { try reshape.outputShapes([x, TensorShape([2])], values: [nil, TensorValue(ints: [5, -1])]) }
        // A target computed at run time: the rank is known from the target's length.
        let open = try reshape.outputShapes([x, TensorShape([2])], values: [nil, nil])
        #expect(open == [TensorShape([nil, nil])])
    }

    @Test func sliceLengths() throws {
        // 10 elements, start 2, end -1 (= 9), step 3: 2, 5, 8 → 3.
        let slice = op("slice", [.tensor, .constant(TensorValue(ints: [2])), .constant(TensorValue(ints: [-1])),
                                 .constant(TensorValue(ints: [0])), .constant(TensorValue(ints: [3]))])
        #expect(try slice.outputShapes([TensorShape([10, 7])], values: [nil]) == [TensorShape([3, 7])])
        // Backwards from the end with step -2 over 5 elements: 4, 2, 0 → 3.
        let back = op("slice", [.tensor, .constant(TensorValue(ints: [-1])), .constant(TensorValue(ints: [Int.min])),
                                .constant(TensorValue(ints: [0])), .constant(TensorValue(ints: [-2]))])
        #expect(try back.outputShapes([TensorShape([5])], values: [nil]) == [TensorShape([3])])
        // An end past the size is clamped: [1, 10^9) of 4 → 3.
        let clamp = op("slice", [.tensor, .constant(TensorValue(ints: [1])), .constant(TensorValue(ints: [1_000_000_000]))])
        #expect(try clamp.outputShapes([TensorShape([4])], values: [nil]) == [TensorShape([3])])
        // The value of a slice of a known list: [N, 3, 224, 224][2:4] = [224, 224].
        let values = op("slice", [.tensor, .constant(TensorValue(ints: [2])), .constant(TensorValue(ints: [4]))])
        let list = TensorValue(shape: [4], elements: [.symbolic("N"), .known(3), .known(224), .known(224)])
        let out = try values.outputShapes([TensorShape([4])], values: [list])
        #expect(values.outputValues([TensorShape([4])], values: [list], outputs: out).first??.elements == [.known(224), .known(224)])
    }

    @Test func broadcastingAndMatmul() throws {
        // (N, 1, 5) with (3, 1): (N, 3, 5).
        let add = op("add", [.tensor, .tensor])
        #expect(try add.outputShapes([shape(.symbolic("N"), .known(1), .known(5)), TensorShape([3, 1])]).first?.dimensions
                == [.symbolic("N"), .known(3), .known(5)])
        #expect(throws: LayerError.self) { try add.outputShapes([TensorShape([2, 3]), TensorShape([4, 3])]) }
        // (8, 1, 4, 6) @ (5, 6, 7) = (8, 5, 4, 7); 8 × 5 × 4 × 7 outputs, 6 products each.
        let matmul = op("matmul", [.tensor, .tensor])
        let out = try matmul.outputShapes([TensorShape([8, 1, 4, 6]), TensorShape([5, 6, 7])])
        #expect(out == [TensorShape([8, 5, 4, 7])])
        #expect(matmul.macs([TensorShape([8, 1, 4, 6]), TensorShape([5, 6, 7])], out) == 8 * 5 * 4 * 7 * 6)
        // A vector on the right drops its axis: (3, 4) @ (4,) = (3,).
        #expect(try matmul.outputShapes([TensorShape([3, 4]), TensorShape([4])]) == [TensorShape([3])])
    }

    @Test func rangeConstantOfShapeAndSplit() throws {
        // Range(0, 10, 3): 0, 3, 6, 9 → 4 elements.
        let range = op("range", [.constant(TensorValue(ints: [0])), .constant(TensorValue(ints: [10])), .constant(TensorValue(ints: [3]))])
        let r = try range.outputShapes([], values: [])
        #expect(r == [TensorShape([4])])
        #expect(range.outputValues([], values: [], outputs: r).first??.elements == [0, 3, 6, 9].map { Dim.known($0) })
        // ConstantOfShape([2, 3]) filled with 1.
        let fill = op("constant_of_shape", [.tensor], [("value", .number(1))])
        let f = try fill.outputShapes([TensorShape([2])], values: [TensorValue(ints: [2, 3])])
        #expect(f == [TensorShape([2, 3])])
        #expect(fill.outputValues([TensorShape([2])], values: [TensorValue(ints: [2, 3])], outputs: f).first??.ints == [1, 1, 1, 1, 1, 1])
        // Split 10 into 3 equal parts: ceil(10 / 3) = 4, 4, then 2.
        let split = op("split", [.tensor], [("axis", .number(1)), ("outputs", .number(3))])
        #expect(try split.outputShapes([TensorShape([1, 10])]) == [TensorShape([1, 4]), TensorShape([1, 4]), TensorShape([1, 2])])
    }

    @Test func reductionsWithAxesAndKeepdims() throws {
        // Mean over axes 2 and 3 of (1, 16, 7, 7), kept: (1, 16, 1, 1); dropped: (1, 16).
        let kept = op("mean", [.tensor], [("axis", .array([.number(2), .number(3)])), ("keepdims", .number(1))])
        #expect(try kept.outputShapes([TensorShape([1, 16, 7, 7])]) == [TensorShape([1, 16, 1, 1])])
        let dropped = op("mean", [.tensor], [("axis", .array([.number(-1), .number(-2)])), ("keepdims", .number(0))])
        #expect(try dropped.outputShapes([TensorShape([1, 16, 7, 7])]) == [TensorShape([1, 16])])
        // Every axis from 2 on (a global pooling of any rank): (2, 8, 5, 5, 5) → (2, 8, 1, 1, 1).
        let global = op("mean", [.tensor], [("axis_from", .number(2)), ("keepdims", .number(1))])
        #expect(try global.outputShapes([TensorShape([2, 8, 5, 5, 5])]) == [TensorShape([2, 8, 1, 1, 1])])
    }
}
