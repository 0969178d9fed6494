//! The bulk generator's cases: each walked through identification, help and clearing, with
//! dated steps and its plan.
use super::*;

impl Bulk {
    pub(super) fn step(
        &mut self,
        case: i64,
        stage: Stage,
        on: NaiveDate,
        approved: bool,
        note: &str,
    ) {
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
    pub(super) fn identify(
        &mut self,
        case: i64,
        raised: NaiveDate,
    ) -> Result<NaiveDate, (Stage, NaiveDate)> {
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
    pub(super) fn cases_of(
        &mut self,
        household: i64,
        category: Category,
        persons: i64,
        held: bool,
    ) -> u64 {
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
    pub(super) fn case(
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
    pub(super) fn clear(&mut self, case: i64, from: NaiveDate) -> NaiveDate {
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
    pub(super) fn plan(&mut self, case: i64, household: i64, risks: &[Risk], from: NaiveDate) {
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
