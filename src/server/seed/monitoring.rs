//! Monitoring's reference data: Hunan's monitoring line for 2021–2026 and the national holiday
//! calendar for the working-day deadlines. Both are data the city keeps (and staff change); these
//! are the demonstration's starting values.
use super::bulk::{Table, Tx};
use chrono::NaiveDate;

/// Hunan (GB/T 2260 430000).
pub const HUNAN: &str = "430000";

/// Hunan's monitoring line (yuan per person per year) and where the figure comes from. Only 2023
/// is a published figure; the other years are plausible placeholders (1.5–2× the old line,
/// rising about 4 % a year) until the city enters its own.
pub const MONITORING_LINES: &[(i64, i64, &str)] = &[
    (2021, 6_000, "示例值（非公布数）"),
    (2022, 6_500, "示例值（非公布数）"),
    (2023, 7_500, "湖南省2023年防止返贫监测范围"),
    (2024, 7_800, "示例值（非公布数）"),
    (2025, 8_100, "示例值（非公布数）"),
    (2026, 8_400, "示例值（非公布数）"),
];

/// Public holidays (first and last day, inclusive) and make-up working days (调休上班) of
/// 2021–2026 as the State Council's yearly notices set them; the city corrects the table when a
/// notice differs.
const HOLIDAYS: &[(&str, &str, &str)] = &[
    ("2021-01-01", "2021-01-03", "元旦"),
    ("2021-02-11", "2021-02-17", "春节"),
    ("2021-04-03", "2021-04-05", "清明节"),
    ("2021-05-01", "2021-05-05", "劳动节"),
    ("2021-06-12", "2021-06-14", "端午节"),
    ("2021-09-19", "2021-09-21", "中秋节"),
    ("2021-10-01", "2021-10-07", "国庆节"),
    ("2022-01-01", "2022-01-03", "元旦"),
    ("2022-01-31", "2022-02-06", "春节"),
    ("2022-04-03", "2022-04-05", "清明节"),
    ("2022-04-30", "2022-05-04", "劳动节"),
    ("2022-06-03", "2022-06-05", "端午节"),
    ("2022-09-10", "2022-09-12", "中秋节"),
    ("2022-10-01", "2022-10-07", "国庆节"),
    ("2022-12-31", "2023-01-02", "元旦"),
    ("2023-01-21", "2023-01-27", "春节"),
    ("2023-04-05", "2023-04-05", "清明节"),
    ("2023-04-29", "2023-05-03", "劳动节"),
    ("2023-06-22", "2023-06-24", "端午节"),
    ("2023-09-29", "2023-10-06", "中秋节、国庆节"),
    ("2024-01-01", "2024-01-01", "元旦"),
    ("2024-02-10", "2024-02-17", "春节"),
    ("2024-04-04", "2024-04-06", "清明节"),
    ("2024-05-01", "2024-05-05", "劳动节"),
    ("2024-06-10", "2024-06-10", "端午节"),
    ("2024-09-15", "2024-09-17", "中秋节"),
    ("2024-10-01", "2024-10-07", "国庆节"),
    ("2025-01-01", "2025-01-01", "元旦"),
    ("2025-01-28", "2025-02-04", "春节"),
    ("2025-04-04", "2025-04-06", "清明节"),
    ("2025-05-01", "2025-05-05", "劳动节"),
    ("2025-05-31", "2025-06-02", "端午节"),
    ("2025-10-01", "2025-10-08", "国庆节、中秋节"),
    ("2026-01-01", "2026-01-03", "元旦"),
    ("2026-02-15", "2026-02-23", "春节"),
    ("2026-04-04", "2026-04-06", "清明节"),
    ("2026-05-01", "2026-05-05", "劳动节"),
    ("2026-06-19", "2026-06-21", "端午节"),
    ("2026-09-25", "2026-09-27", "中秋节"),
    ("2026-10-01", "2026-10-07", "国庆节"),
];

const WORKDAYS: &[&str] = &[
    "2021-02-07",
    "2021-02-20",
    "2021-04-25",
    "2021-05-08",
    "2021-09-18",
    "2021-09-26",
    "2021-10-09",
    "2022-01-29",
    "2022-01-30",
    "2022-04-02",
    "2022-04-24",
    "2022-05-07",
    "2022-10-08",
    "2022-10-09",
    "2023-01-28",
    "2023-01-29",
    "2023-04-23",
    "2023-05-06",
    "2023-06-25",
    "2023-10-07",
    "2023-10-08",
    "2024-02-04",
    "2024-02-18",
    "2024-04-07",
    "2024-04-28",
    "2024-05-11",
    "2024-09-14",
    "2024-09-29",
    "2024-10-12",
    "2025-01-26",
    "2025-02-08",
    "2025-04-27",
    "2025-09-28",
    "2025-10-11",
    "2026-01-04",
    "2026-02-14",
    "2026-02-28",
    "2026-05-09",
    "2026-09-20",
    "2026-10-10",
];

fn day(s: &str) -> NaiveDate {
    s.parse().expect("the holiday table holds dates")
}

/// Writes the monitoring lines and the holiday calendar.
pub async fn write(tx: &mut Tx) -> Result<(), sqlx::Error> {
    let mut lines = Table::new(
        "monitoring_line",
        &["province_code", "year", "line_yuan", "note"],
    );
    for &(year, line, note) in MONITORING_LINES {
        lines.push(vec![HUNAN.into(), year.into(), line.into(), note.into()]);
    }
    lines.flush(tx).await?;
    let mut days = Table::new("holiday", &["day", "workday", "name"]);
    for &(first, last, name) in HOLIDAYS {
        for d in day(first).iter_days().take_while(|d| *d <= day(last)) {
            days.push(vec![d.into(), false.into(), name.into()]);
        }
    }
    for &d in WORKDAYS {
        days.push(vec![day(d).into(), true.into(), "调休上班".into()]);
    }
    days.flush(tx).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Weekday};

    #[test]
    fn make_up_days_are_weekend_days_outside_the_holidays() {
        for &d in WORKDAYS {
            let d = day(d);
            assert!(
                matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
                "{d} is a weekday"
            );
            for &(first, last, _) in HOLIDAYS {
                assert!(
                    !(day(first)..=day(last)).contains(&d),
                    "{d} is in a holiday"
                );
            }
        }
    }

    #[test]
    fn holidays_are_short_ordered_and_apart() {
        let mut previous = day("2020-12-31");
        for &(first, last, name) in HOLIDAYS {
            let (first, last) = (day(first), day(last));
            assert!(
                first > previous,
                "{name} {first} overlaps or is out of order"
            );
            assert!(
                (last - first).num_days() < 9,
                "{name} {first} runs too long"
            );
            previous = last;
        }
        // Every year 2021–2026 has its holidays (2023 began with 元旦 of 2022-12-31, and
        // 2023 and 2025 joined 中秋 and 国庆).
        for year in 2021..=2026 {
            let n = HOLIDAYS.iter().filter(|h| day(h.0).year() == year).count();
            assert!((5..=8).contains(&n), "{year}: {n} holidays");
        }
    }
}
