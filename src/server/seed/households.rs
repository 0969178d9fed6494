//! Households and everything recorded about them.
use super::{
    bulk::{Table, Tx, Val},
    catalog::*,
    people::{Generator, Totals},
};
use crate::model::codes::*;
use chrono::{Datelike, Duration, NaiveDate};
use rand::{Rng, seq::IndexedRandom};

const REFERENCE_YEAR: i32 = 2014;
const VISIT_NOTES: &[&str] = &[
    "了解家庭收入情况",
    "宣讲健康扶贫政策",
    "落实产业帮扶措施",
    "核实住房安全情况",
    "帮助联系就业岗位",
    "走访慰问",
    "核对家庭成员信息",
    "讲解小额信贷政策",
];
const BANKS: &[&str] = &[
    "武冈农村商业银行",
    "中国邮政储蓄银行武冈市支行",
    "中国农业银行武冈市支行",
];

struct Tables {
    household: Table,
    cause: Table,
    member: Table,
    income: Table,
    housing: Table,
    measure: Table,
    assistance: Table,
    pairing: Table,
    visit: Table,
}

impl Tables {
    fn new() -> Self {
        Tables {
            household: Table::new(
                "household",
                &[
                    "id",
                    "village_code",
                    "group_no",
                    "address",
                    "phone",
                    "bank_name",
                    "bank_account",
                    "standard",
                    "attribute",
                    "status",
                    "identified_on",
                    "exited_on",
                    "relapsed_on",
                    "has_electricity",
                    "has_safe_water",
                    "has_road_access",
                ],
            ),
            cause: Table::new("household_cause", &["household_id", "rank", "cause"]),
            member: Table::new(
                "member",
                &[
                    "id",
                    "household_id",
                    "name",
                    "sex",
                    "id_number",
                    "disability_cert",
                    "birth_date",
                    "relation",
                    "education",
                    "student_status",
                    "health",
                    "labour",
                    "migrant_months",
                    "medical_insured",
                    "pension_insured",
                    "name_pinyin",
                    "name_initials",
                ],
            ),
            income: Table::new(
                "household_income",
                &[
                    "household_id",
                    "year",
                    "persons",
                    "wages",
                    "business",
                    "transfer",
                    "property",
                    "costs",
                ],
            ),
            housing: Table::new(
                "housing",
                &[
                    "household_id",
                    "structure",
                    "area_m2",
                    "built_year",
                    "danger_grade",
                    "renovated_on",
                    "relocated",
                    "relocated_on",
                ],
            ),
            measure: Table::new(
                "measure",
                &[
                    "household_id",
                    "member_id",
                    "category",
                    "kind",
                    "name",
                    "given_on",
                    "amount",
                    "agency",
                    "policy_id",
                ],
            ),
            assistance: Table::new(
                "assistance",
                &[
                    "household_id",
                    "member_id",
                    "kind",
                    "start_on",
                    "end_on",
                    "monthly_amount",
                ],
            ),
            pairing: Table::new(
                "pairing",
                &["household_id", "cadre_id", "start_on", "end_on"],
            ),
            visit: Table::new("visit", &["household_id", "cadre_id", "visited_on", "note"]),
        }
    }

    fn all(&mut self) -> [&mut Table; 9] {
        [
            &mut self.household,
            &mut self.cause,
            &mut self.member,
            &mut self.income,
            &mut self.housing,
            &mut self.measure,
            &mut self.assistance,
            &mut self.pairing,
            &mut self.visit,
        ]
    }

    /// Parents before children, so foreign keys hold at every statement.
    async fn flush(&mut self, tx: &mut Tx, force: bool) -> Result<(), sqlx::Error> {
        if force || self.all().iter().any(|t| t.is_full()) {
            for t in self.all() {
                t.flush(tx).await?;
            }
        }
        Ok(())
    }
}

/// What the generator decided about one person, kept to derive measures.
struct Person {
    id: i64,
    age: i32,
    student: StudentStatus,
    health: Health,
}

impl Generator {
    /// Writes every household with its members, causes, incomes, housing, measures, social
    /// assistance, helper pairings and visits.
    pub async fn write_households(
        &mut self,
        tx: &mut Tx,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Totals, sqlx::Error> {
        let mut t = Tables::new();
        let total = u64::from(self.households);
        for i in 0..self.households {
            self.household(i64::from(i) + 1, &mut t);
            t.flush(tx, false).await?;
            if (i + 1) % 10_000 == 0 {
                progress(u64::from(i) + 1, total);
            }
        }
        t.flush(tx, true).await?;
        progress(total, total);
        Ok(Totals {
            households: t.household.written,
            members: t.member.written,
            measures: t.measure.written,
        })
    }

    fn day_in(&mut self, year: i32, months: std::ops::RangeInclusive<u32>) -> NaiveDate {
        let m = self.rng_mut().random_range(months);
        let d = self.rng_mut().random_range(1..=28);
        NaiveDate::from_ymd_opt(year, m, d).expect("valid date")
    }

    fn household(&mut self, id: i64, t: &mut Tables) {
        let n = self.villages.len();
        let pick = self.rng_mut().random_range(0..n);
        let (village, place) = self.villages[pick].clone();
        let size = *[1, 2, 3, 3, 4, 4, 4, 5, 5, 6, 2, 3, 4, 5, 7, 1, 2, 3, 4, 6]
            .choose(self.rng_mut())
            .expect("sizes");
        let rng = self.rng_mut();
        let attribute = if size == 1 && rng.random_bool(0.5) {
            Attribute::Tekun
        } else if rng.random_bool(0.15) {
            Attribute::Dibao
        } else {
            Attribute::General
        };
        let standard = match rng.random_range(0..100) {
            0..90 => Standard::National,
            90..98 => Standard::Provincial,
            _ => Standard::Municipal,
        };
        let main = CAUSE_WEIGHTS
            .choose_weighted(rng, |c| c.1)
            .expect("weights")
            .0;
        let mut causes = vec![main];
        for _ in 0..*[0, 0, 1, 1, 2].choose(rng).expect("counts") {
            let c = *PovertyCause::ALL.choose(rng).expect("causes");
            if !causes.contains(&c) {
                causes.push(c);
            }
        }
        let identified_year = *[
            2014, 2014, 2014, 2014, 2014, 2014, 2014, 2014, 2014, 2014, 2014, 2015, 2016,
        ]
        .choose(rng)
        .expect("years");
        let identified_on = self.day_in(identified_year, 3..=10);
        // Exit year by the city's yearly shares; about 4 % are still in poverty.
        let roll = self.rng_mut().random_range(0..1000u32);
        let mut acc = 0;
        let exit_year = EXIT_SHARES.iter().find_map(|&(y, share)| {
            acc += share;
            (roll < acc).then_some(y.max(identified_year))
        });
        let exited_on = exit_year.map(|y| {
            // Verification happens mostly at the end of the year.
            let month = *[
                3, 5, 6, 7, 8, 9, 9, 10, 10, 10, 11, 11, 11, 11, 12, 12, 12, 12, 12, 12,
            ]
            .choose(self.rng_mut())
            .expect("months");
            let day = self.rng_mut().random_range(1..=28);
            NaiveDate::from_ymd_opt(y, month, day)
                .expect("valid date")
                .max(identified_on)
        });
        let relapsed_on = exited_on
            .filter(|_| self.rng_mut().random_bool(0.012))
            .map(|d| d + Duration::days(self.rng_mut().random_range(180..540)));
        let status = match (exited_on, relapsed_on) {
            (_, Some(_)) => Status::Relapsed,
            (Some(_), None) => Status::Exited,
            _ => Status::Poor,
        };
        let group = self.rng_mut().random_range(1..=12i64);
        let phone = self.rng_mut().random_bool(0.85).then(|| self.phone());
        let bank = BANKS.choose(self.rng_mut()).expect("banks").to_string();
        let account = format!(
            "6217{:015}",
            self.rng_mut().random_range(0..1_000_000_000_000_000u64)
        );
        let rng = self.rng_mut();
        t.household.push(vec![
            id.into(),
            village.clone().into(),
            group.into(),
            format!("{place}{group}组").into(),
            phone.into(),
            bank.into(),
            account.into(),
            standard.as_str().into(),
            attribute.as_str().into(),
            status.as_str().into(),
            identified_on.into(),
            exited_on.into(),
            relapsed_on.into(),
            rng.random_bool(0.995).into(),
            rng.random_bool(if exit_year.is_some() { 0.97 } else { 0.8 })
                .into(),
            rng.random_bool(0.95).into(),
        ]);
        for (rank, c) in causes.iter().enumerate() {
            t.cause
                .push(vec![id.into(), (rank as i64 + 1).into(), c.as_str().into()]);
        }
        let persons = self.members(id, size, main, status != Status::Poor, t);
        let last_year = exited_on.map_or(2018, |d| d.year());
        self.incomes(
            id,
            identified_year,
            last_year,
            size,
            status != Status::Poor,
            t,
        );
        let unsafe_house = self.housing(id, exited_on, t);
        self.measures(
            id,
            &persons,
            &causes,
            attribute,
            unsafe_house,
            identified_on,
            last_year,
            t,
        );
        self.helpers_of(id, identified_on, t);
    }

    fn members(
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

    fn incomes(
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

    /// Returns whether the house was rated unsafe (C or D).
    fn housing(&mut self, household: i64, exited_on: Option<NaiveDate>, t: &mut Tables) -> bool {
        let rng = self.rng_mut();
        let structure = *[
            Structure::BrickConcrete,
            Structure::BrickConcrete,
            Structure::BrickConcrete,
            Structure::BrickWood,
            Structure::BrickWood,
            Structure::EarthBamboo,
            Structure::Concrete,
        ]
        .choose(rng)
        .expect("structures");
        let grade = match structure {
            Structure::EarthBamboo => *[DangerGrade::C, DangerGrade::D, DangerGrade::D]
                .choose(rng)
                .expect("grades"),
            _ => *[
                DangerGrade::A,
                DangerGrade::A,
                DangerGrade::B,
                DangerGrade::B,
                DangerGrade::B,
                DangerGrade::C,
            ]
            .choose(rng)
            .expect("grades"),
        };
        let unsafe_house = matches!(grade, DangerGrade::C | DangerGrade::D);
        let relocated = unsafe_house && rng.random_bool(0.25);
        let relocated_on = relocated.then(|| {
            NaiveDate::from_ymd_opt(rng.random_range(2016..=2018), rng.random_range(1..=12), 15)
                .expect("date")
        });
        // Households that exited had their unsafe house renovated (or were relocated) first.
        let renovated_on = (unsafe_house && !relocated)
            .then_some(exited_on)
            .flatten()
            .map(|d| d - Duration::days(60));
        t.housing.push(vec![
            household.into(),
            structure.as_str().into(),
            f64::from(rng.random_range(40..160)).into(),
            i64::from(rng.random_range(1965..2012)).into(),
            grade.as_str().into(),
            renovated_on.into(),
            relocated.into(),
            relocated_on.into(),
        ]);
        unsafe_house
    }

    #[allow(clippy::too_many_arguments)]
    fn measures(
        &mut self,
        household: i64,
        people: &[Person],
        causes: &[PovertyCause],
        attribute: Attribute,
        unsafe_house: bool,
        from: NaiveDate,
        last_year: i32,
        t: &mut Tables,
    ) {
        let mut give = |g: &mut Generator, kind: &str, member: Option<i64>| {
            let m = MEASURES
                .iter()
                .find(|m| m.kind == kind)
                .expect("measure kind");
            let year = g
                .rng_mut()
                .random_range(from.year()..=last_year.max(from.year()));
            let on = g.day_in(year, 1..=12).max(from);
            let amount = if m.max > m.min {
                g.rng_mut().random_range(m.min..=m.max) / 10 * 10
            } else {
                m.min
            };
            let policy = g.policy_for(m.category);
            t.measure.push(vec![
                household.into(),
                member.into(),
                m.category.as_str().into(),
                m.kind.into(),
                m.name.into(),
                on.into(),
                amount.into(),
                m.agency.into(),
                policy.into(),
            ]);
        };
        give(self, "insurance_subsidy", None);
        for p in people {
            match p.student {
                StudentStatus::Primary | StudentStatus::Junior => {
                    give(self, "two_exempt", Some(p.id))
                }
                StudentStatus::Vocational => give(self, "yulu", Some(p.id)),
                StudentStatus::College => give(self, "student_loan", Some(p.id)),
                _ => {}
            }
            match p.health {
                Health::Serious => give(self, "critical_illness", Some(p.id)),
                Health::Chronic if self.rng_mut().random_bool(0.4) => {
                    give(self, "medical_aid", Some(p.id))
                }
                _ => {}
            }
            if p.age >= 18 && p.age < 55 && self.rng_mut().random_bool(0.08) {
                give(self, "training", Some(p.id));
            }
        }
        if unsafe_house {
            give(self, "renovation", None);
        }
        let rng = self.rng_mut();
        let extra: Vec<&str> = [
            ("planting", 0.3),
            ("breeding", 0.2),
            ("coop_share", 0.15),
            ("microcredit", 0.1),
            ("public_job", 0.08),
            ("family_doctor", 0.2),
            ("temporary", 0.04),
        ]
        .into_iter()
        .filter(|(_, p)| rng.random_bool(*p))
        .map(|(k, _)| k)
        .collect();
        for kind in extra {
            give(self, kind, None);
        }
        if causes.contains(&PovertyCause::Schooling)
            && !people.iter().any(|p| p.student != StudentStatus::None)
        {
            give(self, "nutrition", None);
        }
        let kind = match attribute {
            Attribute::Dibao => Some((AssistanceKind::Dibao, 200..=380)),
            Attribute::Tekun => Some((AssistanceKind::Tekun, 400..=600)),
            Attribute::General => None,
        };
        if let Some((kind, range)) = kind {
            give(self, kind.as_str(), None);
            let monthly = self.rng_mut().random_range(range);
            t.assistance.push(vec![
                household.into(),
                Val::Int(None),
                kind.as_str().into(),
                from.into(),
                Val::Date(None),
                monthly.into(),
            ]);
        }
    }

    fn helpers_of(&mut self, household: i64, from: NaiveDate, t: &mut Tables) {
        let helpers = self.helper_count();
        let current = 1 + (household - 1) % helpers;
        let start = from + Duration::days(self.rng_mut().random_range(0..60));
        let mut current_start = start;
        if self.rng_mut().random_bool(0.15) {
            // The first helper was reassigned; the history keeps both.
            let previous = 1 + (household * 7 + 3) % helpers;
            let changed = self.day_in(2016, 1..=12).max(start + Duration::days(30));
            t.pairing.push(vec![
                household.into(),
                previous.into(),
                start.into(),
                (changed - Duration::days(1)).into(),
            ]);
            current_start = changed;
        }
        t.pairing.push(vec![
            household.into(),
            current.into(),
            current_start.into(),
            Val::Date(None),
        ]);
        for _ in 0..2 {
            let year = self.rng_mut().random_range(current_start.year()..=2018);
            let on = self.day_in(year, 1..=12).max(current_start);
            let note = VISIT_NOTES.choose(self.rng_mut()).expect("notes");
            t.visit.push(vec![
                household.into(),
                current.into(),
                on.into(),
                (*note).into(),
            ]);
        }
    }
}

fn student_status(rng: &mut impl Rng, age: i32, exited: bool) -> StudentStatus {
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

fn education(rng: &mut impl Rng, age: i32) -> Education {
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
