//! What the register holds that a file's plan depends on, read first in the import's
//! transaction.
use super::*;

/// What the register holds that a file's plan depends on, read in the import's transaction.
#[derive(Default)]
pub(in super::super) struct Snapshot {
    pub(in super::super) villages: Villages,
    /// ID number → the households of the active persons holding it.
    pub(in super::super) holders: HashMap<String, Vec<i64>>,
    /// The registered households the file's households are (found by their householder).
    pub(in super::super) records: HashMap<i64, Household>,
    /// Their enrolments, past and running: (kind, member, start).
    pub(in super::super) enrolments: HashMap<i64, Vec<AidKey>>,
}

/// What makes an enrolment the same one: its kind, its member (none: the whole household) and
/// its start.
pub(in super::super) type AidKey = (AssistanceKind, Option<i64>, NaiveDate);

const ACTIVE_IDS: &str = "SELECT id_number, household_id FROM member WHERE active AND id_number IN";

impl Snapshot {
    /// Reads the places, who holds each ID number of the file, and the records the file's
    /// householders belong to.
    pub(in super::super) async fn read(tx: &mut Tx, p: &Parsed) -> Result<Snapshot, sqlx::Error> {
        let villages = Villages::new(sql(VILLAGES).fetch_all(&mut *tx).await?);
        let wanted: BTreeSet<&String> = p
            .households
            .iter()
            .flat_map(|fh| fh.members.iter().filter_map(|(_, m)| m.id_number.as_ref()))
            .collect();
        let wanted: Vec<&String> = wanted.into_iter().collect();
        let mut holders: HashMap<String, Vec<i64>> = HashMap::new();
        for chunk in wanted.chunks(500) {
            let marks = tx.backend().marks(1, chunk.len());
            let rows: Vec<(String, i64)> = sql_built(format!("{ACTIVE_IDS} ({marks})"))
                .bind_all(chunk.iter().map(|id| id.as_str().into()))
                .fetch_all(&mut *tx)
                .await?;
            for (id, household) in rows {
                holders.entry(id).or_default().push(household);
            }
        }
        let mut snap = Snapshot {
            villages,
            holders,
            records: HashMap::new(),
            enrolments: HashMap::new(),
        };
        for fh in &p.households {
            if let Some(head) = head_id(p, fh)
                && let [one] = snap.holder(&head)
                && !snap.records.contains_key(one)
            {
                let id = *one;
                if let Some(h) = household::read(tx, id).await? {
                    snap.records.insert(id, h);
                }
            }
        }
        let ids: Vec<String> = snap.records.keys().map(i64::to_string).collect();
        // Whole numbers only: written into the statement as they are.
        for chunk in ids.chunks(500) {
            let rows: Vec<(i64, AssistanceKind, Option<i64>, NaiveDate)> = sql_built(format!(
                "SELECT household_id, kind, member_id, start_on FROM assistance \
                 WHERE household_id IN ({})",
                chunk.join(",")
            ))
            .fetch_all(&mut *tx)
            .await?;
            for (household, kind, member, start) in rows {
                snap.enrolments
                    .entry(household)
                    .or_default()
                    .push((kind, member, start));
            }
        }
        Ok(snap)
    }

    /// The households of the active persons holding ID number `id`.
    pub(in super::super) fn holder(&self, id: &str) -> &[i64] {
        self.holders.get(id).map(Vec::as_slice).unwrap_or_default()
    }
}
