//! A file household's values checked against the places and the user's scope, and the cell a
//! rule's error points at.
use super::parse::{FileHousehold, Parsed, coded, split_list};
use crate::{
    model::{codes::*, registry::Housing, transfer::*},
    server::repo::records::Scope,
};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Where each village is, by code and by name.
#[derive(Default)]
pub(super) struct Villages {
    by_code: HashMap<String, (String, String)>,
    by_names: HashMap<(String, String), String>,
    by_name: HashMap<String, Vec<String>>,
}

impl Villages {
    pub(super) fn new(rows: Vec<(String, String, String)>) -> Self {
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

pub(super) const VILLAGES: &str = "SELECT v.code, v.name, t.name FROM region v \
     JOIN region t ON t.code = v.parent_code WHERE v.level = 'village'";

/// The household values of the file, read (errors go to `errors`).
pub(super) struct HouseholdValues {
    pub(super) village_code: Option<String>,
    pub(super) group_no: Option<i64>,
    pub(super) address: String,
    pub(super) phone: Option<String>,
    pub(super) standard: Standard,
    pub(super) attribute: Attribute,
    pub(super) causes: Vec<PovertyCause>,
    pub(super) identified_on: NaiveDate,
    pub(super) status: Option<Status>,
    pub(super) exited_on: Option<NaiveDate>,
    pub(super) relapsed_on: Option<NaiveDate>,
    pub(super) has_electricity: bool,
    pub(super) has_safe_water: bool,
    pub(super) has_road_access: bool,
    pub(super) housing: Option<Housing>,
}

pub(super) fn household_values(
    p: &Parsed,
    fh: &FileHousehold,
    villages: &Villages,
    scope: &Scope,
    errors: &mut Vec<RowError>,
) -> HouseholdValues {
    let row_of = move |c: Col| fh.cells.get(&c).copied().unwrap_or(fh.first_row);
    let text = move |c: Col| p.cell(row_of(c), c).trim();
    let mut fail = |c: Col, code: &str| errors.push(p.error(row_of(c), Some(c), code));
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
            Scope::Villages(range) => range.covers(c),
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
    let status = match text(Col::Status) {
        "" => None,
        v => parse_choice::<Status>(v).or_else(|| {
            errors.push(p.error(row_of(Col::Status), Some(Col::Status), "unknown_value"));
            None
        }),
    };
    // An ordinary household (一般农户) was never registered: its standard and attribute may be
    // left empty, and it has no cause of poverty (one given is refused by the form's rules).
    let ordinary = status == Some(Status::Ordinary);
    let standard = coded(
        p,
        row_of(Col::Standard),
        Col::Standard,
        ordinary.then_some(Standard::National),
        errors,
    );
    let attribute = coded(
        p,
        row_of(Col::Attribute),
        Col::Attribute,
        ordinary.then_some(Attribute::General),
        errors,
    );
    let mut causes = Vec::new();
    if !(ordinary && text(Col::MainCause).is_empty()) {
        causes.push(coded(
            p,
            row_of(Col::MainCause),
            Col::MainCause,
            None,
            errors,
        ));
    }
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
pub(super) fn locate(
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
