//! Spreadsheets in and out: reading an uploaded file whatever Excel or WPS saved it as, the
//! import (dry run, then one transaction), the export of a filtered household list, and the
//! uploads waiting for their confirmation.
pub mod export;
pub mod http;
pub mod import;
pub mod jobs;

/// A sheet as rows of cell texts; row 0 is the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// What the file was read as: `UTF-8`, `GB18030` (covers GBK and GB2312) or `XLSX`/`XLS`/`ODS`.
    pub format: &'static str,
    pub rows: Vec<Vec<String>>,
}

/// Reads an uploaded file: an Excel/WPS/LibreOffice workbook (first sheet), or CSV in UTF-8
/// (with or without BOM) or GB18030/GBK — the encoding is detected, not asked. A tab-separated
/// text ("Unicode text" from Excel saved as UTF-8) is read too. Refusals are message codes.
pub fn read_table(bytes: &[u8]) -> Result<Table, &'static str> {
    if bytes.is_empty() {
        return Err("file_empty");
    }
    // ZIP (xlsx, ods) or OLE2 (xls) signatures.
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return read_workbook(bytes);
    }
    let (text, format) = decode_text(bytes)?;
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| "file_unreadable")?;
        rows.push(record.iter().map(|c| c.trim().to_string()).collect());
    }
    Ok(Table { format, rows })
}

/// UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), otherwise GB18030, the superset of
/// GBK and GB2312 that Chinese Excel saves CSV in. Bytes that are neither are refused.
fn decode_text(bytes: &[u8]) -> Result<(String, &'static str), &'static str> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(body) {
        return Ok((text.to_string(), "UTF-8"));
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
            Ok((text.into_owned(), "UTF-16"))
        };
    }
    let (text, bad) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if bad {
        return Err("file_encoding");
    }
    Ok((text.into_owned(), "GB18030"))
}

fn read_workbook(bytes: &[u8]) -> Result<Table, &'static str> {
    use calamine::{Data, Reader};
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|_| "file_unreadable")?;
    let format = match &book {
        calamine::Sheets::Xls(_) => "XLS",
        calamine::Sheets::Xlsx(_) => "XLSX",
        calamine::Sheets::Xlsb(_) => "XLSB",
        calamine::Sheets::Ods(_) => "ODS",
    };
    let range = book
        .worksheet_range_at(0)
        .ok_or("file_no_sheet")?
        .map_err(|_| "file_unreadable")?;
    // The range starts at the first used cell: keep spreadsheet row numbers by padding.
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Vec<String>> = vec![Vec::new(); top as usize];
    for row in range.rows() {
        let mut cells = vec![String::new(); left as usize];
        cells.extend(row.iter().map(|cell| {
            match cell {
                Data::Empty | Data::Error(_) => String::new(),
                Data::String(s) => s.trim().to_string(),
                Data::Int(i) => i.to_string(),
                // Numbers typed into General cells: whole numbers without ".0".
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                Data::Float(f) => f.to_string(),
                Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
                Data::DateTime(d) => d
                    .as_datetime()
                    .map(|dt| dt.date().to_string())
                    .unwrap_or_default(),
                Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
                Data::DurationIso(s) => s.clone(),
            }
        }));
        rows.push(cells);
    }
    Ok(Table { format, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_or_without_bom_and_gbk_read_the_same() {
        let text = "姓名,性别\n张伟,男\n";
        let plain = read_table(text.as_bytes()).unwrap();
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        let with_bom = read_table(&bom).unwrap();
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let from_gbk = read_table(&gbk).unwrap();
        assert_eq!(plain.rows, vec![vec!["姓名", "性别"], vec!["张伟", "男"]]);
        assert_eq!(with_bom.rows, plain.rows);
        assert_eq!(from_gbk.rows, plain.rows);
        assert_eq!(
            (plain.format, with_bom.format, from_gbk.format),
            ("UTF-8", "UTF-8", "GB18030")
        );
    }

    #[test]
    fn tabs_quotes_and_bad_bytes() {
        let t = read_table("姓名\t住址\n李娜\t\"龙溪村, 3组\"\n".as_bytes()).unwrap();
        assert_eq!(t.rows[1], vec!["李娜", "龙溪村, 3组"]);
        let c = read_table("姓名,住址\n李娜,\"龙溪村, 3组\"\n".as_bytes()).unwrap();
        assert_eq!(c.rows[1], vec!["李娜", "龙溪村, 3组"]);
        assert_eq!(read_table(b""), Err("file_empty"));
        assert_eq!(read_table(&[0x81, 0x20, 0xFF, 0xFF]), Err("file_encoding"));
        assert_eq!(read_table(b"PK\x03\x04broken"), Err("file_unreadable"));
    }
}
