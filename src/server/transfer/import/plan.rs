//! The plan of an import: what it would do with each household of the file, and every error,
//! decided by a pure function over the file and a snapshot of the register read first.
use super::{
    parse::{FileHousehold, Parsed},
    values::{VILLAGES, Villages, household_values, locate},
};
use crate::{
    model::{
        codes::*,
        help::AssistanceInput,
        registry::{Household, Member},
        transfer::*,
        validate,
    },
    server::{
        db::{Tx, sql, sql_built},
        repo::{household, records::Scope},
    },
};
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap};

mod snapshot;
pub(super) use snapshot::{AidKey, Snapshot};

/// What the import will do with one household of the file.
pub(super) enum Action {
    Create(Box<Household>),
    Update {
        before: Box<Household>,
        after: Box<Household>,
    },
    Unchanged,
}

/// A social assistance enrolment the import adds: its input (without household or member ids,
/// known once the household is written) and whom it is for.
pub(super) struct NewAid {
    pub(super) input: AssistanceInput,
    /// The member (an index into the household as written); `None`: the whole household.
    pub(super) member: Option<usize>,
}

/// The checked plan: one action per household, the counts, and every error.
pub(super) struct Plan {
    pub(super) actions: Vec<Action>,
    /// Beside each action: the registered household's id (none for a new one) and the
    /// enrolments to add to it.
    pub(super) assistance: Vec<(Option<i64>, Vec<NewAid>)>,
    pub(super) counts: Counts,
    pub(super) errors: Vec<RowError>,
}

/// The ID number that says which household a file household is: its householder's own, or the
/// householder-ID column of its first row.
fn head_id(p: &Parsed, fh: &FileHousehold) -> Option<String> {
    fh.members
        .iter()
        .find(|(_, m)| m.relation == Relation::Head)
        .and_then(|(_, m)| m.id_number.clone())
        .or_else(|| {
            let key = p.cell(fh.first_row, Col::HeadId).trim().to_uppercase();
            (!key.is_empty()).then_some(key)
        })
}

/// Checks the parsed file against the snapshot of the register: one action per household and
/// every error found (an import with errors writes nothing).
pub(super) fn plan(p: &Parsed, snap: &Snapshot, scope: &Scope, today: NaiveDate) -> Plan {
    let mut errors = p.errors.clone();
    // Every ID number in the file: given twice is an error on the second row.
    let mut seen: HashMap<String, u32> = HashMap::new();
    for fh in &p.households {
        for (row, m) in &fh.members {
            if let Some(id) = &m.id_number {
                if seen.contains_key(id) {
                    errors.push(p.error(*row, Some(Col::IdNumber), "id_in_file_twice"));
                } else {
                    seen.insert(id.clone(), *row);
                }
            }
        }
    }
    let mut actions = Vec::with_capacity(p.households.len());
    let mut assistance = Vec::with_capacity(p.households.len());
    let mut counts = Counts::default();
    for fh in &p.households {
        let mut errs = Vec::new();
        let values = household_values(p, fh, &snap.villages, scope, &mut errs);
        let head = head_id(p, fh);
        // A householder row whose own ID is not the household's householder ID.
        for (row, m) in &fh.members {
            let key = p.cell(*row, Col::HeadId).trim();
            if m.relation == Relation::Head
                && !key.is_empty()
                && m.id_number
                    .as_deref()
                    .is_some_and(|id| !id.eq_ignore_ascii_case(key))
            {
                errs.push(p.error(*row, Some(Col::HeadId), "head_id_mismatch"));
            }
        }
        let mut target = None;
        if let Some(h) = head.as_deref() {
            match snap.holder(h) {
                [one] => target = Some(*one),
                [] => {}
                _ => errs.push(p.error(fh.first_row, Some(Col::HeadId), "id_ambiguous")),
            }
        }
        for (row, m) in &fh.members {
            let Some(id) = m.id_number.as_deref() else {
                continue;
            };
            match snap.holder(id) {
                [] => {}
                [one] if Some(*one) == target => {}
                [_] => errs.push(p.error(*row, Some(Col::IdNumber), "id_other_household")),
                _ => errs.push(p.error(*row, Some(Col::IdNumber), "id_ambiguous")),
            }
        }
        let before = match target {
            Some(id) => snap.records.get(&id).cloned(),
            None => None,
        };
        if let (Some(b), Some(code)) = (&before, &values.village_code)
            && &b.village_code != code
        {
            let col = if p.cols.contains_key(&Col::VillageCode) {
                Col::VillageCode
            } else {
                Col::Village
            };
            errs.push(p.error(
                fh.cells.get(&col).copied().unwrap_or(fh.first_row),
                Some(col),
                "village_differs",
            ));
        }
        // Members of the record, with the row each came from (`None`: not in the file).
        let mut member_rows: Vec<Option<u32>>;
        let after = match &before {
            Some(b) => {
                let mut h = b.clone();
                let same_status = values.status.is_none_or(|s| s == b.status)
                    && values.identified_on == b.identified_on
                    && (values.status.is_none()
                        || (values.exited_on == b.exited_on
                            && values.relapsed_on == b.relapsed_on));
                if !same_status {
                    let row = fh.cells.get(&Col::Status).copied().unwrap_or(fh.first_row);
                    errs.push(p.error(row, Some(Col::Status), "status_differs"));
                }
                h.group_no = values.group_no;
                h.address = values.address.clone();
                h.phone = values.phone.clone();
                h.standard = values.standard;
                h.attribute = values.attribute;
                h.causes = values.causes.clone();
                h.has_electricity = values.has_electricity;
                h.has_safe_water = values.has_safe_water;
                h.has_road_access = values.has_road_access;
                if values.housing.is_some() {
                    h.housing = values.housing.clone();
                }
                member_rows = vec![None; h.members.len()];
                for (row, m) in &fh.members {
                    let found = h.members.iter().position(|o| {
                        o.active
                            && match (&m.id_number, &o.id_number) {
                                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                                (None, None) => o.name == m.name && o.birth_date == m.birth_date,
                                _ => false,
                            }
                    });
                    match found {
                        Some(i) => {
                            h.members[i] = Member {
                                id: h.members[i].id,
                                ..m.clone()
                            };
                            member_rows[i] = Some(*row);
                        }
                        None => {
                            h.members.push(m.clone());
                            member_rows.push(Some(*row));
                        }
                    }
                }
                h
            }
            None => {
                let status = values.status.unwrap_or(Status::Poor);
                let dates_fit = match status {
                    Status::Poor | Status::Ordinary => {
                        values.exited_on.is_none() && values.relapsed_on.is_none()
                    }
                    Status::Exited => values.exited_on.is_some() && values.relapsed_on.is_none(),
                    Status::Relapsed => values.exited_on.is_some() && values.relapsed_on.is_some(),
                };
                if !dates_fit {
                    let row = fh.cells.get(&Col::Status).copied().unwrap_or(fh.first_row);
                    errs.push(p.error(row, Some(Col::Status), "status_dates"));
                }
                member_rows = fh.members.iter().map(|(r, _)| Some(*r)).collect();
                Household {
                    id: None,
                    village_code: values.village_code.clone().unwrap_or_default(),
                    group_no: values.group_no,
                    address: values.address.clone(),
                    phone: values.phone.clone(),
                    bank_name: None,
                    bank_account: None,
                    standard: values.standard,
                    attribute: values.attribute,
                    status,
                    identified_on: values.identified_on,
                    exited_on: values.exited_on,
                    relapsed_on: values.relapsed_on,
                    causes: values.causes.clone(),
                    has_electricity: values.has_electricity,
                    has_safe_water: values.has_safe_water,
                    has_road_access: values.has_road_access,
                    members: fh.members.iter().map(|(_, m)| m.clone()).collect(),
                    housing: values.housing.clone(),
                    version: 0,
                }
            }
        };
        // The form rules, on the whole household as it would be stored.
        // (When a row could not be read, the householder count is not the household's.)
        for e in validate::household(&after, today).0 {
            if fh.incomplete && e.field == "members" {
                continue;
            }
            {
                let (row, col) = locate(fh, &member_rows, &e.field, &e.code);
                errs.push(p.error(row, col, &e.code));
            }
        }
        let target_id = before.as_ref().and_then(|b| b.id);
        let held = target_id
            .and_then(|id| snap.enrolments.get(&id))
            .map(Vec::as_slice)
            .unwrap_or_default();
        let aid = new_assistance(p, fh, &after, &member_rows, held, today, &mut errs);
        if !errs.is_empty() {
            errors.extend(errs);
            actions.push(Action::Unchanged);
            assistance.push((None, Vec::new()));
            continue;
        }
        counts.assistance_new += aid.len() as u32;
        assistance.push((target_id, aid));
        match before {
            None => {
                counts.households_new += 1;
                counts.members_new += after.members.len() as u32;
                actions.push(Action::Create(Box::new(after)));
            }
            Some(b) => {
                let new = after.members.iter().filter(|m| m.id.is_none()).count() as u32;
                let changed = after
                    .members
                    .iter()
                    .filter(|m| m.id.is_some() && !b.members.contains(m))
                    .count() as u32;
                counts.members_new += new;
                counts.members_updated += changed;
                counts.members_unchanged += fh.members.len() as u32 - new - changed;
                if after == b {
                    counts.households_unchanged += 1;
                    actions.push(Action::Unchanged);
                } else {
                    counts.households_updated += 1;
                    actions.push(Action::Update {
                        before: Box::new(b),
                        after: Box::new(after),
                    });
                }
            }
        }
    }
    errors.sort_by_key(|e| (e.row, e.col.map(|c| Col::ALL.iter().position(|x| *x == c))));
    errors.dedup();
    Plan {
        actions,
        assistance,
        counts,
        errors,
    }
}

/// The enrolments of file household `fh` that the register (`held`) does not hold yet, each
/// checked with the record form's rules (errors at its row). `member_rows` gives the file row of
/// each member of `after`, the household as it will be written.
fn new_assistance(
    p: &Parsed,
    fh: &FileHousehold,
    after: &Household,
    member_rows: &[Option<u32>],
    held: &[AidKey],
    today: NaiveDate,
    errs: &mut Vec<RowError>,
) -> Vec<NewAid> {
    let mut out = Vec::new();
    for a in &fh.aid {
        // The member of the household as written whose row gave the enrolment.
        let member = match a.member {
            None => None,
            Some(i) => {
                let row = fh.members.get(i).map(|(r, _)| *r);
                match member_rows.iter().position(|r| r.is_some() && *r == row) {
                    Some(m) => Some(m),
                    None => continue, // its row could not be read (reported)
                }
            }
        };
        let member_id = member.and_then(|m| after.members.get(m)).and_then(|m| m.id);
        if held.contains(&(a.kind, member_id, a.start_on))
            && (member.is_none() || member_id.is_some())
        {
            continue;
        }
        let (monthly_amount, lump_sum) = match a.kind {
            AssistanceKind::Temporary => (0, a.amount),
            AssistanceKind::Dibao | AssistanceKind::Tekun => (a.amount, 0),
        };
        let input = AssistanceInput {
            household_id: 0,
            member_id: None,
            kind: a.kind,
            start_on: a.start_on,
            monthly_amount,
            lump_sum,
            agency: a.agency.trim().to_string(),
        };
        for e in validate::assistance(&input, today).0 {
            let col = match e.field.as_str() {
                "start_on" => Col::AssistanceSince,
                "agency" => Col::AssistanceAgency,
                "monthly_amount" | "lump_sum" => Col::AssistanceAmount,
                _ => Col::Assistance,
            };
            errs.push(p.error(a.row, Some(col), &e.code));
        }
        out.push(NewAid { input, member });
    }
    out
}

#[cfg(test)]
mod tests;
