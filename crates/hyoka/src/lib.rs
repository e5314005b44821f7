//! hyoka
pub mod era;
pub mod normalize;
