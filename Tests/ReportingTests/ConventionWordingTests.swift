import Foundation
import Testing
import KerasFormat
import ModelKit
@testable import Reporting

/// The report's words about a format come from its reader's conventions and its branches
/// from operator families and the graph, never from Keras class names: the same figures
/// under another format's conventions print that format's words and no Keras sentence.
@Suite struct ConventionWordingTests {
    /// A made-up format's conventions, every sentence different from Keras's.
    static let acme = CountingConventions(
        formatName: "Acme", layerCountLabel: "Acme nodes (entries of the node list)",
        layerCountDefinition: "Acme nodes: the entries of the node list",
        layerTermNote: "An Acme node is one operation.", unlistedInputNote: "Acme keeps its inputs apart",
        parameterNote: "Parameters are the elements of every float tensor Acme stores.",
        parameterShortNote: "Acme's count: every float tensor", nonTrainableNote: "Acme marks none trainable",
        batchNormalizationNote: nil, batchNormalizationComparison: nil, unknownDimension: "?")

    static func seedAsAcme() throws -> ReportDocument {
        var doc = try MarkdownReportTests.seed()
        doc.analysis.source.conventions = acme
        doc.analysis.source.formatVersion = "7.1"
        return doc
    }

    /// Keras sentences the report printed as literals before the reader supplied them.
    static let kerasSentences = ["Keras layers", "Keras's count", "Keras lists", "A Keras \"layer\"", "Keras counts",
                                 "Keras keeps 4 numbers", "Parameters are counted as Keras counts them", "Keras 3"]

    @Test func everyRendererUsesTheReadersWords() throws {
        let doc = try Self.seedAsAcme()
        let terminal = SummaryText.render(doc)
        let markdown = try MarkdownReport.render(doc, templatesFolder: nil)
        let m = PagesFixtures.measurer
        let pages = SummaryPage.layout(doc, measurer: m).flatMap(\.texts).joined(separator: " ")
        let note = LayerTablePages.conventionNote(doc.analysis)
        let caption = ParameterChart.caption(doc.analysis, bars: ParameterChart.bars(doc.analysis), limit: ParameterChart.defaultLimit)
        for (name, text) in [("summary", terminal), ("markdown", markdown), ("summary page", pages), ("table note", note), ("chart caption", caption)] {
            for sentence in Self.kerasSentences {
                #expect(!text.contains(sentence), "\(name) still says \"\(sentence)\"")
            }
        }
        #expect(terminal.contains("   30  Acme nodes (entries of the node list)"))
        #expect(terminal.contains("keras3, Acme 7.1]"))
        #expect(terminal.contains("Acme lists 30 layers for this model. An Acme node is one operation. Only 17"))
        #expect(markdown.contains("Acme nodes: the entries of the node list"))
        #expect(SummaryPage.layerCounts(doc.analysis).first?.definition == "Acme nodes (entries of the node list)")
        let figures = SummaryPage.figures(doc)
        #expect(figures.first { $0.label == "Parameters" }?.note == "Acme's count: every float tensor")
        #expect(figures.first { $0.label == "Non-trainable" }?.note == "Acme marks none trainable")
        #expect(note.hasPrefix("Parameters are the elements of every float tensor Acme stores. MACs are"))
        #expect(caption.hasSuffix("parameters (Acme's count)."))
        // No batch-normalization sentence of Acme's: no such paragraph, though the model has 7.
        #expect(!Explanation.paragraphs(doc.analysis).contains { $0.contains("the 7 BatchNormalization layers hold") })
    }

    /// The Keras reader's words are exactly the ones the report printed before.
    @Test func kerasWordsAreTheReaders() throws {
        let doc = try MarkdownReportTests.seed()
        #expect(doc.analysis.source.conventions == .keras)
        let p = Explanation.paragraphs(doc.analysis)
        #expect(p[0].hasPrefix("Keras lists 30 layers for this model. A Keras \"layer\" is any step of the computation"))
        #expect(p[2].contains("so Keras counts them as non-trainable. Here the 7 BatchNormalization layers hold 480 trainable and 480 non-trainable parameters, which is every non-trainable parameter of the model. Tools that follow PyTorch's convention"))
    }

    /// "Does not list its input" follows the graph (an input that is not a listed row), not
    /// the model's class.
    @Test func unlistedInputFollowsTheGraph() throws {
        let sequential = try PagesFixtures.analysis("reference/case_seq_with_input/model.json")
        #expect(sequential.modelClass == "Sequential")
        let note = "(a Sequential model does not list its input)"
        #expect(Explanation.paragraphs(sequential)[0].contains(note))
        var renamed = sequential
        renamed.modelClass = "Functional"
        #expect(Explanation.paragraphs(renamed)[0].contains(note), "the class name does not decide")

        var seed = try PagesFixtures.analysis(PagesFixtures.seed)
        #expect(!Explanation.paragraphs(seed)[0].contains(note))
        seed.modelClass = "Sequential"
        #expect(!Explanation.paragraphs(seed)[0].contains(note), "a listed input is not said to be missing")
        seed.rows.removeFirst()  // the input layer's row
        #expect(Explanation.paragraphs(seed)[0].contains(note))
    }

    /// A model that reads raw text says so, naming the layer that turns text into numbers
    /// and its output; a model of numbers does not.
    @Test func rawTextInputIsExplained() throws {
        let text = try PagesFixtures.analysis("execution/text/text_vectorization_default/model.keras")
        let said = Explanation.paragraphs(text).joined(separator: " ")
        #expect(said.contains("The model reads raw text: text_vectorization (TextVectorization, to (None, 7)) turns each text into numbers"), "\(said)")
        let seed = try PagesFixtures.analysis(PagesFixtures.seed)
        #expect(!Explanation.paragraphs(seed).joined(separator: " ").contains("raw text"))
    }

    /// Merges are described by operator family, named by their class as the file names it.
    @Test func mergeRolesFollowTheOperator() throws {
        var a = try PagesFixtures.analysis(PagesFixtures.seed)
        #expect(Explanation.paragraphs(a).contains { $0.contains("an Add sums branches of the same shape") })
        for i in a.merges.indices { a.merges[i].className = "Sum" }
        let renamed = Explanation.paragraphs(a).joined(separator: " ")
        #expect(renamed.contains("a Sum sums branches of the same shape"), "\(renamed)")
        for i in a.merges.indices { a.merges[i].op = "maximum" }
        #expect(!Explanation.paragraphs(a).joined(separator: " ").contains("sums branches"))
    }

    /// Batch normalization is found by its operator family, whatever its class is called.
    @Test func batchNormalizationFollowsTheOperator() throws {
        var a = try PagesFixtures.analysis(PagesFixtures.seed)
        for i in a.rows.indices where a.rows[i].op == "batch_normalization" { a.rows[i].className = "SyncBatchNormalization" }
        #expect(Explanation.paragraphs(a).contains { $0.contains("Here the 7 SyncBatchNormalization layers hold 480 trainable") })
        for i in a.rows.indices where a.rows[i].op == "batch_normalization" { a.rows[i].op = "layer_normalization" }
        #expect(!Explanation.paragraphs(a).contains { $0.contains("layers hold 480 trainable") })
    }
}
