//! Reading an uploaded register file into a compact table, within stated bounds.
//!
//! Every upload is hostile until read: a 1.6 KB workbook can name cell XFD1048576, a 95 MB CSV
//! can be nothing but commas, a small ZIP can unpack to gigabytes. So the reader
//! - keeps at most [`MAX_COLS`] columns of a row and at most [`MAX_LINES`] lines and [`MAX_CELLS`]
//!   cells of a file, refusing the file as soon as a bound is passed (never after reading it all);
//! - never builds a dense grid: cells are kept in one text buffer with 4-byte offsets, blank rows
//!   cost nothing, so the table stays below ten times the file's size (`tests/it/hostile.rs`
//!   measures it with a counting allocator);
//! - reads workbooks as a stream of cells (XLSX only: calamine's XLS and ODS readers build the
//!   whole grid in memory, so those formats are refused with a request to save as XLSX or CSV),
//!   after checking the sizes the ZIP declares for what it would unpack.
//!
//! Callers run it on a blocking thread (`tokio::task::spawn_blocking`), never on the async workers.

mod xlsx;
pub use xlsx::*;

/// Columns kept per row (the template has 39; the rest would be ignored anyway).
pub const MAX_COLS: usize = 64;
/// Lines of a file, blank ones included: the data rows accepted plus the header.
pub const MAX_LINES: usize = crate::model::transfer::MAX_ROWS + 1;
/// Cells of a file, counted up to the last non-empty cell of each row.
pub const MAX_CELLS: usize = 12_000_000;
/// Fields of one CSV record, empty ones included (the csv reader keeps a record's field bounds
/// in memory, tens of bytes each): a register row has about 40.
pub const MAX_FIELDS: usize = 4096;

/// A sheet as rows of cell texts. Rows are numbered as in the spreadsheet (the header is row 1);
/// blank rows are not stored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// What the file was read as: `UTF-8`, `GB18030` (covers GBK and GB2312), `UTF-16` or `XLSX`.
    pub format: &'static str,
    /// Every kept cell's text, one after the other.
    text: String,
    /// End offset in `text` of each cell.
    ends: Vec<u32>,
    /// (row number, index in `ends` of the row's first cell), in row order.
    rows: Vec<(u32, u32)>,
}

impl Table {
    /// Number of the last row (0 for an empty table).
    pub fn last_row(&self) -> u32 {
        self.rows.last().map_or(0, |r| r.0)
    }

    /// Numbers of the stored (non-blank) rows, in order.
    pub fn row_numbers(&self) -> impl Iterator<Item = u32> + '_ {
        self.rows.iter().map(|r| r.0)
    }

    /// The cells of row `number` (empty when the row is blank or past the end).
    pub fn row(&self, number: u32) -> Vec<&str> {
        match self.rows.binary_search_by_key(&number, |r| r.0) {
            Ok(i) => (self.first(i)..self.first(i + 1))
                .map(|c| self.text_of(c))
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    /// The text of the cell at `col` (0-based) of row `number`; "" when there is none.
    pub fn cell(&self, number: u32, col: usize) -> &str {
        let Ok(i) = self.rows.binary_search_by_key(&number, |r| r.0) else {
            return "";
        };
        let c = self.first(i) + col;
        if c < self.first(i + 1) {
            self.text_of(c)
        } else {
            ""
        }
    }

    /// Every stored row with its number.
    pub fn lines(&self) -> Vec<(u32, Vec<&str>)> {
        self.row_numbers().map(|n| (n, self.row(n))).collect()
    }

    fn first(&self, row_index: usize) -> usize {
        self.rows
            .get(row_index)
            .map_or(self.ends.len(), |r| r.1 as usize)
    }

    fn text_of(&self, cell: usize) -> &str {
        let start = if cell == 0 {
            0
        } else {
            self.ends[cell - 1] as usize
        };
        self.text.get(start..self.ends[cell] as usize).unwrap_or("")
    }

    /// Builds a table from rows of cells (tests and small callers).
    pub fn from_rows<S: AsRef<str>>(
        format: &'static str,
        rows: &[Vec<S>],
    ) -> Result<Self, &'static str> {
        let mut b = Builder::new(format, 0, 0, 0);
        for (i, row) in rows.iter().enumerate() {
            b.row((i + 1) as u32, row.iter().map(|c| c.as_ref()))?;
        }
        Ok(b.table)
    }
}

/// Fills a [`Table`] row by row, enforcing the bounds.
struct Builder {
    table: Table,
    max_cells: usize,
    max_text: usize,
}

impl Builder {
    fn new(format: &'static str, rows: usize, cells: usize, text: usize) -> Self {
        Builder {
            table: Table {
                format,
                text: String::with_capacity(text),
                ends: Vec::with_capacity(cells),
                rows: Vec::with_capacity(rows),
            },
            max_cells: MAX_CELLS,
            max_text: u32::MAX as usize / 2,
        }
    }

    /// Tighter caps (a workbook's shared strings can repeat one long text in every cell).
    fn capped(mut self, max_cells: usize, max_text: usize) -> Self {
        self.max_cells = self.max_cells.min(max_cells);
        self.max_text = self.max_text.min(max_text);
        self
    }

    /// Adds row `number` (ascending). Cells are trimmed; trailing empty cells are dropped and a
    /// blank row is not stored at all.
    fn row<'a>(
        &mut self,
        number: u32,
        cells: impl Iterator<Item = &'a str>,
    ) -> Result<(), &'static str> {
        if number as usize > MAX_LINES {
            return Err("file_too_many_rows");
        }
        let t = &mut self.table;
        let first = t.ends.len();
        let mut kept = first;
        for cell in cells.take(MAX_COLS) {
            let cell = cell.trim();
            // An export's guard against formulas (`'=…`, see `export::inert_cell`) comes off.
            let cell = match cell.strip_prefix('\'') {
                Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
                _ => cell,
            };
            t.text.push_str(cell);
            t.ends.push(t.text.len() as u32);
            if !cell.is_empty() {
                kept = t.ends.len();
            }
            if t.ends.len() > self.max_cells {
                return Err("file_too_many_cells");
            }
            if t.text.len() > self.max_text {
                return Err("file_too_large");
            }
        }
        t.ends.truncate(kept);
        let end = t.ends.last().copied().unwrap_or(0) as usize;
        t.text.truncate(end);
        if kept > first {
            t.rows.push((number, first as u32));
        }
        Ok(())
    }
}

/// Reads an uploaded file: an Excel/WPS workbook saved as XLSX (first sheet), or CSV in UTF-8
/// (with or without BOM), UTF-16 with BOM or GB18030/GBK — the encoding is detected, not asked.
/// A tab-separated text ("Unicode text" from Excel) is read too. Refusals are message codes.
pub fn read_table(bytes: &[u8]) -> Result<Table, &'static str> {
    if bytes.is_empty() {
        return Err("file_empty");
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return read_xlsx(bytes);
    }
    // OLE2 (.xls, old WPS .et): calamine reads it into a dense grid; ask for XLSX or CSV instead.
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err("file_format");
    }
    let text = decode_text(bytes)?;
    read_delimited(text.as_ref().0, text.as_ref().1)
}

/// Text of a CSV file, borrowed when it is UTF-8 already.
enum Text<'a> {
    Borrowed(&'a str, &'static str),
    Owned(String, &'static str),
}

impl Text<'_> {
    fn as_ref(&self) -> (&str, &'static str) {
        match self {
            Text::Borrowed(s, f) => (s, f),
            Text::Owned(s, f) => (s.as_str(), f),
        }
    }
}

/// UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), UTF-16 with its BOM, otherwise
/// GB18030, the superset of GBK and GB2312 that Chinese Excel saves CSV in. Anything else is refused.
fn decode_text(bytes: &[u8]) -> Result<Text<'_>, &'static str> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(body) {
        return Ok(Text::Borrowed(text, "UTF-8"));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let enc = if bytes[0] == 0xFF {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        let (text, _, bad) = enc.decode(bytes);
        return if bad {
            Err("file_encoding")
        } else {
            Ok(Text::Owned(text.into_owned(), "UTF-16"))
        };
    }
    let (text, bad) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if bad {
        return Err("file_encoding");
    }
    Ok(Text::Owned(text.into_owned(), "GB18030"))
}

/// Reads CSV (or tab-separated) text in two passes: the first counts rows, cells and text within
/// the bounds, the second fills buffers of exactly that size (no doubling growth).
fn read_delimited(text: &str, format: &'static str) -> Result<Table, &'static str> {
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') {
        b'\t'
    } else {
        b','
    };
    let reader = || {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes())
    };
    if widest_record(text.as_bytes(), delimiter) > MAX_FIELDS {
        return Err("file_row_too_wide");
    }
    let mut record = csv::StringRecord::new();
    let (mut rows, mut cells, mut chars) = (0usize, 0usize, 0usize);
    let mut numbers = RowNumbers::new(text.as_bytes());
    let mut r = reader();
    while r.read_record(&mut record).map_err(|_| "file_unreadable")? {
        if numbers.next(&record) as usize > MAX_LINES {
            return Err("file_too_many_rows");
        }
        let kept = record.iter().take(MAX_COLS).map(str::trim);
        if let Some(last) = kept
            .clone()
            .enumerate()
            .filter(|(_, c)| !c.is_empty())
            .map(|(i, _)| i)
            .last()
        {
            rows += 1;
            cells += last + 1;
            chars += kept.take(last + 1).map(str::len).sum::<usize>();
            if cells > MAX_CELLS {
                return Err("file_too_many_cells");
            }
        }
    }
    let mut b = Builder::new(format, rows, cells, chars);
    let mut numbers = RowNumbers::new(text.as_bytes());
    let mut r = reader();
    while r.read_record(&mut record).map_err(|_| "file_unreadable")? {
        b.row(numbers.next(&record), record.iter())?;
    }
    Ok(b.table)
}

/// The most fields any record has, counted with csv-core alone (no record is kept), stopping as
/// soon as one passes [`MAX_FIELDS`].
fn widest_record(text: &[u8], delimiter: u8) -> usize {
    use csv_core::ReadFieldResult;
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut scratch = [0u8; 4096];
    let (mut input, mut fields, mut widest) = (text, 0usize, 0usize);
    loop {
        let (result, read, _) = reader.read_field(input, &mut scratch);
        input = &input[read..];
        match result {
            ReadFieldResult::InputEmpty | ReadFieldResult::OutputFull => {}
            ReadFieldResult::Field { record_end } => {
                fields += 1;
                widest = widest.max(fields);
                if widest > MAX_FIELDS {
                    return widest;
                }
                if record_end {
                    fields = 0;
                }
            }
            ReadFieldResult::End => return widest,
        }
    }
}

/// Spreadsheet row numbers of CSV records: the csv reader skips blank lines, which a spreadsheet
/// shows as rows, and a quoted cell may hold line breaks, which it does not. A record's position
/// is where the reader began looking for it, before the blank lines it skipped (only `\r` and
/// `\n`), so those are stepped over here and every line break before the record is counted.
struct RowNumbers<'a> {
    text: &'a [u8],
    cursor: usize,
    newlines: u64,
    breaks: u64,
    index: u32,
}

impl<'a> RowNumbers<'a> {
    fn new(text: &'a [u8]) -> Self {
        RowNumbers {
            text,
            cursor: 0,
            newlines: 0,
            breaks: 0,
            index: 0,
        }
    }

    fn next(&mut self, record: &csv::StringRecord) -> u32 {
        self.index += 1;
        let Some(pos) = record.position() else {
            return self.index;
        };
        let mut start = (pos.byte() as usize).min(self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.cursor {
            self.newlines += self.text[self.cursor..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.cursor = start;
        }
        let number = (1 + self.newlines.saturating_sub(self.breaks)).min(u32::MAX as u64) as u32;
        self.breaks += record
            .iter()
            .map(|f| f.matches('\n').count() as u64)
            .sum::<u64>();
        number.max(self.index)
    }
}

#[cfg(test)]
mod tests;
