//! Social assistance kept by staff and shown to the public, and the year's compliant spending
//! beside the income, on both backends: enrolments added and ended with their refusals and audit
//! rows, the public page's kinds and dates without amounts, the monitoring lines of the seed.
use crate::common::probe::{scalar, scalar_with};
use chrono::Days;
use fupin::{
    model::{
        codes::AssistanceKind, help::AssistanceInput, monitoring::counted_income,
        public::AssistanceSince, registry::Income,
    },
    server::{
        db::Db,
        repo::{Saved, public, records},
        seed,
    },
};

fn rejected(s: &Saved) -> (&str, &str) {
    match s {
        Saved::Rejected { field, code } => (field.as_str(), *code),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn story(db: &Db) {
    seed::seed(db, 600, &mut |_, _| {}).await.expect("seed");
    let today = chrono::Utc::now().date_naive();
    // A household with no assistance at all, and a member of another household.
    let h = scalar(
        db,
        "SELECT MIN(id) FROM household h WHERE NOT EXISTS \
         (SELECT 1 FROM assistance a WHERE a.household_id = h.id)",
    )
    .await;
    let stranger = scalar_with(db, "SELECT MIN(id) FROM member WHERE household_id <> $1", h).await;
    let page = public::household(db, h, today).await.unwrap().unwrap();
    assert!(page.assistance.is_empty());
    let audit = || {
        scalar_with(
            db,
            "SELECT COUNT(*) FROM audit_log WHERE entity_id = CAST($1 AS TEXT)",
            h,
        )
    };
    let audited = audit().await;

    let since = today - Days::new(40);
    let dibao = AssistanceInput {
        household_id: h,
        member_id: None,
        kind: AssistanceKind::Dibao,
        start_on: since,
        monthly_amount: 350,
        lump_sum: 0,
        agency: "武冈市民政局".into(),
    };
    let outsider = AssistanceInput {
        member_id: Some(stranger),
        ..dibao.clone()
    };
    let refused = records::add_assistance(db, &outsider, "t").await.unwrap();
    assert_eq!(rejected(&refused), ("member_id", "member_not_in_household"));
    assert!(matches!(
        records::add_assistance(db, &dibao, "t").await.unwrap(),
        Saved::Ok { .. }
    ));
    // The same enrolment again (same kind, person and start; another amount): refused by the
    // database's unique index, whoever asks second, and nothing written.
    let twice = AssistanceInput {
        monthly_amount: 999,
        ..dibao.clone()
    };
    let refused = records::add_assistance(db, &twice, "t").await.unwrap();
    assert_eq!(rejected(&refused), ("start_on", "assistance_exists"));
    // 临时救助 is one payment: it ends the day it starts.
    let temporary = AssistanceInput {
        kind: AssistanceKind::Temporary,
        start_on: today,
        monthly_amount: 0,
        lump_sum: 2_000,
        ..dibao.clone()
    };
    assert!(matches!(
        records::add_assistance(db, &temporary, "t").await.unwrap(),
        Saved::Ok { .. }
    ));
    let rows = records::assistance(db, h).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0].kind,
        AssistanceKind::Dibao,
        "running first: {rows:?}"
    );
    assert_eq!(rows[0].end_on, None);
    assert_eq!((rows[1].end_on, rows[1].lump_sum), (Some(today), 2_000));

    // The public page names the kinds and since when, never the amounts.
    let page = public::household(db, h, today).await.unwrap().unwrap();
    assert_eq!(
        page.assistance,
        [
            AssistanceSince {
                kind: AssistanceKind::Dibao,
                since
            },
            AssistanceSince {
                kind: AssistanceKind::Temporary,
                since: today
            },
        ]
    );
    let json = serde_json::to_string(&page).unwrap();
    for key in ["monthly_amount", "lump_sum", "agency"] {
        assert!(!json.contains(key), "{key} on the public page: {json}");
    }
    // Tomorrow the one-off payment is history.
    let later = public::household(db, h, today + Days::new(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        later.assistance,
        [AssistanceSince {
            kind: AssistanceKind::Dibao,
            since
        }]
    );

    // Ending: not before the start, once, and only an enrolment of this household.
    let row = rows[0].id;
    let early = records::end_assistance(db, h, row, since - Days::new(1), "t")
        .await
        .unwrap();
    assert_eq!(rejected(&early), ("end_on", "end_before_start"));
    let other = scalar_with(
        db,
        "SELECT MIN(id) FROM assistance WHERE household_id <> $1",
        h,
    )
    .await;
    assert_eq!(
        records::end_assistance(db, h, other, today, "t")
            .await
            .unwrap(),
        Saved::Missing
    );
    assert!(matches!(
        records::end_assistance(db, h, row, today, "t")
            .await
            .unwrap(),
        Saved::Ok { .. }
    ));
    let again = records::end_assistance(db, h, row, today, "t")
        .await
        .unwrap();
    assert_eq!(rejected(&again), ("end_on", "assistance_ended"));
    // Three writes, three audit rows; the refusals wrote nothing.
    assert_eq!(audit().await, audited + 3);
    assert_eq!(
        scalar_with(
            db,
            "SELECT COUNT(*) FROM assistance WHERE household_id = $1",
            h
        )
        .await,
        2
    );
    let page = public::household(db, h, today + Days::new(1))
        .await
        .unwrap()
        .unwrap();
    assert!(page.assistance.is_empty(), "{:?}", page.assistance);

    // The year's compliant spending is kept beside the income and lowers only the counted income.
    let version = scalar_with(db, "SELECT version FROM household WHERE id = $1", h).await;
    let income = Income {
        wages: 30_000,
        spending: 6_000,
        ..Income::blank(2025, 3)
    };
    let saved = records::save_income(db, h, version, &income, "t")
        .await
        .unwrap();
    assert!(matches!(saved, Saved::Ok { .. }), "{saved:?}");
    let stored = records::incomes(db, h).await.unwrap();
    let year = stored.iter().find(|i| i.year == 2025).unwrap();
    assert_eq!(
        (year.spending, year.per_capita, counted_income(year)),
        (6_000, Some(10_000), 8_000)
    );
}

async fn seeded_lines(db: &Db) {
    seed::seed(db, 300, &mut |_, _| {}).await.expect("seed");
    assert_eq!(
        scalar(
            db,
            "SELECT COUNT(*) FROM monitoring_line WHERE province_code = '430000'"
        )
        .await,
        6
    );
    assert_eq!(
        scalar(
            db,
            "SELECT line_yuan FROM monitoring_line WHERE province_code = '430000' AND year = 2023"
        )
        .await,
        7_500
    );
    // 国庆 2025 ran eight days; two weekend days were worked for it.
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM holiday WHERE day BETWEEN '2025-10-01' AND '2025-10-08' AND name <> '调休上班'").await,
        8
    );
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM holiday WHERE day IN ('2025-09-28', '2025-10-11') AND name = '调休上班'").await,
        2
    );
}

on_both! {
    assistance_and_spending_on_sqlite, assistance_and_spending_on_postgres, |db| story(db);
}

on_both! {
    monitoring_lines_and_holidays_seeded_on_sqlite, monitoring_lines_and_holidays_seeded_on_postgres, |db| seeded_lines(db);
}
