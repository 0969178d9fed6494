//! The whole life of a case: lead → monitored → plan → cleared → monitored again.
use super::*;

pub(super) async fn life(db: &Db) {
    seed::seed(db, 600, &mut |_, _| {}).await.expect("seed");
    let today = chrono::Utc::now().date_naive();
    // The line of this year and the last, whatever year the test runs in.
    for y in [today.year() - 1, today.year()] {
        sql_built(format!("INSERT INTO monitoring_line (province_code, year, line_yuan) VALUES ('430000', {y}, 8400) ON CONFLICT DO NOTHING"))
            .execute(db).await.unwrap();
    }
    // An exited household with a member of working age able to work (the plan's 开发式 warning).
    let years_ago = |n: i32| NaiveDate::from_ymd_opt(today.year() - n, 1, 1).unwrap();
    let h = scalar(
        db,
        &format!(
            "SELECT MIN(h.id) FROM household h WHERE h.status = 'exited' \
             AND h.id NOT IN (SELECT household_id FROM monitoring_case) \
             AND h.id NOT IN (SELECT household_id FROM assistance) \
             AND EXISTS (SELECT 1 FROM member m WHERE m.household_id = h.id AND m.active \
             AND m.labour IN ('ordinary', 'skilled') AND m.birth_date BETWEEN '{}' AND '{}')",
            years_ago(60),
            years_ago(20)
        ),
    )
    .await;
    let start = today - Days::new(60);
    // Its village's desk (the whole county's lists its first cases only); its counts are kept
    // while no case changes, and move with the case opened below.
    let village: String = sql_built(format!("SELECT village_code FROM household WHERE id = {h}"))
        .scalar(db)
        .await
        .unwrap();
    let here = DeskFilter {
        village: Some(village),
        ..DeskFilter::default()
    };
    let open_here = || async {
        let desk = monitoring::desk(db, &Scope::All, &here, today)
            .await
            .unwrap();
        (desk.total, desk.rows.len())
    };
    let (before, listed) = open_here().await;
    assert_eq!(open_here().await, (before, listed), "read twice, the same");

    // The lead: the category must fit (an exited household is not 边缘易致贫户), one open case.
    let refused = monitoring::open_case(
        db,
        &lead(h, Category::Marginal, vec![Risk::Illness], start),
        "t",
    )
    .await
    .unwrap();
    assert_eq!(code(&refused), "category_mismatch");
    let opened = monitoring::open_case(
        db,
        &lead(
            h,
            Category::Unstable,
            vec![Risk::Illness, Risk::Disaster],
            start,
        ),
        "v1",
    )
    .await
    .unwrap();
    let Saved::Ok { id, version: v } = opened else {
        panic!("{opened:?}")
    };
    let twice = monitoring::open_case(
        db,
        &lead(h, Category::Sudden, vec![Risk::Other], start),
        "t",
    )
    .await
    .unwrap();
    assert_eq!(code(&twice), "case_open");
    let (after, _) = open_here().await;
    assert_eq!(after, before + 1, "the kept count follows the new case");

    // In order only, by the owning level, with two people and the consent.
    let skip = monitoring::step(
        db,
        &step(id, v, Stage::CrossCheck, start),
        Role::Village,
        "t",
        today,
    )
    .await
    .unwrap();
    assert_eq!(code(&skip), "stage_order");
    let cadre = monitoring::step(
        db,
        &step(id, v, Stage::HomeCheck, start),
        Role::Cadre,
        "t",
        today,
    )
    .await
    .unwrap();
    assert_eq!(cadre, Saved::Forbidden);
    let alone = StepInput {
        people: vec!["刘帮扶".into(), " 刘帮扶 ".into()],
        ..step(id, v, Stage::HomeCheck, start)
    };
    assert_eq!(
        code(
            &monitoring::step(db, &alone, Role::Village, "t", today)
                .await
                .unwrap()
        ),
        "home_check_people"
    );
    let unsigned = StepInput {
        consent: false,
        ..step(id, v, Stage::HomeCheck, start)
    };
    assert_eq!(
        code(
            &monitoring::step(db, &unsigned, Role::Village, "t", today)
                .await
                .unwrap()
        ),
        "consent_required"
    );
    let early = step(id, v, Stage::HomeCheck, start - Days::new(1));
    assert_eq!(
        code(
            &monitoring::step(db, &early, Role::Village, "t", today)
                .await
                .unwrap()
        ),
        "before_previous"
    );

    // Two staff record the home check on one version: one wins, the other is told who.
    let first = monitoring::step(
        db,
        &step(id, v, Stage::HomeCheck, start),
        Role::Village,
        "v1",
        today,
    )
    .await
    .unwrap();
    let v = version(first);
    let second = monitoring::step(
        db,
        &step(id, v - 1, Stage::HomeCheck, start),
        Role::Township,
        "t2",
        today,
    )
    .await
    .unwrap();
    assert!(
        matches!(&second, Saved::Stale { by: Some(s), .. } if s.by == "v1"),
        "{second:?}"
    );
    assert_eq!(
        scalar_with(db, "SELECT COUNT(*) FROM case_step WHERE case_id = $1", id).await,
        2
    );

    let d = start + Days::new(1);
    let v = version(
        monitoring::step(
            db,
            &step(id, v, Stage::CrossCheck, d),
            Role::Village,
            "v1",
            today,
        )
        .await
        .unwrap(),
    );
    let v = version(
        monitoring::step(
            db,
            &step(id, v, Stage::VillageReview, d),
            Role::Village,
            "v1",
            today,
        )
        .await
        .unwrap(),
    );
    // The notice runs at least the stored five days; published here, it is recorded on the day
    // it starts (the step is recorded on day `d`).
    let short = StepInput {
        notice_days: 4,
        ..step(id, v, Stage::Notice, d)
    };
    assert_eq!(
        code(
            &monitoring::step(db, &short, Role::Village, "t", d)
                .await
                .unwrap()
        ),
        "notice_days_range"
    );
    let v = version(
        monitoring::step(
            db,
            &StepInput {
                notice_days: 5,
                ..step(id, v, Stage::Notice, d)
            },
            Role::Village,
            "v1",
            d,
        )
        .await
        .unwrap(),
    );
    assert_eq!(
        scalar_with(
            db,
            "SELECT COUNT(*) FROM notice n JOIN notice_entry e ON e.notice_id = n.id \
             WHERE e.household_id = $1 AND n.kind = 'monitoring' AND e.state = 'proposed'",
            h
        )
        .await,
        1
    );
    // The township reviews (not the village, not the city), the city decides.
    let review = step(id, v, Stage::TownshipReview, d + Days::new(6));
    assert_eq!(
        monitoring::step(db, &review, Role::Village, "t", today)
            .await
            .unwrap(),
        Saved::Forbidden
    );
    assert_eq!(
        monitoring::step(db, &review, Role::CityAdmin, "t", today)
            .await
            .unwrap(),
        Saved::Forbidden
    );
    // While the notice runs (seen on its second day), the review waits.
    let on_day_two = step(id, v, Stage::TownshipReview, d + Days::new(1));
    let running = monitoring::step(db, &on_day_two, Role::Township, "t", d + Days::new(1)).await;
    assert_eq!(code(&running.unwrap()), "notice_running");
    let v = version(
        monitoring::step(db, &review, Role::Township, "t3", today)
            .await
            .unwrap(),
    );
    let decide = step(id, v, Stage::Monitored, d + Days::new(7));
    assert_eq!(
        monitoring::step(db, &decide, Role::Township, "t", today)
            .await
            .unwrap(),
        Saved::Forbidden
    );
    let v = version(
        monitoring::step(db, &decide, Role::CityAdmin, "c1", today)
            .await
            .unwrap(),
    );
    let c = monitoring::head(db, id).await.unwrap().unwrap();
    assert_eq!(
        (c.stage, c.monitored_on, c.due_on),
        (Stage::Monitored, Some(d + Days::new(7)), None)
    );
    assert_eq!(
        scalar_with(
            db,
            "SELECT COUNT(*) FROM notice_entry WHERE household_id = $1 AND state = 'finalised'",
            h
        )
        .await,
        1
    );

    // The plan: a measure for the household; recording one against it marks it done, once.
    let plan = PlanInput {
        case_id: id,
        category: MeasureCategory::Medical,
        member_id: None,
        name: "大病医疗救助".into(),
        due_on: today,
    };
    let Saved::Ok { id: line, .. } = monitoring::add_plan(db, &plan, "v1").await.unwrap() else {
        panic!()
    };
    let view = monitoring::case_view(db, id, Role::Village, today)
        .await
        .unwrap()
        .unwrap();
    let able = view
        .household
        .members
        .iter()
        .filter(|m| fupin::model::monitoring::able_to_work(m, today))
        .count();
    assert_eq!(
        view.without_development.len(),
        able,
        "no 开发式 measure yet: {:?}",
        view.without_development
    );
    // The desk marks the same case with the same count.
    let on_desk = |desk: fupin::model::monitoring::case::Desk| {
        desk.rows
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.without_development)
    };
    let desk = monitoring::desk(db, &Scope::All, &here, today)
        .await
        .unwrap();
    assert!(able > 0);
    assert_eq!(on_desk(desk), Some(able as u32));
    let given = MeasureInput {
        household_id: h,
        member_id: None,
        category: MeasureCategory::Medical,
        name: "大病医疗救助".into(),
        given_on: today,
        amount: 3000,
        agency: "市医保局".into(),
    };
    assert!(matches!(
        monitoring::record_measure(db, id, Some(line), &given, "v1")
            .await
            .unwrap(),
        Saved::Ok { .. }
    ));
    assert_eq!(
        code(
            &monitoring::record_measure(db, id, Some(line), &given, "v1")
                .await
                .unwrap()
        ),
        "plan_done"
    );
    let jobs = PlanInput {
        category: MeasureCategory::Employment,
        name: "公益性岗位".into(),
        ..plan.clone()
    };
    monitoring::add_plan(db, &jobs, "v1").await.unwrap();
    let view = monitoring::case_view(db, id, Role::Village, today)
        .await
        .unwrap()
        .unwrap();
    assert!(view.without_development.is_empty());
    let desk = monitoring::desk(db, &Scope::All, &here, today)
        .await
        .unwrap();
    assert_eq!(on_desk(desk), Some(0));
    assert_eq!(view.plan.iter().filter(|p| p.done_on.is_some()).count(), 1);
    assert_eq!(view.measures.len(), 1);

    // Clearing is refused with its reasons while a condition fails, and nothing is written.
    let c0 = d + Days::new(10);
    let clear = step(id, v, Stage::ClearHomeCheck, c0);
    let Saved::ClearRefused(reasons) = monitoring::step(db, &clear, Role::Village, "t", today)
        .await
        .unwrap()
    else {
        panic!()
    };
    assert!(
        reasons.contains(&ClearReason::SpendingUnresolved),
        "{reasons:?}"
    );
    assert_eq!(monitoring::head(db, id).await.unwrap().unwrap().version, v);
    exit_ready(db, h, i64::from(c0.year())).await;
    exit_ready(db, h, i64::from(c0.year()) - 1).await;
    let v = version(
        monitoring::resolve_spending(db, id, v, c0, "v1")
            .await
            .unwrap(),
    );
    // 暂不标注 does not apply: someone here can work, or there is no 兜底.
    assert_eq!(
        code(&monitoring::hold(db, id, v, c0, "v1").await.unwrap()),
        "hold_not_applicable"
    );
    let v = walk(db, id, v, Stage::ClearNotice, c0, today).await;
    assert_eq!(
        scalar_with(
            db,
            "SELECT COUNT(*) FROM notice n JOIN notice_entry e ON e.notice_id = n.id \
             WHERE e.household_id = $1 AND n.kind = 'clearing'",
            h
        )
        .await,
        1
    );
    let v = walk(db, id, v, Stage::Cleared, c0 + Days::new(10), today).await;
    let c = monitoring::head(db, id).await.unwrap().unwrap();
    assert_eq!((c.stage, c.version), (Stage::Cleared, v));
    assert!(c.cleared_on.is_some());
    // Cleared, it may be monitored again by a new case.
    let again = monitoring::open_case(
        db,
        &lead(h, Category::Sudden, vec![Risk::Accident], today),
        "t",
    )
    .await
    .unwrap();
    assert!(matches!(again, Saved::Ok { .. }), "{again:?}");
    // Every write left one audit row (the refusals none): the lead, eleven steps, the spending
    // resolved, two plan lines and a measure.
    let audited = scalar_with(db, "SELECT COUNT(*) FROM audit_log WHERE entity = 'monitoring_case' AND entity_id = CAST($1 AS TEXT)", id).await;
    assert_eq!(audited, 1 + 11 + 1 + 2 + 1);
}
