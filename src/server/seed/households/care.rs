//! What was done for a household: its housing (renovated or relocated), the measures it
//! received and its helper cadres with their visits.
use super::*;

impl Generator {
    /// Returns whether the house was rated unsafe (C or D).
    pub(super) fn housing(
        &mut self,
        household: i64,
        exited_on: Option<NaiveDate>,
        t: &mut Tables,
    ) -> bool {
        let rng = self.rng_mut();
        let structure = *[
            Structure::BrickConcrete,
            Structure::BrickConcrete,
            Structure::BrickConcrete,
            Structure::BrickWood,
            Structure::BrickWood,
            Structure::EarthBamboo,
            Structure::Concrete,
        ]
        .choose(rng)
        .expect("structures");
        let grade = match structure {
            Structure::EarthBamboo => *[DangerGrade::C, DangerGrade::D, DangerGrade::D]
                .choose(rng)
                .expect("grades"),
            _ => *[
                DangerGrade::A,
                DangerGrade::A,
                DangerGrade::B,
                DangerGrade::B,
                DangerGrade::B,
                DangerGrade::C,
            ]
            .choose(rng)
            .expect("grades"),
        };
        let unsafe_house = matches!(grade, DangerGrade::C | DangerGrade::D);
        let relocated = unsafe_house && rng.random_bool(0.25);
        let relocated_on = relocated.then(|| {
            NaiveDate::from_ymd_opt(rng.random_range(2016..=2018), rng.random_range(1..=12), 15)
                .expect("date")
        });
        // Households that exited had their unsafe house renovated (or were relocated) first.
        let renovated_on = (unsafe_house && !relocated)
            .then_some(exited_on)
            .flatten()
            .map(|d| d - Duration::days(60));
        t.housing.push(vec![
            household.into(),
            structure.as_str().into(),
            f64::from(rng.random_range(40..160)).into(),
            i64::from(rng.random_range(1965..2012)).into(),
            grade.as_str().into(),
            renovated_on.into(),
            relocated.into(),
            relocated_on.into(),
        ]);
        unsafe_house
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn measures(
        &mut self,
        household: i64,
        people: &[Person],
        causes: &[PovertyCause],
        attribute: Attribute,
        unsafe_house: bool,
        from: NaiveDate,
        last_year: i32,
        t: &mut Tables,
    ) {
        let mut give = |g: &mut Generator, kind: &str, member: Option<i64>| {
            let m = MEASURES
                .iter()
                .find(|m| m.kind == kind)
                .expect("measure kind");
            let year = g
                .rng_mut()
                .random_range(from.year()..=last_year.max(from.year()));
            let on = g.day_in(year, 1..=12).max(from);
            let amount = if m.max > m.min {
                g.rng_mut().random_range(m.min..=m.max) / 10 * 10
            } else {
                m.min
            };
            let policy = g.policy_for(m.category);
            t.measure.push(vec![
                household.into(),
                member.into(),
                m.category.as_str().into(),
                m.kind.into(),
                m.name.into(),
                on.into(),
                amount.into(),
                m.agency.into(),
                policy.into(),
            ]);
        };
        give(self, "insurance_subsidy", None);
        for p in people {
            match p.student {
                StudentStatus::Primary | StudentStatus::Junior => {
                    give(self, "two_exempt", Some(p.id))
                }
                StudentStatus::Vocational => give(self, "yulu", Some(p.id)),
                StudentStatus::College => give(self, "student_loan", Some(p.id)),
                _ => {}
            }
            match p.health {
                Health::Serious => give(self, "critical_illness", Some(p.id)),
                Health::Chronic if self.rng_mut().random_bool(0.4) => {
                    give(self, "medical_aid", Some(p.id))
                }
                _ => {}
            }
            if p.age >= 18 && p.age < 55 && self.rng_mut().random_bool(0.08) {
                give(self, "training", Some(p.id));
            }
        }
        if unsafe_house {
            give(self, "renovation", None);
        }
        let rng = self.rng_mut();
        let extra: Vec<&str> = [
            ("planting", 0.3),
            ("breeding", 0.2),
            ("coop_share", 0.15),
            ("microcredit", 0.1),
            ("public_job", 0.08),
            ("family_doctor", 0.2),
            ("temporary", 0.04),
        ]
        .into_iter()
        .filter(|(_, p)| rng.random_bool(*p))
        .map(|(k, _)| k)
        .collect();
        for kind in extra {
            give(self, kind, None);
        }
        if causes.contains(&PovertyCause::Schooling)
            && !people.iter().any(|p| p.student != StudentStatus::None)
        {
            give(self, "nutrition", None);
        }
        let kind = match attribute {
            Attribute::Dibao => Some((AssistanceKind::Dibao, 200..=380)),
            Attribute::Tekun => Some((AssistanceKind::Tekun, 400..=600)),
            Attribute::General => None,
        };
        if let Some((kind, range)) = kind {
            give(self, kind.as_str(), None);
            let monthly = self.rng_mut().random_range(range);
            t.assistance.push(vec![
                household.into(),
                Val::Int(None),
                kind.as_str().into(),
                from.into(),
                Val::Date(None),
                monthly.into(),
                // 低保 and 特困供养 are approved by the county's civil affairs bureau.
                "武冈市民政局".into(),
            ]);
        }
    }

    pub(super) fn helpers_of(&mut self, household: i64, from: NaiveDate, t: &mut Tables) {
        let helpers = self.helper_count();
        let current = 1 + (household - 1) % helpers;
        let start = from + Duration::days(self.rng_mut().random_range(0..60));
        let mut current_start = start;
        if self.rng_mut().random_bool(0.15) {
            // The first helper was reassigned; the history keeps both.
            let previous = 1 + (household * 7 + 3) % helpers;
            let changed = self.day_in(2016, 1..=12).max(start + Duration::days(30));
            t.pairing.push(vec![
                household.into(),
                previous.into(),
                start.into(),
                (changed - Duration::days(1)).into(),
            ]);
            current_start = changed;
        }
        t.pairing.push(vec![
            household.into(),
            current.into(),
            current_start.into(),
            Val::Date(None),
        ]);
        for _ in 0..2 {
            let year = self.rng_mut().random_range(current_start.year()..=2018);
            let on = self.day_in(year, 1..=12).max(current_start);
            let note = VISIT_NOTES.choose(self.rng_mut()).expect("notes");
            t.visit.push(vec![
                household.into(),
                current.into(),
                on.into(),
                (*note).into(),
            ]);
        }
    }
}
