use super::*;
use crate::model::{codes::*, fixtures, registry::*};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const ON: NaiveDate = match NaiveDate::from_ymd_opt(2025, 11, 20) {
    Some(d) => d,
    None => panic!(),
};

fn family() -> Household {
    let mut child = fixtures::member("李小红", Relation::Child, Sex::Female, d(2012, 5, 1), 12);
    child.student_status = StudentStatus::Primary;
    child.labour = Labour::None;
    fixtures::household(
        "430581101201",
        vec![
            fixtures::member("李强", Relation::Head, Sex::Male, d(1980, 3, 4), 11),
            child,
        ],
    )
}

#[test]
fn each_category_fits_its_households() {
    use Category::*;
    let ordinary = None;
    let exited = Some(Status::Exited);
    assert!(category_fits(Unstable, exited));
    assert!(category_fits(Unstable, Some(Status::Relapsed)));
    assert!(
        !category_fits(Unstable, ordinary),
        "an ordinary household never exited"
    );
    assert!(!category_fits(Unstable, Some(Status::Poor)));
    assert!(category_fits(Marginal, ordinary));
    assert!(
        !category_fits(Marginal, exited),
        "a registered household is not 边缘"
    );
    for s in [ordinary, exited, Some(Status::Poor), Some(Status::Relapsed)] {
        assert!(category_fits(Sudden, s));
    }
}

#[test]
fn one_to_three_distinct_risks() {
    use Risk::*;
    assert!(!risks_valid(&[]));
    assert!(risks_valid(&[Illness]));
    assert!(risks_valid(&[Illness, Schooling, Disaster]));
    assert!(!risks_valid(&[Illness, Schooling, Disaster, Other]));
    assert!(!risks_valid(&[Illness, Illness]));
}

#[test]
fn the_procedure_runs_in_one_order_to_its_end() {
    let mut s = Stage::Lead;
    let mut walked = vec![s];
    while let Some(n) = s.next() {
        walked.push(n);
        s = n;
    }
    assert_eq!(s, Stage::Cleared);
    // Every stage but Closed is on the one path, once.
    assert_eq!(walked.len(), Stage::ALL.len() - 1);
    assert!(!walked.contains(&Stage::Closed));
    assert_eq!(Stage::Closed.next(), None);
    assert!(Stage::Notice.is_notice() && Stage::ClearNotice.is_notice());
    assert!(Stage::HomeCheck.is_home_check() && Stage::ClearHomeCheck.is_home_check());
}

#[test]
fn reviews_belong_to_their_level() {
    assert_eq!(Stage::TownshipReview.owner(), Owner::Township);
    assert_eq!(Stage::Monitored.owner(), Owner::City);
    assert_eq!(Stage::Cleared.owner(), Owner::City);
    assert_eq!(Stage::VillageReview.owner(), Owner::Village);
    assert!(Owner::Village.allows(Role::Village) && Owner::Village.allows(Role::Township));
    assert!(
        !Owner::Village.allows(Role::Cadre),
        "a helper cadre records visits, not steps"
    );
    assert!(!Owner::Township.allows(Role::Village) && !Owner::Township.allows(Role::CityAdmin));
    assert!(!Owner::City.allows(Role::Township));
}

#[test]
fn a_refusal_closes_identification_but_not_a_monitored_household() {
    assert_eq!(Stage::TownshipReview.refused_to(), Stage::Closed);
    assert_eq!(Stage::VillageReview.refused_to(), Stage::Closed);
    assert_eq!(Stage::ClearTownship.refused_to(), Stage::Monitored);
    assert!(Stage::ClearNotice.is_monitored() && !Stage::Cleared.is_monitored());
}

#[test]
fn working_days_skip_weekends_holidays_and_count_make_up_days() {
    let mut cal = Calendar::default();
    // Friday 2025-09-26 + 2 working days: Monday and Tuesday.
    assert_eq!(cal.add_working_days(d(2025, 9, 26), 2), d(2025, 9, 30));
    // 国庆 2025: 1–8 October off, Sunday 28 September and Saturday 11 October worked.
    cal.holidays.extend((1..=8).map(|n| d(2025, 10, n)));
    cal.workdays.extend([d(2025, 9, 28), d(2025, 10, 11)]);
    assert!(cal.is_working(d(2025, 9, 28)), "a make-up Sunday is worked");
    assert!(!cal.is_working(d(2025, 10, 6)), "a Monday holiday is off");
    // Friday 26 Sep → Sunday 28 (make-up), Monday 29, Tuesday 30.
    assert_eq!(cal.add_working_days(d(2025, 9, 26), 2), d(2025, 9, 29));
    assert_eq!(cal.add_working_days(d(2025, 9, 26), 3), d(2025, 9, 30));
    // Tuesday 30 September + 1: over the whole holiday to Thursday 9 October.
    assert_eq!(cal.add_working_days(d(2025, 9, 30), 1), d(2025, 10, 9));
    // Thursday 9 is no holiday in this table: the table is the data, the weekday rule the rest.
    assert_eq!(cal.add_working_days(d(2025, 10, 9), 2), d(2025, 10, 11));
}

#[test]
fn deadlines_follow_the_stage() {
    let cal = Calendar::default();
    let raised = d(2025, 11, 14); // a Friday
    assert_eq!(due(&cal, Stage::Lead, raised, None), Some(d(2025, 11, 18)));
    assert_eq!(
        due(&cal, Stage::VillageReview, raised, None),
        Some(d(2025, 12, 12))
    );
    assert_eq!(due(&cal, Stage::Monitored, raised, None), None);
    assert_eq!(due(&cal, Stage::ClearNotice, raised, None), None);
    assert_eq!(
        due(&cal, Stage::ClearNotice, raised, Some(d(2026, 3, 2))),
        Some(d(2026, 3, 30))
    );
    assert_eq!(due(&cal, Stage::Cleared, raised, None), None);
}

#[test]
fn counted_income_takes_off_compliant_spending() {
    let mut i = fixtures::income(2025, 24_000, 3);
    assert_eq!(counted_income(&i), 8_000);
    i.spending = 3_000;
    i.costs = 1_000;
    assert_eq!(counted_income(&i), 6_666);
    // A year whose spending outran its income counts below zero, rounded down.
    i.spending = 25_000;
    assert_eq!(counted_income(&i), -667);
}

#[test]
fn clearing_needs_income_above_the_line_and_security() {
    let h = family();
    let mut f = ClearFacts {
        incomes: vec![fixtures::income(2025, 16_000, 2)],
        lines: vec![(2024, 7_600), (2025, 7_800)],
        ..ClearFacts::default()
    };
    assert!(clear_check(&h, &f, ON).is_empty());
    // Equal is not above; spending counts.
    f.incomes[0].spending = 400;
    assert_eq!(
        clear_check(&h, &f, ON),
        [ClearReason::IncomeNotAbove {
            year: 2025,
            counted: 7_800,
            line: 7_800
        }]
    );
    // Without this year's income, last year's counts against last year's line.
    f.incomes = vec![fixtures::income(2024, 16_000, 2)];
    assert!(clear_check(&h, &f, ON).is_empty());
    f.incomes = vec![fixtures::income(2023, 99_000, 2)];
    assert_eq!(
        clear_check(&h, &f, ON),
        [ClearReason::NoIncome { year: 2025 }]
    );
    f.incomes = vec![fixtures::income(2025, 99_000, 2)];
    f.lines.clear();
    assert_eq!(
        clear_check(&h, &f, ON),
        [ClearReason::NoLine { year: 2025 }]
    );
}

#[test]
fn clearing_waits_for_water_school_and_spending() {
    let mut h = family();
    h.has_safe_water = false;
    h.members[1].student_status = StudentStatus::Dropout;
    let f = ClearFacts {
        incomes: vec![fixtures::income(2025, 40_000, 2)],
        lines: vec![(2025, 7_800)],
        risks: vec![Risk::Disaster, Risk::Illness],
        ..ClearFacts::default()
    };
    let reasons = clear_check(&h, &f, ON);
    assert_eq!(
        reasons,
        [
            ClearReason::Security(ExitReason::UnsafeWater),
            ClearReason::Security(ExitReason::OutOfSchool {
                member: "李小红".into()
            }),
            ClearReason::SpendingUnresolved,
        ]
    );
    h.has_safe_water = true;
    h.members[1].student_status = StudentStatus::Primary;
    let resolved = ClearFacts {
        spending_resolved: true,
        ..f.clone()
    };
    assert!(clear_check(&h, &resolved, ON).is_empty());
    // A disaster alone has no spending to resolve.
    let disaster = ClearFacts {
        risks: vec![Risk::Disaster],
        ..f
    };
    assert!(clear_check(&h, &disaster, ON).is_empty());
}

#[test]
fn a_household_on_support_with_no_one_able_to_work_is_held() {
    let mut h = family();
    let f = ClearFacts {
        incomes: vec![fixtures::income(2025, 40_000, 2)],
        lines: vec![(2025, 7_800)],
        assistance: vec![AssistanceKind::Dibao],
        ..ClearFacts::default()
    };
    // The head can work: on 低保, but not held.
    assert!(clear_check(&h, &f, ON).is_empty());
    h.members[0].labour = Labour::Lost;
    assert_eq!(clear_check(&h, &f, ON), [ClearReason::LivesOnSupport]);
    // Temporary assistance is no 兜底.
    let temporary = ClearFacts {
        assistance: vec![AssistanceKind::Temporary],
        ..f.clone()
    };
    assert!(clear_check(&h, &temporary, ON).is_empty());
    // Past working age counts as unable, whatever the labour field says.
    h.members[0].labour = Labour::Ordinary;
    h.members[0].birth_date = d(1955, 1, 1);
    assert_eq!(clear_check(&h, &f, ON), [ClearReason::LivesOnSupport]);
}

#[test]
fn every_able_worker_needs_a_developmental_measure() {
    let mut h = family();
    h.members[0].id = Some(7);
    h.members[1].id = Some(8);
    let head = |ms: Vec<&Member>| ms.iter().map(|m| m.name.clone()).collect::<Vec<_>>();
    assert_eq!(head(without_development(&h, &[], ON)), ["李强"]);
    let medical = PlanLine {
        category: MeasureCategory::Medical,
        member_id: Some(7),
    };
    assert_eq!(
        head(without_development(&h, std::slice::from_ref(&medical), ON)),
        ["李强"]
    );
    let for_him = PlanLine {
        category: MeasureCategory::Employment,
        member_id: Some(7),
    };
    assert!(without_development(&h, &[medical.clone(), for_him], ON).is_empty());
    let for_other = PlanLine {
        category: MeasureCategory::Industry,
        member_id: Some(8),
    };
    assert_eq!(head(without_development(&h, &[for_other], ON)), ["李强"]);
    let whole = PlanLine {
        category: MeasureCategory::Industry,
        member_id: None,
    };
    assert!(without_development(&h, &[whole], ON).is_empty());
    // A member who left is no one's warning.
    h.members[0].active = false;
    assert!(without_development(&h, &[medical], ON).is_empty());
}
