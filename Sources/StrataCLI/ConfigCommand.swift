import ArgumentParser
import ModelKit

/// `strata config [--config FILE]`: prints the effective configuration as YAML.
struct ConfigCommand: OutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the effective configuration of the nightly batch as YAML, every key with its value.",
        discussion: """
        Reads --config FILE, or config/strata.yml when it exists (the defaults when it does not). \
        Exit codes: 0 printed; 2 usage or configuration error.
        """
    )

    @Option(name: .customLong("config"), help: ArgumentHelp("The configuration file (default: \(StrataConfig.defaultPath)).", valueName: "file"))
    var configFile: String?

    var sink: OutputSink = .standard

    enum CodingKeys: String, CodingKey { case configFile }

    func execute() throws {
        let config: StrataConfig
        do {
            config = try ConfigLoader.load(path: configFile)
        } catch let e as StrataError {
            throw CommandFailure("strata: error: \(e)", code: 2)
        }
        sink.out(ConfigPrinter.yaml(config))
    }
}
