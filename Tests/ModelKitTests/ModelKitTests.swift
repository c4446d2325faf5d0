// Format-neutral tests of ModelKit (graphs built by hand, no reader) belong here; the layer
// tests moved to KerasFormatTests because they decode Keras configs. SwiftPM refuses a test
// target without a source file, so this file keeps `ModelKitTests` buildable until it holds
// tests of its own.
import ModelKit
