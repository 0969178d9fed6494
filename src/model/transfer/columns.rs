//! The import template's columns, in the order of the national household form, with what each
//! holds and its header in both languages.
use super::super::codes::*;
use super::{Covers, normalize_header};
use serde::{Deserialize, Serialize};

/// One column of the import template, in the order of the national household form: the
/// household's facts (repeated on each member row, or given on the first row of the household
/// only), then the member's, then living conditions and housing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Col {
    Township,
    Village,
    VillageCode,
    GroupNo,
    HeadId,
    Address,
    Phone,
    Standard,
    Attribute,
    MainCause,
    OtherCauses,
    IdentifiedOn,
    Status,
    ExitedOn,
    RelapsedOn,
    Name,
    Sex,
    IdNumber,
    DisabilityCert,
    BirthDate,
    Relation,
    Ethnicity,
    Education,
    StudentStatus,
    Health,
    Labour,
    MigrantMonths,
    MedicalInsured,
    PensionInsured,
    Assistance,
    AssistanceCovers,
    AssistanceSince,
    AssistanceAmount,
    AssistanceAgency,
    HasElectricity,
    HasSafeWater,
    HasRoadAccess,
    Structure,
    AreaM2,
    BuiltYear,
    DangerGrade,
    RenovatedOn,
    Relocated,
    RelocatedOn,
}

/// What a column holds, for the documented column list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// One of the listed values (Chinese label, English label or stored code).
    Choice,
    /// Several of the listed values, separated by 、 , ; or spaces.
    Choices,
    Date,
    Number,
    YesNo,
}

impl Col {
    pub const ALL: &'static [Col] = &[
        Col::Township,
        Col::Village,
        Col::VillageCode,
        Col::GroupNo,
        Col::HeadId,
        Col::Address,
        Col::Phone,
        Col::Standard,
        Col::Attribute,
        Col::MainCause,
        Col::OtherCauses,
        Col::IdentifiedOn,
        Col::Status,
        Col::ExitedOn,
        Col::RelapsedOn,
        Col::Name,
        Col::Sex,
        Col::IdNumber,
        Col::DisabilityCert,
        Col::BirthDate,
        Col::Relation,
        Col::Ethnicity,
        Col::Education,
        Col::StudentStatus,
        Col::Health,
        Col::Labour,
        Col::MigrantMonths,
        Col::MedicalInsured,
        Col::PensionInsured,
        Col::Assistance,
        Col::AssistanceCovers,
        Col::AssistanceSince,
        Col::AssistanceAmount,
        Col::AssistanceAgency,
        Col::HasElectricity,
        Col::HasSafeWater,
        Col::HasRoadAccess,
        Col::Structure,
        Col::AreaM2,
        Col::BuiltYear,
        Col::DangerGrade,
        Col::RenovatedOn,
        Col::Relocated,
        Col::RelocatedOn,
    ];

    /// (Chinese header, English header, key) — any of the three is accepted in a file.
    pub fn names(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Col::Township => ("乡镇", "Township", "township"),
            Col::Village => ("行政村", "Village", "village"),
            Col::VillageCode => ("行政村代码", "Village code", "village_code"),
            Col::GroupNo => ("村民小组", "Group", "group_no"),
            Col::HeadId => ("户主身份证号", "Householder ID", "head_id"),
            Col::Address => ("家庭住址", "Address", "address"),
            Col::Phone => ("联系电话", "Phone", "phone"),
            Col::Standard => ("识别标准", "Standard", "standard"),
            Col::Attribute => ("贫困户属性", "Attribute", "attribute"),
            Col::MainCause => ("主要致贫原因", "Main cause", "main_cause"),
            Col::OtherCauses => ("其他致贫原因", "Other causes", "other_causes"),
            Col::IdentifiedOn => ("识别日期", "Identified on", "identified_on"),
            Col::Status => ("脱贫状态", "Status", "status"),
            Col::ExitedOn => ("脱贫日期", "Exited on", "exited_on"),
            Col::RelapsedOn => ("返贫日期", "Relapsed on", "relapsed_on"),
            Col::Name => ("姓名", "Name", "name"),
            Col::Sex => ("性别", "Sex", "sex"),
            Col::IdNumber => ("身份证号", "ID number", "id_number"),
            Col::DisabilityCert => ("残疾证号", "Disability certificate", "disability_cert"),
            Col::BirthDate => ("出生日期", "Birth date", "birth_date"),
            Col::Relation => ("与户主关系", "Relation to householder", "relation"),
            Col::Ethnicity => ("民族", "Ethnicity", "ethnicity"),
            Col::Education => ("文化程度", "Education", "education"),
            Col::StudentStatus => ("在校生状况", "Student status", "student_status"),
            Col::Health => ("健康状况", "Health", "health"),
            Col::Labour => ("劳动技能", "Labour", "labour"),
            Col::MigrantMonths => ("务工时间（月）", "Months working away", "migrant_months"),
            Col::MedicalInsured => ("参加基本医疗保险", "Medical insurance", "medical_insured"),
            Col::PensionInsured => ("参加基本养老保险", "Pension insurance", "pension_insured"),
            Col::Assistance => ("社会救助", "Social assistance", "assistance"),
            Col::AssistanceCovers => ("救助范围", "Assistance covers", "assistance_covers"),
            Col::AssistanceSince => ("救助开始日期", "Assistance since", "assistance_since"),
            Col::AssistanceAmount => (
                "救助金额（元）",
                "Assistance amount (yuan)",
                "assistance_amount",
            ),
            Col::AssistanceAgency => ("救助审批机关", "Approving agency", "assistance_agency"),
            Col::HasElectricity => ("通生活用电", "Electricity", "has_electricity"),
            Col::HasSafeWater => ("饮水安全", "Safe drinking water", "has_safe_water"),
            Col::HasRoadAccess => ("通硬化路", "Paved road", "has_road_access"),
            Col::Structure => ("住房结构", "House structure", "structure"),
            Col::AreaM2 => ("住房面积（平方米）", "Floor area (m²)", "area_m2"),
            Col::BuiltYear => ("建房年份", "Year built", "built_year"),
            Col::DangerGrade => ("危房等级", "Danger grade", "danger_grade"),
            Col::RenovatedOn => ("危房改造日期", "Renovated on", "renovated_on"),
            Col::Relocated => ("易地扶贫搬迁", "Relocated", "relocated"),
            Col::RelocatedOn => ("搬迁日期", "Relocated on", "relocated_on"),
        }
    }

    pub fn zh(self) -> &'static str {
        self.names().0
    }

    pub fn en(self) -> &'static str {
        self.names().1
    }

    pub fn key(self) -> &'static str {
        self.names().2
    }

    pub fn from_key(key: &str) -> Option<Col> {
        Col::ALL.iter().copied().find(|c| c.key() == key)
    }

    /// Finds the column a header names: its Chinese or English header or its key, ignoring case,
    /// spaces, a BOM, a required-field star and the width of brackets (Excel users write
    /// `务工时间(月)` as often as `务工时间（月）`).
    pub fn from_header(header: &str) -> Option<Col> {
        let wanted = normalize_header(header);
        if wanted.is_empty() {
            return None;
        }
        Col::ALL.iter().copied().find(|c| {
            let (zh, en, key) = c.names();
            [zh, en, key].iter().any(|n| normalize_header(n) == wanted)
        })
    }

    /// Whether the value belongs to the household (the same on each of its rows).
    pub fn is_household(self) -> bool {
        !self.is_member()
    }

    pub fn is_member(self) -> bool {
        matches!(
            self,
            Col::Name
                | Col::Sex
                | Col::IdNumber
                | Col::DisabilityCert
                | Col::BirthDate
                | Col::Relation
                | Col::Ethnicity
                | Col::Education
                | Col::StudentStatus
                | Col::Health
                | Col::Labour
                | Col::MigrantMonths
                | Col::MedicalInsured
                | Col::PensionInsured
                | Col::Assistance
                | Col::AssistanceCovers
                | Col::AssistanceSince
                | Col::AssistanceAmount
                | Col::AssistanceAgency
        )
    }

    /// A value every row (member columns) or every household (household columns) must give.
    /// The village is given by its code or by township and village name.
    pub fn required(self) -> bool {
        matches!(
            self,
            Col::HeadId
                | Col::Address
                | Col::Standard
                | Col::Attribute
                | Col::MainCause
                | Col::IdentifiedOn
                | Col::Name
                | Col::Sex
                | Col::BirthDate
                | Col::Relation
        )
    }

    pub fn kind(self) -> Kind {
        match self {
            Col::Standard
            | Col::Attribute
            | Col::MainCause
            | Col::Status
            | Col::Sex
            | Col::Relation
            | Col::Education
            | Col::StudentStatus
            | Col::Health
            | Col::Labour
            | Col::Structure
            | Col::DangerGrade
            | Col::Assistance
            | Col::AssistanceCovers => Kind::Choice,
            Col::OtherCauses => Kind::Choices,
            Col::IdentifiedOn
            | Col::ExitedOn
            | Col::RelapsedOn
            | Col::BirthDate
            | Col::RenovatedOn
            | Col::RelocatedOn
            | Col::AssistanceSince => Kind::Date,
            Col::GroupNo
            | Col::MigrantMonths
            | Col::AreaM2
            | Col::BuiltYear
            | Col::AssistanceAmount => Kind::Number,
            Col::MedicalInsured
            | Col::PensionInsured
            | Col::HasElectricity
            | Col::HasSafeWater
            | Col::HasRoadAccess
            | Col::Relocated => Kind::YesNo,
            _ => Kind::Text,
        }
    }

    /// The allowed values of an enumerated column as (Chinese, English) labels.
    pub fn allowed(self) -> Vec<(&'static str, &'static str)> {
        fn of<T: Code + Label>() -> Vec<(&'static str, &'static str)> {
            T::ALL.iter().map(|v| (v.zh(), v.en())).collect()
        }
        match self {
            Col::Standard => of::<Standard>(),
            Col::Attribute => of::<Attribute>(),
            Col::MainCause | Col::OtherCauses => of::<PovertyCause>(),
            Col::Status => of::<Status>(),
            Col::Sex => of::<Sex>(),
            Col::Relation => of::<Relation>(),
            Col::Education => of::<Education>(),
            Col::StudentStatus => of::<StudentStatus>(),
            Col::Health => of::<Health>(),
            Col::Labour => of::<Labour>(),
            Col::Structure => of::<Structure>(),
            Col::DangerGrade => of::<DangerGrade>(),
            Col::Assistance => of::<AssistanceKind>(),
            Col::AssistanceCovers => Covers::ALL.iter().map(|c| c.labels()).collect(),
            _ if self.kind() == Kind::YesNo => vec![("是", "yes"), ("否", "no")],
            _ => Vec::new(),
        }
    }
}

impl Col {
    /// What a column accepts, in Chinese or English (the template's notes sheet and the import
    /// page).
    pub fn note(self, en: bool) -> String {
        let allowed: Vec<&str> = self
            .allowed()
            .iter()
            .map(|a| if en { a.1 } else { a.0 })
            .collect();
        let sep = if en { ", " } else { "、" };
        let list = allowed.join(sep);
        let text = match (self, self.kind(), en) {
            (Col::HeadId, _, false) => "同一户的各行填写相同的户主身份证号",
            (Col::HeadId, _, true) => "The same householder ID on every row of a household",
            (Col::VillageCode, _, false) => "12位统计用区划代码；不填时按乡镇和行政村名称查找",
            (Col::VillageCode, _, true) => {
                "12-digit statistical code; without it the township and village names are used"
            }
            (Col::OtherCauses, _, false) => return format!("最多两项，用“、”分隔：{list}"),
            (Col::OtherCauses, _, true) => {
                return format!("At most two, separated by 、 or commas: {list}");
            }
            (Col::MainCause, _, false) => return format!("{list}（一般农户不填）"),
            (Col::MainCause, _, true) => {
                return format!("{list} (empty for an ordinary rural household)");
            }
            (Col::Status, _, false) => {
                return format!(
                    "{list}；一般农户为未建档的农村户，纳入防止返贫监测，不在公开页面显示"
                );
            }
            (Col::Status, _, true) => {
                return format!(
                    "{list}; an ordinary rural household was never registered: it is kept for monitoring and shown on no public page"
                );
            }
            (Col::Assistance, _, false) => {
                return format!(
                    "{list}（低保户、五保、特困人员等写法亦可）；正在享受或新批准的一项，其余各栏随之填写"
                );
            }
            (Col::Assistance, _, true) => {
                return format!(
                    "{list} (低保户, 五保, 特困人员… are read too): one enrolment running or newly approved; the next columns describe it"
                );
            }
            (Col::AssistanceCovers, _, false) => "全户（默认，同户各行填写相同）或本人",
            (Col::AssistanceCovers, _, true) => {
                "The whole household (the default; the same on each of its rows) or this member"
            }
            (Col::AssistanceAmount, _, false) => "低保、特困供养填每月金额；临时救助填一次性金额",
            (Col::AssistanceAmount, _, true) => {
                "Monthly for 低保 and 特困供养; the one-off sum for 临时救助"
            }
            (_, Kind::Choice | Kind::YesNo, _) => return list,
            (_, Kind::Date, false) => "日期，如 2016-03-01",
            (_, Kind::Date, true) => "A date, e.g. 2016-03-01",
            (_, Kind::Number, false) => "数字",
            (_, Kind::Number, true) => "A number",
            _ => "",
        };
        text.to_string()
    }
}
