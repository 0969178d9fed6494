//! The bulk part's rows, gathered in memory and written table by table.
use super::*;

pub(super) struct Ids {
    pub(super) household: i64,
    pub(super) member: i64,
    pub(super) case: i64,
    pub(super) measure: i64,
}

pub(super) struct BulkTables {
    pub(super) household: Table,
    pub(super) member: Table,
    pub(super) income: Table,
    pub(super) case: Table,
    pub(super) risk: Table,
    pub(super) step: Table,
    pub(super) measure: Table,
    pub(super) plan: Table,
}

impl BulkTables {
    pub(super) fn new() -> Self {
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
    pub(super) fn all(&mut self) -> [&mut Table; 8] {
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

    pub(super) async fn flush(&mut self, tx: &mut Tx, force: bool) -> Result<(), sqlx::Error> {
        super::super::bulk::flush_in_order(&mut self.all(), tx, force).await
    }
}
