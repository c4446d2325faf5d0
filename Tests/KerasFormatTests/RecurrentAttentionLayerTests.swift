import Testing
@testable import ModelKit
@testable import KerasFormat

// Truth: numbers marked "fixture" are copied from Keras-made truth.json files under
// Tests/Fixtures/layers/<case>/ (Keras 3.15.1 and tf_keras); the rest is hand arithmetic
// shown beside it.

/// Decodes Keras class `className` from the JSON text of its `config` object, as the
/// operator type `type`.
private func make<K: Operator>(_ className: String, _ type: K.Type, _ json: String, keras2: Bool = false) throws -> K {
    let value = try JSONParser.parse(json)
    guard let object = value.objectValue else { throw LayerError("test config is not an object") }
    guard let entry = LayerCatalog.kind(named: className) else { throw LayerError("no class \(className)") }
    let op = try entry.decodeOperator(LayerConfig(object: object, path: "config.layers[1].config", layerName: "layer", isKeras2: keras2))
    guard let k = op as? K else { throw LayerError("\(className) decodes to \(Swift.type(of: op)), not \(K.self)") }
    return k
}

/// The error text a config throws while decoding (empty when it decodes).
private func decodeError<K: Operator>(_ className: String, _ type: K.Type, _ json: String, keras2: Bool = false) -> String {
    do { _ = try make(className, type, json, keras2: keras2); return "" } catch { return String(describing: error) }
}

private func seq(_ dims: Int...) -> TensorShape { .batched(dims) }
private func params(_ w: [WeightSpec]) -> Int { w.reduce(0) { $0 + ($1.count ?? 0) } }
private func shapes(_ w: [WeightSpec]) -> [[Int]] { w.map(\.shape) }

// MARK: - Embedding

@Test func embeddingAppendsOutputDim() throws {
    // fixture embedding: Embedding(50, 8) on (None, 7) -> (None, 7, 8), 400 params.
    let e = try make("Embedding", EmbeddingOp.self, #"{"name": "embed", "input_dim": 50, "output_dim": 8, "mask_zero": false}"#)
    #expect(try e.outputShapes([seq(7)]) == [seq(7, 8)])
    let w = try e.weights([seq(7)])
    #expect(w.map(\.name) == ["embeddings"])
    #expect(shapes(w) == [[50, 8]])
    #expect(params(w) == 400)
    #expect(e.macs([seq(7)], [seq(7, 8)]) == 0)
    #expect(e.category == .embedding)
    // Any input rank: (None, 3, 4) -> (None, 3, 4, 8).
    #expect(try e.outputShapes([seq(3, 4)]) == [seq(3, 4, 8)])
}

@Test func embeddingKeras2InputLength() throws {
    let e = try make("Embedding", EmbeddingOp.self, #"{"input_dim": 20, "output_dim": 4, "input_length": 7, "dtype": "float32"}"#, keras2: true)
    #expect(try e.outputShapes([TensorShape([nil, nil])]) == [seq(7, 4)])
    #expect(try e.outputShapes([seq(7)]) == [seq(7, 4)])
    #expect(throws: LayerError.self) { try e.outputShapes([seq(9)]) }
    // Keras 3 pops input_length and ignores it.
    let k3 = try make("Embedding", EmbeddingOp.self, #"{"input_dim": 20, "output_dim": 4, "input_length": 7}"#)
    #expect(try k3.outputShapes([TensorShape([nil, nil])]) == [TensorShape([nil, nil, 4])])
}

@Test func embeddingLoRAFreezesTable() throws {
    // lora_rank 2 on Embedding(50, 8): table frozen (400), a (50, 2) + b (2, 8) = 100 + 16 trainable.
    let e = try make("Embedding", EmbeddingOp.self, #"{"input_dim": 50, "output_dim": 8, "lora_rank": 2}"#)
    let w = try e.weights([seq(7)])
    #expect(w.map(\.name) == ["embeddings", "lora_embeddings_a", "lora_embeddings_b"])
    #expect(w.map(\.trainable) == [false, true, true])
    #expect(params(w.filter { $0.trainable == true }) == 116)
}

@Test(arguments: [
    (#"{"input_dim": 0, "output_dim": 8}"#, "input_dim"),
    (#"{"input_dim": 10, "output_dim": -3}"#, "output_dim"),
    (#"{"output_dim": 3}"#, "input_dim"),
    (#"{"input_dim": 10, "output_dim": 3, "lora_rank": 0}"#, "lora_rank"),
])
func embeddingBadConfig(json: String, key: String) {
    let text = decodeError("Embedding", EmbeddingOp.self, json)
    #expect(text.contains(key))
}

// MARK: - SimpleRNN, LSTM, GRU

@Test func simpleRNNSequencesAndLastStep() throws {
    // fixture simple_rnn: SimpleRNN(6, return_sequences) on (None, 10, 4) -> (None, 10, 6), 66 params;
    // SimpleRNN(5) on (None, 10, 6) -> (None, 5), 60 params.
    let a = try make("SimpleRNN", RecurrentOp.self, #"{"name": "rnn_seq", "units": 6, "return_sequences": true}"#)
    #expect(try a.outputShapes([seq(10, 4)]) == [seq(10, 6)])
    let wa = try a.weights([seq(10, 4)])
    #expect(wa.map(\.name) == ["simple_rnn_cell/kernel", "simple_rnn_cell/recurrent_kernel", "simple_rnn_cell/bias"])
    #expect(shapes(wa) == [[4, 6], [6, 6], [6]])
    #expect(params(wa) == 66)
    // MACs: 10 steps × (4·6 + 6·6) = 600.
    #expect(a.macs([seq(10, 4)], [seq(10, 6)]) == 600)

    let b = try make("SimpleRNN", RecurrentOp.self, #"{"name": "rnn_last", "units": 5}"#)
    #expect(try b.outputShapes([seq(10, 6)]) == [seq(5)])
    #expect(params(try b.weights([seq(10, 6)])) == 60)
}

@Test func lstmReturnSequencesAndNoBias() throws {
    // fixture lstm_return_sequences: LSTM(6, rs) on (None, 8, 5) -> (None, 8, 6), 288;
    // LSTM(4, use_bias=False) on (None, 8, 6) -> (None, 4), 160 (no bias weight).
    let a = try make("LSTM", RecurrentOp.self, #"{"units": 6, "return_sequences": true, "implementation": 2}"#)
    #expect(try a.outputShapes([seq(8, 5)]) == [seq(8, 6)])
    let wa = try a.weights([seq(8, 5)])
    #expect(wa.map(\.name) == ["lstm_cell/kernel", "lstm_cell/recurrent_kernel", "lstm_cell/bias"])
    #expect(shapes(wa) == [[5, 24], [6, 24], [24]])
    #expect(params(wa) == 288)
    // MACs: 8 × (5·24 + 6·24) = 8 × 264 = 2112.
    #expect(a.macs([seq(8, 5)], [seq(8, 6)]) == 2112)

    let b = try make("LSTM", RecurrentOp.self, #"{"units": 4, "use_bias": false}"#)
    #expect(try b.outputShapes([seq(8, 6)]) == [seq(4)])
    let wb = try b.weights([seq(8, 6)])
    #expect(shapes(wb) == [[6, 16], [4, 16]])
    #expect(params(wb) == 160)
}

@Test func lstmReturnStateAndInitialState() throws {
    // fixture lstm_return_state: encoder LSTM(6, rs, return_state) -> [(None,8,6), (None,6), (None,6)], 288;
    // decoder LSTM(6) called on [seq, h, c] -> (None, 6), 312 (kernel built on the sequence only).
    let enc = try make("LSTM", RecurrentOp.self, #"{"units": 6, "return_sequences": true, "return_state": true}"#)
    #expect(try enc.outputShapes([seq(8, 5)]) == [seq(8, 6), seq(6), seq(6)])
    let dec = try make("LSTM", RecurrentOp.self, #"{"units": 6}"#)
    let ins = [seq(8, 6), seq(6), seq(6)]
    #expect(try dec.outputShapes(ins) == [seq(6)])
    #expect(params(try dec.weights(ins)) == 312)
    // return_state without return_sequences: [(None, 6)] × 3.
    let last = try make("LSTM", RecurrentOp.self, #"{"units": 6, "return_state": true, "go_backwards": true}"#)
    #expect(try last.outputShapes([seq(8, 5)]) == [seq(6), seq(6), seq(6)])
}

@Test func gruResetAfterBiasShapes() throws {
    // fixture gru_reset_after: GRU(6, rs) on (None, 7, 4) -> (None, 7, 6), 216, bias (2, 18);
    // GRU(5, reset_after=False, return_state) on (None, 7, 6) -> [(None,5), (None,5)], 180, bias (15,).
    let a = try make("GRU", RecurrentOp.self, #"{"units": 6, "return_sequences": true, "reset_after": true}"#)
    #expect(try a.outputShapes([seq(7, 4)]) == [seq(7, 6)])
    let wa = try a.weights([seq(7, 4)])
    #expect(wa.map(\.name) == ["gru_cell/kernel", "gru_cell/recurrent_kernel", "gru_cell/bias"])
    #expect(shapes(wa) == [[4, 18], [6, 18], [2, 18]])
    #expect(params(wa) == 216)

    let b = try make("GRU", RecurrentOp.self, #"{"units": 5, "reset_after": false, "return_state": true}"#)
    #expect(try b.outputShapes([seq(7, 6)]) == [seq(5), seq(5)])
    let wb = try b.weights([seq(7, 6)])
    #expect(shapes(wb) == [[6, 15], [5, 15], [15]])
    #expect(params(wb) == 180)
    // MACs: 7 × (6·15 + 5·15) = 7 × 165 = 1155.
    #expect(b.macs([seq(7, 6)], [seq(5), seq(5)]) == 1155)
    // Default reset_after is true (Keras 3 and tf.keras 2).
    let c = try make("GRU", RecurrentOp.self, #"{"units": 2}"#)
    #expect(shapes(try c.weights([seq(3, 1)])).last == [2, 6])
}

@Test func recurrentUnknownTimestepsAndTimeMajor() throws {
    let l = try make("LSTM", RecurrentOp.self, #"{"units": 3, "return_sequences": true}"#)
    let ragged = TensorShape([nil, nil, 5])
    #expect(try l.outputShapes([ragged]) == [TensorShape([nil, nil, 3])])
    #expect(params(try l.weights([ragged])) == 4 * (5 * 3 + 3 * 3 + 3))
    #expect(l.macs([ragged], [TensorShape([nil, nil, 3])]) == nil)
    // tf.keras time_major: input (time, batch, features) = (8, None, 5).
    let tm = try make("SimpleRNN", RecurrentOp.self, #"{"units": 2, "return_sequences": true, "time_major": true}"#, keras2: true)
    #expect(try tm.outputShapes([TensorShape([8, nil, 5])]) == [TensorShape([8, nil, 2])])
}

@Test func recurrentBadInputs() throws {
    let l = try make("LSTM", RecurrentOp.self, #"{"units": 3}"#)
    #expect(throws: LayerError.self) { try l.outputShapes([seq(5)]) }
    #expect(throws: LayerError.self) { try l.weights([TensorShape([nil, 4, nil])]) }
    #expect(throws: LayerError.self) { try l.outputShapes([]) }
}

@Test(arguments: [
    (#"{"units": 0}"#, "units"),
    (#"{"units": -4}"#, "units"),
    (#"{"units": "six"}"#, "units"),
    (#"{"return_sequences": true}"#, "units"),
    (#"{"units": 3, "return_sequences": "yes"}"#, "return_sequences"),
])
func recurrentBadConfig(json: String, key: String) {
    for text in [decodeError("LSTM", RecurrentOp.self, json), decodeError("GRU", RecurrentOp.self, json), decodeError("SimpleRNN", RecurrentOp.self, json)] {
        #expect(text.contains(key), "\(text)")
    }
}

@Test func recurrentHugeUnitsAreCountedNotAllocated() throws {
    let l = try make("LSTM", RecurrentOp.self, #"{"units": 1000000000000}"#)
    let w = try l.weights([seq(10, 8)])
    // recurrent kernel (1e12, 4e12) overflows Int: counted as unknown, never allocated.
    #expect(w[1].count == nil)
    #expect(w[0].count == 8 * 4_000_000_000_000)
}

@Test func genericRNNWithCells() throws {
    // RNN(LSTMCell(6)) is an LSTM(6): on (None, 8, 5), 288 params, weights below the cell's name.
    let single = try make("RNN", StackedRecurrentOp.self, #"{"cell": {"class_name": "LSTMCell", "config": {"name": "lstm_cell", "units": 6}}, "return_sequences": true}"#)
    #expect(try single.outputShapes([seq(8, 5)]) == [seq(8, 6)])
    let w = try single.weights([seq(8, 5)])
    #expect(w.first?.name == "lstm_cell/kernel")
    #expect(params(w) == 288)
    // Stacked [LSTMCell(4), GRUCell(3, reset_after=False)] with return_state on (None, 7, 2):
    // output (None, 3); states h1, c1 (None, 4), h2 (None, 3).
    // Params: LSTM 4·(2·4 + 4·4 + 4) = 112; GRU 3·(4·3 + 3·3 + 3) = 72.
    let json = #"{"cell": {"class_name": "StackedRNNCells", "config": {"name": "stack", "cells": [{"class_name": "LSTMCell", "config": {"name": "a", "units": 4}}, {"class_name": "GRUCell", "config": {"name": "b", "units": 3, "reset_after": false}}]}}, "return_state": true}"#
    let stacked = try make("RNN", StackedRecurrentOp.self, json)
    #expect(try stacked.outputShapes([seq(7, 2)]) == [seq(3), seq(4), seq(4), seq(3)])
    let ws = try stacked.weights([seq(7, 2)])
    #expect(ws.map(\.name) == ["stack/a/kernel", "stack/a/recurrent_kernel", "stack/a/bias", "stack/b/kernel", "stack/b/recurrent_kernel", "stack/b/bias"])
    #expect(params(ws) == 184)
    // MACs: 7 × ((2·16 + 4·16) + (4·9 + 3·9)) = 7 × 159 = 1113.
    #expect(stacked.macs([seq(7, 2)], []) == 1113)
    let custom = decodeError("RNN", StackedRecurrentOp.self, #"{"cell": {"class_name": "MinimalRNNCell", "config": {"units": 3}}}"#)
    #expect(custom.contains("MinimalRNNCell") && custom.contains("cell.class_name"), "\(custom)")
}

// MARK: - Bidirectional

private func lstmJSON(_ name: String, units: Int, rs: Bool, back: Bool = false, state: Bool = false) -> String {
    #"{"module": "keras.layers", "class_name": "LSTM", "config": {"name": "\#(name)", "units": \#(units), "return_sequences": \#(rs), "return_state": \#(state), "go_backwards": \#(back), "stateful": false}}"#
}

@Test func bidirectionalConcatKeras3() throws {
    // fixture bidirectional: bi_concat = Bidirectional(LSTM(4, rs)) on (None, 6, 4) -> (None, 6, 8), 288.
    let json = #"{"name": "bi_concat", "merge_mode": "concat", "layer": \#(lstmJSON("forward_lstm", units: 4, rs: true)), "backward_layer": \#(lstmJSON("backward_lstm", units: 4, rs: true, back: true))}"#
    let b = try make("Bidirectional", BidirectionalOp.self, json)
    #expect(try b.outputShapes([seq(6, 4)]) == [seq(6, 8)])
    let w = try b.weights([seq(6, 4)])
    #expect(w.map(\.name) == [
        "forward_lstm/lstm_cell/kernel", "forward_lstm/lstm_cell/recurrent_kernel", "forward_lstm/lstm_cell/bias",
        "backward_lstm/lstm_cell/kernel", "backward_lstm/lstm_cell/recurrent_kernel", "backward_lstm/lstm_cell/bias",
    ])
    #expect(shapes(w) == [[4, 16], [4, 16], [16], [4, 16], [4, 16], [16]])
    #expect(params(w) == 288)
    // MACs: 2 × 6 × (4·16 + 4·16) = 1536.
    #expect(b.macs([seq(6, 4)], [seq(6, 8)]) == 1536)
}

@Test func bidirectionalKeras2WithoutBackwardLayer() throws {
    // tf_keras saves only `layer` (named "lstm"); weights are forward_lstm then backward_lstm (fixture).
    let json = #"{"name": "bi_sum", "layer": \#(lstmJSON("lstm", units: 3, rs: true)), "merge_mode": "sum"}"#
    let b = try make("Bidirectional", BidirectionalOp.self, json, keras2: true)
    // fixture bi_sum: (None, 6, 8) -> (None, 6, 3), 288.
    #expect(try b.outputShapes([seq(6, 8)]) == [seq(6, 3)])
    let w = try b.weights([seq(6, 8)])
    #expect(w.first?.name == "forward_lstm/lstm_cell/kernel")
    #expect(w[3].name == "backward_lstm/lstm_cell/kernel")
    #expect(params(w) == 288)
}

@Test func bidirectionalMergeModes() throws {
    // fixture bi_none: merge_mode None, LSTM(3) on (None, 6, 3) -> [(None, 3), (None, 3)], 168.
    let none = try make("Bidirectional", BidirectionalOp.self, #"{"layer": \#(lstmJSON("lstm", units: 3, rs: false)), "merge_mode": null}"#)
    #expect(try none.outputShapes([seq(6, 3)]) == [seq(3), seq(3)])
    #expect(params(try none.weights([seq(6, 3)])) == 168)
    // fixture bi_gru_mul: Bidirectional(GRU(2), mul) on (None, 6, 4) -> (None, 2), 96, bias (2, 6).
    let gru = #"{"class_name": "GRU", "config": {"name": "gru", "units": 2}}"#
    let mul = try make("Bidirectional", BidirectionalOp.self, #"{"layer": \#(gru), "merge_mode": "mul"}"#)
    #expect(try mul.outputShapes([seq(6, 4)]) == [seq(2)])
    let w = try mul.weights([seq(6, 4)])
    #expect(params(w) == 96)
    #expect(w.map(\.name).last == "backward_gru/gru_cell/bias")
    // No merge_mode key: concat. ave keeps the size.
    let dflt = try make("Bidirectional", BidirectionalOp.self, #"{"layer": \#(gru)}"#)
    #expect(try dflt.outputShapes([seq(6, 4)]) == [seq(4)])
    let ave = try make("Bidirectional", BidirectionalOp.self, #"{"layer": \#(gru), "merge_mode": "ave"}"#)
    #expect(try ave.outputShapes([seq(6, 4)]) == [seq(2)])
}

@Test func bidirectionalReturnState() throws {
    // Keras: output, then forward states, then backward states.
    // LSTM(3, return_state), concat: [(None, 6), h_f, c_f, h_b, c_b] with states (None, 3).
    let cat = try make("Bidirectional", BidirectionalOp.self, #"{"layer": \#(lstmJSON("lstm", units: 3, rs: false, state: true))}"#)
    #expect(try cat.outputShapes([seq(5, 2)]) == [seq(6), seq(3), seq(3), seq(3), seq(3)])
    // merge_mode None: [out_f, out_b, h_f, c_f, h_b, c_b].
    let none = try make("Bidirectional", BidirectionalOp.self, #"{"layer": \#(lstmJSON("lstm", units: 3, rs: true, state: true)), "merge_mode": null}"#)
    #expect(try none.outputShapes([seq(5, 2)]) == [seq(5, 3), seq(5, 3), seq(3), seq(3), seq(3), seq(3)])
}

@Test(arguments: [
    (#"{"layer": {"class_name": "LSTM", "config": {"units": 3}}, "merge_mode": "max"}"#, "merge_mode"),
    (#"{"layer": {"class_name": "FancyRNN", "config": {"units": 3}}}"#, "FancyRNN"),
    (#"{"merge_mode": "sum"}"#, "layer"),
    (#"{"layer": {"class_name": "LSTM", "config": {"units": -1}}}"#, "units"),
    (#"{"layer": {"class_name": "LSTM", "config": {"units": 3, "go_backwards": true}}}"#, "go_backwards"),
    (#"{"layer": {"class_name": "LSTM", "config": {"units": 3}}, "backward_layer": {"class_name": "LSTM", "config": {"units": 3}}}"#, "go_backwards"),
    (#"{"layer": {"class_name": "LSTM", "config": {"units": 3}}, "backward_layer": {"class_name": "LSTM", "config": {"units": 3, "go_backwards": true, "return_sequences": true}}}"#, "return_sequences"),
])
func bidirectionalBadConfig(json: String, key: String) {
    let text = decodeError("Bidirectional", BidirectionalOp.self, json)
    #expect(text.contains(key), "\(text)")
}

@Test func bidirectionalInnerErrorNamesInnerPath() {
    let text = decodeError("Bidirectional", BidirectionalOp.self, #"{"layer": {"class_name": "LSTM", "config": {"name": "enc", "units": 0}}}"#)
    #expect(text.contains("config.layers[1].config.layer.config.units"), "\(text)")
    #expect(text.contains("enc"))
}

// MARK: - TimeDistributed

@Test func timeDistributedEmbedding() throws {
    // TimeDistributed(Embedding(50, 8)) on (None, 5, 7): each step (None, 7) -> (None, 7, 8),
    // so (None, 5, 7, 8); weights are the inner layer's, 50·8 = 400.
    let json = #"{"name": "td", "layer": {"module": "keras.layers", "class_name": "Embedding", "config": {"name": "embed", "input_dim": 50, "output_dim": 8}}}"#
    let t = try make("TimeDistributed", TimeDistributedOp.self, json)
    #expect(try t.outputShapes([seq(5, 7)]) == [seq(5, 7, 8)])
    let w = try t.weights([seq(5, 7)])
    #expect(w.map(\.name) == ["embed/embeddings"])
    #expect(params(w) == 400)
}

@Test func timeDistributedLSTM() throws {
    // TimeDistributed(LSTM(6)) on (None, 3, 8, 5): each of 3 steps is an LSTM over (None, 8, 5) -> (None, 6).
    let json = #"{"layer": {"class_name": "LSTM", "config": {"name": "lstm", "units": 6}}}"#
    let t = try make("TimeDistributed", TimeDistributedOp.self, json)
    #expect(try t.outputShapes([seq(3, 8, 5)]) == [seq(3, 6)])
    let w = try t.weights([seq(3, 8, 5)])
    #expect(w.first?.name == "lstm/lstm_cell/kernel")
    #expect(params(w) == 288)
    // MACs: 3 clips × 8 steps × (5·24 + 6·24) = 3 × 2112 = 6336.
    #expect(t.macs([seq(3, 8, 5)], [seq(3, 6)]) == 6336)
    // Unknown time axis: shape still inferred, MACs unknown.
    let unknownTime = TensorShape([nil, nil, 8, 5])
    #expect(try t.outputShapes([unknownTime]) == [TensorShape([nil, nil, 6])])
    #expect(t.macs([unknownTime], [TensorShape([nil, nil, 6])]) == nil)
}

@Test func timeDistributedErrors() throws {
    let t = try make("TimeDistributed", TimeDistributedOp.self, #"{"layer": {"class_name": "Embedding", "config": {"input_dim": 5, "output_dim": 2}}}"#)
    #expect(throws: LayerError.self) { try t.outputShapes([seq(4)]) }
    // An inner layer with several outputs cannot be time-distributed.
    let s = try make("TimeDistributed", TimeDistributedOp.self, #"{"layer": {"class_name": "GRU", "config": {"units": 2, "return_state": true}}}"#)
    #expect(throws: LayerError.self) { try s.outputShapes([seq(3, 4, 5)]) }
    let unknown = decodeError("TimeDistributed", TimeDistributedOp.self, #"{"layer": {"class_name": "MyCustomLayer", "config": {}}}"#)
    #expect(unknown.contains("MyCustomLayer") && unknown.contains("layer.class_name"), "\(unknown)")
    let dotted = try make("TimeDistributed", TimeDistributedOp.self, #"{"layer": {"class_name": "keras.layers.Embedding", "config": {"input_dim": 5, "output_dim": 2}}}"#)
    #expect(try dotted.outputShapes([seq(3, 4)]) == [seq(3, 4, 2)])
}

@Test func timeDistributedTakesTheWrappedLayersCategory() throws {
    // Read through `any LayerKind`, as the analyzer does: TimeDistributed(Dropout) is not a kernel layer.
    let dropout: any Operator = try make("TimeDistributed", TimeDistributedOp.self, #"{"layer": {"class_name": "Dropout", "config": {"rate": 0.5}}}"#)
    #expect(dropout.category == .regularization)
    let dense: any Operator = try make("TimeDistributed", TimeDistributedOp.self, #"{"layer": {"class_name": "Dense", "config": {"units": 4}}}"#)
    #expect(dense.category == .kernel)
}

// MARK: - MultiHeadAttention

@Test func multiHeadCrossAttention() throws {
    // fixture multi_head_attention: heads 2, key_dim 4, value_dim 5, output_shape 7;
    // query (None, 6, 16), value (None, 9, 12), key (None, 9, 10) -> (None, 6, 7), 431 params.
    let m = try make("MultiHeadAttention", MultiHeadAttentionOp.self, #"{"num_heads": 2, "key_dim": 4, "value_dim": 5, "output_shape": 7, "attention_axes": null, "use_bias": true}"#)
    let ins = [seq(6, 16), seq(9, 12), seq(9, 10)]
    #expect(try m.outputShapes(ins) == [seq(6, 7)])
    let w = try m.weights(ins)
    #expect(w.map(\.name) == ["query/kernel", "query/bias", "key/kernel", "key/bias", "value/kernel", "value/bias",
                              "attention_output/kernel", "attention_output/bias"])
    #expect(shapes(w) == [[16, 2, 4], [2, 4], [10, 2, 4], [2, 4], [12, 2, 5], [2, 5], [2, 5, 7], [7]])
    #expect(params(w) == 431)
    // MACs: q 6·16·8 = 768, k 9·10·8 = 720, v 9·12·10 = 1080, scores 6·9·2·4 = 432,
    // combine 6·9·2·5 = 540, output 6·2·5·7 = 420: 3960.
    #expect(m.macs(ins, [seq(6, 7)]) == 3960)
}

@Test func multiHeadSelfAttentionNoBias() throws {
    // fixture: heads 3, key_dim 8, use_bias false, query = value (None, 6, 16) -> (None, 6, 16), 1536.
    let m = try make("MultiHeadAttention", MultiHeadAttentionOp.self, #"{"num_heads": 3, "key_dim": 8, "value_dim": 8, "use_bias": false, "output_shape": null}"#)
    let ins = [seq(6, 16), seq(6, 16)]
    #expect(try m.outputShapes(ins) == [seq(6, 16)])
    let w = try m.weights(ins)
    #expect(shapes(w) == [[16, 3, 8], [16, 3, 8], [16, 3, 8], [3, 8, 16]])
    #expect(params(w) == 1536)
}

@Test func multiHeadAttentionScores() throws {
    // fixture multi_head_attention_scores: heads 2, key_dim 3, query (None, 6, 8), value (None, 4, 8):
    // Keras 3 reports scores (None, 2, 6, 6) (query length twice), tf_keras (None, 2, 6, 4); 218 params.
    let json = #"{"num_heads": 2, "key_dim": 3, "attention_axes": [1], "return_attention_scores": true}"#
    let ins = [seq(6, 8), seq(4, 8)]
    let k3 = try make("MultiHeadAttention", MultiHeadAttentionOp.self, json)
    #expect(try k3.outputShapes(ins) == [seq(6, 8), TensorShape([nil, 2, 6, 6])])
    #expect(params(try k3.weights(ins)) == 218)
    let k2 = try make("MultiHeadAttention", MultiHeadAttentionOp.self, json, keras2: true)
    #expect(try k2.outputShapes(ins) == [seq(6, 8), TensorShape([nil, 2, 6, 4])])
}

@Test func multiHeadGateAndHigherRank() throws {
    // use_gate adds gate/kernel (dq, H, value_dim) and gate/bias between key and value.
    let g = try make("MultiHeadAttention", MultiHeadAttentionOp.self, #"{"num_heads": 2, "key_dim": 3, "value_dim": 5, "use_gate": true}"#)
    let names = try g.weights([seq(4, 6), seq(4, 6)]).map(\.name)
    #expect(names == ["query/kernel", "query/bias", "key/kernel", "key/bias", "gate/kernel", "gate/bias",
                      "value/kernel", "value/bias", "attention_output/kernel", "attention_output/bias"])
    // Rank 4 (images) attending over axis 2 only, output_shape [3, 2]: (None, 5, 7, 3, 2).
    let r = try make("MultiHeadAttention", MultiHeadAttentionOp.self, #"{"num_heads": 1, "key_dim": 2, "attention_axes": [2], "output_shape": [3, 2], "return_attention_scores": true}"#, keras2: true)
    let ins = [seq(5, 7, 4), seq(5, 9, 4)]
    // tf_keras scores: batch, non-attention axis (5), heads, query axis 2 (7), key axis 2 (9).
    #expect(try r.outputShapes(ins) == [seq(5, 7, 3, 2), TensorShape([nil, 5, 1, 7, 9])])
    #expect(shapes(try r.weights(ins)).last == [3, 2])
    #expect(shapes(try r.weights(ins))[6] == [1, 2, 3, 2])
}

@Test func multiHeadErrors() throws {
    let m = try make("MultiHeadAttention", MultiHeadAttentionOp.self, #"{"num_heads": 2, "key_dim": 4}"#)
    // value and key must agree on every axis but the last.
    #expect(throws: LayerError.self) { try m.outputShapes([seq(6, 16), seq(9, 12), seq(8, 12)]) }
    #expect(throws: LayerError.self) { try m.outputShapes([seq(6, 16)]) }
    #expect(throws: LayerError.self) { try m.outputShapes([seq(16), seq(16)]) }
    #expect(throws: LayerError.self) { try m.weights([TensorShape([nil, 6, nil]), seq(9, 12)]) }
    let axes = try make("MultiHeadAttention", MultiHeadAttentionOp.self, #"{"num_heads": 2, "key_dim": 4, "attention_axes": [5]}"#)
    #expect(throws: LayerError.self) { try axes.outputShapes([seq(6, 16), seq(6, 16)]) }
}

@Test(arguments: [
    (#"{"num_heads": 0, "key_dim": 4}"#, "num_heads"),
    (#"{"num_heads": 2, "key_dim": -4}"#, "key_dim"),
    (#"{"num_heads": 2, "key_dim": 4, "value_dim": 0}"#, "value_dim"),
    (#"{"num_heads": 2, "key_dim": 4, "output_shape": [0]}"#, "output_shape"),
    (#"{"key_dim": 4}"#, "num_heads"),
])
func multiHeadBadConfig(json: String, key: String) {
    let text = decodeError("MultiHeadAttention", MultiHeadAttentionOp.self, json)
    #expect(text.contains(key), "\(text)")
}

// MARK: - Attention, AdditiveAttention

@Test func dotProductAttention() throws {
    // query (None, 5, 4), value (None, 7, 3), key (None, 7, 4) -> (None, 5, 3); scores (None, 5, 7).
    let plain = try make("Attention", DotAttentionOp.self, #"{"use_scale": false, "score_mode": "dot", "dropout": 0.0}"#)
    let ins = [seq(5, 4), seq(7, 3), seq(7, 4)]
    #expect(try plain.outputShapes(ins) == [seq(5, 3)])
    #expect(try plain.weights(ins).isEmpty)
    // MACs: scores 5·7·4 = 140, sum 5·7·3 = 105.
    #expect(plain.macs(ins, [seq(5, 3)]) == 245)
    let scaled = try make("Attention", DotAttentionOp.self, #"{"use_scale": true, "score_mode": "concat", "return_attention_scores": true}"#)
    #expect(try scaled.outputShapes(ins) == [seq(5, 3), seq(5, 7)])
    let w = try scaled.weights(ins)
    #expect(w.map(\.name) == ["scale", "concat_score_weight"])
    #expect(shapes(w) == [[], []])
    #expect(params(w) == 2)
    #expect(throws: LayerError.self) { try plain.outputShapes([seq(5, 4)]) }
    #expect(decodeError("Attention", DotAttentionOp.self, #"{"score_mode": "cosine"}"#).contains("score_mode"))
}

@Test func additiveAttention() throws {
    // query (None, 5, 4), value (None, 7, 4): output (None, 5, 4), scale (4,).
    let a = try make("AdditiveAttention", AdditiveAttentionOp.self, #"{"use_scale": true, "dropout": 0.0}"#)
    let ins = [seq(5, 4), seq(7, 4)]
    #expect(try a.outputShapes(ins) == [seq(5, 4)])
    let w = try a.weights(ins)
    #expect(w.map(\.name) == ["scale"] && shapes(w) == [[4]])
    let noScale = try make("AdditiveAttention", AdditiveAttentionOp.self, #"{"use_scale": false}"#)
    #expect(try noScale.weights(ins).isEmpty)
}

// MARK: - ConvLSTM

@Test func convLSTM2DValidPadding() throws {
    // ConvLSTM2D(4, 3x3) on (None, 5, 10, 10, 3) -> (None, 8, 8, 4);
    // params 4·(3·3·(3+4)·4 + 4) = 1024: kernel (3,3,3,16), recurrent (3,3,4,16), bias (16,).
    let c = try make("ConvLSTM2D", ConvLSTMOp.self, #"{"filters": 4, "kernel_size": [3, 3], "padding": "valid", "data_format": "channels_last"}"#)
    let x = seq(5, 10, 10, 3)
    #expect(try c.outputShapes([x]) == [seq(8, 8, 4)])
    let w = try c.weights([x])
    #expect(w.map(\.name) == ["conv_lstm_cell/kernel", "conv_lstm_cell/recurrent_kernel", "conv_lstm_cell/bias"])
    #expect(shapes(w) == [[3, 3, 3, 16], [3, 3, 4, 16], [16]])
    #expect(params(w) == 1024)
    // MACs: 5 steps × 64 positions × 9 × (3 + 4) × 16 = 322560.
    #expect(c.macs([x], [seq(8, 8, 4)]) == 322_560)
    let seqs = try make("ConvLSTM2D", ConvLSTMOp.self, #"{"filters": 4, "kernel_size": 3, "return_sequences": true, "use_bias": false}"#)
    #expect(try seqs.outputShapes([x]) == [seq(5, 8, 8, 4)])
    #expect(params(try seqs.weights([x])) == 1008)
}

@Test func convLSTM2DChannelsFirstStridedState() throws {
    // channels_first, filters 2, 3x3, strides 2, same on (None, 4, 3, 9, 9): ceil(9/2) = 5,
    // state (None, 2, 5, 5); return_state -> [output, h, c].
    let c = try make("ConvLSTM2D", ConvLSTMOp.self, #"{"filters": 2, "kernel_size": 3, "strides": [2, 2], "padding": "same", "data_format": "channels_first", "return_state": true}"#)
    let x = seq(4, 3, 9, 9)
    #expect(try c.outputShapes([x]) == [seq(2, 5, 5), seq(2, 5, 5), seq(2, 5, 5)])
    #expect(shapes(try c.weights([x])).first == [3, 3, 3, 8])
}

@Test func convLSTM1DAnd3D() throws {
    // ConvLSTM1D(2, 3, dilation 2) on (None, 6, 10, 1): effective kernel 5, 10 - 5 + 1 = 6.
    let a = try make("ConvLSTM1D", ConvLSTMOp.self, #"{"filters": 2, "kernel_size": [3], "dilation_rate": [2]}"#)
    #expect(try a.outputShapes([seq(6, 10, 1)]) == [seq(6, 2)])
    #expect(shapes(try a.weights([seq(6, 10, 1)])) == [[3, 1, 8], [3, 2, 8], [8]])
    // ConvLSTM3D(1, (1, 2, 2)) on (None, 2, 3, 4, 4, 2) -> (None, 3, 3, 3, 1).
    let b = try make("ConvLSTM3D", ConvLSTMOp.self, #"{"filters": 1, "kernel_size": [1, 2, 2]}"#)
    #expect(try b.outputShapes([seq(2, 3, 4, 4, 2)]) == [seq(3, 3, 3, 1)])
    #expect(shapes(try b.weights([seq(2, 3, 4, 4, 2)])) == [[1, 2, 2, 2, 4], [1, 2, 2, 1, 4], [4]])
}

@Test func convLSTMErrors() throws {
    let c = try make("ConvLSTM2D", ConvLSTMOp.self, #"{"filters": 2, "kernel_size": 5}"#)
    #expect(throws: LayerError.self) { try c.outputShapes([seq(3, 4, 4, 1)]) }
    #expect(throws: LayerError.self) { try c.outputShapes([seq(8, 8, 1)]) }
    #expect(throws: LayerError.self) { try c.weights([TensorShape([nil, 3, nil, 8, 1])]) }
    #expect(decodeError("ConvLSTM2D", ConvLSTMOp.self, #"{"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2}"#).contains("strides"))
    #expect(decodeError("ConvLSTM2D", ConvLSTMOp.self, #"{"filters": 0, "kernel_size": 3}"#).contains("filters"))
    #expect(decodeError("ConvLSTM2D", ConvLSTMOp.self, #"{"filters": 2, "kernel_size": [3, 3, 3]}"#).contains("kernel_size"))
    #expect(decodeError("ConvLSTM2D", ConvLSTMOp.self, #"{"filters": 2, "kernel_size": 3, "padding": "causal"}"#).contains("padding"))
}

// MARK: - Catalog

@Test(arguments: ["Embedding", "SimpleRNN", "LSTM", "GRU", "Bidirectional", "TimeDistributed", "RNN",
                  "MultiHeadAttention", "Attention", "AdditiveAttention", "ConvLSTM1D", "ConvLSTM2D",
                  "ConvLSTM3D", "keras.layers.LSTM"])
func catalogKnowsRecurrentAndAttention(name: String) {
    #expect(LayerCatalog.kind(named: name) != nil)
}

@Test func wrappedLayerDefaultNames() {
    #expect(WrappedLayer.defaultName("SimpleRNN") == "simple_rnn")
    #expect(WrappedLayer.defaultName("LSTM") == "lstm")
    #expect(WrappedLayer.defaultName("Conv2D") == "conv2d")
    #expect(WrappedLayer.defaultName("Conv2DTranspose") == "conv2d_transpose")
    #expect(WrappedLayer.defaultName("MultiHeadAttention") == "multi_head_attention")
}
