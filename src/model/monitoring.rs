//! 防止返贫动态监测和帮扶: the rules of a monitoring case, shared by the server and the WASM client.
//! Which category fits which household, the order of the procedure and who owns each step, the
//! working-day calendar of its deadlines, the income that counts against the monitoring line, the
//! plan's 开发式 warning, and the clearing check (风险消除) with its reasons.
use super::{
    codes::{AssistanceKind, Code, Labour, MeasureCategory, Role, Status},
    public::age_on,
    registry::{Household, Income, Member},
    rules::{ExitReason, security_check},
};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

code_enum!(
    /// 监测对象类别: 脱贫不稳定户, 边缘易致贫户, 突发严重困难户
    Category { Unstable = "unstable", Marginal = "marginal", Sudden = "sudden" }
);
code_enum!(
    /// 风险类型 (one to three per case)
    Risk {
        Illness = "illness", Schooling = "schooling", Disability = "disability",
        Disaster = "disaster", Accident = "accident", BusinessFailure = "business_failure",
        UnstableWork = "unstable_work", NoLabour = "no_labour", Other = "other",
    }
);
code_enum!(
    /// 线索来源: 农户自主申报, 干部排查, 部门筛查预警
    Channel { Declared = "declared", Visit = "visit", Department = "department" }
);
code_enum!(
    /// Where a case stands: the last step done. Identification runs from `Lead` to `Monitored`,
    /// clearing from `Monitored` to `Cleared`; `Closed` is a case refused at a review.
    Stage {
        Lead = "lead", HomeCheck = "home_check", CrossCheck = "cross_check",
        VillageReview = "village_review", Notice = "notice", TownshipReview = "township_review",
        Monitored = "monitored", ClearHomeCheck = "clear_home_check", ClearReview = "clear_review",
        ClearNotice = "clear_notice", ClearTownship = "clear_township", Cleared = "cleared",
        Closed = "closed",
    }
);

/// Most risk types one case may name.
pub const MAX_RISKS: usize = 3;
/// Fewest people who make a home check (入户核实).
pub const HOME_CHECK_PEOPLE: usize = 2;
/// Working days to accept a lead (the home check done).
pub const ACCEPT_DAYS: u32 = 2;
/// Working days for the whole identification, lead to county decision (and for a clearing).
pub const CYCLE_DAYS: u32 = 20;
/// Working age for the 开发式 rule and for 暂不标注 (16 to 64 inclusive).
pub const WORKING_AGE: std::ops::RangeInclusive<i32> = 16..=64;

/// Which level of staff owns a step. Village steps may also be done by the township's or the
/// city's staff whose scope covers the village (they often enter them for the village).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    Village,
    Township,
    City,
}

impl Owner {
    /// Whether staff of `role` may do a step this level owns (their scope is checked apart).
    pub fn allows(self, role: Role) -> bool {
        match self {
            Owner::Village => matches!(role, Role::Village | Role::Township | Role::CityAdmin),
            Owner::Township => role == Role::Township,
            Owner::City => role == Role::CityAdmin,
        }
    }

    /// The role whose staff own these steps (village steps are also open to higher levels).
    pub fn role(self) -> Role {
        match self {
            Owner::Village => Role::Village,
            Owner::Township => Role::Township,
            Owner::City => Role::CityAdmin,
        }
    }
}

impl Stage {
    /// The step that follows this stage, if the procedure goes on from here (`Monitored` goes on
    /// to a clearing only when the clearing check passes).
    pub fn next(self) -> Option<Stage> {
        use Stage::*;
        Some(match self {
            Lead => HomeCheck,
            HomeCheck => CrossCheck,
            CrossCheck => VillageReview,
            VillageReview => Notice,
            Notice => TownshipReview,
            TownshipReview => Monitored,
            Monitored => ClearHomeCheck,
            ClearHomeCheck => ClearReview,
            ClearReview => ClearNotice,
            ClearNotice => ClearTownship,
            ClearTownship => Cleared,
            Cleared | Closed => return None,
        })
    }

    /// Who records the step that reaches this stage.
    pub fn owner(self) -> Owner {
        match self {
            Stage::TownshipReview | Stage::ClearTownship => Owner::Township,
            Stage::Monitored | Stage::Cleared => Owner::City,
            _ => Owner::Village,
        }
    }

    /// Whether the step reaching this stage is a review that may refuse (民主评议, township,
    /// county).
    pub fn is_review(self) -> bool {
        use Stage::*;
        matches!(
            self,
            VillageReview | TownshipReview | Monitored | ClearReview | ClearTownship | Cleared
        )
    }

    /// Whether the step reaching this stage is a home check (people and consent named).
    pub fn is_home_check(self) -> bool {
        matches!(self, Stage::HomeCheck | Stage::ClearHomeCheck)
    }

    /// Whether the step reaching this stage publishes a notice.
    pub fn is_notice(self) -> bool {
        matches!(self, Stage::Notice | Stage::ClearNotice)
    }

    /// Part of the clearing procedure (风险消除), not of identification.
    pub fn is_clearing(self) -> bool {
        use Stage::*;
        matches!(
            self,
            ClearHomeCheck | ClearReview | ClearNotice | ClearTownship | Cleared
        )
    }

    /// The household is a monitoring object at this stage (identified, not yet cleared).
    pub fn is_monitored(self) -> bool {
        use Stage::*;
        matches!(
            self,
            Monitored | ClearHomeCheck | ClearReview | ClearNotice | ClearTownship
        )
    }

    /// The case is finished: cleared, or closed at a review.
    pub fn is_final(self) -> bool {
        matches!(self, Stage::Cleared | Stage::Closed)
    }

    /// Where a refusal at a review leaves the case: identification refused closes it; a
    /// clearing refused leaves the household monitored.
    pub fn refused_to(self) -> Stage {
        if self.is_clearing() {
            Stage::Monitored
        } else {
            Stage::Closed
        }
    }
}

/// Whether `category` fits a household of register status `status` (`None`: an ordinary rural
/// household, never registered): 脱贫不稳定户 are exited (or relapsed) registered households, 边缘易致贫户
/// ordinary ones; 突发严重困难户 may be any household.
pub fn category_fits(category: Category, status: Option<Status>) -> bool {
    match category {
        Category::Unstable => matches!(status, Some(Status::Exited | Status::Relapsed)),
        Category::Marginal => status.is_none(),
        Category::Sudden => true,
    }
}

/// Risk types as entered: one to three, none twice.
pub fn risks_valid(risks: &[Risk]) -> bool {
    (1..=MAX_RISKS).contains(&risks.len())
        && risks
            .iter()
            .enumerate()
            .all(|(i, r)| !risks[..i].contains(r))
}

/// Risks whose cause is rigid spending (medical bills, school costs, an accident): a case naming
/// one must have that spending resolved before it clears.
pub fn spending_risk(r: Risk) -> bool {
    matches!(r, Risk::Illness | Risk::Schooling | Risk::Accident)
}

/// The working-day calendar: weekends and the listed holidays are off, except the listed make-up
/// working days (调休上班). Both lists are data (the `holiday` table).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    pub holidays: BTreeSet<NaiveDate>,
    pub workdays: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// Whether `d` is a working day.
    pub fn is_working(&self, d: NaiveDate) -> bool {
        if self.workdays.contains(&d) {
            return true;
        }
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&d)
    }

    /// The day `n` working days after `start` (the day itself not counted).
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d = d.succ_opt().unwrap_or(d);
            if self.is_working(d) {
                left -= 1;
            }
        }
        d
    }
}

/// When the next step of a case raised on `raised` and now at `stage` is due (`None`: no
/// deadline runs). A lead must be accepted (its home check done) within [`ACCEPT_DAYS`]; the
/// rest of the identification within [`CYCLE_DAYS`] of the lead; a clearing within
/// [`CYCLE_DAYS`] of its home check.
pub fn due(
    cal: &Calendar,
    stage: Stage,
    raised: NaiveDate,
    clearing_from: Option<NaiveDate>,
) -> Option<NaiveDate> {
    use Stage::*;
    match stage {
        Lead => Some(cal.add_working_days(raised, ACCEPT_DAYS)),
        HomeCheck | CrossCheck | VillageReview | Notice | TownshipReview => {
            Some(cal.add_working_days(raised, CYCLE_DAYS))
        }
        ClearHomeCheck | ClearReview | ClearNotice | ClearTownship => {
            clearing_from.map(|d| cal.add_working_days(d, CYCLE_DAYS))
        }
        Monitored | Cleared | Closed => None,
    }
}

/// The income that counts for monitoring, per person and year: net income less the year's
/// compliant out-of-pocket medical and education spending (合规自付支出), rounded down.
pub fn counted_income(i: &Income) -> i64 {
    let net = i.wages + i.business + i.transfer + i.property - i.costs;
    (net - i.spending).div_euclid(i.persons.max(1))
}

/// Whether a member can work: still in the household, of working age on `on`, and recorded as
/// able (ordinary or skilled labour).
pub fn able_to_work(m: &Member, on: NaiveDate) -> bool {
    m.active && able(m.labour, m.birth_date, on)
}

/// Whether a member recorded with `labour`, born on `birth`, can work on `on`.
pub fn able(labour: Labour, birth: NaiveDate, on: NaiveDate) -> bool {
    WORKING_AGE.contains(&age_on(birth, on)) && matches!(labour, Labour::Ordinary | Labour::Skilled)
}

/// 开发式 measures: industry and employment (skills training is an employment measure).
pub fn developmental(c: MeasureCategory) -> bool {
    matches!(c, MeasureCategory::Industry | MeasureCategory::Employment)
}

/// One planned measure of a case's plan (一户一策), as far as the rules read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanLine {
    pub category: MeasureCategory,
    /// The member it is for; `None` for the whole household.
    pub member_id: Option<i64>,
}

/// Members able to work for whom the plan holds no 开发式 measure (one for the whole household
/// covers everyone): each is a warning on the case and the desk.
pub fn without_development<'a>(
    h: &'a Household,
    plan: &[PlanLine],
    on: NaiveDate,
) -> Vec<&'a Member> {
    h.members
        .iter()
        .filter(|m| able_to_work(m, on) && lacks_development(plan, m.id))
        .collect()
}

/// Whether `plan` holds no 开发式 measure for member `id`: none for the whole household and none
/// for that member.
pub fn lacks_development(plan: &[PlanLine], id: Option<i64>) -> bool {
    !plan.iter().any(|p| {
        developmental(p.category) && (p.member_id.is_none() || (id.is_some() && p.member_id == id))
    })
}

/// Why a monitored household's risk cannot be cleared yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum ClearReason {
    /// No income recorded for this year or the one before.
    NoIncome { year: i32 },
    /// No monitoring line stored for the income's year.
    NoLine { year: i32 },
    /// Counted income per person not above that year's monitoring line.
    IncomeNotAbove { year: i32, counted: i64, line: i64 },
    /// 三保障 or drinking water not secured (the exit check's reasons).
    Security(ExitReason),
    /// The case's spending cause (illness, school, accident) is not marked resolved.
    SpendingUnresolved,
    /// 暂不标注: the household lives on 低保 or 特困供养 and no member can work; it stays monitored.
    LivesOnSupport,
}

/// What the clearing check reads about a case's household besides the household itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClearFacts {
    pub incomes: Vec<Income>,
    /// Monitoring lines by year, for the household's province.
    pub lines: Vec<(i32, i64)>,
    /// Assistance kinds running on the day of the check.
    pub assistance: Vec<AssistanceKind>,
    pub risks: Vec<Risk>,
    pub spending_resolved: bool,
}

/// The clearing check (风险消除) on date `on`. Income: the latest recorded year of `on`'s year
/// and the one before (a full year, the income the household has shown), against that year's
/// line. An empty list means the clearing may start.
pub fn clear_check(h: &Household, f: &ClearFacts, on: NaiveDate) -> Vec<ClearReason> {
    let mut reasons = Vec::new();
    let years = [on.year(), on.year() - 1];
    let income = years
        .iter()
        .find_map(|y| f.incomes.iter().find(|i| i.year == i64::from(*y)));
    match income {
        None => reasons.push(ClearReason::NoIncome { year: on.year() }),
        Some(i) => {
            let year = i32::try_from(i.year).unwrap_or(on.year());
            match f.lines.iter().find(|(y, _)| *y == year) {
                None => reasons.push(ClearReason::NoLine { year }),
                Some(&(_, line)) => {
                    let counted = counted_income(i);
                    if counted <= line {
                        reasons.push(ClearReason::IncomeNotAbove {
                            year,
                            counted,
                            line,
                        });
                    }
                }
            }
        }
    }
    reasons.extend(security_check(h, on).into_iter().map(ClearReason::Security));
    if !f.spending_resolved && f.risks.iter().any(|r| spending_risk(*r)) {
        reasons.push(ClearReason::SpendingUnresolved);
    }
    if held_on_support(h, &f.assistance, on) {
        reasons.push(ClearReason::LivesOnSupport);
    }
    reasons
}

/// 暂不标注: on 低保 or 特困供养 with no member able to work.
pub fn held_on_support(h: &Household, assistance: &[AssistanceKind], on: NaiveDate) -> bool {
    assistance
        .iter()
        .any(|k| matches!(k, AssistanceKind::Dibao | AssistanceKind::Tekun))
        && !h.members.iter().any(|m| able_to_work(m, on))
}

pub mod case;
pub mod labels;

#[cfg(test)]
mod tests;
