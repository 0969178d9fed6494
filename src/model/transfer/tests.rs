use super::*;
use crate::model::codes::*;
use chrono::NaiveDate;

#[test]
fn headers_are_found_in_either_language_and_any_bracket_width() {
    assert_eq!(Col::from_header("姓名"), Some(Col::Name));
    assert_eq!(Col::from_header(" Name "), Some(Col::Name));
    assert_eq!(Col::from_header("\u{feff}乡镇"), Some(Col::Township));
    assert_eq!(Col::from_header("务工时间(月)"), Some(Col::MigrantMonths));
    assert_eq!(Col::from_header("*户主身份证号"), Some(Col::HeadId));
    assert_eq!(Col::from_header("ID number"), Some(Col::IdNumber));
    assert_eq!(Col::from_header("id_number"), Some(Col::IdNumber));
    assert_eq!(Col::from_header("Floor area (m²)"), Some(Col::AreaM2));
    assert_eq!(Col::from_header("备注"), None);
    assert_eq!(Col::from_header(""), None);
    // Every header names its own column and no other.
    for c in Col::ALL {
        for n in [c.zh(), c.en(), c.key()] {
            assert_eq!(Col::from_header(n), Some(*c), "{n}");
        }
    }
}

#[test]
fn cells_are_read_as_registers_write_them() {
    assert_eq!(
        parse_choice::<PovertyCause>("因病"),
        Some(PovertyCause::Illness)
    );
    assert_eq!(
        parse_choice::<PovertyCause>("illness"),
        Some(PovertyCause::Illness)
    );
    assert_eq!(
        parse_choice::<PovertyCause>("Lack of skills"),
        Some(PovertyCause::Skills)
    );
    assert_eq!(parse_choice::<PovertyCause>("懒惰"), None);
    assert_eq!(parse_relation("之子"), Some(Relation::Child));
    assert_eq!(parse_relation("儿媳/女婿"), Some(Relation::ChildInLaw));
    assert_eq!(parse_relation("户主"), Some(Relation::Head));
    assert_eq!(parse_relation("邻居"), None);
    assert_eq!(parse_yes_no("是"), Some(true));
    assert_eq!(parse_yes_no("No"), Some(false));
    assert_eq!(parse_yes_no("也许"), None);
    let d = NaiveDate::from_ymd_opt(2016, 3, 1);
    for s in [
        "2016-03-01",
        "2016/3/1",
        "2016.3.1",
        "20160301",
        "2016年3月1日",
    ] {
        assert_eq!(parse_date(s), d, "{s}");
    }
    assert_eq!(parse_date("2016-02-30"), None);
    assert_eq!(parse_assistance("农村低保"), Some(AssistanceKind::Dibao));
    assert_eq!(parse_assistance("低保户"), Some(AssistanceKind::Dibao));
    assert_eq!(parse_assistance("五保"), Some(AssistanceKind::Tekun));
    assert_eq!(
        parse_assistance("Destitute support"),
        Some(AssistanceKind::Tekun)
    );
    assert_eq!(
        parse_assistance("temporary"),
        Some(AssistanceKind::Temporary)
    );
    assert_eq!(parse_assistance("医保"), None);
    assert_eq!(Covers::parse("全户"), Some(Covers::Household));
    assert_eq!(Covers::parse(" 本人 "), Some(Covers::Member));
    assert_eq!(Covers::parse("this member"), Some(Covers::Member));
    assert_eq!(Covers::parse("邻居"), None);
    assert_eq!(parse_date("三月"), None);
}
