//! What the dashboard shows: aggregates only (no person), shared with the WASM client.
use super::{
    codes::{AssistanceKind, MeasureCategory, PovertyCause},
    monitoring::{Category, Risk, Stage},
};
use serde::{Deserialize, Serialize};

/// The city's (or a township's) figures for one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub year: i32,
    /// Years with a target (the year picker).
    pub years: Vec<i32>,
    /// The township filtered on, if any (12-digit code).
    pub township: Option<String>,
    pub kpi: Kpi,
    /// Persons lifted out in each month of the year (January first).
    pub monthly: Vec<i64>,
    /// Every township (the filter chart), whatever the filter.
    pub townships: Vec<TownshipBar>,
    /// Registered households by main cause, largest first.
    pub causes: Vec<(PovertyCause, i64)>,
    /// Measures of the year by category, largest amount first.
    pub measures: Vec<MeasureBar>,
    /// Villages still above the exit threshold, fewest persons to go first.
    pub near_exit: Vec<NearExit>,
    /// 防止返贫动态监测 (2021 onward) in the same place: aggregates only.
    pub monitoring: Monitoring,
}

/// The monitoring section: objects (households identified for monitoring) and the cases still
/// in procedure, city-wide or in one township. No household is named.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Monitoring {
    /// Objects by category: (category, all identified, their risk cleared), largest first.
    pub by_category: Vec<(Category, i64, i64)>,
    /// Objects by main risk type, largest first.
    pub by_risk: Vec<(Risk, i64)>,
    /// Cases not finished, by the stage they stand at (in the procedure's order).
    pub by_stage: Vec<(Stage, i64)>,
    /// Year by year from 2021: new objects, risks cleared, objects still monitored at year end.
    pub years: Vec<MonitoringYear>,
    /// Cases not finished whose deadline has passed.
    pub overdue: i64,
    /// Social assistance running today (兜底): (kind, households, persons), in the kinds' order.
    pub assistance: Vec<(AssistanceKind, i64, i64)>,
}

impl Monitoring {
    /// Every object identified so far.
    pub fn objects(&self) -> i64 {
        self.by_category.iter().map(|c| c.1).sum()
    }

    /// Objects whose risk is cleared.
    pub fn cleared(&self) -> i64 {
        self.by_category.iter().map(|c| c.2).sum()
    }

    /// The share cleared, in tenths of a percent (`None` with no object).
    pub fn cleared_permille(&self) -> Option<i64> {
        let all = self.objects();
        (all > 0).then(|| self.cleared() * 1000 / all)
    }
}

/// One year of monitoring.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonitoringYear {
    pub year: i32,
    /// Identified in the year (the county decision).
    pub new: i64,
    /// Risk cleared in the year.
    pub cleared: i64,
    /// Identified by the year's end and not cleared by then.
    pub monitored: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kpi {
    /// Registered households and persons (active members), every status.
    pub households: i64,
    pub persons: i64,
    /// Still poor (in poverty or relapsed).
    pub poor_households: i64,
    pub poor_persons: i64,
    pub rural_population: i64,
    /// Exits dated in the year.
    pub exited_households: i64,
    pub exited_persons: i64,
    pub villages: i64,
    /// Villages whose incidence is below the exit threshold.
    pub villages_below: i64,
    /// The city's target for the year (city-wide, also when a township is chosen).
    pub target: Option<Target>,
}

impl Kpi {
    /// Incidence in basis points (1/100 of a percent), when the population is known.
    pub fn incidence_bp(&self) -> Option<i64> {
        (self.rural_population > 0).then(|| self.poor_persons * 10_000 / self.rural_population)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub persons: i64,
    pub households: i64,
    pub villages: i64,
}

/// A township's register figures (read as they are from the summaries).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TownshipBar {
    pub code: String,
    pub name: String,
    pub households: i64,
    pub poor_households: i64,
    pub persons: i64,
    pub poor_persons: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureBar {
    pub category: MeasureCategory,
    pub count: i64,
    pub amount: i64,
}

/// A village and its standing (read as it is from the summaries; the last two fields are worked
/// out after).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct NearExit {
    pub code: String,
    pub name: String,
    pub township: String,
    pub rural_population: i64,
    pub poor_households: i64,
    pub poor_persons: i64,
    /// Persons who must still exit before incidence is below 2 %.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub to_exit: i64,
    /// The households still in poverty (the first few), as the village page lists them.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub households: Vec<HoldingBack>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldingBack {
    pub id: i64,
    pub head: String,
    pub persons: i64,
}
