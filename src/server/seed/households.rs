//! Households and everything recorded about them.
use super::{
    bulk::{Table, Tx, Val},
    catalog::*,
    people::{Generator, Totals},
};
use crate::model::codes::*;
use chrono::{Datelike, Duration, NaiveDate};
use rand::{Rng, seq::IndexedRandom};

mod care;
mod members;

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
                    "agency",
                ],
            ),
            pairing: Table::new(
                "pairing",
                &["household_id", "cadre_id", "start_on", "end_on"],
            ),
            visit: Table::new("visit", &["household_id", "cadre_id", "visited_on", "note"]),
        }
    }

    /// Parents before children.
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

    async fn flush(&mut self, tx: &mut Tx, force: bool) -> Result<(), sqlx::Error> {
        super::bulk::flush_in_order(&mut self.all(), tx, force).await
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
}
