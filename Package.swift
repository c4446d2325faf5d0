// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Strata",
    products: [
        .executable(name: "strata", targets: ["strata"]),
        .executable(name: "strata-bench", targets: ["StrataBench"]),
        .executable(name: "strata-libfuzz", targets: ["StrataLibFuzz"]),
        .library(name: "ModelKit", targets: ["ModelKit"]),
        .library(name: "Execution", targets: ["Execution"]),
        .library(name: "KerasFormat", targets: ["KerasFormat"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CHDF5",
            pkgConfig: "hdf5",
            providers: [.apt(["libhdf5-dev"])]
        ),
        .systemLibrary(
            name: "CCairo",
            pkgConfig: "pangocairo",
            providers: [.apt(["libcairo2-dev", "libpango1.0-dev"])]
        ),
        .systemLibrary(
            name: "CGraphviz",
            pkgConfig: "libgvc",
            providers: [.apt(["libgraphviz-dev"])]
        ),
        .systemLibrary(name: "CLinux"),
        .systemLibrary(name: "CLibFuzzer"),
        .systemLibrary(name: "CDNNL"),
        .target(name: "CGuard"),
        .target(name: "Tensors"),
        .target(name: "Kernels", dependencies: ["Tensors", "CDNNL"]),
        .target(name: "ModelKit", dependencies: ["Tensors", "CGuard"]),
        .target(name: "Execution", dependencies: ["ModelKit", "Kernels"]),
        .target(
            name: "KerasFormat",
            dependencies: ["ModelKit", "Tensors", "CHDF5", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .target(name: "ONNXFormat", dependencies: ["ModelKit", .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        .target(name: "Reporting", dependencies: ["ModelKit", .product(name: "Mustache", package: "swift-mustache")]),
        .target(name: "History", dependencies: ["ModelKit", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "CairoRendering", dependencies: ["Reporting", "CCairo"]),
        .target(name: "GraphvizLayout", dependencies: ["Reporting", "CGraphviz"]),
        .target(
            name: "StrataCLI",
            dependencies: [
                "ModelKit", "Execution", "KerasFormat", "ONNXFormat", "Reporting", "CairoRendering", "GraphvizLayout", "History", "CLinux", "CGuard",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(name: "strata", dependencies: ["StrataCLI"]),
        .executableTarget(name: "StrataLibFuzz", dependencies: ["KerasFormat", "ONNXFormat", "ModelKit", "Execution", "CLibFuzzer"], path: "Sources/StrataLibFuzz"),
        .executableTarget(name: "StrataBench", dependencies: ["KerasFormat", "ONNXFormat", "ModelKit", "Execution"], path: "Sources/StrataBench"),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors"]),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels", "Tensors"]),
        .testTarget(name: "ExecutionTests", dependencies: ["Execution", "ModelKit", "Kernels"]),
        .testTarget(name: "ModelKitTests", dependencies: ["ModelKit"]),
        .testTarget(name: "KerasFormatTests", dependencies: ["KerasFormat", "ModelKit", "Execution", "Kernels", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "ONNXFormatTests", dependencies: ["ONNXFormat", "ModelKit", "Reporting", "Execution", "Kernels", "Tensors"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "KerasFormat", "ModelKit"], exclude: ["Goldens"]),
        .testTarget(name: "CairoRenderingTests", dependencies: ["CairoRendering", "Reporting", "KerasFormat", "ModelKit"]),
        .testTarget(name: "GraphvizLayoutTests", dependencies: ["GraphvizLayout", "Reporting", "KerasFormat", "ModelKit"]),
        .testTarget(name: "HistoryTests", dependencies: ["History", "ModelKit"]),
        .testTarget(name: "StrataCLITests", dependencies: ["StrataCLI", "KerasFormat", "ONNXFormat", "ModelKit", "Execution", "Kernels", "Reporting", "CairoRendering", "GraphvizLayout", "History", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
    ]
)
