//! The bulk generator: its weights and texts, ordinary households and their incomes.
use super::*;

pub(super) struct Bulk {
    pub(super) rng: ChaCha8Rng,
    pub(super) names: Generator,
    pub(super) cal: Calendar,
    pub(super) t: BulkTables,
    pub(super) ids: Ids,
    /// (household, year) income rows written, so none is written twice.
    pub(super) incomes: HashSet<(i64, i32)>,
    pub(super) end: NaiveDate,
}

pub(super) const RISK_WEIGHTS: &[(Risk, u32)] = &[
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
pub(super) const CHANNEL_WEIGHTS: &[(Channel, u32)] = &[
    (Channel::Visit, 55),
    (Channel::Department, 30),
    (Channel::Declared, 15),
];
pub(super) const HOME_CHECKERS: &[&str] = &["村支书", "村主任", "驻村队员", "帮扶责任人", "网格员"];

/// The case's lead as a sentence, by its main risk.
pub(super) fn description(risk: Risk) -> &'static str {
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
pub(super) fn plan_for(risk: Risk) -> (MeasureCategory, &'static str) {
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

pub(super) fn line_of(year: i32) -> i64 {
    MONITORING_LINES
        .iter()
        .find(|l| l.0 == i64::from(year))
        .or(MONITORING_LINES.last())
        .map_or(7_500, |l| l.1)
}

/// A write's time on day `d` (nine in the morning, UTC).
pub(super) fn stamp(d: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    d.and_hms_opt(9, 0, 0).unwrap_or_default().and_utc()
}

impl Bulk {
    pub(super) fn next(&mut self, d: NaiveDate, least: u32, most: u32) -> NaiveDate {
        let n = self.rng.random_range(least..=most);
        self.cal.add_working_days(d, n)
    }

    pub(super) fn people(&mut self) -> String {
        let mut who: Vec<&str> = HOME_CHECKERS
            .choose_multiple(&mut self.rng, 2)
            .copied()
            .collect();
        who.sort_unstable();
        who.join("、")
    }

    /// An ordinary household and its members (unlisted); answers its id and size.
    pub(super) fn ordinary(&mut self, village: &str, place: &str) -> (i64, i64) {
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
    pub(super) fn income(
        &mut self,
        household: i64,
        year: i32,
        persons: i64,
        share: f64,
        spending: i64,
    ) {
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
}
