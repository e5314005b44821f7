//! One sheet's page, in the order a reader of the printed sheet knows:
//! heading and department, directions, PLAN/DO/CHECK① per basic project
//! (with each KPI's table as the sheet has it and its chart across the
//! years), the citizen survey, then CHECK②/ACTION and progress.

use std::fmt::Write;

use hyoka::model::{BasicProject, Kpi, Sheet, TargetBasis};
use hyoka::panel::Series;

use super::chart;
use super::html::{esc, list, num};
use super::text::Text;

/// What the sheet is about in a line: its basic projects' names.
pub fn projects_line(sheet: &Sheet) -> String {
    let names: Vec<&str> = sheet
        .basic_projects
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    names.join("、")
}

/// The sheet's title: its policy, else its heading, else its department.
pub fn title(sheet: &Sheet) -> String {
    let year = sheet
        .fiscal_year
        .map_or(String::new(), |y| format!(" {}", super::text::year(y)));
    let name = sheet
        .policy
        .clone()
        .or_else(|| sheet.heading.clone())
        .unwrap_or_else(|| sheet.department.clone());
    if sheet.policy.is_none() {
        // Sheets without a policy title share one heading; the department
        // tells them apart.
        format!("{name}({}){year}", sheet.department)
    } else {
        format!("{name}{year}")
    }
}

/// The body of a sheet's page. `series` are the panel's series this sheet
/// stated; `has_panel` whether the output folder had a panel at all.
pub fn page(sheet: &Sheet, series: &[&Series], has_panel: bool, t: &Text) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<h1>{}</h1>",
        esc(sheet
            .policy
            .as_deref()
            .or(sheet.heading.as_deref())
            .unwrap_or(&sheet.department))
    );
    let projects = projects_line(sheet);
    if !projects.is_empty() {
        let _ = write!(out, "<p class=\"lead\">{}</p>", esc(&projects));
    }
    out.push_str("<dl class=\"meta\">");
    let mut meta = |label: &str, value: &str| {
        let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", esc(label), esc(value));
    };
    if let Some(m) = &sheet.municipality {
        let name = [m.name.as_deref(), m.code.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        meta(t.municipality, &name);
    }
    meta(
        &format!("【{}】", sheet.department_label),
        &sheet.department,
    );
    if let Some(policy) = &sheet.policy {
        meta(t.policy, policy);
    }
    if let Some(y) = sheet.fiscal_year {
        meta(t.fiscal_year, &t.fy(y));
    }
    out.push_str("</dl>");

    if !sheet.directions.is_empty() {
        let _ = write!(out, "<section><h2>{}</h2><ul>", esc(t.directions));
        for d in &sheet.directions {
            let _ = write!(out, "<li>{}</li>", esc(d));
        }
        out.push_str("</ul></section>");
    }

    out.push_str("<section><h2>【PLAN】【DO】【CHECK①】</h2>");
    for project in &sheet.basic_projects {
        plan_do_check(&mut out, sheet, project, series, has_panel, t);
    }
    out.push_str("</section>");

    if !sheet.survey.trends.is_empty() {
        let _ = write!(
            out,
            "<section><h2>{}</h2><h3>{}</h3><ul>",
            esc(t.survey),
            esc(t.trend)
        );
        for trend in &sheet.survey.trends {
            let _ = write!(out, "<li>{}</li>", esc(trend));
        }
        out.push_str("</ul></section>");
    }

    check_action(&mut out, sheet, t);

    if !sheet.warnings.is_empty() {
        let _ = write!(
            out,
            "<section class=\"warn\"><h2>{} ({})</h2><table><thead><tr>\
             <th scope=\"col\">{}</th><th scope=\"col\" class=\"n\">{}</th>\
             <th scope=\"col\">{}</th></tr></thead><tbody>",
            esc(t.warnings),
            sheet.warnings.len(),
            esc(t.code),
            esc(t.row),
            esc(t.message)
        );
        for w in &sheet.warnings {
            let message = match t.lang {
                super::Lang::Ja => w.code.meaning_ja().to_owned(),
                super::Lang::En => w.message.clone(),
            };
            let _ = write!(
                out,
                "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td>{}</td></tr>",
                esc(w.code.as_str()),
                w.row.map_or(String::new(), |r| r.to_string()),
                esc(&message)
            );
        }
        out.push_str("</tbody></table></section>");
    }

    let s = &sheet.source;
    let mut place = s.file.clone();
    if let Some(ws) = &s.worksheet {
        let _ = write!(place, " [{ws}]");
    }
    let _ = write!(
        place,
        " {}–{} ({}), ID {}",
        s.rows[0], s.rows[1], s.format, sheet.id
    );
    let _ = write!(
        out,
        "<p class=\"source\">{}: {}</p>",
        esc(t.source),
        esc(&place)
    );
    out
}

fn plan_do_check(
    out: &mut String,
    sheet: &Sheet,
    project: &BasicProject,
    series: &[&Series],
    has_panel: bool,
    t: &Text,
) {
    let _ = write!(
        out,
        "<article class=\"project\" aria-labelledby=\"p{n}\"><h3 id=\"p{n}\">\
         <span class=\"num\">{n}</span>{}</h3>",
        esc(&project.name),
        n = project.number
    );
    if let Some(d) = &project.description {
        let _ = write!(out, "<p>{}</p>", esc(d));
    }
    if !project.activities.is_empty() {
        let heading = match sheet.fiscal_year {
            Some(y) => format!("【DO】{} {}", t.fy(y), t.activities_of),
            None => format!("【DO】{}", t.activities_of),
        };
        let _ = write!(out, "<h4>{}</h4>", esc(&heading));
        list(out, &project.activities);
    }
    for kpi in &project.kpis {
        let _ = write!(
            out,
            "<div class=\"kpi\"><h4>【CHECK①】{}: {}</h4>",
            esc(t.kpis),
            esc(&kpi.name)
        );
        if let Some(d) = &kpi.description {
            let _ = write!(out, "<p><b>{}</b>: {}</p>", esc(t.kpi_description), esc(d));
        }
        kpi_table(out, kpi, t);
        status_line(out, kpi, sheet, t);
        let found = series
            .iter()
            .find(|s| s.kpi == kpi.name && s.basic_project == project.name);
        match found {
            Some(s) => {
                let years: Vec<i32> = kpi.actuals.iter().map(|a| a.fiscal_year).collect();
                out.push_str(&chart::figure(s, &years, t));
            }
            None if has_panel => {
                let _ = write!(out, "<p class=\"source\">{}</p>", esc(t.no_chart));
            }
            None => {}
        }
        out.push_str("</div>");
    }
    out.push_str("</article>");
}

/// Where the KPI stands (its assessment), and the warnings of the
/// figures' cross-checks that name it.
fn status_line(out: &mut String, kpi: &Kpi, sheet: &Sheet, t: &Text) {
    let a = &kpi.assessment;
    let class = super::status_class(a.status);
    let mut detail = Vec::new();
    if let Some(y) = a.status_year {
        detail.push(t.fy(y));
    }
    if let Some(d) = a.direction {
        detail.push(t.direction_word(d).to_owned());
    }
    if let Some(ratio) = a.achievements.last().and_then(|x| x.ratio) {
        detail.push(format!("{} {}%", t.achievement, num_percent(ratio.get())));
    }
    if let Some(e) = a.achievements.last().and_then(|x| x.expected) {
        detail.push(format!("{} {}", t.expected, num(e)));
    }
    let _ = write!(
        out,
        "<p class=\"status\"><b>{}</b>: <span class=\"st {class}\">{}</span> <small>{}</small></p>",
        esc(t.status),
        esc(t.status_word(a.status)),
        esc(&detail.join(" · "))
    );
    let named = format!("`{}`", kpi.name);
    for w in sheet
        .warnings
        .iter()
        .filter(|w| w.code == hyoka::warning::WarningCode::ProgressInconsistent)
        .filter(|w| w.message.contains(&named))
    {
        let _ = write!(
            out,
            "<p class=\"warn\"><code>{}</code> {}</p>",
            esc(w.code.as_str()),
            esc(&w.message)
        );
    }
}

/// A ratio as a percentage with one decimal (`1.06222` is `106.2`).
fn num_percent(ratio: f64) -> String {
    let p = (ratio * 1000.0).round() / 10.0;
    if p.fract() == 0.0 {
        format!("{}", p as i64)
    } else {
        format!("{p:.1}")
    }
}

/// The KPI's value row as the sheet prints it: baseline, one column per
/// year, target.
fn kpi_table(out: &mut String, kpi: &Kpi, t: &Text) {
    let target_label = match kpi.target.basis {
        Some(TargetBasis::SingleYear) => t.target_single,
        Some(TargetBasis::Cumulative) => t.target_cumulative,
        None => t.target,
    };
    let baseline_label = match kpi.baseline.fiscal_year {
        Some(y) => format!("{}({})", t.baseline, super::text::year(y)),
        None => t.baseline.to_owned(),
    };
    let _ = write!(
        out,
        "<table><thead><tr><th scope=\"col\"></th><th scope=\"col\" class=\"n\">{}</th>",
        esc(&baseline_label)
    );
    for a in &kpi.actuals {
        let _ = write!(
            out,
            "<th scope=\"col\" class=\"n\">{}</th>",
            esc(&super::text::year(a.fiscal_year))
        );
    }
    let _ = write!(
        out,
        "<th scope=\"col\" class=\"n\">{}</th></tr></thead><tbody><tr><th scope=\"row\">{}{}</th>",
        esc(target_label),
        esc(t.actual),
        esc(&kpi
            .unit
            .as_ref()
            .map_or(String::new(), |u| format!("({u})")))
    );
    let cell = |value: Option<hyoka::model::Number>, raw: Option<&str>| -> String {
        value
            .map(num)
            .or_else(|| raw.map(str::to_owned))
            .unwrap_or_default()
    };
    let _ = write!(
        out,
        "<td class=\"n\">{}</td>",
        esc(&cell(kpi.baseline.value, kpi.baseline.raw.as_deref()))
    );
    for a in &kpi.actuals {
        let _ = write!(
            out,
            "<td class=\"n\">{}</td>",
            esc(&cell(a.value, a.raw.as_deref()))
        );
    }
    let _ = write!(
        out,
        "<td class=\"n\">{}</td></tr></tbody></table>",
        esc(&cell(kpi.target.value, kpi.target.raw.as_deref()))
    );
}

fn check_action(out: &mut String, sheet: &Sheet, t: &Text) {
    let any = sheet.basic_projects.iter().any(|p| {
        !p.effects.is_empty()
            || !p.issues.is_empty()
            || !p.improvements.is_empty()
            || p.progress.is_some()
    });
    if !any {
        return;
    }
    let _ = write!(
        out,
        "<section><h2>【CHECK②】【ACTION】【事業の進捗】</h2><table><thead><tr>\
         <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
         <th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        esc(t.basic_projects),
        esc(t.effects),
        esc(t.issues),
        esc(t.improvements),
        esc(t.progress)
    );
    for p in &sheet.basic_projects {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{} {}</th><td>",
            p.number,
            esc(&p.name)
        );
        list(out, &p.effects);
        out.push_str("</td><td>");
        list(out, &p.issues);
        out.push_str("</td><td>");
        for (label, items) in [
            (t.improvement_new, &p.improvements.new),
            (t.improvement_existing, &p.improvements.existing),
            (t.improvement_reduced, &p.improvements.reduced_or_abolished),
            ("", &p.improvements.unclassified),
        ] {
            if items.is_empty() {
                continue;
            }
            if !label.is_empty() {
                let _ = write!(out, "<b>○{}</b>", esc(label));
            }
            list(out, items);
        }
        let _ = write!(
            out,
            "</td><td>{}</td></tr>",
            esc(p.progress.as_ref().map_or("", |p| p.text.as_str()))
        );
    }
    out.push_str("</tbody></table></section>");
}
