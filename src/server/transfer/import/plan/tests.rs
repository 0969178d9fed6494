use super::*;
use crate::{model::id_number, server::transfer::read_table};

const VILLAGE: &str = "430581101201";
const HEADER: &str = "行政村代码,户主身份证号,家庭住址,识别标准,贫困户属性,主要致贫原因,识别日期,\
    姓名,性别,身份证号,与户主关系,文化程度,健康状况,劳动技能,参加基本医疗保险,\
    通生活用电,饮水安全,通硬化路";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn id(seq: u16, year: i32) -> String {
    id_number::build("430581", day(year, 3, 4), seq)
}

/// One member row of a household whose householder holds `head`.
fn row(head: &str, name: &str, id: &str, relation: &str) -> String {
    format!(
        "{VILLAGE},{head},城关镇一组,国家标准,一般贫困户,因病,2015-06-01,\
         {name},男,{id},{relation},小学,健康,普通劳动力,是,是,是,是"
    )
}

fn parsed(rows: &[String]) -> Parsed {
    let text = format!("{HEADER}\n{}\n", rows.join("\n"));
    super::super::parse(read_table(text.as_bytes()).expect("a table"))
}

fn snapshot() -> Snapshot {
    Snapshot {
        villages: Villages::new(vec![(VILLAGE.into(), "一村".into(), "城关镇".into())]),
        ..Snapshot::default()
    }
}

fn codes(plan: &Plan) -> Vec<&str> {
    plan.errors.iter().map(|e| e.code.as_str()).collect()
}

fn registered(head: &str) -> Household {
    let p = parsed(&[row(head, "张三", head, "户主")]);
    let plan = plan(&p, &snapshot(), &Scope::All, day(2026, 1, 1));
    let Some(Action::Create(h)) = plan.actions.into_iter().next() else {
        panic!("a new household");
    };
    Household {
        id: Some(7),
        version: 3,
        members: h
            .members
            .into_iter()
            .enumerate()
            .map(|(i, m)| Member {
                id: Some(70 + i as i64),
                ..m
            })
            .collect(),
        ..*h
    }
}

#[test]
fn a_household_nobody_holds_is_created() {
    let (head, child) = (id(11, 1970), id(13, 2005));
    let p = parsed(&[
        row(&head, "张三", &head, "户主"),
        row(&head, "张小", &child, "子女"),
    ]);
    let plan = plan(&p, &snapshot(), &Scope::All, day(2026, 1, 1));
    assert!(plan.errors.is_empty(), "{:?}", plan.errors);
    assert_eq!(plan.counts.households_new, 1);
    assert_eq!(plan.counts.members_new, 2);
    let [Action::Create(h)] = plan.actions.as_slice() else {
        panic!("one creation");
    };
    assert_eq!(h.village_code, VILLAGE);
    assert_eq!(h.status, Status::Poor);
    assert_eq!(h.members.len(), 2);
}

#[test]
fn the_same_id_twice_in_a_file_is_an_error_on_the_second_row() {
    let head = id(21, 1970);
    let p = parsed(&[
        row(&head, "张三", &head, "户主"),
        row(&head, "李四", &head, "配偶"),
    ]);
    let plan = plan(&p, &snapshot(), &Scope::All, day(2026, 1, 1));
    let twice: Vec<&RowError> = plan
        .errors
        .iter()
        .filter(|e| e.code == "id_in_file_twice")
        .collect();
    assert_eq!(twice.len(), 1);
    assert_eq!(twice[0].row, 3);
    assert!(matches!(plan.actions.as_slice(), [Action::Unchanged]));
}

#[test]
fn a_member_held_by_another_household_is_refused_not_moved() {
    let (head, other) = (id(31, 1970), id(33, 1980));
    let mut snap = snapshot();
    snap.holders.insert(other.clone(), vec![99]);
    let p = parsed(&[
        row(&head, "张三", &head, "户主"),
        row(&head, "王五", &other, "其他"),
    ]);
    let plan = plan(&p, &snap, &Scope::All, day(2026, 1, 1));
    assert_eq!(codes(&plan), ["id_other_household"]);
    assert_eq!(plan.errors[0].row, 3);
}

#[test]
fn an_id_two_active_persons_hold_is_ambiguous() {
    let head = id(41, 1970);
    let mut snap = snapshot();
    snap.holders.insert(head.clone(), vec![5, 6]);
    let p = parsed(&[row(&head, "张三", &head, "户主")]);
    let plan = plan(&p, &snap, &Scope::All, day(2026, 1, 1));
    assert!(codes(&plan).contains(&"id_ambiguous"), "{:?}", plan.errors);
}

#[test]
fn a_registered_household_is_updated_unchanged_or_refused_on_status() {
    let head = id(51, 1970);
    let mut snap = snapshot();
    snap.holders.insert(head.clone(), vec![7]);
    snap.records.insert(7, registered(&head));
    let today = day(2026, 1, 1);

    // The same file again: nothing to do.
    let same = parsed(&[row(&head, "张三", &head, "户主")]);
    let plan_same = plan(&same, &snap, &Scope::All, today);
    assert!(plan_same.errors.is_empty(), "{:?}", plan_same.errors);
    assert_eq!(plan_same.counts.households_unchanged, 1);

    // A new member: an update on top of the stored version, the member added.
    let child = id(53, 2010);
    let more = parsed(&[
        row(&head, "张三", &head, "户主"),
        row(&head, "张小", &child, "子女"),
    ]);
    let plan_more = plan(&more, &snap, &Scope::All, today);
    assert!(plan_more.errors.is_empty(), "{:?}", plan_more.errors);
    let [Action::Update { before, after }] = plan_more.actions.as_slice() else {
        panic!("one update");
    };
    assert_eq!((before.version, after.members.len()), (3, 2));
    assert_eq!(after.members[0].id, Some(70));
    assert_eq!(after.members[1].id, None);
    assert_eq!(plan_more.counts.members_new, 1);

    // A status the file may not change for a registered household.
    let exited = format!("{HEADER},脱贫状态,脱贫日期");
    let text = format!(
        "{exited}\n{},已脱贫,2020-01-01\n",
        row(&head, "张三", &head, "户主")
    );
    let p = super::super::parse(read_table(text.as_bytes()).unwrap());
    assert_eq!(
        codes(&plan(&p, &snap, &Scope::All, today)),
        ["status_differs"]
    );
}

#[test]
fn a_village_outside_the_scope_is_refused() {
    let head = id(61, 1970);
    let p = parsed(&[row(&head, "张三", &head, "户主")]);
    let scope = Scope::Villages(crate::model::place::PlaceRange {
        from: "430581102000".into(),
        to: "430581102999".into(),
    });
    let plan = plan(&p, &snapshot(), &scope, day(2026, 1, 1));
    assert!(
        codes(&plan).contains(&"village_out_of_scope"),
        "{:?}",
        plan.errors
    );
}

#[test]
fn a_household_of_more_than_fifty_members_is_refused_row_by_row() {
    let head = id(11, 1970);
    let mut rows = vec![row(&head, "张三", &head, "户主")];
    // Members 2..=52: the 51st and 52nd members' rows (spreadsheet rows 52 and 53) are one too many.
    rows.extend(
        (1..=(MAX_HOUSEHOLD_MEMBERS as u16 + 1))
            .map(|i| row(&head, "张小", &id(100 + i, 2000), "子女")),
    );
    let p = parsed(&rows);
    let too_large: Vec<u32> = p
        .errors
        .iter()
        .filter(|e| e.code == "household_too_large")
        .map(|e| e.row)
        .collect();
    assert_eq!(
        too_large,
        [
            MAX_HOUSEHOLD_MEMBERS as u32 + 2,
            MAX_HOUSEHOLD_MEMBERS as u32 + 3
        ]
    );
    assert_eq!(p.households[0].members.len(), MAX_HOUSEHOLD_MEMBERS);
    let plan = plan(&p, &snapshot(), &Scope::All, day(2026, 1, 1));
    assert!(
        codes(&plan).contains(&"household_too_large"),
        "{:?}",
        plan.errors
    );
}
