use super::*;

fn rows(t: &Table) -> Vec<Vec<&str>> {
    (1..=t.last_row()).map(|n| t.row(n)).collect()
}

#[test]
fn utf8_with_or_without_bom_and_gbk_read_the_same() {
    let text = "姓名,性别\n张伟,男\n";
    let plain = read_table(text.as_bytes()).unwrap();
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    let with_bom = read_table(&bom).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let from_gbk = read_table(&gbk).unwrap();
    assert_eq!(rows(&plain), vec![vec!["姓名", "性别"], vec!["张伟", "男"]]);
    assert_eq!(rows(&with_bom), rows(&plain));
    assert_eq!(rows(&from_gbk), rows(&plain));
    assert_eq!(
        (plain.format, with_bom.format, from_gbk.format),
        ("UTF-8", "UTF-8", "GB18030")
    );
}

#[test]
fn tabs_quotes_and_bad_bytes() {
    let t = read_table("姓名\t住址\n李娜\t\"龙溪村, 3组\"\n".as_bytes()).unwrap();
    assert_eq!(t.row(2), vec!["李娜", "龙溪村, 3组"]);
    let c = read_table("姓名,住址\n李娜,\"龙溪村, 3组\"\n".as_bytes()).unwrap();
    assert_eq!(c.row(2), vec!["李娜", "龙溪村, 3组"]);
    assert_eq!(read_table(b""), Err("file_empty"));
    assert_eq!(read_table(&[0x81, 0x20, 0xFF, 0xFF]), Err("file_encoding"));
    assert_eq!(read_table(b"PK\x03\x04broken"), Err("file_unreadable"));
    assert_eq!(
        read_table(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0]),
        Err("file_format")
    );
}

#[test]
fn blank_rows_keep_the_numbering_and_trailing_cells_are_dropped() {
    let t = read_table("a,b,,\n,,,\n\n,c\n".as_bytes()).unwrap();
    assert_eq!(t.row_numbers().collect::<Vec<_>>(), vec![1, 4]);
    assert_eq!(t.row(1), vec!["a", "b"]);
    assert_eq!(t.row(2), Vec::<&str>::new());
    assert_eq!(t.cell(4, 1), "c");
    assert_eq!(t.cell(4, 0), "");
    assert_eq!(t.cell(4, 7), "");
    assert_eq!(t.cell(9, 0), "");
    // Windows line ends, and a quoted cell with a line break, keep the spreadsheet's numbering.
    let crlf = read_table("a\r\n\r\nb\r\n".as_bytes()).unwrap();
    assert_eq!(crlf.row_numbers().collect::<Vec<_>>(), vec![1, 3]);
    let quoted = read_table("\"x\ny\",1\n\nz\n".as_bytes()).unwrap();
    assert_eq!(quoted.row_numbers().collect::<Vec<_>>(), vec![1, 3]);
    assert_eq!(quoted.row(1), vec!["x\ny", "1"]);
}

#[test]
fn bounds_refuse_early() {
    // Columns past MAX_COLS are not kept: the row is blank as far as the import goes.
    let wide = ",".repeat(1000) + "x\n";
    assert_eq!(
        read_table(wide.as_bytes()).unwrap().row_numbers().count(),
        0
    );
    let wider = ",".repeat(100_000) + "x\n";
    assert_eq!(read_table(wider.as_bytes()), Err("file_row_too_wide"));
    // Quotes do not hide fields from the count.
    let split = "a,a,a,\"\n\",a,a\n";
    assert_eq!(read_table(split.as_bytes()).unwrap().row(1).len(), 6);
    let many = "a\n".repeat(MAX_LINES + 1);
    assert_eq!(read_table(many.as_bytes()), Err("file_too_many_rows"));
    // Blank lines cost nothing; a row after too many of them is past the limit all the same.
    let blank = "\n".repeat(MAX_LINES + 1);
    assert_eq!(read_table(blank.as_bytes()).unwrap().last_row(), 0);
    assert_eq!(
        read_table((blank + "a\n").as_bytes()),
        Err("file_too_many_rows")
    );
}
