//! The poverty rules, with their thresholds read from the per-year data (poverty line, targets):
//! the household exit check (收入 above the line and 两不愁三保障), village incidence and exit
//! eligibility. Pure functions, shared with the WASM client.
use super::{
    codes::{DangerGrade, StudentStatus},
    public::age_on,
    registry::{Household, Income},
};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A village may exit when fewer than 2 % of its rural registered population are poor (central
/// and eastern provinces; Hunan is one).
pub const VILLAGE_EXIT_INCIDENCE: f64 = 0.02;

/// Compulsory education (九年义务教育) covers ages 6 to 15.
pub const SCHOOL_AGE: std::ops::RangeInclusive<i32> = 6..=15;

/// Why a household cannot exit yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum ExitReason {
    /// No income recorded for the exit year.
    NoIncome { year: i32 },
    /// No poverty line stored for the exit year (the check cannot be made).
    NoLine { year: i32 },
    /// Per-capita net income not above that year's line.
    IncomeBelowLine {
        year: i32,
        per_capita: i64,
        line: i64,
    },
    /// 两不愁: drinking water not safe.
    UnsafeWater,
    /// 义务教育有保障: a school-age child not in school.
    OutOfSchool { member: String },
    /// 基本医疗有保障: a member without basic medical insurance.
    Uninsured { member: String },
    /// 住房安全有保障: a grade C or D house neither renovated nor left by relocation.
    UnsafeHousing { grade: String },
}

/// Per-capita net income as the database computes it (whole yuan, rounded down).
pub fn per_capita(i: &Income) -> i64 {
    let net = i.wages + i.business + i.transfer + i.property - i.costs;
    net.div_euclid(i.persons.max(1))
}

/// The exit check for household `h` on date `on`: the income of `on`'s year against that year's
/// `line`, and 两不愁三保障 for every member still in the household. An empty list means it passes.
pub fn exit_check(
    h: &Household,
    incomes: &[Income],
    line: Option<i64>,
    on: NaiveDate,
) -> Vec<ExitReason> {
    let year = on.year();
    let mut reasons = Vec::new();
    match (incomes.iter().find(|i| i.year == i64::from(year)), line) {
        (_, None) => reasons.push(ExitReason::NoLine { year }),
        (None, Some(_)) => reasons.push(ExitReason::NoIncome { year }),
        (Some(i), Some(line)) => {
            let pc = per_capita(i);
            if pc <= line {
                reasons.push(ExitReason::IncomeBelowLine {
                    year,
                    per_capita: pc,
                    line,
                });
            }
        }
    }
    reasons.extend(security_check(h, on));
    reasons
}

/// 两不愁三保障 on date `on`: safe drinking water, compulsory schooling and basic medical insurance
/// for every member still in the household, and a safe house. The exit check and the monitoring
/// clearing check both ask it; an empty list means it passes.
pub fn security_check(h: &Household, on: NaiveDate) -> Vec<ExitReason> {
    let mut reasons = Vec::new();
    if !h.has_safe_water {
        reasons.push(ExitReason::UnsafeWater);
    }
    for m in h.members.iter().filter(|m| m.active) {
        let age = age_on(m.birth_date, on);
        let out_of_school = m.student_status == StudentStatus::Dropout
            || (SCHOOL_AGE.contains(&age) && m.student_status == StudentStatus::None);
        if out_of_school && age <= *SCHOOL_AGE.end() {
            reasons.push(ExitReason::OutOfSchool {
                member: m.name.clone(),
            });
        }
        if !m.medical_insured {
            reasons.push(ExitReason::Uninsured {
                member: m.name.clone(),
            });
        }
    }
    if let Some(hs) = &h.housing
        && matches!(hs.danger_grade, Some(DangerGrade::C | DangerGrade::D))
        && hs.renovated_on.is_none_or(|d| d > on)
        && !(hs.relocated && hs.relocated_on.is_none_or(|d| d <= on))
    {
        let grade = hs
            .danger_grade
            .map(|g| g.as_str().to_string())
            .unwrap_or_default();
        reasons.push(ExitReason::UnsafeHousing { grade });
    }
    reasons
}

/// Poverty incidence: poor persons ÷ rural registered population (0 when the population is
/// unknown or zero).
pub fn incidence(poor_persons: i64, rural_population: i64) -> f64 {
    if rural_population <= 0 {
        return 0.0;
    }
    poor_persons as f64 / rural_population as f64
}

/// Whether a village's incidence is below the exit threshold.
pub fn village_may_exit(poor_persons: i64, rural_population: i64) -> bool {
    rural_population > 0 && incidence(poor_persons, rural_population) < VILLAGE_EXIT_INCIDENCE
}

/// How many more poor persons must exit before the village is below the threshold.
pub fn persons_to_exit(poor_persons: i64, rural_population: i64) -> i64 {
    if rural_population <= 0 {
        return poor_persons;
    }
    // Largest allowed count n with n / pop < 2 %: n < pop / 50.
    let allowed = (rural_population - 1) / 50;
    (poor_persons - allowed).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{codes::*, registry::*};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn person(name: &str, birth: NaiveDate, relation: Relation) -> Member {
        Member {
            pension_insured: true,
            ..fixtures::member(name, relation, Sex::Male, birth, 11)
        }
    }

    fn family() -> Household {
        Household {
            id: Some(1),
            housing: Some(Housing {
                structure: Structure::BrickWood,
                area_m2: 80.0,
                built_year: Some(1990),
                danger_grade: Some(DangerGrade::B),
                renovated_on: None,
                relocated: false,
                relocated_on: None,
            }),
            ..fixtures::household(
                "430581101201",
                vec![
                    person("张伟", d(1975, 3, 4), Relation::Head),
                    person("张小明", d(2008, 9, 1), Relation::Child),
                ],
            )
        }
    }

    use super::super::fixtures::{self, income};

    const ON: NaiveDate = match NaiveDate::from_ymd_opt(2017, 11, 20) {
        Some(d) => d,
        None => panic!(),
    };

    #[test]
    fn income_must_be_above_the_years_line() {
        let mut h = family();
        h.members[1].student_status = StudentStatus::Junior;
        // 3,335 yuan a head is the 2017 line: equal is not above.
        let at_line = [income(2017, 6670, 2)];
        assert_eq!(
            exit_check(&h, &at_line, Some(3335), ON),
            [ExitReason::IncomeBelowLine {
                year: 2017,
                per_capita: 3335,
                line: 3335
            }]
        );
        assert!(exit_check(&h, &[income(2017, 6672, 2)], Some(3335), ON).is_empty());
        // Another year's income does not count; nor does a missing line.
        assert_eq!(
            exit_check(&h, &[income(2016, 20000, 2)], Some(3335), ON),
            [ExitReason::NoIncome { year: 2017 }]
        );
        assert_eq!(
            exit_check(&h, &[income(2017, 20000, 2)], None, ON),
            [ExitReason::NoLine { year: 2017 }]
        );
        // Costs come off; per capita rounds down.
        let mut i = income(2017, 7000, 2);
        i.costs = 330;
        assert_eq!(per_capita(&i), 3335);
    }

    #[test]
    fn two_assurances_three_guarantees() {
        let ok = [income(2017, 10000, 2)];
        let mut h = family();
        // A 9-year-old (born 2008) not in school fails; once in school, passes.
        assert_eq!(
            exit_check(&h, &ok, Some(3335), ON),
            [ExitReason::OutOfSchool {
                member: "张小明".into()
            }]
        );
        h.members[1].student_status = StudentStatus::Primary;
        assert!(exit_check(&h, &ok, Some(3335), ON).is_empty());
        // Ages 6 and 15 are school age; 16 is not; a dropout counts up to 15.
        h.members[1].student_status = StudentStatus::None;
        h.members[1].birth_date = d(2011, 11, 20); // 6 on the day
        assert!(!exit_check(&h, &ok, Some(3335), ON).is_empty());
        h.members[1].birth_date = d(2011, 11, 21); // still 5
        assert!(exit_check(&h, &ok, Some(3335), ON).is_empty());
        h.members[1].birth_date = d(2002, 11, 20); // 15
        assert!(!exit_check(&h, &ok, Some(3335), ON).is_empty());
        h.members[1].birth_date = d(2001, 11, 20); // 16
        assert!(exit_check(&h, &ok, Some(3335), ON).is_empty());
        h.members[1].student_status = StudentStatus::Dropout;
        assert!(exit_check(&h, &ok, Some(3335), ON).is_empty());
        // Insurance: every active member; one who left does not count.
        h.members[1].student_status = StudentStatus::None;
        h.members[0].medical_insured = false;
        assert_eq!(
            exit_check(&h, &ok, Some(3335), ON),
            [ExitReason::Uninsured {
                member: "张伟".into()
            }]
        );
        h.members[0].active = false;
        assert!(exit_check(&h, &ok, Some(3335), ON).is_empty());
        h.has_safe_water = false;
        assert_eq!(
            exit_check(&h, &ok, Some(3335), ON),
            [ExitReason::UnsafeWater]
        );
    }

    #[test]
    fn housing_must_be_safe_renovated_or_left() {
        let ok = [income(2017, 10000, 2)];
        let mut h = family();
        h.members[1].student_status = StudentStatus::Primary;
        let hs = h.housing.as_mut().unwrap();
        hs.danger_grade = Some(DangerGrade::D);
        assert_eq!(
            exit_check(&h, &ok, Some(3335), ON),
            [ExitReason::UnsafeHousing { grade: "D".into() }]
        );
        let hs = h.housing.as_mut().unwrap();
        hs.renovated_on = Some(d(2017, 11, 21)); // the day after: not yet
        assert!(!exit_check(&h, &ok, Some(3335), ON).is_empty());
        let hs = h.housing.as_mut().unwrap();
        hs.renovated_on = Some(ON);
        assert!(exit_check(&h, &ok, Some(3335), ON).is_empty());
        let hs = h.housing.as_mut().unwrap();
        hs.renovated_on = None;
        hs.danger_grade = Some(DangerGrade::C);
        hs.relocated = true;
        hs.relocated_on = Some(d(2017, 6, 1));
        assert!(exit_check(&h, &ok, Some(3335), ON).is_empty());
    }

    #[test]
    fn village_incidence_and_exit() {
        assert_eq!(incidence(0, 0), 0.0);
        assert!((incidence(30, 1000) - 0.03).abs() < 1e-12);
        assert!(!village_may_exit(20, 1000), "exactly 2 % is not below 2 %");
        assert!(village_may_exit(19, 1000));
        assert!(!village_may_exit(0, 0), "unknown population: no decision");
        assert_eq!(persons_to_exit(20, 1000), 1);
        assert_eq!(persons_to_exit(19, 1000), 0);
        assert_eq!(persons_to_exit(45, 1001), 25);
        assert!(village_may_exit(45 - 25, 1001));
        assert!(!village_may_exit(45 - 24, 1001));
    }
}
