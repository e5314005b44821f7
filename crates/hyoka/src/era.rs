//! Japanese era years.
