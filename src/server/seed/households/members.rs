//! A household's members (names, ID numbers, schooling, health, work) and its yearly incomes.
use super::*;

impl Generator {
    pub(super) fn members(
        &mut self,
        household: i64,
        size: usize,
        main: PovertyCause,
        exited: bool,
        t: &mut Tables,
    ) -> Vec<Person> {
        let head_male = self.rng_mut().random_bool(0.85);
        let head_age = self.rng_mut().random_range(28..82);
        let surname_name = self.name(head_male, None);
        let surname: String = surname_name
            .chars()
            .next()
            .map(String::from)
            .unwrap_or_default();
        let mut specs = vec![(Relation::Head, head_male, head_age, surname_name)];
        for k in 1..size {
            let rng = self.rng_mut();
            let (relation, male, age) = if k == 1 && head_age < 78 && rng.random_bool(0.9) {
                (
                    Relation::Spouse,
                    !head_male,
                    (head_age + rng.random_range(-5..=5)).max(20),
                )
            } else if head_age >= 55 && rng.random_bool(0.5) {
                (
                    Relation::Grandchild,
                    rng.random_bool(0.5),
                    rng.random_range(0..17),
                )
            } else if head_age < 50 && rng.random_bool(0.15) {
                (
                    Relation::Parent,
                    rng.random_bool(0.5),
                    head_age + rng.random_range(22..32),
                )
            } else {
                (
                    Relation::Child,
                    rng.random_bool(0.52),
                    (head_age - rng.random_range(20..36)).max(0),
                )
            };
            let name = if relation == Relation::Spouse {
                self.name(male, None)
            } else {
                self.name(male, Some(&surname))
            };
            specs.push((relation, male, age, name));
        }
        // Which member carries the main cause (illness or disability), if any.
        let affected = match main {
            PovertyCause::Illness | PovertyCause::Disability => {
                Some(self.rng_mut().random_range(0..specs.len().min(2)))
            }
            _ => None,
        };
        let mut people = Vec::with_capacity(size);
        for (idx, (relation, male, age, name)) in specs.into_iter().enumerate() {
            let birth = {
                let year = REFERENCE_YEAR - age;
                let day = self.rng_mut().random_range(0..365);
                NaiveDate::from_ymd_opt(year, 1, 1).expect("year") + Duration::days(day)
            };
            let id_number = self.id_number(birth, male);
            let rng = self.rng_mut();
            let health = match (affected == Some(idx), main) {
                (true, PovertyCause::Illness) => {
                    if rng.random_bool(0.6) {
                        Health::Chronic
                    } else {
                        Health::Serious
                    }
                }
                (true, _) => Health::Disabled,
                _ if age >= 60 && rng.random_bool(0.25) => Health::Chronic,
                _ => Health::Healthy,
            };
            let disability_cert = (health == Health::Disabled)
                .then(|| format!("{id_number}{}1", rng.random_range(1..=4)));
            let student = student_status(rng, age, exited);
            let education = education(rng, age);
            let labour = if !(16..65).contains(&age) {
                Labour::None
            } else if matches!(health, Health::Disabled | Health::Serious) {
                Labour::Lost
            } else if rng.random_bool(0.15) {
                Labour::Skilled
            } else {
                Labour::Ordinary
            };
            let migrant =
                if matches!(labour, Labour::Ordinary | Labour::Skilled) && rng.random_bool(0.35) {
                    rng.random_range(3..=12)
                } else {
                    0
                };
            let id = self.next_member_id();
            let keys = crate::server::names::keys(&name);
            let rng = self.rng_mut();
            t.member.push(vec![
                id.into(),
                household.into(),
                name.into(),
                if male { "male" } else { "female" }.into(),
                id_number.into(),
                disability_cert.into(),
                birth.into(),
                relation.as_str().into(),
                education.as_str().into(),
                student.as_str().into(),
                health.as_str().into(),
                labour.as_str().into(),
                i64::from(migrant).into(),
                rng.random_bool(if exited { 1.0 } else { 0.96 }).into(),
                (age >= 16 && rng.random_bool(0.88)).into(),
                keys.pinyin.into(),
                keys.initials.into(),
            ]);
            people.push(Person {
                id,
                age,
                student,
                health,
            });
        }
        people
    }

    pub(super) fn incomes(
        &mut self,
        household: i64,
        first: i32,
        last: i32,
        persons: usize,
        exited: bool,
        t: &mut Tables,
    ) {
        let years = if first == last {
            vec![(first, false)]
        } else {
            vec![(first, false), (last, true)]
        };
        for (year, is_last) in years {
            let line = POVERTY_LINES
                .iter()
                .find(|l| l.0 == i64::from(year))
                .map_or(3000, |l| l.1);
            let rng = self.rng_mut();
            let per_capita = if is_last && exited {
                line + rng.random_range(300..3000)
            } else {
                rng.random_range(1200..line - 100)
            };
            let total = per_capita * persons as i64;
            let costs = rng.random_range(0..=total / 10);
            let (business, transfer, property) = (total / 4, total / 5, total / 20);
            let wages = total - business - transfer - property + costs;
            t.income.push(vec![
                household.into(),
                i64::from(year).into(),
                (persons as i64).into(),
                wages.into(),
                business.into(),
                transfer.into(),
                property.into(),
                costs.into(),
            ]);
        }
    }
}

pub(super) fn student_status(rng: &mut impl Rng, age: i32, exited: bool) -> StudentStatus {
    match age {
        3..=5 if rng.random_bool(0.7) => StudentStatus::Preschool,
        // A few school-age children out of school, never in a household that exited.
        6..=15 if !exited && rng.random_bool(0.01) => StudentStatus::Dropout,
        6..=11 => StudentStatus::Primary,
        12..=15 => StudentStatus::Junior,
        16..=18 if rng.random_bool(0.55) => StudentStatus::Senior,
        16..=18 if rng.random_bool(0.7) => StudentStatus::Vocational,
        19..=22 if rng.random_bool(0.2) => StudentStatus::College,
        _ => StudentStatus::None,
    }
}

pub(super) fn education(rng: &mut impl Rng, age: i32) -> Education {
    match age {
        0..=6 => Education::Preschool,
        7..=12 => Education::Primary,
        13..=15 => Education::Junior,
        _ => *[
            Education::Illiterate,
            Education::Primary,
            Education::Primary,
            Education::Primary,
            Education::Junior,
            Education::Junior,
            Education::Junior,
            Education::Senior,
            if age < 40 {
                Education::College
            } else {
                Education::Primary
            },
            if age > 65 {
                Education::Illiterate
            } else {
                Education::Junior
            },
        ]
        .choose(rng)
        .expect("levels"),
    }
}
