//! A KPI series as an inline SVG line chart, with a data table beside it.
//!
//! The chart shows the latest report's actual for every fiscal year, the
//! baseline as a dotted line, and the target: a single-year target
//! (目標値(単年)) is a level every year should reach, so it is a flat line;
//! a cumulative target (目標値(累計)) is a running total to reach by the
//! last year, so it is a line rising from the baseline to the target. A
//! point that a later report corrected is ringed, with the earlier values
//! shown faintly, and every value is labelled. The table says the same in
//! words, for screen readers and for print.

use std::fmt::Write;

use hyoka::model::{Number, TargetBasis};
use hyoka::panel::{Series, SeriesTarget};

use super::html::{esc, num};
use super::text::Text;

const W: f64 = 560.0;
const H: f64 = 300.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 118.0;
const TOP: f64 = 38.0;
/// Space between the axes and the first and last points, for their labels.
const PAD: f64 = 28.0;
const BOTTOM: f64 = 46.0;
/// The plot area's height.
const PLOT_H: f64 = H - TOP - BOTTOM;

/// The value a target line is drawn at: its number, else its bound's.
fn target_value(t: &SeriesTarget) -> Option<f64> {
    t.value
        .map(Number::get)
        .or_else(|| t.bound.as_ref().map(|b| b.value.get()))
}

/// A round step for about `parts` grid lines over `span`.
fn nice_step(span: f64, parts: f64) -> f64 {
    let raw = span / parts;
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

fn fmt_axis(v: f64) -> String {
    match Number::new(v) {
        // Steps like 0.1 accumulate float error; 15 digits is what sheets show.
        Some(n) => num(Number::new(format!("{:.10}", n.get()).parse().unwrap_or(v)).unwrap_or(n)),
        None => String::new(),
    }
}

/// The chart and its table for one series. `years` are the fiscal years
/// to lay out (the sheet's year columns), besides those with points.
pub fn figure(series: &Series, years: &[i32], t: &Text) -> String {
    let id = esc(&series.id);
    let unit = series.unit.as_deref().unwrap_or("");
    let latest_target = series.targets.last();
    let basis = latest_target.and_then(|t| t.basis);
    let mut slots: Vec<i32> = years.to_vec();
    slots.extend(series.points.iter().map(|p| p.fiscal_year));
    slots.sort_unstable();
    slots.dedup();
    let baseline = series.baseline.value.map(Number::get);
    // Slot 0 is the baseline when there is one, then one slot per year.
    let first_year_slot = usize::from(baseline.is_some());
    let slot_count = slots.len() + first_year_slot;

    let mut values: Vec<f64> = Vec::new();
    values.extend(baseline);
    for p in &series.points {
        values.extend(p.reports.iter().filter_map(|r| r.value.map(Number::get)));
    }
    values.extend(series.targets.iter().filter_map(target_value));

    let mut out = String::new();
    let mut report_years: Vec<i32> = series
        .targets
        .iter()
        .flat_map(|t| t.reports.iter().map(|r| r.report_fiscal_year))
        .collect();
    report_years.sort_unstable();
    report_years.dedup();
    let _ = write!(
        out,
        "<figure class=\"chart\" id=\"chart-{id}\" data-series=\"{id}\">\
         <figcaption id=\"ct-{id}\">{}{} <small class=\"sub\">{}</small></figcaption>",
        esc(&series.kpi),
        if unit.is_empty() {
            String::new()
        } else {
            format!("({})", esc(unit))
        },
        esc(&t.reports_of(&report_years))
    );
    if values.is_empty() || slot_count == 0 {
        let _ = write!(out, "<p>{}</p></figure>", esc(t.no_values));
        return out;
    }
    let lo = values
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .min(0.0);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { hi.abs().max(1.0) };
    let step = nice_step(span, 4.0);
    let y_min = (lo / step).floor() * step;
    let mut y_max = (hi / step).ceil() * step;
    if y_max <= y_min {
        y_max = y_min + step;
    }
    let plot = Plot {
        slots,
        first_year_slot,
        slot_count,
        y_min,
        y_max,
    };
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" role=\"img\" \
         aria-labelledby=\"ct-{id} cd-{id}\" font-size=\"12\">\
         <desc id=\"cd-{id}\">{}</desc>",
        esc(&describe(series, t))
    );
    axes(&mut out, &plot, series, step, unit, baseline, t);
    if let Some(b) = baseline {
        baseline_mark(&mut out, &plot, series, b);
    }
    targets(&mut out, &plot, series, baseline, t);
    actuals(&mut out, &plot, series);
    out.push_str("</svg>");
    out.push_str(&table(series, t));
    let _ = write!(
        out,
        "<ul class=\"legend\" aria-hidden=\"true\"><li><span class=\"key\"></span>{}</li>\
         <li><span class=\"key base\"></span>{}</li><li><span class=\"key target\"></span>{}</li>\
         <li><span class=\"key restated\"></span>* {}</li></ul></figure>",
        esc(t.actual),
        esc(t.baseline),
        esc(match basis {
            Some(TargetBasis::Cumulative) => t.target_cumulative,
            Some(TargetBasis::SingleYear) => t.target_single,
            None => t.target,
        }),
        esc(t.restated)
    );
    out
}

/// Where a chart's slots and values go: slot 0 is the baseline when there
/// is one, then one slot per fiscal year.
struct Plot {
    slots: Vec<i32>,
    first_year_slot: usize,
    slot_count: usize,
    y_min: f64,
    y_max: f64,
}

impl Plot {
    fn x(&self, slot: usize) -> f64 {
        let plot_w = W - LEFT - RIGHT;
        if self.slot_count == 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + PAD + (plot_w - 2.0 * PAD) * slot as f64 / (self.slot_count - 1) as f64
        }
    }

    fn y(&self, v: f64) -> f64 {
        TOP + PLOT_H * (1.0 - (v - self.y_min) / (self.y_max - self.y_min))
    }

    fn year_slot(&self, year: i32) -> Option<usize> {
        (self.slots.iter().position(|s| *s == year)).map(|i| i + self.first_year_slot)
    }
}

/// The grid, the y axis labels and unit, the x axis labels and line.
fn axes(
    out: &mut String,
    plot: &Plot,
    series: &Series,
    step: f64,
    unit: &str,
    baseline: Option<f64>,
    t: &Text,
) {
    let mut v = plot.y_min;
    let mut guard = 0;
    while v <= plot.y_max + step / 2.0 && guard < 20 {
        let yy = plot.y(v);
        let _ = write!(
            out,
            "<line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" stroke=\"#e1e6ec\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#5b6470\">{}</text>",
            W - RIGHT,
            LEFT - 6.0,
            yy + 4.0,
            esc(&fmt_axis(v))
        );
        v += step;
        guard += 1;
    }
    if !unit.is_empty() {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#5b6470\">({})</text>",
            LEFT - 6.0,
            TOP - 20.0,
            esc(unit)
        );
    }
    // X axis labels.
    if baseline.is_some() {
        let label = match series.baseline.fiscal_year {
            Some(year) => format!("{}({year})", t.baseline),
            None => t.baseline.to_owned(),
        };
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#5b6470\">{}</text>",
            plot.x(0),
            H - BOTTOM + 18.0,
            esc(&label)
        );
    }
    for (i, year) in plot.slots.iter().enumerate() {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#5b6470\">{}</text>",
            plot.x(i + plot.first_year_slot),
            H - BOTTOM + 18.0,
            esc(&super::text::year(*year))
        );
    }
    let _ = write!(
        out,
        "<line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#8a94a1\"/>",
        W - RIGHT,
        TOP + PLOT_H,
        TOP + PLOT_H
    );
}

/// The baseline: a dashed line across and its value.
fn baseline_mark(out: &mut String, plot: &Plot, series: &Series, b: f64) {
    let _ = write!(
        out,
        "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#6b7280\" \
         stroke-width=\"1.5\" stroke-dasharray=\"2 4\"/>\
         <rect x=\"{:.1}\" y=\"{:.1}\" width=\"9\" height=\"9\" fill=\"#6b7280\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#374151\">{}</text>",
        plot.x(0),
        W - RIGHT,
        plot.y(b),
        plot.y(b),
        plot.x(0) - 4.5,
        plot.y(b) - 4.5,
        plot.x(0),
        plot.y(b) - 10.0,
        esc(&series
            .baseline
            .value
            .map(num)
            .or_else(|| series.baseline.raw.clone())
            .unwrap_or_default())
    );
}

/// The targets: earlier ones faint, the latest in full.
fn targets(out: &mut String, plot: &Plot, series: &Series, baseline: Option<f64>, t: &Text) {
    let last_slot = plot.slot_count - 1;
    for (i, target) in series.targets.iter().enumerate() {
        let Some(tv) = target_value(target) else {
            continue;
        };
        let latest = i + 1 == series.targets.len();
        let (stroke, opacity) = if latest {
            ("#c0392b", "1")
        } else {
            ("#c0392b", "0.35")
        };
        let (x1, y1) = match (target.basis, baseline) {
            (Some(TargetBasis::Cumulative), Some(b)) => (plot.x(0), plot.y(b)),
            (Some(TargetBasis::Cumulative), None) => {
                (plot.x(plot.first_year_slot), plot.y(plot.y_min.max(0.0)))
            }
            _ => (plot.x(plot.first_year_slot.min(last_slot)), plot.y(tv)),
        };
        let _ = write!(
            out,
            "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{stroke}\" \
             stroke-opacity=\"{opacity}\" stroke-width=\"2\" stroke-dasharray=\"7 5\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" fill=\"{stroke}\" fill-opacity=\"{opacity}\" \
             font-size=\"11\">{} {}</text>",
            plot.x(last_slot),
            plot.y(tv),
            plot.x(last_slot) + 8.0,
            plot.y(tv) + 4.0,
            esc(t.target),
            esc(&target
                .value
                .map(num)
                .or_else(|| target.bound.as_ref().map(|b| format!("≈{}", num(b.value))))
                .unwrap_or_default())
        );
    }
}

/// The actuals: the latest report's values joined by a line, restated
/// values faint beside them.
fn actuals(out: &mut String, plot: &Plot, series: &Series) {
    let mut path = String::new();
    for p in &series.points {
        if let (Some(slot), Some(value)) = (plot.year_slot(p.fiscal_year), p.value) {
            let cmd = if path.is_empty() { 'M' } else { 'L' };
            let _ = write!(path, "{cmd}{:.1} {:.1} ", plot.x(slot), plot.y(value.get()));
        }
    }
    if !path.is_empty() {
        let _ = write!(
            out,
            "<path d=\"{}\" fill=\"none\" stroke=\"#0b5cad\" stroke-width=\"2.5\"/>",
            path.trim_end()
        );
    }
    for p in &series.points {
        let Some(slot) = plot.year_slot(p.fiscal_year) else {
            continue;
        };
        let xx = plot.x(slot);
        if p.restated {
            // Earlier values that a later report corrected, faint.
            for r in &p.reports {
                if let Some(v) = r.value.filter(|v| Some(*v) != p.value) {
                    let _ = write!(
                        out,
                        "<circle cx=\"{xx:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"#fff\" stroke=\"#9aa3ad\" \
                         stroke-width=\"1.5\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"#7b8590\" \
                         font-size=\"10.5\">{}</text>",
                        plot.y(v.get()),
                        xx + 7.0,
                        plot.y(v.get()) + 12.0,
                        esc(&num(v))
                    );
                }
            }
        }
        let Some(value) = p.value else {
            continue;
        };
        let yy = plot.y(value.get());
        if p.restated {
            let _ = write!(
                out,
                "<circle cx=\"{xx:.1}\" cy=\"{yy:.1}\" r=\"8\" fill=\"none\" stroke=\"#b7791f\" \
                 stroke-width=\"2.5\"/>"
            );
        }
        let _ = write!(
            out,
            "<circle cx=\"{xx:.1}\" cy=\"{yy:.1}\" r=\"4.5\" fill=\"#0b5cad\"/>\
             <text x=\"{xx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-weight=\"bold\" \
             fill=\"#0b3d73\">{}{}</text>",
            yy - 11.0,
            esc(&num(value)),
            if p.restated { " *" } else { "" }
        );
    }
}

/// The chart in one sentence, for screen readers.
fn describe(series: &Series, t: &Text) -> String {
    let mut parts = vec![t.chart_desc.to_owned()];
    if let Some(raw) = &series.baseline.raw {
        parts.push(format!("{} {raw}", t.baseline));
    }
    for p in &series.points {
        parts.push(format!(
            "{} {}{}",
            t.fy(p.fiscal_year),
            p.raw.as_deref().unwrap_or(t.none),
            if p.restated {
                format!(" ({})", t.restated)
            } else {
                String::new()
            }
        ));
    }
    if let Some(target) = series.targets.last() {
        parts.push(format!(
            "{} {}",
            t.target,
            target.raw.as_deref().unwrap_or(t.none)
        ));
    }
    parts.join(", ")
}

/// The data table beside the chart.
fn table(series: &Series, t: &Text) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"n\">{}</th>\
         <th scope=\"col\">{}</th></tr></thead><tbody>",
        esc(t.fiscal_year),
        esc(t.actual),
        esc(t.reported)
    );
    if let Some(raw) = &series.baseline.raw {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td></td></tr>",
            esc(&match series.baseline.fiscal_year {
                Some(y) => format!("{} ({})", t.baseline, t.fy(y)),
                None => t.baseline.to_owned(),
            }),
            esc(&series.baseline.value.map_or(raw.clone(), num))
        );
    }
    for p in &series.points {
        let shown = p
            .value
            .map(num)
            .or_else(|| p.raw.clone())
            .unwrap_or_default();
        // Runs of reports that agree read as one: `958 (2023–2024年度報告)`.
        let mut runs: Vec<(String, Vec<i32>)> = Vec::new();
        for r in &p.reports {
            let shown = r.value.map_or(r.raw.clone(), num);
            match runs.last_mut() {
                Some(last) if last.0 == shown => last.1.push(r.report_fiscal_year),
                _ => runs.push((shown, vec![r.report_fiscal_year])),
            }
        }
        let reports: Vec<String> = runs
            .into_iter()
            .map(|(shown, years)| format!("{shown} ({})", t.reports_of(&years)))
            .collect();
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{}{}</td><td>{}</td></tr>",
            esc(&t.fy(p.fiscal_year)),
            esc(&shown),
            if p.restated {
                format!(
                    " <span class=\"restated-mark\">* {}</span>",
                    esc(t.restated)
                )
            } else {
                String::new()
            },
            esc(&reports.join(" → "))
        );
    }
    for target in &series.targets {
        let label = match target.basis {
            Some(TargetBasis::Cumulative) => t.target_cumulative,
            Some(TargetBasis::SingleYear) => t.target_single,
            None => t.target,
        };
        let years: Vec<i32> = target
            .reports
            .iter()
            .map(|r| r.report_fiscal_year)
            .collect();
        let years = [t.reports_of(&years)];
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(label),
            esc(&target
                .value
                .map(num)
                .or_else(|| target.raw.clone())
                .unwrap_or_default()),
            esc(&years.join(", "))
        );
    }
    out.push_str("</tbody></table>");
    if series.targets.len() > 1 {
        let _ = write!(
            out,
            "<p class=\"restated-mark\">{}</p>",
            esc(t.target_changed)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use hyoka::model::Number;
    use hyoka::panel::{Point, PointReport, ReportRef, SeriesBaseline};

    fn series(points: &[(i32, f64)], baseline: Option<f64>, target: Option<f64>) -> Series {
        let report = |year| ReportRef {
            report_fiscal_year: year,
            sheet_id: "s".into(),
        };
        Series {
            id: "kpi-0000000000000000".into(),
            municipality: None,
            department: "総務部".into(),
            policy: None,
            basic_project: "<広聴>".into(),
            kpi: "件数 & 割合".into(),
            unit: Some("%".into()),
            baseline: SeriesBaseline {
                fiscal_year: None,
                value: baseline.and_then(Number::new),
                raw: baseline.map(|b| b.to_string()),
            },
            targets: vec![SeriesTarget {
                value: target.and_then(Number::new),
                raw: target.map(|t| t.to_string()),
                basis: Some(TargetBasis::Cumulative),
                bound: None,
                reports: vec![report(2022)],
            }],
            points: points
                .iter()
                .map(|(year, v)| Point {
                    fiscal_year: *year,
                    value: Number::new(*v),
                    raw: Some(v.to_string()),
                    restated: false,
                    reports: vec![PointReport {
                        report_fiscal_year: 2022,
                        value: Number::new(*v),
                        raw: v.to_string(),
                        sheet_id: "s".into(),
                    }],
                })
                .collect(),
            changes: vec![],
            direction: None,
            status: hyoka::model::AssessmentStatus::Unknown,
            status_year: None,
        }
    }

    #[test]
    fn odd_series_draw_without_panicking() {
        let t = super::super::text::Text::of(super::super::Lang::Ja);
        let cases = [
            series(&[], None, None),
            series(&[], Some(5.0), None),
            series(&[(2022, 1.0)], None, None),
            series(&[(2021, -0.8), (2022, -3.5)], Some(-1.0), Some(0.0)),
            series(&[(2021, 1e300), (2022, 1e-300)], None, Some(1e15)),
            series(&[(2021, 7.0), (2022, 7.0)], Some(7.0), Some(7.0)),
            series(&[(2030, 0.0)], None, Some(0.0)),
        ];
        for s in &cases {
            let svg = figure(s, &[2021, 2022, 2023], t);
            assert!(
                svg.starts_with("<figure") && svg.ends_with("</figure>"),
                "{svg}"
            );
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
            assert!(svg.contains("件数 &amp; 割合"));
        }
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(1000.0, 4.0), 250.0);
        assert_eq!(nice_step(3.0, 4.0), 1.0);
        assert_eq!(nice_step(40.0, 4.0), 10.0);
    }
}
