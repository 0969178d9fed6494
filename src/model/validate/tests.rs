use super::*;
use crate::model::codes::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}
const TODAY: NaiveDate = match NaiveDate::from_ymd_opt(2026, 11, 29) {
    Some(d) => d,
    None => panic!(),
};

#[test]
fn id_numbers() {
    let man = id_number::build("430581", d(1970, 5, 6), 31);
    let woman = id_number::build("430581", d(1970, 5, 6), 32);
    assert_eq!(id_number(&man, Sex::Male, TODAY), Ok(()));
    assert_eq!(id_number(&woman, Sex::Female, TODAY), Ok(()));
    assert_eq!(id_number(&man, Sex::Female, TODAY), Err("id_sex_mismatch"));
    let mut bad = man.clone();
    bad.replace_range(17..18, if man.ends_with('0') { "1" } else { "0" });
    assert_eq!(id_number(&bad, Sex::Male, TODAY), Err("id_checksum"));
    assert_eq!(
        id_number("43058119700506", Sex::Male, TODAY),
        Err("id_format")
    );
    assert_eq!(
        id_number("4305811970050603AB", Sex::Male, TODAY),
        Err("id_format")
    );
    let feb30 = id_number::build("430581", d(1970, 5, 6), 31).replacen("19700506", "19700230", 1);
    assert_eq!(id_number(&feb30, Sex::Male, TODAY), Err("id_birth_date"));
    let future = id_number::build("430581", d(2027, 1, 1), 31);
    assert_eq!(id_number(&future, Sex::Male, TODAY), Err("id_future"));
    let born_today = id_number::build("430581", TODAY, 31);
    assert_eq!(id_number(&born_today, Sex::Male, TODAY), Ok(()));
    assert_eq!(id_number(&man.to_lowercase(), Sex::Male, TODAY), Ok(()));
}

#[test]
fn phones_names_amounts_dates() {
    assert_eq!(mobile("13812345678"), Ok(()));
    assert_eq!(mobile("12812345678"), Err("phone_format"));
    assert_eq!(mobile("1381234567"), Err("phone_format"));
    assert_eq!(mobile("1381234567a"), Err("phone_format"));
    assert_eq!(person_name("张伟"), Ok(()));
    assert_eq!(person_name("阿依·买买提"), Ok(()));
    assert_eq!(person_name("张"), Err("name_length"));
    assert_eq!(person_name(&"张".repeat(20)), Ok(()));
    assert_eq!(person_name(&"张".repeat(21)), Err("name_length"));
    assert_eq!(person_name("  "), Err("required"));
    assert_eq!(person_name("张3"), Err("name_chars"));
    assert_eq!(amount(0), Ok(()));
    assert_eq!(amount(-1), Err("amount_negative"));
    assert_eq!(amount(MAX_AMOUNT), Ok(()));
    assert_eq!(amount(MAX_AMOUNT + 1), Err("amount_too_large"));
    assert_eq!(amount(i64::MAX), Err("amount_too_large"));
    assert_eq!(past_date(TODAY, TODAY), Ok(()));
    assert_eq!(past_date(d(2026, 11, 30), TODAY), Err("date_future"));
    assert_eq!(past_date(d(1899, 12, 31), TODAY), Err("date_too_early"));
}

#[test]
fn causes_one_main_at_most_two_others() {
    use PovertyCause::*;
    assert_eq!(causes(&[Illness]), Ok(()));
    assert_eq!(causes(&[Illness, Skills, Capital]), Ok(()));
    assert_eq!(causes(&[]), Err("cause_main_required"));
    assert_eq!(
        causes(&[Illness, Skills, Capital, Land]),
        Err("cause_too_many")
    );
    assert_eq!(causes(&[Illness, Illness]), Err("cause_repeated"));
}

fn person(name: &str, relation: Relation, sex: Sex, seq: u16) -> Member {
    crate::model::fixtures::member(name, relation, sex, d(1975, 3, 4), seq)
}

fn family() -> Household {
    Household {
        phone: Some("13812345678".into()),
        ..crate::model::fixtures::household(
            "430581101201",
            vec![
                person("张伟", Relation::Head, Sex::Male, 11),
                person("李芳", Relation::Spouse, Sex::Female, 12),
            ],
        )
    }
}

#[test]
fn incomes_measures_visits_housing() {
    let inc = Income {
        year: 2026,
        persons: 3,
        wages: 12000,
        business: 0,
        transfer: 800,
        property: 0,
        costs: 500,
        spending: 0,
        net_income: None,
        per_capita: None,
    };
    assert!(income(&inc, TODAY).is_empty());
    let e = income(
        &Income {
            year: 2027,
            persons: 0,
            costs: -1,
            ..inc.clone()
        },
        TODAY,
    );
    assert_eq!(e.for_field("year"), Some("year_range"));
    assert_eq!(e.for_field("persons"), Some("persons_range"));
    assert_eq!(e.for_field("costs"), Some("amount_negative"));
    assert_eq!(
        income(&Income { year: 1999, ..inc }, TODAY).for_field("year"),
        Some("year_range")
    );

    let m = MeasureInput {
        household_id: 1,
        member_id: None,
        category: crate::model::codes::MeasureCategory::Education,
        name: "雨露计划".into(),
        given_on: TODAY,
        amount: 0,
        agency: String::new(),
    };
    assert!(measure(&m, TODAY).is_empty());
    let e = measure(
        &MeasureInput {
            name: " ".into(),
            amount: -5,
            given_on: d(2026, 12, 1),
            agency: "单".repeat(101),
            ..m
        },
        TODAY,
    );
    assert_eq!(e.for_field("name"), Some("required"));
    assert_eq!(e.for_field("amount"), Some("amount_negative"));
    assert_eq!(e.for_field("given_on"), Some("date_future"));
    assert_eq!(e.for_field("agency"), Some("text_length"));

    assert!(visit(TODAY, "了解收入", TODAY).is_empty());
    assert_eq!(visit(TODAY, "", TODAY).for_field("note"), Some("required"));
    assert_eq!(
        visit(TODAY, &"访".repeat(501), TODAY).for_field("note"),
        Some("text_length")
    );

    let mut h = family();
    h.housing = Some(Housing {
        structure: Structure::BrickWood,
        area_m2: 0.0,
        built_year: Some(2027),
        danger_grade: Some(DangerGrade::C),
        renovated_on: None,
        relocated: false,
        relocated_on: Some(d(2018, 1, 1)),
    });
    let e = household(&h, TODAY);
    assert_eq!(e.for_field("housing.area_m2"), Some("area_range"));
    assert_eq!(e.for_field("housing.built_year"), Some("year_range"));
    assert_eq!(
        e.for_field("housing.relocated_on"),
        Some("relocated_date_without")
    );
}

#[test]
fn status_changes_follow_the_milestones() {
    let h = family(); // poor since 2014-05-01
    assert_eq!(
        status_change(&h, Status::Exited, d(2017, 11, 1), TODAY),
        Ok(())
    );
    assert_eq!(
        status_change(&h, Status::Exited, d(2014, 4, 30), TODAY),
        Err("date_order")
    );
    assert_eq!(
        status_change(&h, Status::Exited, d(2026, 11, 30), TODAY),
        Err("date_future")
    );
    assert_eq!(
        status_change(&h, Status::Relapsed, d(2017, 11, 1), TODAY),
        Err("status_transition")
    );
    assert_eq!(
        status_change(&h, Status::Poor, d(2017, 11, 1), TODAY),
        Err("status_transition")
    );
    let exited = Household {
        status: Status::Exited,
        exited_on: Some(d(2017, 11, 1)),
        ..family()
    };
    assert_eq!(
        status_change(&exited, Status::Relapsed, d(2017, 10, 31), TODAY),
        Err("date_order")
    );
    assert_eq!(
        status_change(&exited, Status::Relapsed, d(2019, 3, 1), TODAY),
        Ok(())
    );
    assert_eq!(
        status_change(&exited, Status::Exited, d(2019, 3, 1), TODAY),
        Err("status_transition")
    );
    let relapsed = Household {
        status: Status::Relapsed,
        relapsed_on: Some(d(2019, 3, 1)),
        ..exited
    };
    assert_eq!(
        status_change(&relapsed, Status::Exited, d(2019, 2, 1), TODAY),
        Err("date_order")
    );
    assert_eq!(
        status_change(&relapsed, Status::Exited, d(2020, 6, 1), TODAY),
        Ok(())
    );
}

#[test]
fn household_rules_name_their_fields() {
    assert_eq!(household(&family(), TODAY), FieldErrors::default());
    let mut h = family();
    h.members[1].relation = Relation::Head;
    assert_eq!(
        household(&h, TODAY).for_field("members"),
        Some("head_twice")
    );
    h.members[1].active = false;
    assert!(
        household(&h, TODAY).is_empty(),
        "a member who left does not count"
    );
    h.members[0].relation = Relation::Child;
    assert_eq!(
        household(&h, TODAY).for_field("members"),
        Some("head_missing")
    );
    let mut h = family();
    h.members[1].id_number = h.members[0].id_number.clone();
    h.members[1].sex = Sex::Male;
    assert_eq!(
        household(&h, TODAY).for_field("members"),
        Some("id_repeated")
    );
    let mut h = family();
    h.members[1].birth_date = d(1980, 1, 1);
    h.members[0].name = "张".into();
    h.phone = Some("555".into());
    h.exited_on = Some(d(2013, 1, 1));
    h.address = String::new();
    h.group_no = Some(100);
    let e = household(&h, TODAY);
    assert_eq!(
        e.for_field("members.1.birth_date"),
        Some("birth_date_mismatch")
    );
    assert_eq!(e.for_field("members.0.name"), Some("name_length"));
    assert_eq!(e.for_field("phone"), Some("phone_format"));
    assert_eq!(e.for_field("exited_on"), Some("exit_before_identified"));
    assert_eq!(e.for_field("address"), Some("address_length"));
    assert_eq!(e.for_field("group_no"), Some("group_range"));
    let mut h = family();
    h.members[0].id_number = None;
    assert_eq!(
        household(&h, TODAY).for_field("members.0.id_number"),
        Some("id_required_for_head")
    );
}
