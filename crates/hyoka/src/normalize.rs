//! Text normalization.
