//! The generator: households, members, incomes, housing, measures, helpers, work teams.
use super::{
    bulk::{Table, Tx, Val},
    catalog::*,
};
use crate::model::{codes::*, id_number};
use chrono::{Duration, NaiveDate};
use rand::{Rng, SeedableRng, seq::IndexedRandom};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

/// Rows are written with explicit ids; these move PostgreSQL's identity sequences past them.
pub const RESET_SEQUENCES: &[&str] = &[
    "SELECT setval(pg_get_serial_sequence('household', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM household), false)",
    "SELECT setval(pg_get_serial_sequence('member', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM member), false)",
    "SELECT setval(pg_get_serial_sequence('cadre', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM cadre), false)",
    "SELECT setval(pg_get_serial_sequence('work_team', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM work_team), false)",
    "SELECT setval(pg_get_serial_sequence('policy', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM policy), false)",
];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// Counts of what [`Generator::write_households`] wrote.
pub struct Totals {
    pub households: u64,
    pub members: u64,
    pub measures: u64,
}

/// Deterministic source of every demo row.
pub struct Generator {
    rng: ChaCha8Rng,
    pub(super) households: u32,
    /// (village code, "township village") for addresses.
    pub villages: Vec<(String, String)>,
    id_sequences: HashMap<(NaiveDate, bool), u16>,
    /// The first sequence number of each birth date and sex (see [`Generator::id_number`]).
    first_sequence: u16,
    helpers: i64,
    policies: HashMap<MeasureCategory, Vec<i64>>,
    next_member: i64,
}

impl Generator {
    pub fn new(households: u32) -> Self {
        Generator {
            rng: ChaCha8Rng::seed_from_u64(430_581),
            households,
            villages: Vec::new(),
            id_sequences: HashMap::new(),
            first_sequence: 0,
            helpers: i64::from(households / 4).max(1),
            policies: HashMap::new(),
            next_member: 1,
        }
    }

    /// Registered rural population of a village, sized so the incidence at the start (2014)
    /// is about 12 %, as in the city's register.
    pub fn village_population(&mut self) -> i64 {
        let poor_persons = f64::from(self.households) * 3.55 / 306.0;
        (poor_persons / 0.12 * self.rng.random_range(0.8..1.2)).round() as i64
    }

    fn scale(&self) -> f64 {
        f64::from(self.households) / f64::from(super::DEFAULT_HOUSEHOLDS)
    }

    /// Poverty lines, yearly targets and the policies; returns the number of policies.
    pub async fn write_reference_data(&mut self, tx: &mut Tx) -> Result<u64, sqlx::Error> {
        let mut lines = Table::new("poverty_line", &["year", "line_yuan"]);
        for &(year, line) in POVERTY_LINES {
            lines.push(vec![year.into(), line.into()]);
        }
        lines.flush(tx).await?;
        // Persons and households to lift out per year; 28,000 persons in 2017 at the default size.
        let mut targets = Table::new(
            "annual_target",
            &["year", "persons_exit", "households_exit", "villages_exit"],
        );
        for (year, persons, households, villages) in [
            (2014, 12_000, 3_400, 20),
            (2015, 16_000, 4_550, 35),
            (2016, 20_000, 5_700, 50),
            (2017, 28_000, 7_900, 80),
            (2018, 12_000, 3_450, 121),
        ] {
            let s = self.scale();
            targets.push(vec![
                i64::from(year).into(),
                ((persons as f64 * s).round() as i64).into(),
                ((households as f64 * s).round() as i64).into(),
                i64::from(villages).into(),
            ]);
        }
        targets.flush(tx).await?;
        let mut policies = Table::new(
            "policy",
            &[
                "id",
                "title",
                "category",
                "issuer",
                "doc_number",
                "issued_on",
                "effective_on",
                "body",
            ],
        );
        for (i, &(category, title, issuer, number, issued, body)) in POLICIES.iter().enumerate() {
            let id = i as i64 + 1;
            let issued = NaiveDate::parse_from_str(issued, "%Y-%m-%d").expect("catalog date");
            self.policies.entry(category).or_default().push(id);
            policies.push(vec![
                id.into(),
                title.into(),
                category.as_str().into(),
                issuer.into(),
                number.into(),
                issued.into(),
                (issued + Duration::days(15)).into(),
                body.into(),
            ]);
        }
        policies.flush(tx).await?;
        Ok(policies.written)
    }

    pub(super) fn name(&mut self, male: bool, surname: Option<&str>) -> String {
        // Skewed towards the common surnames, as real registers are.
        let surname = surname.map(str::to_string).unwrap_or_else(|| {
            let r: f64 = self.rng.random();
            SURNAMES[((r * r) * SURNAMES.len() as f64) as usize].to_string()
        });
        let pool = if male { GIVEN_MALE } else { GIVEN_FEMALE };
        let first = pool.choose(&mut self.rng).expect("pool");
        if self.rng.random_bool(0.35) {
            format!("{surname}{first}")
        } else {
            format!(
                "{surname}{first}{}",
                pool.choose(&mut self.rng).expect("pool")
            )
        }
    }

    pub(super) fn phone(&mut self) -> String {
        let prefix = [
            "138", "139", "150", "151", "158", "187", "188", "177", "135", "136",
        ]
        .choose(&mut self.rng)
        .expect("prefixes");
        format!("{prefix}{:08}", self.rng.random_range(0..100_000_000))
    }

    /// A generator whose ID numbers start at sequence `first` of each birth date and sex, so
    /// they cannot meet those of a generator starting lower (the register's stay far below 400).
    pub(super) fn starting_at_sequence(mut self, first: u16) -> Self {
        self.first_sequence = first;
        self
    }

    pub(super) fn id_number(&mut self, birth: NaiveDate, male: bool) -> String {
        let n = self
            .id_sequences
            .entry((birth, male))
            .or_insert(self.first_sequence);
        let k = *n;
        *n += 1;
        // 500 numbers per birth date and sex per county; beyond that use a neighbouring county.
        let region = ["430581", "430521", "430525", "430527", "430528"][usize::from(k / 500) % 5];
        let seq = (k % 500) * 2 + if male { 1 } else { 2 };
        id_number::build(region, birth, seq)
    }

    /// Helper cadres (one per four households), and per village two successive work teams
    /// (2015–2018 and 2018–) of a leader (第一书记) and two members; returns the cadre count.
    pub async fn write_cadres_and_teams(&mut self, tx: &mut Tx) -> Result<u64, sqlx::Error> {
        let mut cadres = Table::new("cadre", &["id", "name", "unit", "level", "phone", "active"]);
        let mut teams = Table::new(
            "work_team",
            &["id", "village_code", "unit", "start_on", "end_on"],
        );
        let mut members = Table::new("work_team_member", &["team_id", "cadre_id", "role"]);
        let levels = [
            (CadreLevel::Province, 2),
            (CadreLevel::City, 8),
            (CadreLevel::County, 45),
            (CadreLevel::Township, 35),
            (CadreLevel::Village, 10),
        ];
        let mut id = 0i64;
        for _ in 0..self.helpers {
            id += 1;
            let level = levels
                .choose_weighted(&mut self.rng, |l| l.1)
                .expect("weights")
                .0;
            let row = self.cadre_row(id, level);
            cadres.push(row);
            if cadres.is_full() {
                cadres.flush(tx).await?;
            }
        }
        let mut team_id = 0i64;
        for v in 0..self.villages.len() {
            let village = self.villages[v].0.clone();
            for (start, end) in [
                (date(2015, 8, 1), Some(date(2018, 7, 31))),
                (date(2018, 8, 1), None),
            ] {
                team_id += 1;
                let unit = units(CadreLevel::County)
                    .choose(&mut self.rng)
                    .expect("units")
                    .to_string();
                teams.push(vec![
                    team_id.into(),
                    village.clone().into(),
                    unit.into(),
                    start.into(),
                    end.into(),
                ]);
                for role in ["leader", "member", "member"] {
                    id += 1;
                    let row = self.cadre_row(id, CadreLevel::County);
                    cadres.push(row);
                    members.push(vec![team_id.into(), id.into(), role.into()]);
                }
            }
        }
        cadres.flush(tx).await?;
        teams.flush(tx).await?;
        members.flush(tx).await?;
        Ok(cadres.written)
    }

    pub(super) fn rng_mut(&mut self) -> &mut ChaCha8Rng {
        &mut self.rng
    }

    pub(super) fn next_member_id(&mut self) -> i64 {
        let id = self.next_member;
        self.next_member += 1;
        id
    }

    /// A policy of `category` to file a measure under (none for some, as in real ledgers).
    pub(super) fn policy_for(&mut self, category: MeasureCategory) -> Option<i64> {
        let ids = self.policies.get(&category)?;
        let pick = *ids.choose(&mut self.rng)?;
        self.rng.random_bool(0.9).then_some(pick)
    }

    pub(super) fn helper_count(&self) -> i64 {
        self.helpers
    }

    fn cadre_row(&mut self, id: i64, level: CadreLevel) -> Vec<Val> {
        let male = self.rng.random_bool(0.7);
        let name = self.name(male, None);
        let unit = units(level)
            .choose(&mut self.rng)
            .expect("units")
            .to_string();
        let phone = self.phone();
        vec![
            id.into(),
            name.into(),
            unit.into(),
            level.as_str().into(),
            phone.into(),
            true.into(),
        ]
    }
}
