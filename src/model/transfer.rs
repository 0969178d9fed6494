//! Import and export of the register as spreadsheets (建档立卡 templates): the columns, how a cell
//! is read, and the report a dry run gives. Shared with the WASM page, which lists the columns and
//! shows the report in the user's language.
mod cells;
mod columns;
mod report;
pub use cells::*;
pub use columns::*;
pub use report::*;

#[cfg(test)]
mod tests;
