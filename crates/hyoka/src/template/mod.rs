//! The template: every label the sheet parser looks for, as data.
//!
//! Cities fill in the same PDCA sheet under slightly different labels
//! (`成果指標` or `指標名`, `現状値` or `基準値`). The labels live in one
//! table, [`Template`], read from TOML: the built-in one
//! ([`Template::BUILTIN_TOML`], printed by `hyoka template`) knows Iga
//! City's template and the aliases of its neighbours, and a city with other
//! labels edits a copy instead of the code.
//!
//! Long because: every key of the template is declared here once, with its
//! documentation (which `hyoka template` prints) and its default, so that a
//! label's meaning and its place in the TOML cannot drift apart.

use std::sync::{Arc, LazyLock};

use serde::Deserialize;

use crate::normalize;

/// The labels of one template. See [`Template::BUILTIN_TOML`] for what each
/// key means and how it matches.
///
/// ```
/// // A city's own label for KPIs, added to the built-in ones: a template file
/// // names only the keys it changes.
/// let toml = "[kpi]\nname = [\"成果指標\", \"指標名\", \"評価指標\"]\n";
/// let template = hyoka::Template::from_toml(toml).unwrap();
/// assert_ne!(&template, hyoka::Template::builtin().as_ref());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    // Every table and key may be left out of a template file: what it
    // does not name is the built-in template's (see `builtin_part!`).
    #[serde(default)]
    sheet: SheetLabels,
    #[serde(default)]
    plan: PlanLabels,
    #[serde(default)]
    kpi: KpiLabels,
    #[serde(default)]
    check: CheckLabels,
    #[serde(default)]
    action: ActionLabels,
    #[serde(default)]
    progress: ProgressLabels,
    #[serde(default)]
    assessment: AssessmentLabels,
    #[serde(default)]
    survey: SurveyLabels,
    #[serde(default)]
    project: ProjectLabels,
}

/// The built-in template as read from [`Template::BUILTIN_TOML`] alone,
/// where every key is present: what a template file's missing keys take.
/// (Were a key missing from the built-in file, its default would read this
/// again and never return: `the_builtin_template_is_complete` checks it.)
static BUILTIN_PARTS: LazyLock<Template> = LazyLock::new(|| {
    toml::from_str(Template::BUILTIN_TOML).expect("the built-in template is complete")
});

/// The built-in value of every key, for the keys a template file leaves
/// out. Each is called only when its key is missing, so reading the
/// built-in file itself (where none is) never calls them.
mod defaults {
    pub(super) mod assessment {
        pub fn lower_is_better() -> Vec<String> {
            super::super::BUILTIN_PARTS
                .assessment
                .lower_is_better
                .clone()
        }
        pub fn higher_is_better() -> Vec<String> {
            super::super::BUILTIN_PARTS
                .assessment
                .higher_is_better
                .clone()
        }
    }
    pub(super) mod sheet {
        pub fn department() -> Vec<String> {
            super::super::BUILTIN_PARTS.sheet.department.clone()
        }
        pub fn department_name_endings() -> Vec<String> {
            super::super::BUILTIN_PARTS
                .sheet
                .department_name_endings
                .clone()
        }
        pub fn policy() -> Vec<String> {
            super::super::BUILTIN_PARTS.sheet.policy.clone()
        }
    }
    pub(super) mod plan {
        pub fn title() -> Vec<String> {
            super::super::BUILTIN_PARTS.plan.title.clone()
        }
        pub fn do_title() -> Vec<String> {
            super::super::BUILTIN_PARTS.plan.do_title.clone()
        }
        pub fn do_header() -> Vec<String> {
            super::super::BUILTIN_PARTS.plan.do_header.clone()
        }
        pub fn basic_project() -> Vec<String> {
            super::super::BUILTIN_PARTS.plan.basic_project.clone()
        }
        pub fn kpi_column() -> Vec<String> {
            super::super::BUILTIN_PARTS.plan.kpi_column.clone()
        }
    }
    pub(super) mod kpi {
        pub fn name() -> Vec<String> {
            super::super::BUILTIN_PARTS.kpi.name.clone()
        }
        pub fn description() -> Vec<String> {
            super::super::BUILTIN_PARTS.kpi.description.clone()
        }
        pub fn baseline() -> Vec<String> {
            super::super::BUILTIN_PARTS.kpi.baseline.clone()
        }
        pub fn target() -> Vec<String> {
            super::super::BUILTIN_PARTS.kpi.target.clone()
        }
        pub fn single_year() -> Vec<String> {
            super::super::BUILTIN_PARTS.kpi.single_year.clone()
        }
        pub fn cumulative() -> Vec<String> {
            super::super::BUILTIN_PARTS.kpi.cumulative.clone()
        }
        pub fn values() -> Vec<String> {
            super::super::BUILTIN_PARTS.kpi.values.clone()
        }
    }
    pub(super) mod check {
        pub fn title() -> Vec<String> {
            super::super::BUILTIN_PARTS.check.title.clone()
        }
        pub fn effects() -> Vec<String> {
            super::super::BUILTIN_PARTS.check.effects.clone()
        }
        pub fn issues() -> Vec<String> {
            super::super::BUILTIN_PARTS.check.issues.clone()
        }
        pub fn action() -> Vec<String> {
            super::super::BUILTIN_PARTS.check.action.clone()
        }
        pub fn progress() -> Vec<String> {
            super::super::BUILTIN_PARTS.check.progress.clone()
        }
    }
    pub(super) mod action {
        pub fn suffix() -> Vec<String> {
            super::super::BUILTIN_PARTS.action.suffix.clone()
        }
        pub fn new() -> Vec<String> {
            super::super::BUILTIN_PARTS.action.new.clone()
        }
        pub fn existing() -> Vec<String> {
            super::super::BUILTIN_PARTS.action.existing.clone()
        }
        pub fn reduced_or_abolished() -> Vec<String> {
            super::super::BUILTIN_PARTS
                .action
                .reduced_or_abolished
                .clone()
        }
    }
    pub(super) mod progress {
        pub fn on_track() -> Vec<String> {
            super::super::BUILTIN_PARTS.progress.on_track.clone()
        }
        pub fn slightly_behind() -> Vec<String> {
            super::super::BUILTIN_PARTS.progress.slightly_behind.clone()
        }
        pub fn behind() -> Vec<String> {
            super::super::BUILTIN_PARTS.progress.behind.clone()
        }
        pub fn completed() -> Vec<String> {
            super::super::BUILTIN_PARTS.progress.completed.clone()
        }
        pub fn not_started() -> Vec<String> {
            super::super::BUILTIN_PARTS.progress.not_started.clone()
        }
    }
    pub(super) mod survey {
        pub fn title() -> Vec<String> {
            super::super::BUILTIN_PARTS.survey.title.clone()
        }
        pub fn labels() -> Vec<String> {
            super::super::BUILTIN_PARTS.survey.labels.clone()
        }
    }
    pub(super) mod project {
        pub fn name() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.name.clone()
        }
        pub fn code() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.code.clone()
        }
        pub fn fiscal_year() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.fiscal_year.clone()
        }
        pub fn year_era() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.year_era.clone()
        }
        pub fn unlabeled_blocks() -> crate::template::BlockPlacement {
            super::super::BUILTIN_PARTS.project.unlabeled_blocks
        }
        pub fn policy_name() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.policy_name.clone()
        }
        pub fn policy_number() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.policy_number.clone()
        }
        pub fn measure_name() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.measure_name.clone()
        }
        pub fn measure_number() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.measure_number.clone()
        }
        pub fn basic_project_name() -> Vec<String> {
            super::super::BUILTIN_PARTS
                .project
                .basic_project_name
                .clone()
        }
        pub fn basic_project_number() -> Vec<String> {
            super::super::BUILTIN_PARTS
                .project
                .basic_project_number
                .clone()
        }
        pub fn tens() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.tens.clone()
        }
        pub fn ones() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.ones.clone()
        }
        pub fn department_section() -> Vec<String> {
            super::super::BUILTIN_PARTS
                .project
                .department_section
                .clone()
        }
        pub fn department() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.department.clone()
        }
        pub fn section() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.section.clone()
        }
        pub fn department_endings() -> Vec<String> {
            super::super::BUILTIN_PARTS
                .project
                .department_endings
                .clone()
        }
        pub fn personal() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.personal.clone()
        }
        pub fn legal_basis() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.legal_basis.clone()
        }
        pub fn period_kind() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.period_kind.clone()
        }
        pub fn period_start() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.period_start.clone()
        }
        pub fn period_end() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.period_end.clone()
        }
        pub fn category() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.category.clone()
        }
        pub fn overview() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.overview.clone()
        }
        pub fn means_previous() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.means_previous.clone()
        }
        pub fn means_current() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.means_current.clone()
        }
        pub fn target() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.target.clone()
        }
        pub fn intent() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.intent.clone()
        }
        pub fn result() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.result.clone()
        }
        pub fn activity() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.activity.clone()
        }
        pub fn target_indicator() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.target_indicator.clone()
        }
        pub fn outcome() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.outcome.clone()
        }
        pub fn indicator_name() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.indicator_name.clone()
        }
        pub fn indicator_unit() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.indicator_unit.clone()
        }
        pub fn indicator_slot() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.indicator_slot.clone()
        }
        pub fn sheet_title() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.sheet_title.clone()
        }
        pub fn national() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.national.clone()
        }
        pub fn prefectural() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.prefectural.clone()
        }
        pub fn bonds() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.bonds.clone()
        }
        pub fn other() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.other.clone()
        }
        pub fn general() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.general.clone()
        }
        pub fn project_total() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.project_total.clone()
        }
        pub fn staff() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.staff.clone()
        }
        pub fn hours() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.hours.clone()
        }
        pub fn personnel_cost() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.personnel_cost.clone()
        }
        pub fn total() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.total.clone()
        }
        pub fn background_origin() -> Vec<String> {
            super::super::BUILTIN_PARTS
                .project
                .background_origin
                .clone()
        }
        pub fn background_changes() -> Vec<String> {
            super::super::BUILTIN_PARTS
                .project
                .background_changes
                .clone()
        }
        pub fn background_requests() -> Vec<String> {
            super::super::BUILTIN_PARTS
                .project
                .background_requests
                .clone()
        }
        pub fn aspect_1() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.aspect_1.clone()
        }
        pub fn aspect_2() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.aspect_2.clone()
        }
        pub fn aspect_3() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.aspect_3.clone()
        }
        pub fn aspect_4() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.aspect_4.clone()
        }
        pub fn aspect_5() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.aspect_5.clone()
        }
        pub fn aspect_6() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.aspect_6.clone()
        }
        pub fn aspect_7() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.aspect_7.clone()
        }
        pub fn aspect_8() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.aspect_8.clone()
        }
        pub fn comment_suffix() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.comment_suffix.clone()
        }
        pub fn rating_suffix() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.rating_suffix.clone()
        }
        pub fn direction() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.direction.clone()
        }
        pub fn expected_outcome() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.expected_outcome.clone()
        }
        pub fn expected_cost() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.expected_cost.clone()
        }
        pub fn issues() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.issues.clone()
        }
        pub fn manager_direction() -> Vec<String> {
            super::super::BUILTIN_PARTS
                .project
                .manager_direction
                .clone()
        }
        pub fn manager_summary() -> Vec<String> {
            super::super::BUILTIN_PARTS.project.manager_summary.clone()
        }
    }
}

macro_rules! builtin_part {
    ($($ty:ident => $field:ident,)*) => {
        $(impl Default for $ty {
            fn default() -> $ty {
                BUILTIN_PARTS.$field.clone()
            }
        })*
    };
}

builtin_part! {
    SheetLabels => sheet,
    PlanLabels => plan,
    KpiLabels => kpi,
    CheckLabels => check,
    ActionLabels => action,
    ProgressLabels => progress,
    AssessmentLabels => assessment,
    SurveyLabels => survey,
    ProjectLabels => project,
}

/// The labels of a list of project evaluations (事務事業評価): one row per
/// project under a header row whose labels name the fields. A label is a
/// glob: `*` stands for any text, and without one the header must be the
/// label exactly. Headers are compared with all white space removed and a
/// leading enumerator (`①`, `(1)`, `4`) dropped.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProjectLabels {
    #[serde(default = "defaults::project::name")]
    pub name: Vec<String>,
    #[serde(default = "defaults::project::code")]
    pub code: Vec<String>,
    #[serde(default = "defaults::project::fiscal_year")]
    pub fiscal_year: Vec<String>,
    #[serde(default = "defaults::project::year_era")]
    pub year_era: Vec<String>,
    #[serde(default = "defaults::project::unlabeled_blocks")]
    pub unlabeled_blocks: BlockPlacement,
    #[serde(default = "defaults::project::policy_name")]
    pub policy_name: Vec<String>,
    #[serde(default = "defaults::project::policy_number")]
    pub policy_number: Vec<String>,
    #[serde(default = "defaults::project::measure_name")]
    pub measure_name: Vec<String>,
    #[serde(default = "defaults::project::measure_number")]
    pub measure_number: Vec<String>,
    #[serde(default = "defaults::project::basic_project_name")]
    pub basic_project_name: Vec<String>,
    #[serde(default = "defaults::project::basic_project_number")]
    pub basic_project_number: Vec<String>,
    #[serde(default = "defaults::project::tens")]
    pub tens: Vec<String>,
    #[serde(default = "defaults::project::ones")]
    pub ones: Vec<String>,
    #[serde(default = "defaults::project::department_section")]
    pub department_section: Vec<String>,
    #[serde(default = "defaults::project::department")]
    pub department: Vec<String>,
    #[serde(default = "defaults::project::section")]
    pub section: Vec<String>,
    #[serde(default = "defaults::project::department_endings")]
    pub department_endings: Vec<String>,
    #[serde(default = "defaults::project::personal")]
    pub personal: Vec<String>,
    #[serde(default = "defaults::project::legal_basis")]
    pub legal_basis: Vec<String>,
    #[serde(default = "defaults::project::period_kind")]
    pub period_kind: Vec<String>,
    #[serde(default = "defaults::project::period_start")]
    pub period_start: Vec<String>,
    #[serde(default = "defaults::project::period_end")]
    pub period_end: Vec<String>,
    #[serde(default = "defaults::project::category")]
    pub category: Vec<String>,
    #[serde(default = "defaults::project::overview")]
    pub overview: Vec<String>,
    #[serde(default = "defaults::project::means_previous")]
    pub means_previous: Vec<String>,
    #[serde(default = "defaults::project::means_current")]
    pub means_current: Vec<String>,
    #[serde(default = "defaults::project::target")]
    pub target: Vec<String>,
    #[serde(default = "defaults::project::intent")]
    pub intent: Vec<String>,
    #[serde(default = "defaults::project::result")]
    pub result: Vec<String>,
    #[serde(default = "defaults::project::activity")]
    pub activity: Vec<String>,
    #[serde(default = "defaults::project::target_indicator")]
    pub target_indicator: Vec<String>,
    #[serde(default = "defaults::project::outcome")]
    pub outcome: Vec<String>,
    #[serde(default = "defaults::project::indicator_name")]
    pub indicator_name: Vec<String>,
    #[serde(default = "defaults::project::indicator_unit")]
    pub indicator_unit: Vec<String>,
    #[serde(default = "defaults::project::indicator_slot")]
    pub indicator_slot: Vec<String>,
    #[serde(default = "defaults::project::sheet_title")]
    pub sheet_title: Vec<String>,
    #[serde(default = "defaults::project::national")]
    pub national: Vec<String>,
    #[serde(default = "defaults::project::prefectural")]
    pub prefectural: Vec<String>,
    #[serde(default = "defaults::project::bonds")]
    pub bonds: Vec<String>,
    #[serde(default = "defaults::project::other")]
    pub other: Vec<String>,
    #[serde(default = "defaults::project::general")]
    pub general: Vec<String>,
    #[serde(default = "defaults::project::project_total")]
    pub project_total: Vec<String>,
    #[serde(default = "defaults::project::staff")]
    pub staff: Vec<String>,
    #[serde(default = "defaults::project::hours")]
    pub hours: Vec<String>,
    #[serde(default = "defaults::project::personnel_cost")]
    pub personnel_cost: Vec<String>,
    #[serde(default = "defaults::project::total")]
    pub total: Vec<String>,
    #[serde(default = "defaults::project::background_origin")]
    pub background_origin: Vec<String>,
    #[serde(default = "defaults::project::background_changes")]
    pub background_changes: Vec<String>,
    #[serde(default = "defaults::project::background_requests")]
    pub background_requests: Vec<String>,
    #[serde(default = "defaults::project::aspect_1")]
    pub aspect_1: Vec<String>,
    #[serde(default = "defaults::project::aspect_2")]
    pub aspect_2: Vec<String>,
    #[serde(default = "defaults::project::aspect_3")]
    pub aspect_3: Vec<String>,
    #[serde(default = "defaults::project::aspect_4")]
    pub aspect_4: Vec<String>,
    #[serde(default = "defaults::project::aspect_5")]
    pub aspect_5: Vec<String>,
    #[serde(default = "defaults::project::aspect_6")]
    pub aspect_6: Vec<String>,
    #[serde(default = "defaults::project::aspect_7")]
    pub aspect_7: Vec<String>,
    #[serde(default = "defaults::project::aspect_8")]
    pub aspect_8: Vec<String>,
    #[serde(default = "defaults::project::comment_suffix")]
    pub comment_suffix: Vec<String>,
    #[serde(default = "defaults::project::rating_suffix")]
    pub rating_suffix: Vec<String>,
    #[serde(default = "defaults::project::direction")]
    pub direction: Vec<String>,
    #[serde(default = "defaults::project::expected_outcome")]
    pub expected_outcome: Vec<String>,
    #[serde(default = "defaults::project::expected_cost")]
    pub expected_cost: Vec<String>,
    #[serde(default = "defaults::project::issues")]
    pub issues: Vec<String>,
    #[serde(default = "defaults::project::manager_direction")]
    pub manager_direction: Vec<String>,
    #[serde(default = "defaults::project::manager_summary")]
    pub manager_summary: Vec<String>,
}

impl ProjectLabels {
    fn lists_mut(&mut self) -> Vec<(&'static str, &mut Vec<String>)> {
        vec![
            ("project.name", &mut self.name),
            ("project.code", &mut self.code),
            ("project.fiscal_year", &mut self.fiscal_year),
            ("project.year_era", &mut self.year_era),
            ("project.policy_name", &mut self.policy_name),
            ("project.policy_number", &mut self.policy_number),
            ("project.measure_name", &mut self.measure_name),
            ("project.measure_number", &mut self.measure_number),
            ("project.basic_project_name", &mut self.basic_project_name),
            (
                "project.basic_project_number",
                &mut self.basic_project_number,
            ),
            ("project.tens", &mut self.tens),
            ("project.ones", &mut self.ones),
            ("project.department_section", &mut self.department_section),
            ("project.department", &mut self.department),
            ("project.section", &mut self.section),
            ("project.department_endings", &mut self.department_endings),
            ("project.personal", &mut self.personal),
            ("project.legal_basis", &mut self.legal_basis),
            ("project.period_kind", &mut self.period_kind),
            ("project.period_start", &mut self.period_start),
            ("project.period_end", &mut self.period_end),
            ("project.category", &mut self.category),
            ("project.overview", &mut self.overview),
            ("project.means_previous", &mut self.means_previous),
            ("project.means_current", &mut self.means_current),
            ("project.target", &mut self.target),
            ("project.intent", &mut self.intent),
            ("project.result", &mut self.result),
            ("project.activity", &mut self.activity),
            ("project.target_indicator", &mut self.target_indicator),
            ("project.outcome", &mut self.outcome),
            ("project.indicator_name", &mut self.indicator_name),
            ("project.indicator_unit", &mut self.indicator_unit),
            ("project.indicator_slot", &mut self.indicator_slot),
            ("project.sheet_title", &mut self.sheet_title),
            ("project.national", &mut self.national),
            ("project.prefectural", &mut self.prefectural),
            ("project.bonds", &mut self.bonds),
            ("project.other", &mut self.other),
            ("project.general", &mut self.general),
            ("project.project_total", &mut self.project_total),
            ("project.staff", &mut self.staff),
            ("project.hours", &mut self.hours),
            ("project.personnel_cost", &mut self.personnel_cost),
            ("project.total", &mut self.total),
            ("project.background_origin", &mut self.background_origin),
            ("project.background_changes", &mut self.background_changes),
            ("project.background_requests", &mut self.background_requests),
            ("project.aspect_1", &mut self.aspect_1),
            ("project.aspect_2", &mut self.aspect_2),
            ("project.aspect_3", &mut self.aspect_3),
            ("project.aspect_4", &mut self.aspect_4),
            ("project.aspect_5", &mut self.aspect_5),
            ("project.aspect_6", &mut self.aspect_6),
            ("project.aspect_7", &mut self.aspect_7),
            ("project.aspect_8", &mut self.aspect_8),
            ("project.comment_suffix", &mut self.comment_suffix),
            ("project.rating_suffix", &mut self.rating_suffix),
            ("project.direction", &mut self.direction),
            ("project.expected_outcome", &mut self.expected_outcome),
            ("project.expected_cost", &mut self.expected_cost),
            ("project.issues", &mut self.issues),
            ("project.manager_direction", &mut self.manager_direction),
            ("project.manager_summary", &mut self.manager_summary),
        ]
    }
}

/// Where the yearly blocks of a project list go when no year stands over
/// them or in their headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum BlockPlacement {
    /// The last block is the evaluation year, each one before it a year
    /// earlier (大船渡: six blocks, 令和2..令和7 for 令和7年度).
    EndingAtEvaluationYear,
    /// The first block is the evaluation year, each one after it a year later.
    StartingAtEvaluationYear,
    /// The blocks are not read as years: their values are dropped, with a warning.
    None,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AssessmentLabels {
    #[serde(default = "defaults::assessment::lower_is_better")]
    pub lower_is_better: Vec<String>,
    #[serde(default = "defaults::assessment::higher_is_better")]
    pub higher_is_better: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SheetLabels {
    #[serde(default = "defaults::sheet::department")]
    pub department: Vec<String>,
    #[serde(default = "defaults::sheet::department_name_endings")]
    pub department_name_endings: Vec<String>,
    #[serde(default = "defaults::sheet::policy")]
    pub policy: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlanLabels {
    #[serde(default = "defaults::plan::title")]
    pub title: Vec<String>,
    #[serde(default = "defaults::plan::do_title")]
    pub do_title: Vec<String>,
    #[serde(default = "defaults::plan::do_header")]
    pub do_header: Vec<String>,
    #[serde(default = "defaults::plan::basic_project")]
    pub basic_project: Vec<String>,
    #[serde(default = "defaults::plan::kpi_column")]
    pub kpi_column: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct KpiLabels {
    #[serde(default = "defaults::kpi::name")]
    pub name: Vec<String>,
    #[serde(default = "defaults::kpi::description")]
    pub description: Vec<String>,
    #[serde(default = "defaults::kpi::baseline")]
    pub baseline: Vec<String>,
    #[serde(default = "defaults::kpi::target")]
    pub target: Vec<String>,
    #[serde(default = "defaults::kpi::single_year")]
    pub single_year: Vec<String>,
    #[serde(default = "defaults::kpi::cumulative")]
    pub cumulative: Vec<String>,
    #[serde(default = "defaults::kpi::values")]
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CheckLabels {
    #[serde(default = "defaults::check::title")]
    pub title: Vec<String>,
    #[serde(default = "defaults::check::effects")]
    pub effects: Vec<String>,
    #[serde(default = "defaults::check::issues")]
    pub issues: Vec<String>,
    #[serde(default = "defaults::check::action")]
    pub action: Vec<String>,
    #[serde(default = "defaults::check::progress")]
    pub progress: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActionLabels {
    #[serde(default = "defaults::action::suffix")]
    pub suffix: Vec<String>,
    #[serde(default = "defaults::action::new")]
    pub new: Vec<String>,
    #[serde(default = "defaults::action::existing")]
    pub existing: Vec<String>,
    #[serde(default = "defaults::action::reduced_or_abolished")]
    pub reduced_or_abolished: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProgressLabels {
    #[serde(default = "defaults::progress::on_track")]
    pub on_track: Vec<String>,
    #[serde(default = "defaults::progress::slightly_behind")]
    pub slightly_behind: Vec<String>,
    #[serde(default = "defaults::progress::behind")]
    pub behind: Vec<String>,
    #[serde(default = "defaults::progress::completed")]
    pub completed: Vec<String>,
    #[serde(default = "defaults::progress::not_started")]
    pub not_started: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SurveyLabels {
    #[serde(default = "defaults::survey::title")]
    pub title: Vec<String>,
    #[serde(default = "defaults::survey::labels")]
    pub labels: Vec<String>,
}

/// Why a template file could not be used. The message names the key (or
/// the line); `Display` is English, and the fields let a caller word it in
/// another language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// Not TOML, or not the template's shape (an unknown or missing key, a
    /// value of the wrong type).
    #[error("{display}")]
    Toml {
        /// Where, 1-based, when the parser knows.
        line: Option<usize>,
        /// The column, 1-based (characters).
        column: Option<usize>,
        /// The parser's message alone (`unknown field `x`, expected ...`).
        message: String,
        /// The lines of the file it points at, with a caret (no words).
        snippet: String,
        /// The parser's whole English text.
        display: String,
    },
    /// A key lists no label.
    #[error("template key `{key}` lists no label; give at least one (see `hyoka template`)")]
    EmptyList {
        /// The key, `table.key`.
        key: String,
    },
    /// A key has an empty label.
    #[error("template key `{key}` has an empty label; remove it or fill it in")]
    EmptyLabel {
        /// The key, `table.key`.
        key: String,
    },
}

impl TemplateError {
    /// A template that is not one, in Japanese; the TOML parser's own words
    /// are recognised by their shape.
    pub fn message_ja(&self) -> String {
        use TemplateError as E;
        match self {
            E::EmptyList { key } => format!(
                "テンプレートのキー `{key}` にラベルがありません。一つ以上書いてください(`hyoka template` を参照)"
            ),
            E::EmptyLabel { key } => format!(
                "テンプレートのキー `{key}` に空のラベルがあります。消すか、中身を書いてください"
            ),
            E::Toml {
                line,
                column,
                message,
                snippet,
                ..
            } => {
                let quoted = |text: &str| text.split('`').nth(1).unwrap_or_default().to_owned();
                let what = if let Some(rest) = message.strip_prefix("unknown field") {
                    let known = rest
                        .split_once("expected one of ")
                        .or_else(|| rest.split_once("expected "))
                        .map_or(String::new(), |(_, k)| format!("。使えるキーは {k} です"));
                    format!("不明なキー `{}` があります{known}", quoted(rest))
                } else if let Some(rest) = message.strip_prefix("missing field") {
                    format!("キー `{}` がありません", quoted(rest))
                } else if message.starts_with("invalid type") && message.ends_with("a sequence") {
                    "値の型が違います。ラベルの配列([\"…\", \"…\"])を書いてください".to_owned()
                } else if message.starts_with("invalid type") {
                    format!("値の型が違います({message})")
                } else {
                    format!("TOML として読めません({message})")
                };
                let place = match (line, column) {
                    (Some(l), Some(c)) => format!("{l} 行 {c} 列目: "),
                    _ => String::new(),
                };
                if snippet.is_empty() {
                    format!("{place}{what}")
                } else {
                    format!("{place}{what}\n{snippet}")
                }
            }
        }
    }
}

impl TemplateError {
    fn toml(text: &str, e: &toml::de::Error) -> TemplateError {
        let display = e.to_string().trim().to_owned();
        let message = e.message().trim().to_owned();
        let (line, column) = match e.span() {
            Some(span) => {
                let before = text.get(..span.start).unwrap_or(text);
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
                (Some(line), Some(column))
            }
            None => (None, None),
        };
        let snippet = display
            .split_once('\n')
            .map_or("", |(_, rest)| rest)
            .trim_end()
            .strip_suffix(message.as_str())
            .unwrap_or("")
            .trim_end()
            .to_owned();
        TemplateError::Toml {
            line,
            column,
            message,
            snippet,
            display,
        }
    }
}

static BUILTIN: LazyLock<Arc<Template>> = LazyLock::new(|| {
    Arc::new(Template::from_toml(Template::BUILTIN_TOML).expect("the built-in template is valid"))
});

impl Template {
    /// The built-in template as TOML, with comments that document every
    /// key: what `hyoka template` prints.
    pub const BUILTIN_TOML: &'static str = include_str!("builtin.toml");

    /// The built-in template (shared; cheap to call).
    pub fn builtin() -> Arc<Template> {
        BUILTIN.clone()
    }

    /// Reads a template from TOML. Every key must be present and list at
    /// least one label; an unknown key, a missing one or an empty list is
    /// an error naming the key.
    ///
    /// ```
    /// let mut text = hyoka::Template::BUILTIN_TOML.replace(
    ///     r#"name = ["成果指標", "指標名"]"#,
    ///     r#"name = ["成果指標", "指標名", "評価指標"]"#,
    /// );
    /// assert!(hyoka::Template::from_toml(&text).is_ok());
    /// text = text.replace("values = ", "value_rows = ");
    /// let err = hyoka::Template::from_toml(&text).unwrap_err().to_string();
    /// assert!(err.contains("value_rows"), "{err}");
    /// ```
    pub fn from_toml(text: &str) -> Result<Template, TemplateError> {
        let mut template: Template =
            toml::from_str(text).map_err(|e| TemplateError::toml(text, &e))?;
        template.normalize()?;
        Ok(template)
    }

    /// Every label list by its key, for checks and normalization.
    fn lists_mut(&mut self) -> Vec<(&'static str, &mut Vec<String>)> {
        let Template {
            sheet,
            plan,
            kpi,
            check,
            action,
            progress,
            assessment,
            survey,
            project,
        } = self;
        let mut lists = vec![
            ("sheet.department", &mut sheet.department),
            (
                "sheet.department_name_endings",
                &mut sheet.department_name_endings,
            ),
            ("sheet.policy", &mut sheet.policy),
            ("plan.title", &mut plan.title),
            ("plan.do_title", &mut plan.do_title),
            ("plan.do_header", &mut plan.do_header),
            ("plan.basic_project", &mut plan.basic_project),
            ("plan.kpi_column", &mut plan.kpi_column),
            ("kpi.name", &mut kpi.name),
            ("kpi.description", &mut kpi.description),
            ("kpi.baseline", &mut kpi.baseline),
            ("kpi.target", &mut kpi.target),
            ("kpi.single_year", &mut kpi.single_year),
            ("kpi.cumulative", &mut kpi.cumulative),
            ("kpi.values", &mut kpi.values),
            ("check.title", &mut check.title),
            ("check.effects", &mut check.effects),
            ("check.issues", &mut check.issues),
            ("check.action", &mut check.action),
            ("check.progress", &mut check.progress),
            ("action.suffix", &mut action.suffix),
            ("action.new", &mut action.new),
            ("action.existing", &mut action.existing),
            (
                "action.reduced_or_abolished",
                &mut action.reduced_or_abolished,
            ),
            ("progress.on_track", &mut progress.on_track),
            ("progress.slightly_behind", &mut progress.slightly_behind),
            ("progress.behind", &mut progress.behind),
            ("progress.completed", &mut progress.completed),
            ("progress.not_started", &mut progress.not_started),
            (
                "assessment.lower_is_better",
                &mut assessment.lower_is_better,
            ),
            (
                "assessment.higher_is_better",
                &mut assessment.higher_is_better,
            ),
            ("survey.title", &mut survey.title),
            ("survey.labels", &mut survey.labels),
        ];
        lists.extend(project.lists_mut());
        lists
    }

    /// Normalizes every label as cells are normalized, and refuses empty
    /// lists and empty labels; longer labels are tried first, so a label
    /// that is a prefix of another (`実績`, `実績値`) never cuts it short.
    fn normalize(&mut self) -> Result<(), TemplateError> {
        for (key, list) in self.lists_mut() {
            if list.is_empty() {
                return Err(TemplateError::EmptyList { key: key.into() });
            }
            for label in list.iter_mut() {
                *label = normalize::single_line(label);
                if label.is_empty() {
                    return Err(TemplateError::EmptyLabel { key: key.into() });
                }
            }
            list.sort_by_key(|l| std::cmp::Reverse(l.chars().count()));
        }
        Ok(())
    }

    pub(crate) fn sheet(&self) -> &SheetLabels {
        &self.sheet
    }
    pub(crate) fn plan(&self) -> &PlanLabels {
        &self.plan
    }
    pub(crate) fn kpi(&self) -> &KpiLabels {
        &self.kpi
    }
    pub(crate) fn check(&self) -> &CheckLabels {
        &self.check
    }
    pub(crate) fn action(&self) -> &ActionLabels {
        &self.action
    }
    pub(crate) fn progress(&self) -> &ProgressLabels {
        &self.progress
    }
    pub(crate) fn assessment(&self) -> &AssessmentLabels {
        &self.assessment
    }
    pub(crate) fn survey(&self) -> &SurveyLabels {
        &self.survey
    }
    pub(crate) fn project(&self) -> &ProjectLabels {
        &self.project
    }
}

impl Default for Template {
    fn default() -> Template {
        (*Template::builtin()).clone()
    }
}

/// Whether `text` is one of `labels`.
pub(crate) fn exact(labels: &[String], text: &str) -> bool {
    labels.iter().any(|l| l == text)
}

/// The first of `labels` that `text` starts with.
pub(crate) fn prefix<'l>(labels: &'l [String], text: &str) -> Option<&'l str> {
    labels
        .iter()
        .find(|l| text.starts_with(l.as_str()))
        .map(String::as_str)
}

/// Whether one of `labels` occurs in `text`.
pub(crate) fn contains(labels: &[String], text: &str) -> bool {
    labels.iter().any(|l| find(text, l).is_some())
}

/// Whether one of `patterns` occurs in `text`, `*` standing for any text.
pub(crate) fn pattern(patterns: &[String], text: &str) -> bool {
    patterns.iter().any(|p| {
        let mut rest = text;
        p.split('*').filter(|part| !part.is_empty()).all(|part| {
            find(rest, part).is_some_and(|at| {
                rest = &rest[at + part.len()..];
                true
            })
        })
    })
}

/// The first position of `needle` in `text`, as [`str::find`] gives it.
///
/// Cells and labels are short and compared by the hundred thousand:
/// `str::find` sets up a two-way searcher on every call, which costs more
/// than the search. A UTF-8 needle matches valid UTF-8 only at character
/// boundaries, so comparing bytes finds the same position. Candidates are
/// found by the needle's last byte: in Japanese text most characters start
/// with one of a few bytes, while their last bytes vary.
pub(crate) fn find(text: &str, needle: &str) -> Option<usize> {
    let (text, needle) = (text.as_bytes(), needle.as_bytes());
    let Some((&last, &first)) = needle.last().zip(needle.first()) else {
        return Some(0);
    };
    let tail = needle.len() - 1;
    memchr::memchr_iter(last, text.get(tail..)?)
        .find(|&at| text[at] == first && text[at..].starts_with(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_template_reads_and_sorts_longest_first() {
        let t = Template::builtin();
        assert_eq!(t.kpi().values, ["実績値", "実績"]);
        assert!(exact(&t.kpi().name, "指標名"));
        assert_eq!(prefix(&t.kpi().baseline, "基準値(H29)"), Some("基準値"));
    }

    #[test]
    fn the_builtin_template_is_complete() {
        // Every key is in the built-in file: a missing one's default would
        // read the built-in file again.
        let table: toml::Table = toml::from_str(Template::BUILTIN_TOML).unwrap();
        let mut t = (*Template::builtin()).clone();
        for (key, _) in t.lists_mut() {
            let (section, name) = key.split_once('.').unwrap();
            assert!(table[section].get(name).is_some(), "{key}");
        }
        assert!(table["project"].get("unlabeled_blocks").is_some());
    }

    #[test]
    fn labels_are_normalized_like_cells() {
        let text = Template::BUILTIN_TOML.replace(r#"title = ["PLAN"]"#, r#"title = ["ＰＬＡＮ"]"#);
        let t = Template::from_toml(&text).unwrap();
        assert_eq!(t.plan().title, ["PLAN"]);
    }

    #[test]
    fn errors_name_the_key() {
        let err = |text: String| Template::from_toml(&text).unwrap_err().to_string();
        // A key left out keeps the built-in labels; a table too.
        let missing = Template::BUILTIN_TOML.replace("not_started = [\"未着手\"]\n", "");
        assert_eq!(Template::from_toml(&missing).unwrap(), *Template::builtin());
        let only = "[project]\nname = [\"事業の名前\"]\n";
        let t = Template::from_toml(only).unwrap();
        assert_eq!(t.project().name, ["事業の名前"]);
        assert_eq!(t.project().code, Template::builtin().project().code);
        assert_eq!(t.kpi(), Template::builtin().kpi());
        let unknown_key = "[project]\nnmae = [\"x\"]\n";
        let e = Template::from_toml(unknown_key).unwrap_err();
        assert!(
            matches!(e, TemplateError::Toml { line: Some(2), .. }),
            "{e:?}"
        );
        assert!(e.to_string().contains("nmae"));
        let bad = "[project]\nunlabeled_blocks = \"sideways\"\n";
        assert!(err(bad.to_owned()).contains("sideways"));
        let empty = Template::BUILTIN_TOML.replace(r#"labels = ["傾向"]"#, "labels = []");
        assert!(err(empty).contains("`survey.labels`"));
        let blank = Template::BUILTIN_TOML.replace(r#"do_title = ["DO"]"#, r#"do_title = ["  "]"#);
        assert!(err(blank).contains("`plan.do_title`"));
        let unknown = format!("{}\n[extra]\nx = 1\n", Template::BUILTIN_TOML);
        assert!(err(unknown).contains("extra"));
    }

    #[test]
    fn find_is_str_find() {
        for (text, needle) in [
            ("施策の評価", "評価"),
            ("評価", "施策の評価"),
            ("", ""),
            ("abc", ""),
            ("CHECK②の結果", "CHECK②"),
            ("ababab", "bab"),
            ("アンケート調査の結果", "結果"),
            ("結", "結果"),
        ] {
            assert_eq!(find(text, needle), text.find(needle), "{text} / {needle}");
        }
    }

    proptest::proptest! {
        #[test]
        fn find_agrees_with_str_find(text in "[ab施策評価①]{0,12}", needle in "[ab施策評価①]{0,3}") {
            proptest::prop_assert_eq!(find(&text, &needle), text.find(needle.as_str()));
        }
    }

    #[test]
    fn patterns_match_in_order() {
        let p = vec!["アンケート*結果".to_string()];
        assert!(pattern(&p, "まちづくりアンケート調査結果"));
        assert!(!pattern(&p, "結果とアンケート"));
    }
}
