//! The register's enumerations, stored as stable English codes (the database CHECKs list the same
//! codes) and shown through the translations.

/// Declares an enum whose variants map one-to-one to stored codes.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $name::parse(&code).ok_or_else(|| {
                    serde::de::Error::custom(format!(concat!("unknown ", stringify!($name), " code {:?}"), code))
                })
            }
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code stored in the database.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Parses a stored code.
            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        // A stored code decodes straight into its enum (server side only); an unknown code is a
        // decode error (the database's CHECK lists the same codes).
        #[cfg(feature = "ssr")]
        $crate::model::sql_text::decoded_from_text!($name);

        impl Code for $name {
            const ALL: &'static [Self] = $name::ALL;
            fn code(self) -> &'static str {
                self.as_str()
            }
            fn from_code(code: &str) -> Option<Self> {
                $name::parse(code)
            }
        }
    };
}

/// What every stored enumeration offers generic code (form selects, CSV columns).
pub trait Code: Copy + PartialEq + Send + Sync + 'static {
    const ALL: &'static [Self];
    fn code(self) -> &'static str;
    fn from_code(code: &str) -> Option<Self>;
}

code_enum!(
    /// 识别标准
    Standard { National = "national", Provincial = "provincial", Municipal = "municipal" }
);
code_enum!(
    /// 贫困户属性: 一般贫困户, 低保贫困户, 特困供养贫困户 (formerly 五保户)
    Attribute { General = "general", Dibao = "dibao", Tekun = "tekun" }
);
code_enum!(
    /// Where a household stands: in poverty, exited (脱贫), or relapsed (返贫) — or an ordinary
    /// rural household (一般农户) that was never on the register, kept for monitoring only and
    /// never shown to the public.
    Status { Poor = "poor", Exited = "exited", Relapsed = "relapsed", Ordinary = "ordinary" }
);
code_enum!(
    /// The official 12 致贫原因.
    PovertyCause {
        Illness = "illness", Disability = "disability", Schooling = "schooling",
        Disaster = "disaster", Land = "land", Water = "water", Skills = "skills",
        Labour = "labour", Capital = "capital", Transport = "transport",
        Motivation = "motivation", Other = "other",
    }
);
code_enum!(Sex { Male = "male", Female = "female" });
code_enum!(
    /// 与户主关系
    Relation {
        Head = "head", Spouse = "spouse", Child = "child", ChildInLaw = "child_in_law",
        Grandchild = "grandchild", Parent = "parent", Grandparent = "grandparent",
        Sibling = "sibling", Other = "other",
    }
);
code_enum!(
    /// 文化程度
    Education {
        Preschool = "preschool", Illiterate = "illiterate", Primary = "primary",
        Junior = "junior", Senior = "senior", College = "college",
    }
);
code_enum!(
    /// 在校生状况 (`dropout`: school age, not in school)
    StudentStatus {
        None = "none", Preschool = "preschool", Primary = "primary", Junior = "junior",
        Senior = "senior", Vocational = "vocational", College = "college", Dropout = "dropout",
    }
);
code_enum!(
    /// 健康状况
    Health { Healthy = "healthy", Chronic = "chronic", Serious = "serious", Disabled = "disabled" }
);
code_enum!(
    /// 劳动能力
    Labour { Ordinary = "ordinary", Skilled = "skilled", Lost = "lost", None = "none" }
);
code_enum!(
    /// 住房结构: 钢筋混凝土, 砖混, 砖瓦砖木, 竹草土坯
    Structure {
        Concrete = "concrete", BrickConcrete = "brick_concrete", BrickWood = "brick_wood",
        EarthBamboo = "earth_bamboo",
    }
);
code_enum!(
    /// 危房等级 A–D (C and D are unsafe)
    DangerGrade { A = "A", B = "B", C = "C", D = "D" }
);
code_enum!(
    /// 帮扶措施 categories (also the policy categories).
    MeasureCategory {
        Education = "education", Medical = "medical", Housing = "housing",
        Relocation = "relocation", Industry = "industry", Employment = "employment",
        SocialAssistance = "social_assistance",
    }
);
code_enum!(
    /// 社会救助: 低保, 特困供养, 临时救助
    AssistanceKind { Dibao = "dibao", Tekun = "tekun", Temporary = "temporary" }
);
code_enum!(
    /// 帮扶责任人 level: 省直, 市直, 县直, 乡镇, 村级
    CadreLevel {
        Province = "province", City = "city", County = "county", Township = "township",
        Village = "village",
    }
);

code_enum!(
    /// Staff roles, each scoped to a region: the city, a township, a village, or (for a helper
    /// cadre) the households paired with them.
    Role { CityAdmin = "city_admin", Township = "township", Village = "village", Cadre = "cadre" }
);

/// A value's name for people, in each language of the site (codes stay English in storage and
/// in the API).
pub trait Label: Copy {
    fn zh(self) -> &'static str;
    fn en(self) -> &'static str;
    fn label(self, locale: crate::i18n::Locale) -> &'static str {
        match locale {
            crate::i18n::Locale::zh => self.zh(),
            crate::i18n::Locale::en => self.en(),
        }
    }
}

macro_rules! labels {
    ($name:ident { $($variant:ident => ($zh:literal, $en:literal)),+ $(,)? }) => {
        impl Label for $name {
            fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }
            fn en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }
        }
    };
}

labels!(Standard {
    National => ("国家标准", "National line"),
    Provincial => ("省定标准", "Provincial line"),
    Municipal => ("市定标准", "Municipal line"),
});
labels!(Attribute {
    General => ("一般贫困户", "General"),
    Dibao => ("低保贫困户", "Subsistence allowance (dibao)"),
    Tekun => ("特困供养贫困户", "Destitute support (tekun)"),
});
labels!(Status {
    Poor => ("未脱贫", "In poverty"),
    Exited => ("已脱贫", "Exited"),
    Relapsed => ("返贫", "Relapsed"),
    Ordinary => ("一般农户", "Ordinary rural household"),
});
labels!(PovertyCause {
    Illness => ("因病", "Illness"),
    Disability => ("因残", "Disability"),
    Schooling => ("因学", "Schooling costs"),
    Disaster => ("因灾", "Disaster"),
    Land => ("缺土地", "Lack of land"),
    Water => ("缺水", "Lack of water"),
    Skills => ("缺技术", "Lack of skills"),
    Labour => ("缺劳力", "Lack of labour"),
    Capital => ("缺资金", "Lack of capital"),
    Transport => ("交通条件落后", "Poor transport"),
    Motivation => ("自身发展动力不足", "Lack of motivation"),
    Other => ("其他", "Other"),
});
labels!(Sex { Male => ("男", "Male"), Female => ("女", "Female") });
labels!(Relation {
    Head => ("户主", "Householder"),
    Spouse => ("配偶", "Spouse"),
    Child => ("子女", "Child"),
    ChildInLaw => ("儿媳/女婿", "Child-in-law"),
    Grandchild => ("孙辈", "Grandchild"),
    Parent => ("父母", "Parent"),
    Grandparent => ("祖父母", "Grandparent"),
    Sibling => ("兄弟姐妹", "Sibling"),
    Other => ("其他", "Other"),
});
labels!(MeasureCategory {
    Education => ("教育扶贫", "Education"),
    Medical => ("健康扶贫", "Medical"),
    Housing => ("危房改造", "Housing"),
    Relocation => ("易地扶贫搬迁", "Relocation"),
    Industry => ("产业扶贫", "Industry"),
    Employment => ("就业扶贫", "Employment"),
    SocialAssistance => ("社会保障兜底", "Social assistance"),
});
labels!(AssistanceKind {
    Dibao => ("农村低保", "Dibao allowance"),
    Tekun => ("特困供养", "Destitute support"),
    Temporary => ("临时救助", "Temporary relief"),
});
labels!(Role {
    CityAdmin => ("市级管理员", "City administrator"),
    Township => ("乡镇工作人员", "Township staff"),
    Village => ("村级工作人员", "Village staff"),
    Cadre => ("帮扶责任人", "Helper cadre"),
});
labels!(Education {
    Preschool => ("学龄前", "Pre-school"),
    Illiterate => ("文盲或半文盲", "Illiterate"),
    Primary => ("小学", "Primary"),
    Junior => ("初中", "Junior secondary"),
    Senior => ("高中", "Senior secondary"),
    College => ("大专及以上", "College or above"),
});
labels!(StudentStatus {
    None => ("非在校生", "Not in school"),
    Preschool => ("学前教育", "Pre-school"),
    Primary => ("小学在读", "Primary school"),
    Junior => ("初中在读", "Junior secondary"),
    Senior => ("高中在读", "Senior secondary"),
    Vocational => ("中职在读", "Vocational school"),
    College => ("大学在读", "University"),
    Dropout => ("辍学", "Dropped out"),
});
labels!(Health {
    Healthy => ("健康", "Healthy"),
    Chronic => ("长期慢性病", "Chronic illness"),
    Serious => ("患有大病", "Serious illness"),
    Disabled => ("残疾", "Disabled"),
});
labels!(Labour {
    Ordinary => ("普通劳动力", "Ordinary labour"),
    Skilled => ("技能劳动力", "Skilled labour"),
    Lost => ("丧失劳动力", "Unable to work"),
    None => ("无劳动力", "No labour"),
});
labels!(Structure {
    Concrete => ("钢混", "Reinforced concrete"),
    BrickConcrete => ("砖混", "Brick and concrete"),
    BrickWood => ("砖木", "Brick and timber"),
    EarthBamboo => ("土木或竹草", "Earth, timber or bamboo"),
});
labels!(DangerGrade {
    A => ("A级（安全）", "A (safe)"),
    B => ("B级（基本安全）", "B (mostly safe)"),
    C => ("C级危房", "C (unsafe)"),
    D => ("D级危房", "D (dangerous)"),
});
labels!(CadreLevel {
    Province => ("省直单位", "Provincial unit"),
    City => ("市直单位", "City unit"),
    County => ("县直单位", "County unit"),
    Township => ("乡镇", "Township"),
    Village => ("村级", "Village"),
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_official_causes_roundtrip() {
        assert_eq!(PovertyCause::ALL.len(), 12);
        for c in PovertyCause::ALL {
            assert_eq!(PovertyCause::parse(c.as_str()), Some(*c));
        }
        assert_eq!(PovertyCause::parse("laziness"), None);
    }

    #[test]
    fn serde_uses_the_stored_codes() {
        let json = serde_json::to_string(&[MeasureCategory::SocialAssistance]).unwrap();
        assert_eq!(json, r#"["social_assistance"]"#);
        assert_eq!(
            serde_json::to_string(&Relation::ChildInLaw).unwrap(),
            r#""child_in_law""#
        );
        assert_eq!(serde_json::to_string(&DangerGrade::C).unwrap(), r#""C""#);
        assert_eq!(
            serde_json::from_str::<DangerGrade>(r#""D""#).unwrap(),
            DangerGrade::D
        );
        assert!(serde_json::from_str::<Sex>(r#""x""#).is_err());
    }
}

code_enum!(
    /// What a public notice (公示) proposes its households for.
    NoticeKind {
        Identification = "identification", Exit = "exit",
        /// 防止返贫监测对象 identified (monitoring) and their risk cleared (clearing).
        Monitoring = "monitoring", Clearing = "clearing",
    }
);
impl NoticeKind {
    /// The register's notices, proposed and decided on the notices desk; the monitoring kinds
    /// are published and decided by the steps of a monitoring case.
    pub const REGISTER: &'static [NoticeKind] = &[NoticeKind::Identification, NoticeKind::Exit];

    pub fn is_register(self) -> bool {
        NoticeKind::REGISTER.contains(&self)
    }
}
code_enum!(
    /// Where a household on a notice stands.
    EntryState { Proposed = "proposed", Finalised = "finalised", Withdrawn = "withdrawn" }
);
code_enum!(
    /// How staff resolved an objection: not founded (the proposal stands) or upheld (withdrawn).
    ObjectionOutcome { Dismissed = "dismissed", Upheld = "upheld" }
);
code_enum!(
    /// A work update's life: a draft, published, or taken down again.
    UpdateState { Draft = "draft", Published = "published", Unpublished = "unpublished" }
);
labels!(NoticeKind {
    Identification => ("贫困户识别公示", "Identification notice"),
    Exit => ("贫困户脱贫公示", "Exit notice"),
    Monitoring => ("防止返贫监测对象识别公示", "Monitoring object notice"),
    Clearing => ("防止返贫监测对象风险消除公示", "Risk cleared notice"),
});
labels!(EntryState {
    Proposed => ("公示中/待确认", "Proposed"),
    Finalised => ("已确认", "Finalised"),
    Withdrawn => ("已撤回", "Withdrawn"),
});
labels!(ObjectionOutcome {
    Dismissed => ("异议不成立", "Not founded"),
    Upheld => ("异议成立，已撤回", "Upheld: withdrawn"),
});
labels!(UpdateState {
    Draft => ("草稿", "Draft"),
    Published => ("已发布", "Published"),
    Unpublished => ("已撤下", "Unpublished"),
});
