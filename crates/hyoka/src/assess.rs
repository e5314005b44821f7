//! Is it on track? Each KPI's figures read against its target.
//!
//! A step after the sheet parser: it reads only the finished sheet, so every
//! figure it uses is in the output beside what it concludes.
//!
//! - **Direction** (higher or lower is better): from a bound (`以下` is
//!   lower), else the target against the baseline, else the KPI's words
//!   (the template's `assessment` lists), else unknown: never guessed.
//! - **Achievement** per year with an actual, up to the sheet's fiscal year:
//!   single-year targets (and targets without a stated basis) compare the
//!   actual with the target, `actual / target` when higher is better and
//!   `target / actual` when lower is; cumulative targets measure progress
//!   from the baseline, `(actual − baseline) / (target − baseline)`; bounds
//!   are met or not. `expected` is the straight line from the baseline (in
//!   its year, or the year before the first column) to the target in the
//!   last year column.
//! - **Status** of the latest such year: `achieved` when met, `on_track`
//!   when at or beyond the straight line, `behind` otherwise (without a
//!   line: when not met), `no_target` without a numeric target or bound,
//!   `unknown` without an actual or a direction.
//! - **Cross-check**: a basic project whose progress says on track or done
//!   (`計画通り進めている`) while one of its KPIs has covered less than half
//!   of the way its line expects by now gets `progress_inconsistent`, with
//!   the figures.

use crate::model::{
    Achievement, AchievementFormula, Assessment, AssessmentStatus, Comparison, Direction,
    DirectionBasis, Kpi, Number, ProgressCode, Sheet, TargetBasis,
};
use crate::normalize::format_number;
use crate::project::ProjectEvaluation;
use crate::template::{self, Template};
use crate::warning::{Warning, WarningCode};

/// Assesses every KPI of a finished sheet and checks each basic project's
/// stated progress against its KPIs.
pub(crate) fn assess(sheet: &mut Sheet, template: &Template) {
    let fiscal_year = sheet.fiscal_year;
    let mut warnings = Vec::new();
    for project in &mut sheet.basic_projects {
        for kpi in &mut project.kpis {
            kpi.assessment = assessment(kpi, fiscal_year, template);
        }
        let Some(progress) = &project.progress else {
            continue;
        };
        if !matches!(
            progress.code,
            ProgressCode::OnTrack | ProgressCode::Completed
        ) {
            continue;
        }
        for kpi in &project.kpis {
            if let Some(figures) = far_behind(kpi) {
                warnings.push(Warning::in_file(
                    WarningCode::ProgressInconsistent,
                    format!(
                        "basic project {} says `{}`, but its KPI `{}` is behind: {figures}; \
                         check the progress statement against the figures",
                        project.number, progress.text, kpi.name
                    ),
                ));
            }
        }
    }
    sheet.warnings.extend(warnings);
}

fn value(n: &Option<Number>) -> Option<f64> {
    n.map(Number::get)
}

/// A KPI's direction and what told it.
fn direction(kpi: &Kpi, template: &Template) -> Option<(Direction, DirectionBasis)> {
    if let Some(bound) = &kpi.target.bound {
        let d = match bound.comparison {
            Comparison::AtMost | Comparison::LessThan => Direction::LowerIsBetter,
            Comparison::AtLeast | Comparison::MoreThan => Direction::HigherIsBetter,
        };
        return Some((d, DirectionBasis::Bound));
    }
    if let (Some(b), Some(t)) = (value(&kpi.baseline.value), value(&kpi.target.value)) {
        if t > b {
            return Some((Direction::HigherIsBetter, DirectionBasis::TargetVsBaseline));
        }
        if t < b {
            return Some((Direction::LowerIsBetter, DirectionBasis::TargetVsBaseline));
        }
    }
    let words = template.assessment();
    let text = [
        Some(kpi.name.as_str()),
        kpi.description.as_deref(),
        kpi.target.raw.as_deref(),
    ];
    let says = |labels: &[String]| text.iter().flatten().any(|t| template::contains(labels, t));
    match (says(&words.lower_is_better), says(&words.higher_is_better)) {
        (true, false) => Some((Direction::LowerIsBetter, DirectionBasis::Wording)),
        (false, true) => Some((Direction::HigherIsBetter, DirectionBasis::Wording)),
        _ => None,
    }
}

fn assessment(kpi: &Kpi, fiscal_year: Option<i32>, template: &Template) -> Assessment {
    let (direction, direction_basis) = match direction(kpi, template) {
        Some((d, b)) => (Some(d), Some(b)),
        None => (None, None),
    };
    let target = value(&kpi.target.value);
    let baseline = value(&kpi.baseline.value);
    let formula = match (&kpi.target.bound, target, kpi.target.basis) {
        (_, Some(_), Some(TargetBasis::Cumulative)) => Some(AchievementFormula::Cumulative),
        (_, Some(_), _) => Some(AchievementFormula::SingleYear),
        (Some(_), None, _) => Some(AchievementFormula::Bound),
        (None, None, _) => None,
    };
    // The straight line: from the baseline's year (or the year before the
    // first column) to the target in the last year column.
    let start = kpi
        .baseline
        .fiscal_year
        .or_else(|| kpi.actuals.first().map(|a| a.fiscal_year - 1));
    let end = kpi.actuals.last().map(|a| a.fiscal_year);
    let line = |year: i32| -> Option<f64> {
        let (b, t, y0, y1) = (baseline?, target?, start?, end?);
        (y1 > y0).then(|| b + (t - b) * f64::from(year - y0) / f64::from(y1 - y0))
    };
    let mut achievements = Vec::new();
    for actual in kpi.actuals.iter().filter(|_| formula.is_some()) {
        let Some(a) = value(&actual.value) else {
            continue;
        };
        if fiscal_year.is_some_and(|fy| actual.fiscal_year > fy) {
            continue;
        }
        let (ratio, met) = match (formula, direction) {
            (Some(AchievementFormula::Bound), _) => {
                let bound = kpi
                    .target
                    .bound
                    .as_ref()
                    .expect("a bound formula has a bound");
                let b = bound.value.get();
                let met = match bound.comparison {
                    Comparison::AtMost => a <= b,
                    Comparison::LessThan => a < b,
                    Comparison::AtLeast => a >= b,
                    Comparison::MoreThan => a > b,
                };
                (None, Some(met))
            }
            (Some(AchievementFormula::Cumulative), d) => {
                let t = target.expect("a cumulative formula has a target");
                let ratio = baseline.filter(|b| *b != t).map(|b| (a - b) / (t - b));
                let met = match d {
                    Some(Direction::HigherIsBetter) => Some(a >= t),
                    Some(Direction::LowerIsBetter) => Some(a <= t),
                    None => None,
                };
                (ratio, met)
            }
            (Some(AchievementFormula::SingleYear), Some(d)) => {
                let t = target.expect("a single-year formula has a target");
                match d {
                    Direction::HigherIsBetter => ((t != 0.0).then(|| a / t), Some(a >= t)),
                    Direction::LowerIsBetter => {
                        let ratio = if a != 0.0 {
                            Some(t / a)
                        } else {
                            (t == 0.0).then_some(1.0)
                        };
                        (ratio, Some(a <= t))
                    }
                }
            }
            _ => (None, None),
        };
        achievements.push(Achievement {
            fiscal_year: actual.fiscal_year,
            ratio: ratio.and_then(rounded),
            met,
            expected: line(actual.fiscal_year).and_then(rounded),
        });
    }
    let latest = achievements.last();
    let status = match (formula, latest) {
        (None, _) => AssessmentStatus::NoTarget,
        (_, None) => AssessmentStatus::Unknown,
        (_, Some(l)) if l.met == Some(true) => AssessmentStatus::Achieved,
        (_, Some(l)) => {
            let actual = kpi
                .actuals
                .iter()
                .find(|a| a.fiscal_year == l.fiscal_year)
                .and_then(|a| value(&a.value));
            match (direction, actual, value(&l.expected)) {
                (Some(Direction::HigherIsBetter), Some(a), Some(e)) if a >= e => {
                    AssessmentStatus::OnTrack
                }
                (Some(Direction::LowerIsBetter), Some(a), Some(e)) if a <= e => {
                    AssessmentStatus::OnTrack
                }
                _ if l.met == Some(false) => AssessmentStatus::Behind,
                _ => AssessmentStatus::Unknown,
            }
        }
    };
    Assessment {
        direction,
        direction_basis,
        formula,
        status_year: latest.map(|l| l.fiscal_year),
        achievements,
        status,
    }
}

/// Checks a project evaluation's cost arithmetic, which also confirms its
/// columns were read in the right places: each year's 事業費計 (A) is the
/// sum of its sources (国庫, 都道府県, 地方債, その他, 一般財源), and the
/// トータルコスト is (A) + 人件費 (B). A year where either does not add up
/// gets `cost_sum_mismatch` with the figures; a year missing a figure is
/// not checked.
pub(crate) fn check_costs(project: &mut ProjectEvaluation) {
    let mut warnings = Vec::new();
    let row = project.source.rows[0];
    for year in &project.costs {
        let fy = year
            .fiscal_year
            .map_or_else(|| "a year".to_owned(), |y| format!("fiscal {y}"));
        let parts = [
            year.national,
            year.prefectural,
            year.bonds,
            year.other,
            year.general,
        ];
        let named: Vec<f64> = parts.iter().flatten().map(|n| n.get()).collect();
        if let Some(total) = value(&year.project_total)
            && !named.is_empty()
        {
            let sum: f64 = named.iter().sum();
            if (sum - total).abs() > 0.5 {
                let show =
                    |n: &Option<Number>| n.map_or("-".to_owned(), |n| format_number(n.get()));
                warnings.push(Warning::at_row(
                    WarningCode::CostSumMismatch,
                    row,
                    format!(
                        "{fy}: 事業費計 (A) is {} but its sources add up to {} (国庫支出金 {}, \
                         都道府県支出金 {}, 地方債 {}, その他 {}, 一般財源 {}); check the cost \
                         columns",
                        format_number(total),
                        format_number(sum),
                        show(&year.national),
                        show(&year.prefectural),
                        show(&year.bonds),
                        show(&year.other),
                        show(&year.general),
                    ),
                ));
            }
        }
        if let (Some(a), Some(b), Some(total)) = (
            value(&year.project_total),
            value(&year.personnel_cost),
            value(&year.total),
        ) && (a + b - total).abs() > 0.5
        {
            warnings.push(Warning::at_row(
                WarningCode::CostSumMismatch,
                row,
                format!(
                    "{fy}: トータルコスト is {} but 事業費計 (A) {} + 人件費 (B) {} is {}; check \
                     the cost columns",
                    format_number(total),
                    format_number(a),
                    format_number(b),
                    format_number(a + b)
                ),
            ));
        }
    }
    project.warnings.extend(warnings);
}

/// Six significant digits: a ratio is a reading aid, and fewer digits keep
/// it the same on every platform's float formatting.
fn rounded(x: f64) -> Option<Number> {
    if !x.is_finite() {
        return None;
    }
    let r: f64 = format!("{x:.5e}").parse().ok()?;
    Number::new(r)
}

/// The figures of a KPI far behind its line (less than half of the way the
/// line expects by its latest year), for `progress_inconsistent`.
fn far_behind(kpi: &Kpi) -> Option<String> {
    let a = &kpi.assessment;
    if a.status != AssessmentStatus::Behind {
        return None;
    }
    let latest = a.achievements.last()?;
    let actual = kpi
        .actuals
        .iter()
        .find(|x| x.fiscal_year == latest.fiscal_year)
        .and_then(|x| value(&x.value))?;
    let target = value(&kpi.target.value);
    let baseline = value(&kpi.baseline.value);
    let fraction = match (baseline, value(&latest.expected)) {
        (Some(b), Some(e)) if e != b => (actual - b) / (e - b),
        _ => value(&latest.ratio)?,
    };
    if fraction >= 0.5 {
        return None;
    }
    let show = |x: Option<f64>| x.map_or("-".to_owned(), format_number);
    Some(format!(
        "actual {} in fiscal {} against {} expected on a straight line from baseline {} to \
         target {}",
        format_number(actual),
        latest.fiscal_year,
        show(value(&latest.expected)),
        show(baseline),
        show(target)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AssessmentStatus as S;

    /// The Iga fixture's KPIs, by name.
    fn iga() -> Vec<(Kpi, Option<ProgressCode>)> {
        let bytes = include_bytes!("../../../fixtures/iga/000_46863bf7e879b4fa.txt");
        let doc = crate::read("iga.txt", bytes, &Default::default()).unwrap();
        doc.sheets
            .into_iter()
            .flat_map(|s| s.basic_projects)
            .flat_map(|p| {
                let code = p.progress.as_ref().map(|p| p.code);
                p.kpis.into_iter().map(move |k| (k, code))
            })
            .collect()
    }

    fn kpi<'a>(all: &'a [(Kpi, Option<ProgressCode>)], name: &str) -> &'a Assessment {
        &all.iter()
            .find(|(k, _)| k.name.starts_with(name))
            .unwrap()
            .0
            .assessment
    }

    fn ratios(a: &Assessment) -> Vec<(i32, Option<f64>, Option<bool>)> {
        a.achievements
            .iter()
            .map(|x| (x.fiscal_year, value(&x.ratio), x.met))
            .collect()
    }

    #[test]
    fn a_target_of_zero_with_an_actual_of_three_is_behind() {
        // 妥当でないと判断された件数: baseline 0, target 0 (単年), 1 and 3.
        let all = iga();
        let a = kpi(&all, "情報公開・個人情報保護審査会で妥当でない");
        assert_eq!(
            (a.direction, a.direction_basis, a.formula),
            (
                Some(Direction::LowerIsBetter),
                Some(DirectionBasis::Wording),
                Some(AchievementFormula::SingleYear)
            )
        );
        // target / actual: 0 / 1 and 0 / 3.
        assert_eq!(
            ratios(a),
            [
                (2021, Some(0.0), Some(false)),
                (2022, Some(0.0), Some(false))
            ]
        );
        assert_eq!((a.status, a.status_year), (S::Behind, Some(2022)));
    }

    #[test]
    fn single_year_targets_compare_the_actual_with_the_target() {
        // 意見件数: 769 → 956, 969 against 900.
        let all = iga();
        let a = kpi(&all, "市ホームページで寄せられた意見件数");
        assert_eq!(a.direction_basis, Some(DirectionBasis::TargetVsBaseline));
        assert_eq!(
            ratios(a),
            [
                (2021, Some(1.06222), Some(true)),
                (2022, Some(1.07667), Some(true))
            ]
        );
        assert_eq!(a.status, S::Achieved);
    }

    #[test]
    fn cumulative_targets_measure_progress_from_the_baseline() {
        // 滞納繰越債権額 (lower is better): baseline 22.3, target 17.4.
        let all = iga();
        let a = kpi(&all, "滞納繰越債権額");
        assert_eq!(a.formula, Some(AchievementFormula::Cumulative));
        assert_eq!(a.direction, Some(Direction::LowerIsBetter));
        let last = a.achievements.last().unwrap();
        assert_eq!((value(&last.ratio), last.met), (Some(1.02041), Some(true)));
        // 複合化で機能移転した施設数: a third of the way where the line
        // expects more.
        let b = kpi(&all, "複合化で機能移転した施設数");
        assert_eq!(
            (b.formula, b.status),
            (Some(AchievementFormula::Cumulative), S::Behind)
        );
        assert_eq!(value(&b.achievements[1].expected), Some(12.0));
    }

    #[test]
    fn bounds_are_met_or_not_and_text_targets_have_none() {
        // 実質公債費比率: 概ね9%を超えないこと; 10.5 and 9.4.
        let all = iga();
        let a = kpi(&all, "実質公債費比率");
        assert_eq!(
            (a.direction, a.direction_basis, a.formula),
            (
                Some(Direction::LowerIsBetter),
                Some(DirectionBasis::Bound),
                Some(AchievementFormula::Bound)
            )
        );
        assert_eq!(
            ratios(a),
            [(2021, None, Some(false)), (2022, None, Some(false))]
        );
        // 将来負担比率: 50%台後半, no number to measure by.
        let b = kpi(&all, "将来負担比率");
        assert_eq!(
            (b.formula, b.status, b.achievements.len()),
            (None, S::NoTarget, 0)
        );
    }

    #[test]
    fn stated_progress_is_checked_against_the_figures() {
        let bytes = include_bytes!("../../../fixtures/iga/000_46863bf7e879b4fa.txt");
        let doc = crate::read("iga.txt", bytes, &Default::default()).unwrap();
        let said: Vec<&str> = doc
            .sheets
            .iter()
            .flat_map(|s| &s.warnings)
            .filter(|w| w.code == WarningCode::ProgressInconsistent)
            .map(|w| w.message.as_str())
            .collect();
        assert_eq!(said.len(), 2, "{said:?}");
        assert!(said[0].contains("basic project 3 says `計画通り進めている`"));
        assert!(said[0].contains("actual 3 in fiscal 2022 against 0 expected"));
    }
}

#[cfg(test)]
mod cost_tests {
    use super::*;

    fn projects() -> Vec<ProjectEvaluation> {
        let bytes = include_bytes!("../../../fixtures/projects/kaku-r6-list.xlsx");
        crate::read("kaku-r6-list.xlsx", bytes, &Default::default())
            .unwrap()
            .project_evaluations
    }

    fn mismatches(p: &ProjectEvaluation) -> Vec<&str> {
        p.warnings
            .iter()
            .filter(|w| w.code == WarningCode::CostSumMismatch)
            .map(|w| w.message.as_str())
            .collect()
    }

    #[test]
    fn costs_that_add_up_say_nothing_and_costs_that_do_not_are_warned_about() {
        let mut all = projects();
        assert!(!all.is_empty());
        for p in &all {
            assert_eq!(mismatches(p), Vec::<&str>::new(), "{}", p.project.name);
        }
        let p = all
            .iter_mut()
            .find(|p| {
                p.costs
                    .iter()
                    .any(|c| c.project_total.is_some() && c.total.is_some())
            })
            .unwrap();
        let year = p
            .costs
            .iter_mut()
            .find(|c| c.project_total.is_some() && c.total.is_some())
            .unwrap();
        let total = year.project_total.unwrap().get();
        year.project_total = Number::new(total + 10.0);
        check_costs(p);
        let said = mismatches(p);
        // Both sums now disagree with 事業費計.
        assert_eq!(said.len(), 2, "{said:?}");
        assert!(said[0].contains("its sources add up to"), "{}", said[0]);
        assert!(said[1].contains("トータルコスト"), "{}", said[1]);
    }
}
