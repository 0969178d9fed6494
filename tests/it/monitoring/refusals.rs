//! A refusal at a review, an objection on the notice, and 暂不标注.
use super::*;

pub(super) async fn refusals(db: &Db) {
    seed::seed(db, 600, &mut |_, _| {}).await.expect("seed");
    let today = chrono::Utc::now().date_naive();

    // A refusal at the village review ends the case with its reason; a new lead may follow.
    let h = household_with(db, "exited").await;
    let two_ago = today - Days::new(2);
    let Saved::Ok { id, version: v } = monitoring::open_case(
        db,
        &lead(h, Category::Sudden, vec![Risk::Disaster], two_ago),
        "t",
    )
    .await
    .unwrap() else {
        panic!()
    };
    let v = walk(db, id, v, Stage::CrossCheck, two_ago, today).await;
    let no = StepInput {
        approved: false,
        ..step(id, v, Stage::VillageReview, today)
    };
    assert_eq!(
        code(
            &monitoring::step(db, &no, Role::Village, "t", today)
                .await
                .unwrap()
        ),
        "refusal_reason"
    );
    let no = StepInput {
        note: "民主评议未通过：家庭收入稳定".into(),
        ..no
    };
    version(
        monitoring::step(db, &no, Role::Village, "t", today)
            .await
            .unwrap(),
    );
    let c = monitoring::head(db, id).await.unwrap().unwrap();
    assert_eq!(
        (c.stage, c.closed_reason.as_deref()),
        (Stage::Closed, Some("民主评议未通过：家庭收入稳定"))
    );
    assert!(matches!(
        monitoring::open_case(
            db,
            &lead(h, Category::Sudden, vec![Risk::Disaster], today),
            "t"
        )
        .await
        .unwrap(),
        Saved::Ok { .. }
    ));

    // An objection on the notice: the review waits for the notice's end and for its answer.
    let h = household_with(db, "exited").await;
    let three_ago = today - Days::new(3);
    let Saved::Ok { id, version: v } = monitoring::open_case(
        db,
        &lead(h, Category::Unstable, vec![Risk::UnstableWork], three_ago),
        "t",
    )
    .await
    .unwrap() else {
        panic!()
    };
    let v = walk(db, id, v, Stage::Notice, three_ago, today).await;
    let (notice, entry): (i64, i64) = sql_built("SELECT n.id, e.id FROM notice n JOIN notice_entry e ON e.notice_id = n.id WHERE e.household_id = $1 AND n.kind = 'monitoring'".to_string())
        .bind(h).fetch_one(db).await.unwrap();
    let Filed::Ok(objection) = objections::file_objection(
        db,
        notice,
        entry,
        "该户有稳定务工收入",
        None,
        "k1",
        "c1",
        today,
    )
    .await
    .unwrap() else {
        panic!()
    };
    let later = today + Days::new(10);
    let review = step(id, v, Stage::TownshipReview, later);
    assert_eq!(
        code(
            &monitoring::step(db, &review, Role::Township, "t", today)
                .await
                .unwrap()
        ),
        "date_future"
    );
    assert_eq!(
        code(
            &monitoring::step(
                db,
                &step(id, v, Stage::TownshipReview, today),
                Role::Township,
                "t",
                today
            )
            .await
            .unwrap()
        ),
        "notice_running"
    );
    assert_eq!(
        code(
            &monitoring::step(db, &review, Role::Township, "t", later)
                .await
                .unwrap()
        ),
        "objection_open"
    );
    assert!(
        objections::answer_objection(
            db,
            objection,
            ObjectionOutcome::Dismissed,
            "经核实，务工收入不稳定",
            later,
            "t"
        )
        .await
        .unwrap()
    );
    version(
        monitoring::step(db, &review, Role::Township, "t", later)
            .await
            .unwrap(),
    );

    // 暂不标注: on 低保 with no one able to work, the household stays monitored.
    let h = household_with(db, "exited").await;
    let mut record = household::get(db, h).await.unwrap().unwrap();
    for m in &mut record.members {
        m.labour = Labour::Lost;
    }
    household::update(db, &record, "t").await.unwrap();
    let dibao = AssistanceInput {
        household_id: h,
        member_id: None,
        kind: AssistanceKind::Dibao,
        start_on: today - Days::new(90),
        monthly_amount: 380,
        lump_sum: 0,
        agency: "武冈市民政局".into(),
    };
    records::add_assistance(db, &dibao, "t").await.unwrap();
    let Saved::Ok { id, version: v } = monitoring::open_case(
        db,
        &lead(
            h,
            Category::Unstable,
            vec![Risk::NoLabour],
            today - Days::new(30),
        ),
        "t",
    )
    .await
    .unwrap() else {
        panic!()
    };
    let v = walk(db, id, v, Stage::Monitored, today - Days::new(30), today).await;
    let Saved::ClearRefused(reasons) = monitoring::step(
        db,
        &step(id, v, Stage::ClearHomeCheck, today),
        Role::Village,
        "t",
        today,
    )
    .await
    .unwrap() else {
        panic!()
    };
    assert!(
        reasons.contains(&ClearReason::LivesOnSupport),
        "{reasons:?}"
    );
    let v = version(monitoring::hold(db, id, v, today, "t").await.unwrap());
    let c = monitoring::head(db, id).await.unwrap().unwrap();
    assert_eq!(
        (c.stage, c.held_on, c.version),
        (Stage::Monitored, Some(today), v)
    );
}
