//! The CHECK and ACTION parts: results, effects, issues, proposals and progress.

use super::plan::unreviewed_project;
use super::*;

impl<'g> Parser<'g> {
    pub(super) fn check(
        &mut self,
        range: Range<usize>,
        projects: &mut BTreeMap<u32, BasicProject>,
    ) {
        let rows = self.rows(range);
        let title = &rows[0];
        let labels = self.t.check();
        let number_column = title
            .find_by(|s| template::contains(&labels.title, s))
            .map_or(0, |(c, _)| c);
        let mut action_column = None;
        let mut progress_column = None;
        for row in rows.iter().take(2) {
            if action_column.is_none() {
                action_column = row
                    .find_by(|s| template::contains(&labels.action, s))
                    .map(|(c, _)| c);
            }
            if progress_column.is_none() {
                progress_column = row
                    .find_by(|s| template::contains(&labels.progress, s))
                    .map(|(c, _)| c);
            }
        }
        let mut number: Option<u32> = None;
        let mut realigned_warned = false;
        let mut inferred_as_actions = Vec::new();
        let mut inferred_as_effects = Vec::new();
        for row in rows {
            if let Some(n) = integer(row.cell(number_column)) {
                number = Some(n);
            }
            let is_issue = |s: &str| template::exact(&labels.issues, s);
            let Some((label_column, label)) =
                row.find_by(|s| template::prefix(&labels.effects, s).is_some() || is_issue(s))
            else {
                continue;
            };
            let Some(n) = number else { continue };
            let is_effect_row = !is_issue(label);
            let action_col = action_column.unwrap_or(label_column + 2);
            let progress_col = progress_column.unwrap_or(action_col + 1);
            let mut effect = None;
            let mut action = None;
            let progress;
            let explicit = action_col > label_column + 1;
            let beyond = row.filled().any(|(c, _)| c > progress_col);
            if explicit {
                effect = first_in(row, label_column + 1..action_col);
                action = first_in(row, action_col..progress_col);
                progress = first_in(row, progress_col..progress_col + 1);
            } else if beyond {
                if !realigned_warned {
                    realigned_warned = true;
                    self.warn_row(
                        WarningCode::CheckColumnsRealigned,
                        row.number,
                        format!(
                            "CHECK② rows have five columns but the header ({}) names four; \
                             read as 効果/課題, 改善案, 進捗 in the three columns after the label",
                            title.number
                        ),
                    );
                }
                effect = first_in(row, label_column + 1..label_column + 2);
                action = first_in(row, label_column + 2..label_column + 3);
                progress = first_in(row, label_column + 3..label_column + 4);
            } else {
                let text = first_in(row, label_column + 1..label_column + 2);
                progress = first_in(row, progress_col..progress_col + 1);
                if let Some(text) = text {
                    if is_effect_row {
                        if lists::has_category(&text, self.t) {
                            inferred_as_actions.push(row.number);
                            action = Some(text);
                        } else {
                            inferred_as_effects.push(row.number);
                            effect = Some(text);
                        }
                    } else {
                        effect = Some(text);
                    }
                }
            }
            let has_content = effect.is_some() || action.is_some() || progress.is_some();
            if !has_content {
                continue;
            }
            let project = projects.entry(n).or_insert_with(|| {
                self.warnings.push(Warning::at_row(
                    WarningCode::CheckWithoutPlan,
                    row.number,
                    format!(
                        "the CHECK② table has text for basic project {n}, which the PLAN table \
                         does not have; a project without name is recorded"
                    ),
                ));
                unreviewed_project(n)
            });
            if let Some(text) = effect {
                let items = lists::items(&text);
                if is_effect_row {
                    project.effects.extend(items);
                } else {
                    project.issues.extend(items);
                }
            }
            if let Some(text) = action {
                merge_improvements(
                    &mut project.improvements,
                    lists::improvements(&text, self.t),
                );
            }
            if let Some(text) = progress
                && project.progress.is_none()
            {
                let text = normalize::single_line(&text);
                project.progress = Some(Progress {
                    code: progress_code(&text, self.t),
                    text,
                });
            }
        }
        self.note_inferred_columns(&inferred_as_actions, &inferred_as_effects);
    }

    /// One `check_column_inferred` per sheet, naming every row where the
    /// collapsed CHECK② column had to be read one way or the other.
    pub(super) fn note_inferred_columns(&mut self, as_actions: &[u32], as_effects: &[u32]) {
        let Some(&first) = as_actions.iter().chain(as_effects).min() else {
            return;
        };
        let rows = |rows: &[u32]| {
            rows.iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut parts = Vec::new();
        if !as_actions.is_empty() {
            parts.push(format!(
                "it has ○…事業案 headings in row(s) {}, so it is read there as improvement \
                 proposals and effects are empty",
                rows(as_actions)
            ));
        }
        if !as_effects.is_empty() {
            parts.push(format!(
                "it has no ○…事業案 heading in row(s) {}, so it is read there as effects and \
                 improvements are empty",
                rows(as_effects)
            ));
        }
        self.warn_row(
            WarningCode::CheckColumnInferred,
            first,
            format!(
                "one CHECK② text column stands for both 効果が出ている点 and 事務事業の改善案; {}",
                parts.join("; ")
            ),
        );
    }
}

pub(super) fn merge_improvements(into: &mut Improvements, from: Improvements) {
    into.new.extend(from.new);
    into.existing.extend(from.existing);
    into.reduced_or_abolished.extend(from.reduced_or_abolished);
    into.unclassified.extend(from.unclassified);
}

/// Classifies a progress text.
pub(super) fn progress_code(text: &str, t: &Template) -> ProgressCode {
    let p = t.progress();
    if template::contains(&p.on_track, text) {
        ProgressCode::OnTrack
    } else if template::contains(&p.slightly_behind, text) {
        ProgressCode::SlightlyBehind
    } else if template::contains(&p.behind, text) {
        ProgressCode::Behind
    } else if template::contains(&p.completed, text) {
        ProgressCode::Completed
    } else if template::contains(&p.not_started, text) {
        ProgressCode::NotStarted
    } else {
        ProgressCode::Other
    }
}
