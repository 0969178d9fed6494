//! The import: a file is read into households (grouped by householder ID), every row is checked
//! with the rules the forms use, each household is matched to the register by ID number, and the
//! whole plan is either reported (dry run) or written in one transaction — all or nothing.
//!
//! Matching is by 18-digit ID number among active persons. A household is the one its
//! householder belongs to; a member whose ID belongs to another household, an ID given twice in
//! the file, or one held by more than one active person is an error, never a guess. Members the
//! file leaves out are kept (leaving a household is recorded on the record page, with a date and
//! reason). Status and its dates are the exit procedure's: a file may set them for a household
//! it creates, but not change them for one already registered.
use super::Table;
use crate::{
    model::{
        codes::*,
        id_number::{self, mask_id},
        registry::{Household, Housing, Member},
        transfer::*,
        validate,
    },
    server::{
        db::{BeginWrite, Db},
        repo::{
            household::{
                AUDIT, UPDATE_HOUSEHOLD, assemble, diff, insert_new, read_record,
                write_record_parts,
            },
            records::Scope,
            stats::{REFRESH_CAUSES, REFRESH_COUNTS, refresh_village},
        },
    },
    with_pool,
};
use axum::body::Bytes;
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap};

/// The file, read and grouped, before the register is consulted.
pub struct Parsed {
    table: Table,
    /// Column of each known header.
    cols: HashMap<Col, usize>,
    households: Vec<FileHousehold>,
    errors: Vec<RowError>,
    /// Headers the import does not know (ignored, and listed in the report).
    pub ignored: Vec<String>,
    pub rows: u32,
}

struct FileHousehold {
    first_row: u32,
    /// The row that gave each household value.
    cells: HashMap<Col, u32>,
    /// Members in file order, with their rows.
    members: Vec<(u32, Member)>,
    /// A row of this household could not be read (its errors are reported).
    incomplete: bool,
}

impl Parsed {
    /// The text of a cell (spreadsheet row numbers: the header is row 1).
    fn cell(&self, row: u32, col: Col) -> &str {
        self.cols.get(&col).map_or("", |&i| self.table.cell(row, i))
    }

    fn error(&self, row: u32, col: Option<Col>, code: &str) -> RowError {
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
fn split_list(cell: &str) -> impl Iterator<Item = &str> {
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
        match member {
            Some(m) => p.households[index].members.push((row, m)),
            None => p.households[index].incomplete = true,
        }
        p.errors.extend(errors);
    }
    if p.rows == 0 {
        p.errors.push(p.error(0, None, "file_no_rows"));
    }
    p
}

/// Reads one row's member; `None` (with the errors) when a cell cannot be read.
fn read_member(p: &Parsed, row: u32, errors: &mut Vec<RowError>) -> Option<Member> {
    let before = errors.len();
    let text = move |c: Col| p.cell(row, c).trim();
    let need = |c: Col, errors: &mut Vec<RowError>| {
        let empty = text(c).is_empty();
        if empty {
            errors.push(p.error(row, Some(c), "required"));
        }
        !empty
    };
    macro_rules! choice {
        ($col:expr, $ty:ty, $default:expr) => {{
            let v = text($col);
            if v.is_empty() {
                match $default {
                    Some(d) => d,
                    None => {
                        need($col, errors);
                        <$ty as Code>::ALL[0]
                    }
                }
            } else {
                parse_choice::<$ty>(v).unwrap_or_else(|| {
                    errors.push(p.error(row, Some($col), "unknown_value"));
                    <$ty as Code>::ALL[0]
                })
            }
        }};
    }
    need(Col::Name, errors);
    let sex = choice!(Col::Sex, Sex, None::<Sex>);
    let id = text(Col::IdNumber).to_uppercase();
    let id_number = (!id.is_empty()).then_some(id);
    let relation = match text(Col::Relation) {
        "" => {
            need(Col::Relation, errors);
            Relation::Other
        }
        v => parse_relation(v).unwrap_or_else(|| {
            errors.push(p.error(row, Some(Col::Relation), "unknown_value"));
            Relation::Other
        }),
    };
    let birth_date = match text(Col::BirthDate) {
        "" => match id_number.as_deref().map(id_number::parse) {
            Some(Ok(info)) => info.birth_date,
            Some(Err(_)) => NaiveDate::MIN, // the ID's own error is reported by the rules
            None => {
                need(Col::BirthDate, errors);
                NaiveDate::MIN
            }
        },
        v => parse_date(v).unwrap_or_else(|| {
            errors.push(p.error(row, Some(Col::BirthDate), "bad_date"));
            NaiveDate::MIN
        }),
    };
    let education = choice!(Col::Education, Education, None::<Education>);
    let student_status = choice!(Col::StudentStatus, StudentStatus, Some(StudentStatus::None));
    let health = choice!(Col::Health, Health, None::<Health>);
    let labour = choice!(Col::Labour, Labour, None::<Labour>);
    let migrant_months = match text(Col::MigrantMonths) {
        "" => 0,
        v => v.parse().unwrap_or_else(|_| {
            errors.push(p.error(row, Some(Col::MigrantMonths), "bad_number"));
            0
        }),
    };
    let mut yes_no = |c: Col, default: Option<bool>| match text(c) {
        "" => default.unwrap_or_else(|| {
            errors.push(p.error(row, Some(c), "required"));
            false
        }),
        v => parse_yes_no(v).unwrap_or_else(|| {
            errors.push(p.error(row, Some(c), "bad_yes_no"));
            false
        }),
    };
    let medical_insured = yes_no(Col::MedicalInsured, None);
    let pension_insured = yes_no(Col::PensionInsured, Some(false));
    let ethnicity = match text(Col::Ethnicity) {
        "" => "汉族".to_string(),
        v => v.to_string(),
    };
    let cert = text(Col::DisabilityCert);
    (errors.len() == before).then(|| Member {
        id: None,
        name: text(Col::Name).to_string(),
        sex,
        id_number,
        disability_cert: (!cert.is_empty()).then(|| cert.to_string()),
        birth_date,
        relation,
        ethnicity,
        education,
        student_status,
        health,
        labour,
        migrant_months,
        medical_insured,
        pension_insured,
        active: true,
    })
}

/// Where each village is, by code and by name.
struct Villages {
    by_code: HashMap<String, (String, String)>,
    by_names: HashMap<(String, String), String>,
    by_name: HashMap<String, Vec<String>>,
}

impl Villages {
    fn new(rows: Vec<(String, String, String)>) -> Self {
        let mut v = Villages {
            by_code: HashMap::new(),
            by_names: HashMap::new(),
            by_name: HashMap::new(),
        };
        for (code, village, township) in rows {
            v.by_names
                .insert((township.clone(), village.clone()), code.clone());
            v.by_name
                .entry(village.clone())
                .or_default()
                .push(code.clone());
            v.by_code.insert(code, (village, township));
        }
        v
    }
}

const VILLAGES: &str = "SELECT v.code, v.name, t.name FROM region v \
     JOIN region t ON t.code = v.parent_code WHERE v.level = 'village'";

/// What the import will do with one household of the file.
enum Action {
    Create(Household),
    Update {
        before: Box<Household>,
        after: Box<Household>,
    },
    Unchanged,
}

/// The checked plan: one action per household, the counts, and every error.
struct Plan {
    actions: Vec<Action>,
    counts: Counts,
    errors: Vec<RowError>,
}

/// The household values of the file, read (errors go to `errors`).
struct HouseholdValues {
    village_code: Option<String>,
    group_no: Option<i64>,
    address: String,
    phone: Option<String>,
    standard: Standard,
    attribute: Attribute,
    causes: Vec<PovertyCause>,
    identified_on: NaiveDate,
    status: Option<Status>,
    exited_on: Option<NaiveDate>,
    relapsed_on: Option<NaiveDate>,
    has_electricity: bool,
    has_safe_water: bool,
    has_road_access: bool,
    housing: Option<Housing>,
}

fn household_values(
    p: &Parsed,
    fh: &FileHousehold,
    villages: &Villages,
    scope: &Scope,
    errors: &mut Vec<RowError>,
) -> HouseholdValues {
    let row_of = move |c: Col| fh.cells.get(&c).copied().unwrap_or(fh.first_row);
    let text = move |c: Col| p.cell(row_of(c), c).trim();
    let mut fail = |c: Col, code: &str| errors.push(p.error(row_of(c), Some(c), code));
    macro_rules! choice {
        ($col:expr, $ty:ty) => {{
            match text($col) {
                "" => {
                    fail($col, "required");
                    <$ty as Code>::ALL[0]
                }
                v => parse_choice::<$ty>(v).unwrap_or_else(|| {
                    fail($col, "unknown_value");
                    <$ty as Code>::ALL[0]
                }),
            }
        }};
    }
    // The village: by code, or by township and village name (a village name alone when it is
    // the only one of that name).
    let (code, township, village) = (
        text(Col::VillageCode),
        text(Col::Township),
        text(Col::Village),
    );
    let village_code = if !code.is_empty() {
        match villages.by_code.get(code) {
            None => {
                fail(Col::VillageCode, "village_unknown");
                None
            }
            Some((v, t))
                if (!village.is_empty() && v != village)
                    || (!township.is_empty() && t != township) =>
            {
                fail(Col::Village, "village_mismatch");
                None
            }
            Some(_) => Some(code.to_string()),
        }
    } else if village.is_empty() {
        fail(Col::Village, "required");
        None
    } else if !township.is_empty() {
        let found = villages
            .by_names
            .get(&(township.to_string(), village.to_string()))
            .cloned();
        if found.is_none() {
            fail(Col::Village, "village_unknown");
        }
        found
    } else {
        match villages.by_name.get(village).map(Vec::as_slice) {
            Some([one]) => Some(one.clone()),
            Some(_) => {
                fail(Col::Village, "village_ambiguous");
                None
            }
            None => {
                fail(Col::Village, "village_unknown");
                None
            }
        }
    };
    let col = if code.is_empty() {
        Col::Village
    } else {
        Col::VillageCode
    };
    let village_code = village_code.filter(|c| {
        let inside = match scope {
            Scope::All => true,
            Scope::Villages { from, to } => {
                c.as_str() >= from.as_str() && c.as_str() <= to.as_str()
            }
            Scope::Cadre(_) => false,
        };
        if !inside {
            fail(col, "village_out_of_scope");
        }
        inside
    });
    let mut date = |c: Col, required: bool| match text(c) {
        "" => {
            if required {
                fail(c, "required");
            }
            None
        }
        v => parse_date(v).or_else(|| {
            fail(c, "bad_date");
            None
        }),
    };
    let identified_on = date(Col::IdentifiedOn, true).unwrap_or(NaiveDate::MIN);
    let exited_on = date(Col::ExitedOn, false);
    let relapsed_on = date(Col::RelapsedOn, false);
    let renovated_on = date(Col::RenovatedOn, false);
    let relocated_on = date(Col::RelocatedOn, false);
    let mut number = |c: Col| match text(c) {
        "" => None,
        v => v.parse::<f64>().ok().or_else(|| {
            fail(c, "bad_number");
            None
        }),
    };
    let group_no = number(Col::GroupNo).map(|n| n as i64);
    let area = number(Col::AreaM2);
    let built_year = number(Col::BuiltYear).map(|n| n as i64);
    let mut yes_no = |c: Col, required: bool| match text(c) {
        "" => {
            if required {
                fail(c, "required");
            }
            false
        }
        v => parse_yes_no(v).unwrap_or_else(|| {
            fail(c, "bad_yes_no");
            false
        }),
    };
    let has_electricity = yes_no(Col::HasElectricity, true);
    let has_safe_water = yes_no(Col::HasSafeWater, true);
    let has_road_access = yes_no(Col::HasRoadAccess, true);
    let relocated = yes_no(Col::Relocated, false);
    let standard = choice!(Col::Standard, Standard);
    let attribute = choice!(Col::Attribute, Attribute);
    let main = choice!(Col::MainCause, PovertyCause);
    let mut causes = vec![main];
    for piece in split_list(text(Col::OtherCauses)) {
        match parse_choice::<PovertyCause>(piece) {
            Some(c) => causes.push(c),
            None => errors.push(RowError {
                row: row_of(Col::OtherCauses),
                col: Some(Col::OtherCauses),
                value: piece.to_string(),
                code: "unknown_value".into(),
            }),
        }
    }
    let status = match text(Col::Status) {
        "" => None,
        v => parse_choice::<Status>(v).or_else(|| {
            errors.push(p.error(row_of(Col::Status), Some(Col::Status), "unknown_value"));
            None
        }),
    };
    let housing = match text(Col::Structure) {
        "" => {
            let other = [
                Col::AreaM2,
                Col::BuiltYear,
                Col::DangerGrade,
                Col::RenovatedOn,
                Col::RelocatedOn,
            ];
            if other.iter().any(|&c| !text(c).is_empty()) {
                errors.push(p.error(row_of(Col::Structure), Some(Col::Structure), "required"));
            }
            None
        }
        v => {
            let structure = parse_choice::<Structure>(v).unwrap_or_else(|| {
                errors.push(p.error(
                    row_of(Col::Structure),
                    Some(Col::Structure),
                    "unknown_value",
                ));
                Structure::Concrete
            });
            let danger_grade = match text(Col::DangerGrade) {
                "" => None,
                g => parse_choice::<DangerGrade>(g).or_else(|| {
                    errors.push(p.error(
                        row_of(Col::DangerGrade),
                        Some(Col::DangerGrade),
                        "unknown_value",
                    ));
                    None
                }),
            };
            if area.is_none() {
                errors.push(p.error(row_of(Col::AreaM2), Some(Col::AreaM2), "required"));
            }
            Some(Housing {
                structure,
                area_m2: area.unwrap_or(0.0),
                built_year,
                danger_grade,
                renovated_on,
                relocated,
                relocated_on,
            })
        }
    };
    let phone = text(Col::Phone);
    HouseholdValues {
        village_code,
        group_no,
        address: text(Col::Address).to_string(),
        phone: (!phone.is_empty()).then(|| phone.to_string()),
        standard,
        attribute,
        causes,
        identified_on,
        status,
        exited_on,
        relapsed_on,
        has_electricity,
        has_safe_water,
        has_road_access,
        housing,
    }
}

/// The cell a rule's field path points at: `(row, column)` for the household's rows.
fn locate(
    fh: &FileHousehold,
    member_rows: &[Option<u32>],
    field: &str,
    code: &str,
) -> (u32, Option<Col>) {
    let household_cell = |c: Col| (fh.cells.get(&c).copied().unwrap_or(fh.first_row), Some(c));
    if let Some(rest) = field.strip_prefix("members.") {
        let (i, f) = rest.split_once('.').unwrap_or((rest, ""));
        let row = i
            .parse::<usize>()
            .ok()
            .and_then(|i| member_rows.get(i).copied().flatten())
            .unwrap_or(fh.first_row);
        return (row, Col::from_key(f));
    }
    match (field, code) {
        ("members", "id_repeated") => (fh.first_row, Some(Col::IdNumber)),
        ("members", _) => (fh.first_row, Some(Col::Relation)),
        ("causes", "cause_main_required") => household_cell(Col::MainCause),
        ("causes", _) => household_cell(Col::OtherCauses),
        _ => {
            let key = field.strip_prefix("housing.").unwrap_or(field);
            match Col::from_key(key) {
                Some(c) => household_cell(c),
                None => (fh.first_row, None),
            }
        }
    }
}

const ACTIVE_IDS: &str = "SELECT id_number, household_id FROM member WHERE active AND id_number IN";

/// Checks the parsed file against the register inside the open transaction `$tx` and evaluates
/// to `Result<Plan, sqlx::Error>` (the plan holds every error found).
macro_rules! plan {
    ($tx:expr, $parsed:expr, $scope:expr, $today:expr) => {{
        let p: &Parsed = $parsed;
        let scope: &Scope = $scope;
        let today: NaiveDate = $today;
        let villages = Villages::new(sqlx::query_as(VILLAGES).fetch_all(&mut *$tx).await?);
        let mut errors = p.errors.clone();
        // Every ID number in the file: given twice is an error on the second row.
        let mut seen: HashMap<String, u32> = HashMap::new();
        for fh in &p.households {
            for (row, m) in &fh.members {
                if let Some(id) = &m.id_number {
                    if seen.contains_key(id) {
                        errors.push(p.error(*row, Some(Col::IdNumber), "id_in_file_twice"));
                    } else {
                        seen.insert(id.clone(), *row);
                    }
                }
            }
        }
        // Who holds them now (active persons only).
        let wanted: Vec<&String> = seen.keys().collect();
        let mut holders: HashMap<String, Vec<i64>> = HashMap::new();
        for chunk in wanted.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!("{ACTIVE_IDS} ({})", marks.join(","));
            let mut q = sqlx::query_as::<_, (String, i64)>(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(id.as_str());
            }
            for (id, household) in q.fetch_all(&mut *$tx).await? {
                holders.entry(id).or_default().push(household);
            }
        }
        let holder = |id: &str| holders.get(id).map(Vec::as_slice).unwrap_or_default();
        let mut actions = Vec::with_capacity(p.households.len());
        let mut counts = Counts::default();
        for fh in &p.households {
            let mut errs = Vec::new();
            let values = household_values(p, fh, &villages, scope, &mut errs);
            // The household this one is: the one its householder belongs to.
            let head = fh
                .members
                .iter()
                .find(|(_, m)| m.relation == Relation::Head)
                .and_then(|(_, m)| m.id_number.clone())
                .or_else(|| {
                    let key = p.cell(fh.first_row, Col::HeadId).trim().to_uppercase();
                    (!key.is_empty()).then_some(key)
                });
            // A householder row whose own ID is not the household's householder ID.
            for (row, m) in &fh.members {
                let key = p.cell(*row, Col::HeadId).trim();
                if m.relation == Relation::Head
                    && !key.is_empty()
                    && m.id_number
                        .as_deref()
                        .is_some_and(|id| !id.eq_ignore_ascii_case(key))
                {
                    errs.push(p.error(*row, Some(Col::HeadId), "head_id_mismatch"));
                }
            }
            let mut target = None;
            if let Some(h) = head.as_deref() {
                match holder(h) {
                    [one] => target = Some(*one),
                    [] => {}
                    _ => errs.push(p.error(fh.first_row, Some(Col::HeadId), "id_ambiguous")),
                }
            }
            for (row, m) in &fh.members {
                let Some(id) = m.id_number.as_deref() else {
                    continue;
                };
                match holder(id) {
                    [] => {}
                    [one] if Some(*one) == target => {}
                    [_] => errs.push(p.error(*row, Some(Col::IdNumber), "id_other_household")),
                    _ => errs.push(p.error(*row, Some(Col::IdNumber), "id_ambiguous")),
                }
            }
            let before = match target {
                Some(id) => assemble(read_record!($tx, id))?,
                None => None,
            };
            if let (Some(b), Some(code)) = (&before, &values.village_code)
                && &b.village_code != code
            {
                let col = if p.cols.contains_key(&Col::VillageCode) {
                    Col::VillageCode
                } else {
                    Col::Village
                };
                errs.push(p.error(
                    fh.cells.get(&col).copied().unwrap_or(fh.first_row),
                    Some(col),
                    "village_differs",
                ));
            }
            // Members of the record, with the row each came from (`None`: not in the file).
            let mut member_rows: Vec<Option<u32>>;
            let after = match &before {
                Some(b) => {
                    let mut h = b.clone();
                    let same_status = values.status.is_none_or(|s| s == b.status)
                        && values.identified_on == b.identified_on
                        && (values.status.is_none()
                            || (values.exited_on == b.exited_on
                                && values.relapsed_on == b.relapsed_on));
                    if !same_status {
                        let row = fh.cells.get(&Col::Status).copied().unwrap_or(fh.first_row);
                        errs.push(p.error(row, Some(Col::Status), "status_differs"));
                    }
                    h.group_no = values.group_no;
                    h.address = values.address.clone();
                    h.phone = values.phone.clone();
                    h.standard = values.standard;
                    h.attribute = values.attribute;
                    h.causes = values.causes.clone();
                    h.has_electricity = values.has_electricity;
                    h.has_safe_water = values.has_safe_water;
                    h.has_road_access = values.has_road_access;
                    if values.housing.is_some() {
                        h.housing = values.housing.clone();
                    }
                    member_rows = vec![None; h.members.len()];
                    for (row, m) in &fh.members {
                        let found = h.members.iter().position(|o| {
                            o.active
                                && match (&m.id_number, &o.id_number) {
                                    (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                                    (None, None) => {
                                        o.name == m.name && o.birth_date == m.birth_date
                                    }
                                    _ => false,
                                }
                        });
                        match found {
                            Some(i) => {
                                h.members[i] = Member {
                                    id: h.members[i].id,
                                    ..m.clone()
                                };
                                member_rows[i] = Some(*row);
                            }
                            None => {
                                h.members.push(m.clone());
                                member_rows.push(Some(*row));
                            }
                        }
                    }
                    h
                }
                None => {
                    let status = values.status.unwrap_or(Status::Poor);
                    let dates_fit = match status {
                        Status::Poor => values.exited_on.is_none() && values.relapsed_on.is_none(),
                        Status::Exited => {
                            values.exited_on.is_some() && values.relapsed_on.is_none()
                        }
                        Status::Relapsed => {
                            values.exited_on.is_some() && values.relapsed_on.is_some()
                        }
                    };
                    if !dates_fit {
                        let row = fh.cells.get(&Col::Status).copied().unwrap_or(fh.first_row);
                        errs.push(p.error(row, Some(Col::Status), "status_dates"));
                    }
                    member_rows = fh.members.iter().map(|(r, _)| Some(*r)).collect();
                    Household {
                        id: None,
                        village_code: values.village_code.clone().unwrap_or_default(),
                        group_no: values.group_no,
                        address: values.address.clone(),
                        phone: values.phone.clone(),
                        bank_name: None,
                        bank_account: None,
                        standard: values.standard,
                        attribute: values.attribute,
                        status,
                        identified_on: values.identified_on,
                        exited_on: values.exited_on,
                        relapsed_on: values.relapsed_on,
                        causes: values.causes.clone(),
                        has_electricity: values.has_electricity,
                        has_safe_water: values.has_safe_water,
                        has_road_access: values.has_road_access,
                        members: fh.members.iter().map(|(_, m)| m.clone()).collect(),
                        housing: values.housing.clone(),
                        version: 0,
                    }
                }
            };
            // The form rules, on the whole household as it would be stored.
            // (When a row could not be read, the householder count is not the household's.)
            for e in validate::household(&after, today).0 {
                if fh.incomplete && e.field == "members" {
                    continue;
                }
                {
                    let (row, col) = locate(fh, &member_rows, &e.field, &e.code);
                    errs.push(p.error(row, col, &e.code));
                }
            }
            if !errs.is_empty() {
                errors.extend(errs);
                actions.push(Action::Unchanged);
                continue;
            }
            match before {
                None => {
                    counts.households_new += 1;
                    counts.members_new += after.members.len() as u32;
                    actions.push(Action::Create(after));
                }
                Some(b) => {
                    let new = after.members.iter().filter(|m| m.id.is_none()).count() as u32;
                    let changed = after
                        .members
                        .iter()
                        .filter(|m| m.id.is_some() && !b.members.contains(m))
                        .count() as u32;
                    counts.members_new += new;
                    counts.members_updated += changed;
                    counts.members_unchanged += fh.members.len() as u32 - new - changed;
                    if after == b {
                        counts.households_unchanged += 1;
                        actions.push(Action::Unchanged);
                    } else {
                        counts.households_updated += 1;
                        actions.push(Action::Update {
                            before: Box::new(b),
                            after: Box::new(after),
                        });
                    }
                }
            }
        }
        errors.sort_by_key(|e| (e.row, e.col.map(|c| Col::ALL.iter().position(|x| *x == c))));
        errors.dedup();
        Ok::<Plan, sqlx::Error>(Plan {
            actions,
            counts,
            errors,
        })
    }};
}

/// Reads and groups an upload on a blocking thread: parsing a large file must not hold up the
/// async workers that serve every other request.
async fn read_and_parse(bytes: Bytes) -> Result<(&'static str, Parsed), &'static str> {
    tokio::task::spawn_blocking(move || {
        let table = super::read_table(&bytes)?;
        Ok((table.format, parse(table)))
    })
    .await
    .map_err(|_| "file_unreadable")?
}

/// Checks `bytes` as the user `scope` would import it, writing nothing.
pub async fn dry_run(
    db: &Db,
    scope: &Scope,
    file_name: &str,
    bytes: Bytes,
) -> Result<ImportReport, sqlx::Error> {
    let mut report = ImportReport {
        file_name: file_name.to_string(),
        ..ImportReport::default()
    };
    let (format, parsed) = match read_and_parse(bytes).await {
        Ok(t) => t,
        Err(code) => {
            report.errors.push(RowError {
                row: 0,
                col: None,
                value: String::new(),
                code: code.into(),
            });
            return Ok(report);
        }
    };
    report.format = format.to_string();
    report.rows = parsed.rows;
    report.ignored_columns = parsed.ignored.clone();
    let today = crate::server::clock::today();
    let plan = with_pool!(db, |pool| {
        let mut tx = pool.begin().await?; // one snapshot; rolled back, nothing is written
        let plan = plan!(tx, &parsed, scope, today)?;
        tx.rollback().await?;
        plan
    });
    report.counts = plan.counts;
    report.more_errors = plan.errors.len().saturating_sub(MAX_ERRORS) as u32;
    report.errors = plan.errors.into_iter().take(MAX_ERRORS).collect();
    Ok(report)
}

/// How a confirmed import ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done(Counts),
    /// Rolled back: a reason code and the errors (the register changed since the dry run).
    Failed {
        reason: String,
        errors: Vec<RowError>,
    },
}

/// Imports `bytes` in one transaction: checked again against the register as it is now (inside
/// the transaction, so nothing can change under it on SQLite; on PostgreSQL a household saved by
/// someone else meanwhile fails the version check), then written with an audit row per
/// household and one for the file. Any error rolls everything back.
pub async fn run(
    db: &Db,
    scope: &Scope,
    actor: &str,
    file_name: &str,
    bytes: Bytes,
    progress: &(dyn Fn(ImportProgress) + Send + Sync),
) -> Result<Outcome, sqlx::Error> {
    let hashed = bytes.clone();
    let (_, parsed) = match read_and_parse(bytes).await {
        Ok(t) => t,
        Err(code) => {
            return Ok(Outcome::Failed {
                reason: code.into(),
                errors: Vec::new(),
            });
        }
    };
    let now = chrono::Utc::now();
    let today = now.date_naive();
    let file_hash = {
        use sha2::Digest;
        let d = sha2::Sha256::digest(&hashed);
        d.iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    progress(ImportProgress::Checking);
    with_pool!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let plan = plan!(tx, &parsed, scope, today)?;
        if !plan.errors.is_empty() {
            tx.rollback().await?;
            return Ok(Outcome::Failed {
                reason: "import_has_errors".into(),
                errors: plan.errors.into_iter().take(MAX_ERRORS).collect(),
            });
        }
        let total = plan.actions.len() as u32;
        let mut villages = BTreeSet::new();
        for (done, action) in plan.actions.iter().enumerate() {
            if done % 250 == 0 {
                progress(ImportProgress::Writing {
                    done: done as u32,
                    total,
                });
            }
            match action {
                Action::Unchanged => {}
                Action::Create(h) => {
                    let id = match async { Ok::<i64, sqlx::Error>(insert_new!(tx, h, today)) }.await
                    {
                        Ok(id) => id,
                        Err(e) if crate::server::repo::household::is_unique_violation(&e) => {
                            return Ok(Outcome::Failed {
                                reason: "id_taken".into(),
                                errors: Vec::new(),
                            });
                        }
                        Err(e) => return Err(e),
                    };
                    sqlx::query(AUDIT)
                        .bind(actor)
                        .bind("import")
                        .bind("household")
                        .bind(id.to_string())
                        .bind(None::<String>)
                        .bind(serde_json::to_string(h).unwrap_or_default())
                        .execute(&mut *tx)
                        .await?;
                    villages.insert(h.village_code.clone());
                }
                Action::Update { before, after } => {
                    let id = before.id.unwrap_or_default();
                    let version: Option<i64> = sqlx::query_scalar(UPDATE_HOUSEHOLD)
                        .bind(id)
                        .bind(before.version)
                        .bind(after.group_no)
                        .bind(&after.address)
                        .bind(&after.phone)
                        .bind(&after.bank_name)
                        .bind(&after.bank_account)
                        .bind(after.standard.as_str())
                        .bind(after.attribute.as_str())
                        .bind(after.has_electricity)
                        .bind(after.has_safe_water)
                        .bind(after.has_road_access)
                        .bind(now)
                        .fetch_optional(&mut *tx)
                        .await?;
                    let Some(version) = version else {
                        tx.rollback().await?;
                        return Ok(Outcome::Failed {
                            reason: "changed_during_import".into(),
                            errors: Vec::new(),
                        });
                    };
                    if write_record_parts!(tx, id, &**after, today).is_some() {
                        return Ok(Outcome::Failed {
                            reason: "id_taken".into(),
                            errors: Vec::new(),
                        });
                    }
                    let (old, new) = diff(
                        before,
                        &Household {
                            version,
                            ..(**after).clone()
                        },
                    );
                    sqlx::query(AUDIT)
                        .bind(actor)
                        .bind("import")
                        .bind("household")
                        .bind(id.to_string())
                        .bind(old)
                        .bind(new)
                        .execute(&mut *tx)
                        .await?;
                    villages.insert(before.village_code.clone());
                }
            }
        }
        progress(ImportProgress::Writing { done: total, total });
        for code in &villages {
            refresh_village!(tx, code, [REFRESH_COUNTS, REFRESH_CAUSES]);
        }
        let summary = serde_json::json!({
            "file": file_name,
            "sha256": file_hash,
            "rows": parsed.rows,
            "counts": plan.counts,
        });
        sqlx::query(AUDIT)
            .bind(actor)
            .bind("import")
            .bind("file")
            .bind(&file_hash)
            .bind(None::<String>)
            .bind(summary.to_string())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Outcome::Done(plan.counts))
    })
}
