/// The `rate` argument of the dropout layers (`Dropout`, `SpatialDropout1D/2D/3D`,
/// `GaussianDropout`, `AlphaDropout`): required, a fraction in [0, 1]
/// (keras/src/layers/regularization/dropout.py and its siblings check it the same way).
public enum DropoutRate {
}
