//! The template: every label the sheet parser looks for, as data.
//!
//! Cities fill in the same PDCA sheet under slightly different labels
//! (`成果指標` or `指標名`, `現状値` or `基準値`). The labels live in one
//! table, [`Template`], read from TOML: the built-in one
//! ([`Template::BUILTIN_TOML`], printed by `hyoka template`) knows Iga
//! City's template and the aliases of its neighbours, and a city with other
//! labels edits a copy instead of the code.

use std::sync::{Arc, LazyLock};

use serde::Deserialize;

use crate::normalize;

/// The labels of one template. See [`Template::BUILTIN_TOML`] for what each
/// key means and how it matches.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    sheet: SheetLabels,
    plan: PlanLabels,
    kpi: KpiLabels,
    check: CheckLabels,
    action: ActionLabels,
    progress: ProgressLabels,
    /// Added after templates were first published: a file without it takes
    /// the built-in words.
    #[serde(default = "builtin_assessment")]
    assessment: AssessmentLabels,
    survey: SurveyLabels,
}

fn builtin_assessment() -> AssessmentLabels {
    Template::builtin().assessment.clone()
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AssessmentLabels {
    pub lower_is_better: Vec<String>,
    pub higher_is_better: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SheetLabels {
    pub department: Vec<String>,
    pub department_name_endings: Vec<String>,
    pub policy: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlanLabels {
    pub title: Vec<String>,
    pub do_title: Vec<String>,
    pub do_header: Vec<String>,
    pub basic_project: Vec<String>,
    pub kpi_column: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct KpiLabels {
    pub name: Vec<String>,
    pub description: Vec<String>,
    pub baseline: Vec<String>,
    pub target: Vec<String>,
    pub single_year: Vec<String>,
    pub cumulative: Vec<String>,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CheckLabels {
    pub title: Vec<String>,
    pub effects: Vec<String>,
    pub issues: Vec<String>,
    pub action: Vec<String>,
    pub progress: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActionLabels {
    pub suffix: Vec<String>,
    pub new: Vec<String>,
    pub existing: Vec<String>,
    pub reduced_or_abolished: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProgressLabels {
    pub on_track: Vec<String>,
    pub slightly_behind: Vec<String>,
    pub behind: Vec<String>,
    pub completed: Vec<String>,
    pub not_started: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SurveyLabels {
    pub title: Vec<String>,
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
        } = self;
        vec![
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
        ]
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
    fn labels_are_normalized_like_cells() {
        let text = Template::BUILTIN_TOML.replace(r#"title = ["PLAN"]"#, r#"title = ["ＰＬＡＮ"]"#);
        let t = Template::from_toml(&text).unwrap();
        assert_eq!(t.plan().title, ["PLAN"]);
    }

    #[test]
    fn errors_name_the_key() {
        let err = |text: String| Template::from_toml(&text).unwrap_err().to_string();
        let missing = Template::BUILTIN_TOML.replace("not_started = [\"未着手\"]\n", "");
        assert!(err(missing).contains("not_started"));
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
