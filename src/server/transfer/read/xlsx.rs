//! Reading an XLSX upload with its declared sizes checked before anything is inflated.
use super::*;

/// What a workbook may declare it unpacks to, in all and relative to its own size.
pub const MAX_UNPACKED: u64 = 512 * 1024 * 1024;

pub const MAX_UNPACK_RATIO: u64 = 200;

/// Checks what a ZIP declares it unpacks to before any part of it is inflated.
pub(super) fn check_unpacked(bytes: &[u8]) -> Result<(), &'static str> {
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| "file_unreadable")?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|_| "file_unreadable")?;
        total = total.saturating_add(entry.size());
    }
    let cap = MAX_UNPACKED.min((bytes.len() as u64).saturating_mul(MAX_UNPACK_RATIO));
    if total > cap.max(4 * 1024 * 1024) {
        return Err("file_too_large");
    }
    Ok(())
}

/// Cells of a workbook, relative to its size: a real register has about one cell per four
/// bytes of XLSX (Wugang's: 3.75 million cells in 16.5 MB).
pub(super) fn xlsx_max_cells(len: usize) -> usize {
    MAX_CELLS.min(len + 100_000)
}

/// Text a workbook's cells may hold in all (Wugang's register: about twice the file).
pub(super) fn xlsx_max_text(len: usize) -> usize {
    4 * len + (1 << 20)
}

/// Shared strings a workbook may hold, relative to its size (a register of unique names and
/// IDs has about one per 6 bytes of file). calamine reserves room for as many
/// as the file's `uniqueCount` claims before reading one, so the claim is checked too.
pub(super) fn xlsx_max_strings(len: usize) -> usize {
    (len / 4).max(4096)
}

/// Counts the shared strings (and reads the `uniqueCount` claim) of a workbook by inflating its
/// `sharedStrings.xml` as a stream, in constant memory, before calamine loads them.
pub(super) fn check_shared_strings(bytes: &[u8]) -> Result<(), &'static str> {
    use std::io::Read;
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| "file_unreadable")?;
    let index = (0..zip.len()).find(|&i| {
        zip.name_for_index(i)
            .and_then(Result::ok)
            .is_some_and(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"))
    });
    let Some(index) = index else {
        return Ok(());
    };
    let cap = xlsx_max_strings(bytes.len());
    let mut entry = zip.by_index(index).map_err(|_| "file_unreadable")?;
    const CARRY: usize = 64;
    let mut window = vec![0u8; CARRY + 64 * 1024];
    let (mut kept, mut strings) = (0usize, 0usize);
    loop {
        let n = entry
            .read(&mut window[kept..])
            .map_err(|_| "file_unreadable")?;
        if n == 0 {
            return Ok(());
        }
        let len = kept + n;
        let seen = &window[..len];
        strings += count(seen, b"<si>") + count(seen, b"<si ") + count(seen, b":si>");
        if strings > cap || claimed_count(seen).is_some_and(|c| c > cap) {
            return Err("file_too_large");
        }
        // Keep the tail: a tag or the claim may straddle two reads.
        let tail = len.min(CARRY);
        window.copy_within(len - tail..len, 0);
        kept = tail;
    }
}

pub(super) fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

/// The largest number written as `uniqueCount="N"` in `hay`.
pub(super) fn claimed_count(hay: &[u8]) -> Option<usize> {
    const ATTR: &[u8] = b"uniqueCount";
    let mut best = None;
    let mut at = 0;
    while let Some(i) = hay[at..].windows(ATTR.len()).position(|w| w == ATTR) {
        let rest = &hay[at + i + ATTR.len()..];
        let digits: Vec<u8> = rest
            .iter()
            .skip_while(|b| matches!(b, b'=' | b'"' | b'\'' | b' '))
            .take_while(|b| b.is_ascii_digit())
            .copied()
            .collect();
        let n = if digits.len() > 18 {
            usize::MAX
        } else {
            std::str::from_utf8(&digits).ok()?.parse().unwrap_or(0)
        };
        best = Some(best.map_or(n, |b: usize| b.max(n)));
        at += i + ATTR.len();
    }
    best
}

pub(super) fn read_xlsx(bytes: &[u8]) -> Result<Table, &'static str> {
    use calamine::{DataRef, Reader, Xlsx};
    check_unpacked(bytes)?;
    check_shared_strings(bytes)?;
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|_| "file_format")?;
    let sheet = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or("file_no_sheet")?;
    let mut cells = book
        .worksheet_cells_reader(&sheet)
        .map_err(|_| "file_unreadable")?;
    let mut b = Builder::new("XLSX", 0, 0, 0)
        .capped(xlsx_max_cells(bytes.len()), xlsx_max_text(bytes.len()));
    // The row being collected: its number and its cells so far (column-indexed, gaps empty).
    let mut row_no: Option<u32> = None;
    let mut current: Vec<String> = Vec::new();
    let mut count = 0usize;
    while let Some(cell) = cells.next_cell().map_err(|_| "file_unreadable")? {
        count += 1;
        if count > xlsx_max_cells(bytes.len()) {
            return Err("file_too_many_cells");
        }
        let (r, c) = cell.get_position();
        let number = r.saturating_add(1);
        if number as usize > MAX_LINES {
            return Err("file_too_many_rows");
        }
        if c as usize >= MAX_COLS {
            continue;
        }
        match row_no {
            Some(n) if n == number => {}
            Some(n) if n > number => return Err("file_unreadable"),
            Some(n) => {
                b.row(n, current.iter().map(String::as_str))?;
                current.clear();
                row_no = Some(number);
            }
            None => row_no = Some(number),
        }
        let c = c as usize;
        if c < current.len() {
            return Err("file_unreadable");
        }
        current.resize(c, String::new());
        current.push(match cell.get_value() {
            DataRef::Empty | DataRef::Error(_) => String::new(),
            DataRef::String(s) => s.clone(),
            DataRef::SharedString(s) => (*s).to_string(),
            DataRef::Int(i) => i.to_string(),
            // Numbers typed into General cells: whole numbers without ".0".
            DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            DataRef::Float(f) => f.to_string(),
            DataRef::Bool(v) => if *v { "是" } else { "否" }.to_string(),
            DataRef::DateTime(d) => d
                .as_datetime()
                .map(|dt| dt.date().to_string())
                .unwrap_or_default(),
            DataRef::DateTimeIso(s) => s.chars().take(10).collect(),
            DataRef::DurationIso(s) => s.clone(),
        });
    }
    if let Some(n) = row_no {
        b.row(n, current.iter().map(String::as_str))?;
    }
    let mut table = b.table;
    table.text.shrink_to_fit();
    table.ends.shrink_to_fit();
    table.rows.shrink_to_fit();
    Ok(table)
}
