//! The cases relative to today: a few of the demo township at every stage of the procedure,
//! walked there by the same writes staff use.
use super::*;

pub(super) struct CaseRow {
    pub(super) stage: Stage,
    pub(super) stage_on: NaiveDate,
    pub(super) monitored_on: Option<NaiveDate>,
    pub(super) clearing_from: Option<NaiveDate>,
    pub(super) cleared_on: Option<NaiveDate>,
    pub(super) resolved: Option<NaiveDate>,
    pub(super) held_on: Option<NaiveDate>,
    pub(super) closed: Option<&'static str>,
}

pub(super) const DEMO_VILLAGES: &str = "SELECT v.code FROM region v WHERE v.level = 'village' \
     AND EXISTS (SELECT 1 FROM household h WHERE h.village_code = v.code) ORDER BY v.code LIMIT 1";
/// Exited households of a township with no case, no running notice entry and no assistance.
pub(super) const FREE_HOUSEHOLDS: &str = "SELECT h.id FROM household h WHERE h.village_code BETWEEN $1 AND $2 \
     AND h.status = 'exited' \
     AND NOT EXISTS (SELECT 1 FROM monitoring_case c WHERE c.household_id = h.id) \
     AND NOT EXISTS (SELECT 1 FROM notice_entry e WHERE e.household_id = h.id) \
     AND NOT EXISTS (SELECT 1 FROM assistance a WHERE a.household_id = h.id) \
     ORDER BY h.village_code, h.id LIMIT 60";
pub(super) const INSERT_INCOME: &str = "INSERT INTO household_income (household_id, year, persons, wages, \
     business, transfer, property, costs, spending) \
     SELECT $1, $2, COUNT(*), $3 * COUNT(*), 0, 0, 0, 0, 0 FROM member \
     WHERE household_id = $1 AND active \
     ON CONFLICT (household_id, year) DO NOTHING";
pub(super) const LAST_NOTICE: &str = "SELECT s.notice_id, (SELECT MIN(e.id) FROM notice_entry e \
     WHERE e.notice_id = s.notice_id) FROM case_step s \
     WHERE s.case_id = $1 AND s.notice_id IS NOT NULL ORDER BY s.id DESC LIMIT 1";

/// Where an in-flight demo case is walked to, and how many working days its lead waited before
/// the home check (a long wait makes it overdue).
pub(super) const IN_FLIGHT: &[(Stage, u32)] = &[
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
pub(super) fn working_before(cal: &Calendar, d: NaiveDate) -> NaiveDate {
    let mut p = d.pred_opt().unwrap_or(d);
    while !cal.is_working(p) {
        p = p.pred_opt().unwrap_or(p);
    }
    p
}

/// Walks a case of each [`IN_FLIGHT`] kind in the demo township through the real writes, its
/// last step on the last working day (a notice step two days ago, so its notice runs); answers
/// how many were opened.
pub(super) async fn in_flight(db: &Db) -> Result<u64, sqlx::Error> {
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
        let Saved::Ok { id, mut version } = cases::open_case(db, &lead, "demo-village").await?
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
                Saved::Ok { version: v, .. } => version = v,
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
                tracing::warn!(
                    ?filed,
                    "the demo objection to a monitoring notice was not filed"
                );
            }
        }
    }
    Ok(opened)
}

/// The demo staff account of each role that records monitoring steps.
pub(super) fn demo_actor(role: Role) -> &'static str {
    match role {
        Role::Township => "demo-township",
        Role::CityAdmin => "demo-admin",
        Role::Village | Role::Cadre => "demo-village",
    }
}
