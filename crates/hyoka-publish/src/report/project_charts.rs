//! Small charts of the project evaluations: cost by fiscal year as stacked
//! bars (事業費 (A) below, 人件費 (B) above, the total on top) and each
//! outcome indicator's values as a line. Inline SVG with a `<title>` that
//! states every value, so a screen reader, a printout and a test read the
//! same numbers the chart draws.

use std::fmt::Write;

use hyoka::model::Number;
use hyoka::project::{CostYear, Indicator};

use super::html::{esc, num};
use super::text::{self, Text};

const W: f64 = 260.0;
const H: f64 = 120.0;
const LEFT: f64 = 8.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 18.0;
const BOTTOM: f64 = 20.0;

/// One year's cost as the chart draws it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CostBar {
    /// The fiscal year.
    pub year: i32,
    /// 事業費 (A), drawn at the bottom.
    pub project: f64,
    /// 人件費 (B), drawn on top of it.
    pub personnel: f64,
    /// トータルコスト as stated, else (A)+(B).
    pub total: f64,
}

/// The bars of a list of yearly costs: the years with a stated total or
/// part, in their order. A part not stated counts as 0 in the drawing; the
/// label is the total the sheet states, else the sum of the parts.
pub fn cost_bars<'a>(costs: impl IntoIterator<Item = &'a CostYear>) -> Vec<CostBar> {
    let get = |n: Option<Number>| n.map(Number::get);
    costs
        .into_iter()
        .filter_map(|c| {
            let year = c.fiscal_year?;
            let (a, b, total) = (get(c.project_total), get(c.personnel_cost), get(c.total));
            if a.is_none() && b.is_none() && total.is_none() {
                return None;
            }
            let (project, personnel) = match (a, b) {
                (None, None) => (total.unwrap_or(0.0), 0.0),
                (a, b) => (a.unwrap_or(0.0), b.unwrap_or(0.0)),
            };
            Some(CostBar {
                year,
                project,
                personnel,
                total: total.unwrap_or(project + personnel),
            })
        })
        .collect()
}

/// Adds up bars of the same year (a department's projects).
pub fn sum_bars(bars: impl IntoIterator<Item = CostBar>) -> Vec<CostBar> {
    let mut by_year: std::collections::BTreeMap<i32, CostBar> = Default::default();
    for b in bars {
        let e = by_year.entry(b.year).or_insert(CostBar {
            year: b.year,
            project: 0.0,
            personnel: 0.0,
            total: 0.0,
        });
        e.project += b.project;
        e.personnel += b.personnel;
        e.total += b.total;
    }
    by_year.into_values().collect()
}

fn label(v: f64) -> String {
    Number::new(v).map_or_else(String::new, num)
}

/// The cost chart of `bars` with its caption `what`, or nothing when no
/// year states a cost.
pub fn cost_chart(bars: &[CostBar], what: &str, t: &Text) -> String {
    if bars.is_empty() {
        return String::new();
    }
    let (a_word, b_word, total_word) = match t.lang {
        super::Lang::Ja => ("事業費", "人件費", "トータルコスト"),
        super::Lang::En => ("project cost", "personnel cost", "total cost"),
    };
    let top = bars
        .iter()
        .map(|b| (b.project.max(0.0) + b.personnel.max(0.0)).max(b.total))
        .fold(0.0f64, f64::max);
    let scale = if top > 0.0 {
        (H - TOP - BOTTOM) / top
    } else {
        0.0
    };
    let slot = (W - LEFT - RIGHT) / bars.len() as f64;
    let bar_w = (slot * 0.6).min(36.0);
    let base = H - BOTTOM;
    let mut title = format!("{what}: ");
    for (i, b) in bars.iter().enumerate() {
        if i > 0 {
            title.push_str(", ");
        }
        let _ = write!(
            title,
            "{} {total_word} {} ({a_word} {}, {b_word} {})",
            text::year(b.year),
            label(b.total),
            label(b.project),
            label(b.personnel)
        );
    }
    let mut svg = format!(
        "<svg class=\"mini\" viewBox=\"0 0 {W} {H}\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title>{}</title><line x1=\"{LEFT}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\" class=\"axis\"/>",
        esc(&title),
        W - RIGHT
    );
    for (i, b) in bars.iter().enumerate() {
        let x = LEFT + slot * i as f64 + (slot - bar_w) / 2.0;
        let ha = b.project.max(0.0) * scale;
        let hb = b.personnel.max(0.0) * scale;
        let _ = write!(
            svg,
            "<rect class=\"cost-a\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar_w:.1}\" height=\"{ha:.1}\"/>\
             <rect class=\"cost-b\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar_w:.1}\" height=\"{hb:.1}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" class=\"v\">{}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" class=\"yr\">{}</text>",
            base - ha,
            base - ha - hb,
            x + bar_w / 2.0,
            (base - (ha + hb).max(b.total.max(0.0) * scale) - 3.0).max(9.0),
            esc(&label(b.total)),
            x + bar_w / 2.0,
            H - 6.0,
            b.year
        );
    }
    svg.push_str("</svg>");
    format!(
        "<figure class=\"mini\">{svg}<figcaption>{} <span class=\"key cost-a\"></span>{a_word} \
         <span class=\"key cost-b\"></span>{b_word}</figcaption></figure>",
        esc(what)
    )
}

/// The line chart of one indicator's values, or nothing when it has no
/// number.
pub fn indicator_chart(ind: &Indicator, t: &Text) -> String {
    let points: Vec<(i32, f64)> = ind
        .values
        .iter()
        .filter_map(|v| Some((v.fiscal_year?, v.value?.get())))
        .collect();
    if points.is_empty() {
        return String::new();
    }
    let name = ind.name.as_deref().unwrap_or(match t.lang {
        super::Lang::Ja => "(名称なし)",
        super::Lang::En => "(unnamed)",
    });
    let unit = ind.unit.as_deref().unwrap_or("");
    let (lo, hi) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &(_, v)| {
            (lo.min(v), hi.max(v))
        });
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 1.0, hi + 1.0)
    };
    let first = points[0].0;
    let last = points[points.len() - 1].0;
    let span = f64::from((last - first).max(1));
    let x_of = |y: i32| {
        if last == first {
            W / 2.0
        } else {
            LEFT + 18.0 + f64::from(y - first) / span * (W - LEFT - RIGHT - 36.0)
        }
    };
    let y_of = |v: f64| TOP + (hi - v) / (hi - lo) * (H - TOP - BOTTOM);
    let mut title = format!("{} {name}: ", ind.slot);
    for (i, (y, v)) in points.iter().enumerate() {
        if i > 0 {
            title.push_str(", ");
        }
        let _ = write!(title, "{} {}{unit}", text::year(*y), label(*v));
    }
    let mut svg = format!(
        "<svg class=\"mini\" viewBox=\"0 0 {W} {H}\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title>{}</title><polyline class=\"line\" points=\"",
        esc(&title)
    );
    for (i, (y, v)) in points.iter().enumerate() {
        if i > 0 {
            svg.push(' ');
        }
        let _ = write!(svg, "{:.1},{:.1}", x_of(*y), y_of(*v));
    }
    svg.push_str("\"/>");
    // Long numbers side by side overlap: then only the first and the last
    // point are labelled (the title states them all).
    let crowded = points.len() > 3 && points.iter().any(|&(_, v)| label(v).len() > 6);
    for (i, (y, v)) in points.iter().enumerate() {
        let _ = write!(
            svg,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" class=\"dot\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" class=\"yr\">{y}</text>",
            x_of(*y),
            y_of(*v),
            x_of(*y),
            H - 6.0,
        );
        if !crowded || i == 0 || i + 1 == points.len() {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" class=\"v\">{}</text>",
                x_of(*y),
                (y_of(*v) - 6.0).max(9.0),
                esc(&label(*v)),
            );
        }
    }
    svg.push_str("</svg>");
    let unit = if unit.is_empty() {
        String::new()
    } else {
        format!(" ({})", esc(unit))
    };
    format!(
        "<figure class=\"mini\">{svg}<figcaption>{} {}{unit}</figcaption></figure>",
        esc(&ind.slot),
        esc(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost(year: i32, a: Option<f64>, b: Option<f64>, total: Option<f64>) -> CostYear {
        let n = |v: Option<f64>| v.and_then(Number::new);
        CostYear {
            fiscal_year: Some(year),
            national: None,
            prefectural: None,
            bonds: None,
            other: None,
            general: None,
            project_total: n(a),
            staff: None,
            hours: None,
            personnel_cost: n(b),
            total: n(total),
        }
    }

    #[test]
    fn bars_take_the_stated_total_and_skip_empty_years() {
        let costs = [
            cost(2023, Some(100.0), Some(20.0), Some(120.0)),
            cost(2024, None, None, None),
            cost(2025, Some(0.0), None, None),
            cost(2026, None, None, Some(7.0)),
        ];
        let bars = cost_bars(&costs);
        let years: Vec<i32> = bars.iter().map(|b| b.year).collect();
        assert_eq!(years, [2023, 2025, 2026]);
        assert_eq!(bars[0].total, 120.0);
        assert_eq!((bars[1].project, bars[1].total), (0.0, 0.0));
        assert_eq!((bars[2].project, bars[2].total), (7.0, 7.0));
        let summed = sum_bars(bars.iter().copied().chain(bars.iter().copied()));
        assert_eq!(summed[0].total, 240.0);
    }

    #[test]
    fn charts_state_their_values_and_draw_odd_ones() {
        let t = Text::of(super::super::Lang::Ja);
        let bars = cost_bars(&[cost(2024, Some(3089.0), Some(1200.0), Some(4289.0))]);
        let svg = cost_chart(&bars, "費用", t);
        assert!(svg.contains("2024(R6) トータルコスト 4,289 (事業費 3,089, 人件費 1,200)"));
        assert!(cost_chart(&[], "費用", t).is_empty());
        // Negative, zero and huge values draw without NaN.
        let odd = cost_bars(&[
            cost(2024, Some(-5.0), Some(0.0), None),
            cost(2025, Some(1e300), Some(1e300), None),
        ]);
        assert!(!cost_chart(&odd, "x", t).contains("NaN"));
    }
}
