//! Spreadsheets in and out: reading an uploaded file whatever Excel or WPS saved it as, the
//! import (dry run, then one transaction), the export of a filtered household list, and the
//! uploads waiting for their confirmation.
pub mod export;
pub mod http;
pub mod import;
pub mod jobs;
pub mod read;

pub use read::{Table, read_table};
