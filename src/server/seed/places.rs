//! Deterministic demo data shaped like Wugang (武冈市, division code 430581).
//!
//! The place names follow the city's real layout (4 subdistricts, 11 towns, 3 townships) but are
//! demo data: villages are generated. Nothing here is a real person's record.
use super::{
    SeedSummary,
    bulk::{Table, Tx, Val},
    people::Generator,
};
use crate::server::{db::Db, repo::region};

/// Code of the city (GB/T 2260 430581, padded to the 12-digit statistical code).
pub const CITY_CODE: &str = "430581000000";

/// Townships/subdistricts: (3-digit code, name).
const TOWNSHIPS: [(&str, &str); 18] = [
    ("001", "迎春亭街道"),
    ("002", "水西门街道"),
    ("003", "法相岩街道"),
    ("004", "龙溪街道"),
    ("101", "湾头桥镇"),
    ("102", "邓元泰镇"),
    ("103", "邓家铺镇"),
    ("104", "文坪镇"),
    ("105", "荆竹镇"),
    ("106", "司马冲镇"),
    ("107", "秦桥镇"),
    ("108", "双牌镇"),
    ("109", "稠树塘镇"),
    ("110", "大甸镇"),
    ("111", "龙田镇"),
    ("201", "水浸坪乡"),
    ("202", "晏田乡"),
    ("203", "凤仪乡"),
];

/// Syllables villages are named from (…村).
const VILLAGE_PARTS: [&str; 24] = [
    "石", "桥", "塘", "田", "山", "溪", "坪", "竹", "枫", "龙", "凤", "云", "新", "青", "白", "马",
    "柳", "江", "岭", "湾", "铺", "口", "冲", "源",
];

/// Villages per township in the default set (18 × 17 = 306; Wugang has about 300).
const VILLAGES_PER_TOWNSHIP: usize = 17;

/// `true` when no place is registered yet.
pub async fn is_empty(db: &Db) -> Result<bool, sqlx::Error> {
    Ok(region::get(db, CITY_CODE).await?.is_none())
}

/// Writes the city, its townships and villages (with their registered rural population).
pub(super) async fn write(tx: &mut Tx, g: &mut Generator) -> Result<SeedSummary, sqlx::Error> {
    let mut t = Table::new(
        "region",
        &["code", "parent_code", "level", "name", "rural_population"],
    );
    t.push(place(CITY_CODE, None, "city", "武冈市", None));
    let mut summary = SeedSummary::default();
    for (ti, (tcode, tname)) in TOWNSHIPS.iter().enumerate() {
        let township = format!("430581{tcode}000");
        t.push(place(&township, Some(CITY_CODE), "township", tname, None));
        summary.townships += 1;
        for v in 0..VILLAGES_PER_TOWNSHIP {
            let a = VILLAGE_PARTS[(ti * 7 + v * 5) % VILLAGE_PARTS.len()];
            let b = VILLAGE_PARTS[(ti * 3 + v * 11 + 1) % VILLAGE_PARTS.len()];
            let name = if a == b {
                format!("{a}家村")
            } else {
                format!("{a}{b}村")
            };
            let code = format!("430581{tcode}{:03}", 200 + v);
            let population = g.village_population();
            t.push(place(
                &code,
                Some(&township),
                "village",
                &name,
                Some(population),
            ));
            g.villages.push((code, format!("{tname}{name}")));
            summary.villages += 1;
        }
    }
    t.flush(tx).await?;
    Ok(summary)
}

fn place(
    code: &str,
    parent: Option<&str>,
    level: &str,
    name: &str,
    population: Option<i64>,
) -> Vec<Val> {
    vec![
        code.into(),
        Val::Text(parent.map(str::to_string)),
        level.into(),
        name.into(),
        population.into(),
    ]
}
