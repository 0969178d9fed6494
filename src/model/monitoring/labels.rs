//! The names of monitoring's codes in each language of the site.
use super::{Category, Channel, Risk, Stage};
use crate::model::codes::Label;

labels!(Category {
    Unstable => ("脱贫不稳定户", "Unstable after exit"),
    Marginal => ("边缘易致贫户", "Marginal, at risk"),
    Sudden => ("突发严重困难户", "Sudden severe hardship"),
});
labels!(Risk {
    Illness => ("因病", "Illness"),
    Schooling => ("因学", "Schooling"),
    Disability => ("因残", "Disability"),
    Disaster => ("因自然灾害", "Natural disaster"),
    Accident => ("因意外事故", "Accident"),
    BusinessFailure => ("因产业项目失败", "Failed business"),
    UnstableWork => ("因务工就业不稳", "Unstable work"),
    NoLabour => ("缺劳动力", "No labour"),
    Other => ("其他", "Other"),
});
labels!(Channel {
    Declared => ("农户自主申报", "Household's own application"),
    Visit => ("干部排查", "Cadres' visits"),
    Department => ("部门筛查预警", "Department alert"),
});
labels!(Stage {
    Lead => ("线索待核实", "Lead"),
    HomeCheck => ("已入户核实", "Home checked"),
    CrossCheck => ("已比对", "Cross-checked"),
    VillageReview => ("已民主评议", "Village reviewed"),
    Notice => ("公示中", "On notice"),
    TownshipReview => ("乡镇已审核", "Township reviewed"),
    Monitored => ("监测帮扶中", "Monitored"),
    ClearHomeCheck => ("消除风险·已入户核实", "Clearing: home checked"),
    ClearReview => ("消除风险·已评议", "Clearing: reviewed"),
    ClearNotice => ("消除风险·公示中", "Clearing: on notice"),
    ClearTownship => ("消除风险·乡镇已审核", "Clearing: township reviewed"),
    Cleared => ("已消除风险", "Risk cleared"),
    Closed => ("未纳入监测", "Not identified"),
});

/// The step that reaches a stage, as an action (the case page's "next step").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Action(pub Stage);

impl Action {
    fn pair(self) -> (&'static str, &'static str) {
        use Stage::*;
        match self.0 {
            Lead => ("登记线索", "Record the lead"),
            HomeCheck => ("入户核实", "Check at home"),
            CrossCheck => ("信息比对", "Cross-check the records"),
            VillageReview => ("村级民主评议", "Village review"),
            Notice => ("村内公示", "Publish the notice"),
            TownshipReview => ("乡镇审核", "Township review"),
            Monitored => ("县级确认纳入监测", "County decision: monitor"),
            ClearHomeCheck => ("消除风险：入户核实", "Clearing: check at home"),
            ClearReview => ("消除风险：民主评议", "Clearing: village review"),
            ClearNotice => ("消除风险：公示", "Clearing: publish the notice"),
            ClearTownship => ("消除风险：乡镇审核", "Clearing: township review"),
            Cleared => ("县级确认风险消除", "County decision: risk cleared"),
            Closed => ("结案", "Close"),
        }
    }
}

impl Label for Action {
    fn zh(self) -> &'static str {
        self.pair().0
    }
    fn en(self) -> &'static str {
        self.pair().1
    }
}
