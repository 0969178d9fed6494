//! The dashboard's rows as read, one named struct per statement of [`super::sql`].
use crate::model::{
    codes::AssistanceKind,
    monitoring::{Category, Risk, Stage},
};

/// The register's households and persons in a range, and those still poor.
#[derive(sqlx::FromRow, Clone, Copy)]
pub(super) struct TotalsRow {
    pub households: i64,
    pub persons: i64,
    pub poor_households: i64,
    pub poor_persons: i64,
}

/// Households and persons who left poverty in one month (`2017-06`).
#[derive(sqlx::FromRow)]
pub(super) struct MonthRow {
    pub month: String,
    pub households: i64,
    pub persons: i64,
}

/// A year's target: persons, households and villages to leave poverty.
#[derive(sqlx::FromRow, Clone, Copy)]
pub(super) struct TargetRow {
    pub persons_exit: i64,
    pub households_exit: i64,
    pub villages_exit: i64,
}

/// Households by main cause of poverty (its code).
#[derive(sqlx::FromRow)]
pub(super) struct CauseRow {
    pub cause: String,
    pub households: i64,
}

/// Measures given in a year by category (its code), and their amount in yuan.
#[derive(sqlx::FromRow)]
pub(super) struct MeasureRow {
    pub category: String,
    pub measures: i64,
    pub amount: i64,
}

/// A poor household holding its village back from leaving poverty.
#[derive(sqlx::FromRow)]
pub(super) struct HoldingRow {
    pub id: i64,
    pub head: Option<String>,
    pub persons: i64,
}

// The monitoring rows: `township` is the first nine digits of a village code.

/// Monitoring objects of a category, and those cleared.
#[derive(sqlx::FromRow)]
pub(super) struct CategoryRow {
    pub township: String,
    pub category: Category,
    pub identified: i64,
    pub cleared: i64,
}

/// Monitoring objects by main risk.
#[derive(sqlx::FromRow)]
pub(super) struct RiskRow {
    pub township: String,
    pub risk: Risk,
    pub n: i64,
}

/// Cases not finished at a stage, and those past their deadline.
#[derive(sqlx::FromRow)]
pub(super) struct StageRow {
    pub township: String,
    pub stage: Stage,
    pub n: i64,
    pub overdue: i64,
}

/// Monitoring objects identified in a year and cleared in another (none while not cleared).
#[derive(sqlx::FromRow)]
pub(super) struct YearRow {
    pub township: String,
    pub identified_in: i32,
    pub cleared_in: Option<i32>,
    pub n: i64,
}

/// Households (or persons) with social assistance of a kind running.
#[derive(sqlx::FromRow)]
pub(super) struct AssistanceRow {
    pub township: String,
    pub kind: AssistanceKind,
    pub n: i64,
}
