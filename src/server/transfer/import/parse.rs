//! Reading an upload's table into households (grouped by householder ID), with every cell-level
//! problem collected against its row.
use super::super::Table;
use crate::model::{
    codes::*,
    id_number::{self, mask_id},
    registry::Member,
    transfer::*,
};
use chrono::NaiveDate;
use std::collections::HashMap;

mod row;
pub(super) use row::coded;
use row::{read_aid, read_member};

/// The file, read and grouped, before the register is consulted.
pub struct Parsed {
    table: Table,
    /// Column of each known header.
    pub(super) cols: HashMap<Col, usize>,
    pub(super) households: Vec<FileHousehold>,
    pub(super) errors: Vec<RowError>,
    /// Headers the import does not know (ignored, and listed in the report).
    pub ignored: Vec<String>,
    pub rows: u32,
}

pub(super) struct FileHousehold {
    pub(super) first_row: u32,
    /// The row that gave each household value.
    pub(super) cells: HashMap<Col, u32>,
    /// Members in file order, with their rows.
    pub(super) members: Vec<(u32, Member)>,
    /// A row of this household could not be read (its errors are reported).
    pub(super) incomplete: bool,
    /// Social assistance enrolments its rows give, each once (a whole household's is usually
    /// repeated on each of its rows).
    pub(super) aid: Vec<FileAid>,
}

/// A social assistance enrolment as a row gives it.
#[derive(Debug, Clone)]
pub(super) struct FileAid {
    pub(super) row: u32,
    /// The member it is for (an index into the household's `members`); `None`: the whole
    /// household.
    pub(super) member: Option<usize>,
    pub(super) kind: AssistanceKind,
    pub(super) start_on: NaiveDate,
    /// Monthly for 低保 and 特困供养, the one-off sum for 临时救助.
    pub(super) amount: i64,
    pub(super) agency: String,
}

impl FileAid {
    /// The same enrolment: kind, person and start.
    fn same(&self, o: &FileAid) -> bool {
        self.kind == o.kind && self.member == o.member && self.start_on == o.start_on
    }
}

impl Parsed {
    /// The text of a cell (spreadsheet row numbers: the header is row 1).
    pub(super) fn cell(&self, row: u32, col: Col) -> &str {
        self.cols.get(&col).map_or("", |&i| self.table.cell(row, i))
    }

    pub(super) fn error(&self, row: u32, col: Option<Col>, code: &str) -> RowError {
        let value = col.map_or("", |c| self.cell(row, c));
        RowError {
            row,
            col,
            value: shown(value),
            code: code.to_string(),
        }
    }
}

/// A cell as a report shows it: ID numbers masked, long texts cut.
fn shown(value: &str) -> String {
    let v = value.trim();
    if v.len() == 18 && v.bytes().take(17).all(|b| b.is_ascii_digit()) {
        return mask_id(v);
    }
    v.chars().take(40).collect()
}

/// Splits a list of causes written as 因学、缺技术 (or with , ; / or spaces).
pub(super) fn split_list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(['、', ',', '，', ';', '；', '/', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Reads the table into households. Cell-level problems (an unknown value, a bad date, a
/// required cell left empty, a household value that differs between its rows) are collected
/// with their row; the rules of the forms run later, on whole households.
pub fn parse(table: Table) -> Parsed {
    let mut p = Parsed {
        table,
        cols: HashMap::new(),
        households: Vec::new(),
        errors: Vec::new(),
        ignored: Vec::new(),
        rows: 0,
    };
    let header: Vec<String> = p.table.row(1).into_iter().map(str::to_string).collect();
    if p.table.last_row() == 0 {
        p.errors.push(p.error(0, None, "file_empty"));
        return p;
    }
    for (i, h) in header.iter().enumerate() {
        match Col::from_header(h) {
            Some(c) if p.cols.contains_key(&c) => p.errors.push(RowError {
                row: 1,
                col: Some(c),
                value: h.clone(),
                code: "column_twice".into(),
            }),
            Some(c) => {
                p.cols.insert(c, i);
            }
            None if h.trim().is_empty() => {}
            None => p.ignored.push(h.clone()),
        }
    }
    let has_village = p.cols.contains_key(&Col::VillageCode) || p.cols.contains_key(&Col::Village);
    for &c in Col::ALL {
        let missing = if c == Col::Village {
            !has_village
        } else {
            c.required() && !p.cols.contains_key(&c)
        };
        // A householder ID column may be left out when each household's first row is its head.
        if missing && c != Col::HeadId && c != Col::BirthDate {
            p.errors.push(RowError {
                row: 1,
                col: Some(c),
                value: String::new(),
                code: "column_missing".into(),
            });
        }
    }
    if !p.errors.is_empty() {
        return p;
    }
    let data_rows = p.table.last_row().saturating_sub(1) as usize;
    if data_rows > MAX_ROWS {
        p.errors.push(p.error(0, None, "file_too_many_rows"));
        return p;
    }
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut current: Option<usize> = None;
    // Blank rows are not stored: every stored row past the header is a data row.
    let numbers: Vec<u32> = p.table.row_numbers().filter(|&n| n >= 2).collect();
    for row in numbers {
        p.rows += 1;
        let mut errors = Vec::new();
        let member = read_member(&p, row, &mut errors);
        // The household: named by the householder's ID, or (without that column) the household
        // whose first row — its head — came last.
        let head_id = p.cell(row, Col::HeadId).trim().to_uppercase();
        let key = if !head_id.is_empty() {
            Some(head_id)
        } else if member
            .as_ref()
            .is_some_and(|m| m.relation == Relation::Head)
        {
            let own = p.cell(row, Col::IdNumber).trim().to_uppercase();
            (!own.is_empty()).then_some(own)
        } else {
            None
        };
        let index = match key {
            Some(k) => *by_key.entry(k).or_insert_with(|| {
                p.households.push(FileHousehold {
                    first_row: row,
                    cells: HashMap::new(),
                    members: Vec::new(),
                    incomplete: false,
                    aid: Vec::new(),
                });
                p.households.len() - 1
            }),
            None if !p.cols.contains_key(&Col::HeadId) && current.is_some() => {
                current.unwrap_or_default()
            }
            None => {
                errors.push(p.error(row, Some(Col::HeadId), "required"));
                p.errors.extend(errors);
                continue;
            }
        };
        current = Some(index);
        for &c in Col::ALL.iter().filter(|c| c.is_household()) {
            let text = p.cell(row, c).trim();
            if text.is_empty() {
                continue;
            }
            match p.households[index].cells.get(&c) {
                Some(&first) if p.cell(first, c).trim() != text => {
                    errors.push(p.error(row, Some(c), "household_conflict"))
                }
                Some(_) => {}
                None => {
                    p.households[index].cells.insert(c, row);
                }
            }
        }
        let aid = read_aid(&p, row, &mut errors);
        match member {
            Some(_) if p.households[index].members.len() >= MAX_HOUSEHOLD_MEMBERS => {
                errors.push(p.error(row, None, "household_too_large"));
            }
            Some(m) => {
                let fh = &mut p.households[index];
                fh.members.push((row, m));
                let mut conflict = false;
                if let Some((covers, kind, start_on, amount, agency)) = aid {
                    let given = FileAid {
                        row,
                        member: (covers == Covers::Member).then_some(fh.members.len() - 1),
                        kind,
                        start_on,
                        amount,
                        agency,
                    };
                    match fh.aid.iter().find(|a| a.same(&given)) {
                        // A whole household's enrolment on another of its rows: the same
                        // amount and agency, or it is not the same enrolment.
                        Some(a) => conflict = a.amount != given.amount || a.agency != given.agency,
                        None => fh.aid.push(given),
                    }
                }
                if conflict {
                    errors.push(p.error(row, Some(Col::Assistance), "household_conflict"));
                }
            }
            None => p.households[index].incomplete = true,
        }
        p.errors.extend(errors);
    }
    if p.rows == 0 {
        p.errors.push(p.error(0, None, "file_no_rows"));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::row::parse_yuan;

    #[test]
    fn yuan_as_people_write_them() {
        assert_eq!(parse_yuan("300"), Some(300));
        assert_eq!(parse_yuan("1,200"), Some(1200));
        assert_eq!(parse_yuan("1 200 元"), Some(1200));
        assert_eq!(parse_yuan("300元"), Some(300));
        assert_eq!(parse_yuan("365.00"), Some(365));
        assert_eq!(parse_yuan("365.5"), None, "whole yuan only");
        assert_eq!(parse_yuan("-5"), None);
        assert_eq!(parse_yuan("元"), None);
        assert_eq!(parse_yuan("三百"), None);
        // Far too large for i64: refused, never wrapped (the rules' upper bound is checked later).
        assert_eq!(parse_yuan("99999999999999999999999"), None);
    }
}
