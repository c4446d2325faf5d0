/// The fraction of values a dropout-style pass-through drops in training, in [0, 1]: a
/// namespace the readers extend with their format's checks (the operator itself is a
/// `PassthroughOp`, which needs no rate at inference).
public enum DropoutRate {
}
