/// A layout engine gave back something the diagram cannot use.
struct DiagramLayoutError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
