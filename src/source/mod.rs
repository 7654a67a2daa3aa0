//! One module per log source, each turning its lines into the normalized
//! model. Only HashiCorp Vault's file audit device so far.

pub mod lenient;
pub mod vault;
