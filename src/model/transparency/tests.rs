use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn a_notice_of_ten_days_ends_on_the_tenth_day() {
    assert_eq!(notice_end(d("2026-11-01"), 10), d("2026-11-10"));
    assert!(notice_runs(
        d("2026-11-01"),
        d("2026-11-10"),
        d("2026-11-10")
    ));
    assert!(!notice_runs(
        d("2026-11-01"),
        d("2026-11-10"),
        d("2026-11-11")
    ));
    assert!(!notice_runs(
        d("2026-11-01"),
        d("2026-11-10"),
        d("2026-10-31")
    ));
}

#[test]
fn finalising_waits_for_the_end_and_the_answers() {
    let end = d("2026-11-10");
    let p = Some((EntryState::Proposed, end));
    assert_eq!(finalise_block(None, 0, end), Some("notice_missing"));
    assert_eq!(finalise_block(p, 0, end), Some("notice_running"));
    assert_eq!(
        finalise_block(p, 1, d("2026-11-11")),
        Some("objection_open")
    );
    assert_eq!(finalise_block(p, 0, d("2026-11-11")), None);
    assert_eq!(
        finalise_block(Some((EntryState::Withdrawn, end)), 0, d("2026-12-01")),
        Some("notice_missing")
    );
}

#[test]
fn personal_data_is_kept_out_of_published_text() {
    assert_eq!(personal_data("电话13812345678"), Err("personal_data"));
    assert_eq!(
        personal_data("身份证43058119800101123X。"),
        Err("personal_data")
    );
    assert_eq!(personal_data("2026年11月帮扶资金12000元"), Ok(()));
    // Written with spaces, hyphens, full-width digits, grouped IDs: still one number.
    for written in [
        "电话 138 1234 5678",
        "电话138-1234-5678",
        "电话１３８１２３４５６７８",
        "身份证 430581 19800101 123X",
        "身份证４３０５８１１９８００１０１１２３ｘ",
        "卡号 6222.0202.0000.1234",
        "电话 138  1234  5678",
        "电话 138\u{00A0}1234\u{2009}5678",
        "电话 138\t1234\u{200B}5678",
        "电话 138\u{2011}1234\u{2212}5678",
        "电话 (138)1234-5678",
        "电话 138/1234/5678",
        "电话 𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖",
        "身份证 430581--19800101--123X",
        "身份证 430581,19800101,123X",
    ] {
        assert_eq!(personal_data(written), Err("personal_data"), "{written}");
    }
    assert_eq!(personal_data("2026-11-30 发放 120 户"), Ok(()));
    assert_eq!(personal_data("第 3 - 5 组"), Ok(()));
    // Lists of dates or amounts are not one number.
    assert_eq!(personal_data("2026-11-30、2026-12-01 两次发放"), Ok(()));
    assert_eq!(personal_data("2019年至2020年共12,000元"), Ok(()));
    assert_eq!(personal_data("编号1234567890"), Ok(()));
}

#[test]
fn a_proposal_needs_households_reasons_and_ten_days() {
    let today = d("2026-11-30");
    let mut f = ProposeForm {
        kind: NoticeKind::Exit,
        households: vec![],
        starts_on: Some(today),
        days: 9,
    };
    let e = propose_form(&f, MIN_NOTICE_DAYS, today);
    assert_eq!(e.for_field("households"), Some("notice_none_chosen"));
    assert_eq!(e.for_field("days"), Some("notice_too_short"));
    f.households = vec![
        ProposedHousehold {
            household_id: 1,
            reason: "收入达标".into(),
        },
        ProposedHousehold {
            household_id: 1,
            reason: " ".into(),
        },
    ];
    f.days = 10;
    let e = propose_form(&f, MIN_NOTICE_DAYS, today);
    assert_eq!(e.for_field("households.1"), Some("notice_twice"));
    assert_eq!(e.for_field("households.1.reason"), Some("required"));
    f.households.pop();
    assert!(propose_form(&f, MIN_NOTICE_DAYS, today).is_empty());
    assert_eq!(
        propose_form(&f, 15, today).for_field("days"),
        Some("notice_too_short")
    );
    f.starts_on = Some(d("2026-10-01"));
    assert_eq!(
        propose_form(&f, MIN_NOTICE_DAYS, today).for_field("starts_on"),
        Some("notice_start_range")
    );
}
