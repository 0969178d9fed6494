//! Demo monitoring (防止返贫动态监测), loaded after the register:
//! - ordinary rural households (一般农户) beside the register, their members unlisted;
//! - cases on about 3 % of all households, raised 2021–2026 through each channel, in each
//!   category and risk type: identified (each step dated, in working days), helped by a plan
//!   whose measures are recorded against the case, many cleared, some cleared and monitored
//!   again, some refused at a review, a few held (暂不标注); with the yearly incomes they were
//!   judged on;
//! - relative to today, a few cases of the demo township at every stage of the procedure, walked
//!   there by the same writes staff use: their notices published (one objected to), some overdue.
//!
//! The bulk part is deterministic for a given register; the part relative to today is not.
use super::{
    bulk::{Table, Tx},
    monitoring::MONITORING_LINES,
    people::Generator,
};
use crate::{
    model::{
        codes::*,
        monitoring::{
            Calendar, Category, Channel, Risk, Stage,
            case::{LeadInput, PlanInput, StepInput},
            due, spending_risk,
        },
    },
    server::{
        db::{Db, sql},
        repo::{
            self,
            monitoring::{self as cases, CaseSaved},
        },
    },
};
use chrono::{Datelike, Days, NaiveDate};
use rand::{Rng, SeedableRng, seq::IndexedRandom};
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;

/// The last day the bulk part dates anything (the in-flight cases are dated from today).
const BULK_END: (i32, u32, u32) = (2026, 10, 31);

const HOUSEHOLDS: &str = "SELECT h.id, h.village_code, h.status, h.attribute, \
     (SELECT COUNT(*) FROM member m WHERE m.household_id = h.id AND m.active) AS persons \
     FROM household h ORDER BY h.id";
const VILLAGES: &str = "SELECT v.code, t.name || v.name FROM region v \
     JOIN region t ON t.code = v.parent_code \
     WHERE v.level = 'village' AND EXISTS (SELECT 1 FROM household h WHERE h.village_code = v.code) \
     ORDER BY v.code";
const ON_SUPPORT: &str = "SELECT DISTINCT household_id FROM assistance \
     WHERE kind IN ('dibao', 'tekun') AND end_on IS NULL";
const NEXT_IDS: &str = "SELECT (SELECT COALESCE(MAX(id), 0) FROM household), \
     (SELECT COALESCE(MAX(id), 0) FROM member), (SELECT COALESCE(MAX(id), 0) FROM monitoring_case), \
     (SELECT COALESCE(MAX(id), 0) FROM measure)";
/// Rows written with explicit ids: PostgreSQL's identity sequences move past them.
const RESET_SEQUENCES: &[&str] = &[
    "SELECT setval(pg_get_serial_sequence('household', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM household), false)",
    "SELECT setval(pg_get_serial_sequence('member', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM member), false)",
    "SELECT setval(pg_get_serial_sequence('monitoring_case', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM monitoring_case), false)",
    "SELECT setval(pg_get_serial_sequence('measure', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM measure), false)",
];

/// What [`demo_monitoring`] wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MonitoringSummary {
    pub ordinary: u64,
    pub cases: u64,
    pub in_flight: u64,
}

/// Loads the demo monitoring data (see the module's notes) in one transaction for the bulk part,
/// then walks the in-flight cases of the demo township through the real writes.
pub async fn demo_monitoring(db: &Db) -> Result<MonitoringSummary, sqlx::Error> {
    let mut tx = db.begin().await?;
    let cal = cases::calendar(&mut tx).await?;
    let households: Vec<(i64, String, Status, Attribute, i64)> =
        sql(HOUSEHOLDS).fetch_all(&mut tx).await?;
    let villages: Vec<(String, String)> = sql(VILLAGES).fetch_all(&mut tx).await?;
    let on_support: HashSet<i64> = sql(ON_SUPPORT)
        .scalars(&mut tx)
        .await?
        .into_iter()
        .collect();
    let (household, member, case, measure): (i64, i64, i64, i64) =
        sql(NEXT_IDS).fetch_one(&mut tx).await?;
    let mut g = Bulk {
        rng: ChaCha8Rng::seed_from_u64(2021),
        // Sequence numbers 400– of a birth date and sex: the register's own stay below.
        names: Generator::new(households.len().max(1) as u32).starting_at_sequence(400),
        cal,
        t: BulkTables::new(),
        ids: Ids {
            household,
            member,
            case,
            measure,
        },
        incomes: HashSet::new(),
        end: NaiveDate::from_ymd_opt(BULK_END.0, BULK_END.1, BULK_END.2).expect("date"),
    };
    let mut summary = MonitoringSummary::default();
    // One ordinary household per fifty registered ones; most are there because of a case.
    let ordinary = (households.len() / 50).max(if villages.is_empty() { 0 } else { 10 });
    for _ in 0..ordinary {
        let (code, place) = villages.choose(&mut g.rng).expect("villages").clone();
        let (id, persons) = g.ordinary(&code, &place);
        summary.ordinary += 1;
        if g.rng.random_bool(0.6) {
            let category = if g.rng.random_bool(0.8) {
                Category::Marginal
            } else {
                Category::Sudden
            };
            summary.cases += g.cases_of(id, category, persons, false);
        }
        g.t.flush(&mut tx, false).await?;
    }
    for (id, _village, status, attribute, persons) in &households {
        if !g.rng.random_bool(0.028) {
            continue;
        }
        let category = match status {
            Status::Exited | Status::Relapsed if g.rng.random_bool(0.75) => Category::Unstable,
            _ => Category::Sudden,
        };
        let held = on_support.contains(id) && *attribute != Attribute::General;
        summary.cases += g.cases_of(*id, category, (*persons).max(1), held);
        g.t.flush(&mut tx, false).await?;
    }
    g.t.flush(&mut tx, true).await?;
    if let Tx::Postgres(_) = tx {
        for q in RESET_SEQUENCES {
            tx.execute(q).await?;
        }
    }
    for q in repo::stats::REBUILD_ALL {
        tx.execute(q).await?;
    }
    tx.commit().await?;
    summary.in_flight = in_flight(db).await?;
    Ok(summary)
}

struct Ids {
    household: i64,
    member: i64,
    case: i64,
    measure: i64,
}

struct BulkTables {
    household: Table,
    member: Table,
    income: Table,
    case: Table,
    risk: Table,
    step: Table,
    measure: Table,
    plan: Table,
}

impl BulkTables {
    fn new() -> Self {
        BulkTables {
            household: Table::new(
                "household",
                &[
                    "id",
                    "village_code",
                    "group_no",
                    "address",
                    "standard",
                    "attribute",
                    "status",
                    "identified_on",
                    "has_safe_water",
                ],
            ),
            member: Table::new(
                "member",
                &[
                    "id",
                    "household_id",
                    "name",
                    "sex",
                    "id_number",
                    "birth_date",
                    "relation",
                    "education",
                    "student_status",
                    "health",
                    "labour",
                    "name_pinyin",
                    "name_initials",
                    "listed",
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
                    "spending",
                ],
            ),
            case: Table::new(
                "monitoring_case",
                &[
                    "id",
                    "household_id",
                    "category",
                    "channel",
                    "source",
                    "description",
                    "stage",
                    "raised_on",
                    "stage_on",
                    "due_on",
                    "monitored_on",
                    "clearing_from",
                    "cleared_on",
                    "spending_resolved_on",
                    "held_on",
                    "closed_reason",
                    "version",
                    "updated_by",
                    "updated_at",
                ],
            ),
            risk: Table::new("case_risk", &["case_id", "rank", "risk"]),
            step: Table::new(
                "case_step",
                &[
                    "case_id", "stage", "done_on", "actor", "approved", "people", "consent",
                    "note", "at",
                ],
            ),
            measure: Table::new(
                "measure",
                &[
                    "id",
                    "household_id",
                    "category",
                    "kind",
                    "name",
                    "given_on",
                    "amount",
                    "agency",
                    "case_id",
                ],
            ),
            plan: Table::new(
                "case_plan",
                &[
                    "case_id",
                    "category",
                    "name",
                    "due_on",
                    "measure_id",
                    "created_by",
                    "created_at",
                ],
            ),
        }
    }

    /// Parents before children.
    fn all(&mut self) -> [&mut Table; 8] {
        [
            &mut self.household,
            &mut self.member,
            &mut self.income,
            &mut self.case,
            &mut self.risk,
            &mut self.step,
            &mut self.measure,
            &mut self.plan,
        ]
    }

    async fn flush(&mut self, tx: &mut Tx, force: bool) -> Result<(), sqlx::Error> {
        super::bulk::flush_in_order(&mut self.all(), tx, force).await
    }
}

struct Bulk {
    rng: ChaCha8Rng,
    names: Generator,
    cal: Calendar,
    t: BulkTables,
    ids: Ids,
    /// (household, year) income rows written, so none is written twice.
    incomes: HashSet<(i64, i32)>,
    end: NaiveDate,
}

const RISK_WEIGHTS: &[(Risk, u32)] = &[
    (Risk::Illness, 34),
    (Risk::UnstableWork, 16),
    (Risk::Disability, 10),
    (Risk::Accident, 9),
    (Risk::Schooling, 8),
    (Risk::BusinessFailure, 8),
    (Risk::Disaster, 6),
    (Risk::NoLabour, 5),
    (Risk::Other, 4),
];
const CHANNEL_WEIGHTS: &[(Channel, u32)] = &[
    (Channel::Visit, 55),
    (Channel::Department, 30),
    (Channel::Declared, 15),
];
const HOME_CHECKERS: &[&str] = &["村支书", "村主任", "驻村队员", "帮扶责任人", "网格员"];

/// The case's lead as a sentence, by its main risk.
fn description(risk: Risk) -> &'static str {
    match risk {
        Risk::Illness => "家庭成员患重病，医疗自付支出大",
        Risk::Schooling => "子女上学支出大，家庭收入难以支撑",
        Risk::Disability => "家庭成员新增残疾，劳动能力下降",
        Risk::Disaster => "房屋和农田受洪灾损毁",
        Risk::Accident => "主要劳动力意外受伤，住院治疗",
        Risk::BusinessFailure => "养殖产业因疫病亏损",
        Risk::UnstableWork => "务工人员返乡失业，工资性收入大幅减少",
        Risk::NoLabour => "家中无劳动力，收入来源单一",
        Risk::Other => "家庭收入骤减，生活出现困难",
    }
}

/// The plan line a risk calls for (category, name).
fn plan_for(risk: Risk) -> (MeasureCategory, &'static str) {
    match risk {
        Risk::Illness | Risk::Accident => (MeasureCategory::Medical, "落实医保倾斜和大病救助"),
        Risk::Schooling => (MeasureCategory::Education, "申请教育资助"),
        Risk::Disability => (MeasureCategory::SocialAssistance, "办理残疾人两项补贴"),
        Risk::Disaster => (MeasureCategory::Housing, "灾后房屋修缮补助"),
        Risk::BusinessFailure => (MeasureCategory::Industry, "产业奖补和技术指导"),
        Risk::UnstableWork => (MeasureCategory::Employment, "推荐就业岗位"),
        Risk::NoLabour => (MeasureCategory::SocialAssistance, "纳入低保兜底"),
        Risk::Other => (MeasureCategory::Industry, "发展庭院经济"),
    }
}

fn line_of(year: i32) -> i64 {
    MONITORING_LINES
        .iter()
        .find(|l| l.0 == i64::from(year))
        .or(MONITORING_LINES.last())
        .map_or(7_500, |l| l.1)
}

/// A write's time on day `d` (nine in the morning, UTC).
fn stamp(d: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    d.and_hms_opt(9, 0, 0).unwrap_or_default().and_utc()
}

impl Bulk {
    fn next(&mut self, d: NaiveDate, least: u32, most: u32) -> NaiveDate {
        let n = self.rng.random_range(least..=most);
        self.cal.add_working_days(d, n)
    }

    fn people(&mut self) -> String {
        let mut who: Vec<&str> = HOME_CHECKERS
            .choose_multiple(&mut self.rng, 2)
            .copied()
            .collect();
        who.sort_unstable();
        who.join("、")
    }

    /// An ordinary household and its members (unlisted); answers its id and size.
    fn ordinary(&mut self, village: &str, place: &str) -> (i64, i64) {
        self.ids.household += 1;
        let id = self.ids.household;
        let group = self.rng.random_range(1..=12i64);
        // Entered when the monitoring roll began (early 2021), before any case of theirs.
        let added = NaiveDate::from_ymd_opt(2021, 1, 4).expect("date")
            + Days::new(self.rng.random_range(0..50));
        self.t.household.push(vec![
            id.into(),
            village.into(),
            group.into(),
            format!("{place}{group}组").into(),
            Standard::National.as_str().into(),
            Attribute::General.as_str().into(),
            Status::Ordinary.as_str().into(),
            added.into(),
            self.rng.random_bool(0.97).into(),
        ]);
        let size = *[1i64, 2, 3, 3, 4, 4, 5, 6]
            .choose(&mut self.rng)
            .expect("sizes");
        let head_male = self.rng.random_bool(0.85);
        let head = self.names.name(head_male, None);
        let surname: String = head.chars().take(1).collect();
        let head_age = self.rng.random_range(30..80);
        for k in 0..size {
            let (relation, male, age, name) = match k {
                0 => (Relation::Head, head_male, head_age, head.clone()),
                1 => {
                    let male = !head_male;
                    let name = self.names.name(male, None);
                    (
                        Relation::Spouse,
                        male,
                        head_age + self.rng.random_range(-4..=4),
                        name,
                    )
                }
                _ => {
                    let male = self.rng.random_bool(0.5);
                    let name = self.names.name(male, Some(&surname));
                    let age = (head_age - self.rng.random_range(20..34)).max(1);
                    (Relation::Child, male, age, name)
                }
            };
            let birth = NaiveDate::from_ymd_opt(2021 - age, 1, 1).expect("year")
                + Days::new(self.rng.random_range(0..365));
            let id_number = self.names.id_number(birth, male);
            let labour = if !(16..65).contains(&age) {
                Labour::None
            } else if self.rng.random_bool(0.1) {
                Labour::Lost
            } else {
                Labour::Ordinary
            };
            let health = if labour == Labour::Lost {
                Health::Serious
            } else {
                Health::Healthy
            };
            // Of school age in 2021: at school (三保障).
            let student = match age {
                6..=11 => StudentStatus::Primary,
                12..=14 => StudentStatus::Junior,
                15..=17 => StudentStatus::Senior,
                _ => StudentStatus::None,
            };
            let education = if age < 7 {
                Education::Preschool
            } else {
                *[Education::Primary, Education::Junior, Education::Senior]
                    .choose(&mut self.rng)
                    .expect("levels")
            };
            self.ids.member += 1;
            let keys = crate::server::names::keys(&name);
            self.t.member.push(vec![
                self.ids.member.into(),
                id.into(),
                name.into(),
                if male { "male" } else { "female" }.into(),
                id_number.into(),
                birth.into(),
                relation.as_str().into(),
                education.as_str().into(),
                student.as_str().into(),
                health.as_str().into(),
                labour.as_str().into(),
                keys.pinyin.into(),
                keys.initials.into(),
                false.into(),
            ]);
        }
        (id, size)
    }

    /// A yearly income whose counted income per person is `share` of the year's line.
    fn income(&mut self, household: i64, year: i32, persons: i64, share: f64, spending: i64) {
        if year > self.end.year() || !self.incomes.insert((household, year)) {
            return;
        }
        let counted = (line_of(year) as f64 * share) as i64 * persons;
        let net = counted + spending;
        let business = net / 4;
        let costs = business / 5;
        let transfer = net / 6;
        let property = net / 50;
        let wages = net - business - transfer - property + costs;
        self.t.income.push(vec![
            household.into(),
            i64::from(year).into(),
            persons.into(),
            wages.into(),
            business.into(),
            transfer.into(),
            property.into(),
            costs.into(),
            spending.into(),
        ]);
    }

    fn step(&mut self, case: i64, stage: Stage, on: NaiveDate, approved: bool, note: &str) {
        let actor = demo_actor(stage.owner().role());
        let home = stage.is_home_check();
        let people = if home { self.people() } else { String::new() };
        self.t.step.push(vec![
            case.into(),
            stage.as_str().into(),
            on.into(),
            actor.into(),
            approved.into(),
            people.into(),
            home.into(),
            note.into(),
            stamp(on).into(),
        ]);
    }

    /// The identification steps from `raised` on: the day the case reached monitoring, or the
    /// stage and day it was refused at.
    fn identify(&mut self, case: i64, raised: NaiveDate) -> Result<NaiveDate, (Stage, NaiveDate)> {
        self.step(case, Stage::Lead, raised, true, "");
        // One lead in ten waits longer than the two working days.
        let late = self.rng.random_bool(0.1);
        let mut d = self.next(raised, if late { 3 } else { 1 }, if late { 5 } else { 2 });
        self.step(case, Stage::HomeCheck, d, true, "");
        d = self.next(d, 1, 3);
        self.step(case, Stage::CrossCheck, d, true, "");
        d = self.next(d, 1, 3);
        if self.rng.random_bool(0.05) {
            self.step(
                case,
                Stage::VillageReview,
                d,
                false,
                "民主评议：家庭收入稳定，不纳入监测",
            );
            return Err((Stage::VillageReview, d));
        }
        self.step(case, Stage::VillageReview, d, true, "民主评议通过");
        d = self.next(d, 1, 2);
        self.step(case, Stage::Notice, d, true, "");
        d = self.cal.add_working_days(d + Days::new(5), 1);
        if self.rng.random_bool(0.02) {
            self.step(
                case,
                Stage::TownshipReview,
                d,
                false,
                "乡镇审核：经核实不符合监测条件",
            );
            return Err((Stage::TownshipReview, d));
        }
        self.step(case, Stage::TownshipReview, d, true, "");
        d = self.next(d, 1, 3);
        self.step(case, Stage::Monitored, d, true, "");
        Ok(d)
    }

    /// The case (or cases: a cleared household is sometimes monitored again) of `household`;
    /// answers how many were written.
    fn cases_of(&mut self, household: i64, category: Category, persons: i64, held: bool) -> u64 {
        let first = NaiveDate::from_ymd_opt(2021, 3, 1).expect("date");
        let raised = first
            + Days::new(
                self.rng
                    .random_range(0..(self.end - first).num_days() as u64 - 60),
            );
        let mut written = 0;
        let mut raised = Some(raised);
        while let Some(on) = raised.take() {
            written += 1;
            let cleared = self.case(household, category, persons, on, held && written == 1);
            // About one cleared household in eight is monitored again later.
            if let Some(c) = cleared
                && written == 1
                && self.rng.random_bool(0.125)
            {
                let again = c + Days::new(self.rng.random_range(120..400));
                raised = (again + Days::new(60) < self.end).then_some(again);
            }
        }
        written
    }

    /// One case raised on `raised`; answers the day its risk was cleared, if it was.
    fn case(
        &mut self,
        household: i64,
        category: Category,
        persons: i64,
        raised: NaiveDate,
        held: bool,
    ) -> Option<NaiveDate> {
        self.ids.case += 1;
        let id = self.ids.case;
        let mut risks = vec![
            RISK_WEIGHTS
                .choose_weighted(&mut self.rng, |r| r.1)
                .expect("risks")
                .0,
        ];
        for _ in 0..*[0, 0, 0, 1, 1, 2].choose(&mut self.rng).expect("counts") {
            let r = RISK_WEIGHTS
                .choose_weighted(&mut self.rng, |r| r.1)
                .expect("risks")
                .0;
            if !risks.contains(&r) {
                risks.push(r);
            }
        }
        let channel = CHANNEL_WEIGHTS
            .choose_weighted(&mut self.rng, |c| c.1)
            .expect("channels")
            .0;
        let source = match channel {
            Channel::Department => *[
                "市医保局",
                "市教育局",
                "市民政局",
                "市人社局",
                "市应急管理局",
            ]
            .choose(&mut self.rng)
            .expect("departments"),
            Channel::Declared => "12317热线",
            Channel::Visit => "",
        };
        let spending = risks.iter().any(|r| spending_risk(*r));
        let share = self.rng.random_range(0.55..0.95);
        let paid = if spending {
            self.rng.random_range(3_000..20_000)
        } else {
            0
        };
        self.income(household, raised.year(), persons, share, paid);
        for (rank, r) in risks.iter().enumerate() {
            self.t
                .risk
                .push(vec![id.into(), (rank as i64 + 1).into(), r.as_str().into()]);
        }
        let mut row = CaseRow {
            stage: Stage::Monitored,
            stage_on: raised,
            monitored_on: None,
            clearing_from: None,
            cleared_on: None,
            resolved: None,
            held_on: None,
            closed: None,
        };
        match self.identify(id, raised) {
            Err((_, on)) => {
                row.stage = Stage::Closed;
                row.stage_on = on;
                row.closed = Some("评议未通过，不纳入监测");
            }
            Ok(monitored) => {
                row.monitored_on = Some(monitored);
                row.stage_on = monitored;
                self.plan(id, household, &risks, monitored);
                if held {
                    row.held_on = Some(self.cal.add_working_days(monitored, 20));
                } else if self.rng.random_bool(0.75) {
                    let from = monitored + Days::new(self.rng.random_range(150..540));
                    if from + Days::new(40) < self.end {
                        let cleared = self.clear(id, from);
                        let share = self.rng.random_range(1.15..1.9);
                        self.income(household, from.year(), persons, share, 0);
                        row.stage = Stage::Cleared;
                        row.stage_on = cleared;
                        row.clearing_from = Some(from);
                        row.cleared_on = Some(cleared);
                        row.resolved = spending.then(|| from - Days::new(10));
                    }
                }
            }
        }
        let due_on = due(&self.cal, row.stage, raised, row.clearing_from);
        let description = description(risks[0]);
        self.t.case.push(vec![
            id.into(),
            household.into(),
            category.as_str().into(),
            channel.as_str().into(),
            source.into(),
            description.into(),
            row.stage.as_str().into(),
            raised.into(),
            row.stage_on.into(),
            due_on.into(),
            row.monitored_on.into(),
            row.clearing_from.into(),
            row.cleared_on.into(),
            row.resolved.into(),
            row.held_on.into(),
            row.closed.map(str::to_string).into(),
            1i64.into(),
            "demo-seed".into(),
            stamp(row.stage_on).into(),
        ]);
        row.cleared_on
    }

    /// The clearing steps from `from`; answers the day of the county decision.
    fn clear(&mut self, case: i64, from: NaiveDate) -> NaiveDate {
        self.step(case, Stage::ClearHomeCheck, from, true, "");
        let mut d = self.next(from, 1, 3);
        self.step(case, Stage::ClearReview, d, true, "民主评议同意风险消除");
        d = self.next(d, 1, 2);
        self.step(case, Stage::ClearNotice, d, true, "");
        d = self.cal.add_working_days(d + Days::new(7), 1);
        self.step(case, Stage::ClearTownship, d, true, "");
        d = self.next(d, 1, 3);
        self.step(case, Stage::Cleared, d, true, "");
        d
    }

    /// The plan (一户一策) of a case monitored on `from`: one line per risk, most done by their
    /// due date with a measure recorded against the case.
    fn plan(&mut self, case: i64, household: i64, risks: &[Risk], from: NaiveDate) {
        let mut lines: Vec<(MeasureCategory, &str)> = Vec::new();
        for r in risks {
            let line = plan_for(*r);
            if !lines.iter().any(|l| l.0 == line.0) {
                lines.push(line);
            }
        }
        if !lines
            .iter()
            .any(|l| crate::model::monitoring::developmental(l.0))
            && self.rng.random_bool(0.7)
        {
            lines.push((MeasureCategory::Employment, "开展技能培训，推荐务工"));
        }
        for (category, name) in lines {
            let due_on = from + Days::new(self.rng.random_range(30..180));
            let done = (due_on < self.end && self.rng.random_bool(0.9))
                .then(|| due_on - Days::new(self.rng.random_range(0..25)));
            let measure = done.map(|given| {
                self.ids.measure += 1;
                let amount: Option<i64> = match category {
                    MeasureCategory::Medical | MeasureCategory::Housing => {
                        Some(self.rng.random_range(20..200) * 100)
                    }
                    MeasureCategory::Industry | MeasureCategory::Education => {
                        Some(self.rng.random_range(5..40) * 100)
                    }
                    _ => Some(0),
                };
                self.t.measure.push(vec![
                    self.ids.measure.into(),
                    household.into(),
                    category.as_str().into(),
                    "case_plan".into(),
                    name.into(),
                    given.into(),
                    amount.into(),
                    "乡镇人民政府".into(),
                    case.into(),
                ]);
                self.ids.measure
            });
            self.t.plan.push(vec![
                case.into(),
                category.as_str().into(),
                name.into(),
                due_on.into(),
                measure.into(),
                "demo-village".into(),
                stamp(from).into(),
            ]);
        }
    }
}

struct CaseRow {
    stage: Stage,
    stage_on: NaiveDate,
    monitored_on: Option<NaiveDate>,
    clearing_from: Option<NaiveDate>,
    cleared_on: Option<NaiveDate>,
    resolved: Option<NaiveDate>,
    held_on: Option<NaiveDate>,
    closed: Option<&'static str>,
}

const DEMO_VILLAGES: &str = "SELECT v.code FROM region v WHERE v.level = 'village' \
     AND EXISTS (SELECT 1 FROM household h WHERE h.village_code = v.code) ORDER BY v.code LIMIT 1";
/// Exited households of a township with no case, no running notice entry and no assistance.
const FREE_HOUSEHOLDS: &str = "SELECT h.id FROM household h WHERE h.village_code BETWEEN $1 AND $2 \
     AND h.status = 'exited' \
     AND NOT EXISTS (SELECT 1 FROM monitoring_case c WHERE c.household_id = h.id) \
     AND NOT EXISTS (SELECT 1 FROM notice_entry e WHERE e.household_id = h.id) \
     AND NOT EXISTS (SELECT 1 FROM assistance a WHERE a.household_id = h.id) \
     ORDER BY h.village_code, h.id LIMIT 60";
const INSERT_INCOME: &str = "INSERT INTO household_income (household_id, year, persons, wages, \
     business, transfer, property, costs, spending) \
     SELECT $1, $2, COUNT(*), $3 * COUNT(*), 0, 0, 0, 0, 0 FROM member \
     WHERE household_id = $1 AND active \
     ON CONFLICT (household_id, year) DO NOTHING";
const LAST_NOTICE: &str = "SELECT s.notice_id, (SELECT MIN(e.id) FROM notice_entry e \
     WHERE e.notice_id = s.notice_id) FROM case_step s \
     WHERE s.case_id = $1 AND s.notice_id IS NOT NULL ORDER BY s.id DESC LIMIT 1";

/// Where an in-flight demo case is walked to, and how many working days its lead waited before
/// the home check (a long wait makes it overdue).
const IN_FLIGHT: &[(Stage, u32)] = &[
    (Stage::Lead, 0),
    (Stage::Lead, 6),
    (Stage::HomeCheck, 0),
    (Stage::CrossCheck, 0),
    (Stage::VillageReview, 0),
    (Stage::VillageReview, 22),
    (Stage::Notice, 0),
    (Stage::TownshipReview, 0),
    (Stage::TownshipReview, 18),
    (Stage::Monitored, 0),
    (Stage::ClearHomeCheck, 0),
    (Stage::ClearReview, 0),
    (Stage::ClearNotice, 0),
    (Stage::ClearTownship, 0),
];

/// The previous working day before `d`.
fn working_before(cal: &Calendar, d: NaiveDate) -> NaiveDate {
    let mut p = d.pred_opt().unwrap_or(d);
    while !cal.is_working(p) {
        p = p.pred_opt().unwrap_or(p);
    }
    p
}

/// Walks a case of each [`IN_FLIGHT`] kind in the demo township through the real writes, its
/// last step on the last working day (a notice step two days ago, so its notice runs); answers
/// how many were opened.
async fn in_flight(db: &Db) -> Result<u64, sqlx::Error> {
    let Some(village) = sql(DEMO_VILLAGES).scalar_optional::<String>(db).await? else {
        return Ok(0);
    };
    let township: String = village.chars().take(9).collect();
    let mut free: Vec<i64> = sql(FREE_HOUSEHOLDS)
        .bind(format!("{township}000"))
        .bind(format!("{township}999"))
        .scalars(db)
        .await?;
    free.reverse();
    let cal = cases::calendar(db).await?;
    let today = crate::server::clock::today();
    let mut opened = 0;
    for (k, &(to, wait)) in IN_FLIGHT.iter().enumerate() {
        let clearing = to.is_clearing();
        // The path's stages after the lead, and their days counted back from the last one.
        let mut path = vec![Stage::Lead];
        while let Some(n) = path
            .last()
            .and_then(|s| s.next())
            .filter(|_| *path.last().expect("lead") != to)
        {
            path.push(n);
        }
        let mut days = vec![if to.is_notice() {
            today - Days::new(2)
        } else {
            working_before(&cal, today)
        }];
        for i in (1..path.len()).rev() {
            let d = *days.last().expect("a day");
            let before = if path[i - 1].is_notice() {
                // The step after a notice waits for it to end (5 days; 7 for a clearing).
                working_before(
                    &cal,
                    d - Days::new(if path[i - 1].is_clearing() { 8 } else { 6 }),
                )
            } else if path[i - 1] == Stage::Monitored {
                d - Days::new(150)
            } else if i == 1 {
                (0..=wait).fold(d, |d, _| working_before(&cal, d))
            } else {
                working_before(&cal, d)
            };
            days.push(before);
        }
        days.reverse();
        if path.len() == 1 {
            days[0] = (0..wait).fold(days[0], |d, _| working_before(&cal, d));
        }
        let risk = if clearing {
            Risk::UnstableWork
        } else {
            RISK_WEIGHTS[k % RISK_WEIGHTS.len()].0
        };
        // A clearing needs 三保障 and safe water: take a household that has them.
        let household = loop {
            let Some(h) = free.pop() else { break None };
            if !clearing {
                break Some(h);
            }
            let mut tx = db.begin().await?;
            let read = repo::household::read(&mut tx, h).await?;
            tx.commit().await?;
            if read.is_some_and(|hh| crate::model::rules::security_check(&hh, today).is_empty()) {
                break Some(h);
            }
        };
        let Some(household) = household else {
            break;
        };
        if clearing {
            // The incomes a clearing is judged on: above the line this year and the last.
            for year in [today.year() - 1, today.year()] {
                sql(INSERT_INCOME)
                    .bind(household)
                    .bind(i64::from(year))
                    .bind(line_of(year) * 3 / 2)
                    .execute(db)
                    .await?;
            }
        }
        let lead = LeadInput {
            household_id: household,
            category: if k % 4 == 3 {
                Category::Sudden
            } else {
                Category::Unstable
            },
            risks: vec![risk],
            channel: CHANNEL_WEIGHTS[k % CHANNEL_WEIGHTS.len()].0,
            source: String::new(),
            description: description(risk).into(),
            raised_on: days[0],
        };
        let CaseSaved::Ok { id, mut version } = cases::open_case(db, &lead, "demo-village").await?
        else {
            continue;
        };
        opened += 1;
        for (stage, &on) in path.iter().zip(&days).skip(1) {
            let role = stage.owner().role();
            let step = StepInput {
                case_id: id,
                version,
                stage: *stage,
                done_on: on,
                approved: true,
                people: vec!["村支书".into(), "驻村队员".into()],
                consent: true,
                note: String::new(),
                notice_days: if stage.is_clearing() { 7 } else { 5 },
                on_paper: false,
            };
            // Each step as recorded on its own day (a notice then runs from the day it was
            // published, as every notice published here does).
            match cases::step(db, &step, role, demo_actor(role), on).await? {
                CaseSaved::Ok { version: v, .. } => version = v,
                other => {
                    tracing::warn!(case = id, ?stage, ?other, "demo case stopped");
                    break;
                }
            }
            if *stage == Stage::Monitored {
                let plan = PlanInput {
                    case_id: id,
                    category: plan_for(risk).0,
                    member_id: None,
                    name: plan_for(risk).1.into(),
                    due_on: on + Days::new(90),
                };
                cases::add_plan(db, &plan, "demo-village").await?;
            }
        }
        // A visitor objects to the running identification notice.
        if to == Stage::Notice
            && let Some((Some(notice), Some(entry))) = sql(LAST_NOTICE)
                .bind(id)
                .fetch_optional::<(Option<i64>, Option<i64>)>(db)
                .await?
        {
            // Its own question: each answered question files one objection only, and the
            // register's demo notice already used "demo-seed".
            let filed = repo::objections::file_objection(
                db,
                notice,
                entry,
                "听说该户子女都在外务工，收入不低，请核实。",
                None,
                "demo",
                "demo-seed-monitoring",
                today,
            )
            .await?;
            if !matches!(filed, repo::objections::Filed::Ok(_)) {
                tracing::warn!(?filed, "the demo objection to a monitoring notice was not filed");
            }
        }
    }
    Ok(opened)
}

/// The demo staff account of each role that records monitoring steps.
fn demo_actor(role: Role) -> &'static str {
    match role {
        Role::Township => "demo-township",
        Role::CityAdmin => "demo-admin",
        Role::Village | Role::Cadre => "demo-village",
    }
}
