//! The project evaluations (事務事業評価) of the output folder:
//! `projects.html` lists the departments with their projects and total
//! cost by fiscal year, and `projects/<n>.html` is one department's page,
//! each project with its place in the plan, its direction, a chart of its
//! cost and of each outcome indicator, and its indicators and costs by
//! fiscal year in a folded detail. Written only when the folder holds
//! project evaluations.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use hyoka::model::Number;
use hyoka::project::{IndicatorKind, ProjectEvaluation};

use super::html::{self, esc};
use super::text::Text;
use super::{Lang, Page, project_charts};

/// The page's file name in the site.
pub const PAGE: &str = "projects.html";

/// The labels of the page in the report's language.
fn label(t: &Text, en: &'static str, ja: &'static str) -> &'static str {
    if t.lang == Lang::Ja { ja } else { en }
}

/// The page's title.
pub fn title(t: &Text) -> &'static str {
    label(t, "Project evaluations", "事務事業評価")
}

fn opt(value: Option<&str>) -> String {
    esc(value.unwrap_or("—"))
}

/// The folder of the departments' pages in the site.
pub const DIR: &str = "projects";

/// The project evaluations' pages: [`PAGE`], listing the departments with
/// their projects and costs, and `projects/<n>.html` for each department
/// (numbered in the index's order), its projects with their cost and
/// outcome charts.
pub fn pages(projects: &[ProjectEvaluation], t: &Text) -> Vec<Page> {
    let mut by_department: BTreeMap<(String, String), Vec<&ProjectEvaluation>> = BTreeMap::new();
    for p in projects {
        let municipality = p
            .municipality
            .as_ref()
            .and_then(|m| m.name.clone().or_else(|| m.code.clone()))
            .unwrap_or_else(|| t.municipality_unknown.to_owned());
        let department = p.department.clone().unwrap_or_else(|| "—".to_owned());
        by_department
            .entry((municipality, department))
            .or_default()
            .push(p);
    }
    let mut index = String::new();
    let _ = write!(
        index,
        "<h1>{}</h1><p class=\"lead\">{} {}</p><table><thead><tr><th scope=\"col\">{}</th>\
         <th scope=\"col\">{}</th><th scope=\"col\" class=\"n\">{}</th><th scope=\"col\">{}</th>\
         </tr></thead><tbody>",
        esc(title(t)),
        projects.len(),
        esc(label(t, "projects", "事業")),
        esc(t.municipality),
        esc(t.department),
        esc(label(t, "Projects", "事業数")),
        esc(label(
            t,
            "Total cost by fiscal year",
            "年度別トータルコスト"
        )),
    );
    let mut out = Vec::with_capacity(by_department.len() + 1);
    for (n, ((municipality, department), list)) in by_department.iter().enumerate() {
        let path = format!("{DIR}/{}.html", n + 1);
        let bars = project_charts::sum_bars(
            list.iter()
                .flat_map(|p| project_charts::cost_bars(&p.costs)),
        );
        let costs: Vec<String> = bars
            .iter()
            .map(|b| {
                format!(
                    "{} {}",
                    super::text::year(b.year),
                    Number::new(b.total).map_or_else(String::new, html::num)
                )
            })
            .collect();
        let _ = write!(
            index,
            "<tr><td>{}</td><td><a href=\"{}\">{}</a></td><td class=\"n\">{}</td><td><small>{}</small></td></tr>",
            esc(municipality),
            esc(&path),
            esc(department),
            list.len(),
            esc(&costs.join(" / ")),
        );
        let heading = format!("{} {department}", title(t));
        let body = department_body(municipality, department, list, &bars, t);
        let nav = super::nav(
            t,
            &[
                (t.home, Some("../index.html")),
                (title(t), Some(&format!("../{PAGE}"))),
                (department, None),
            ],
        );
        out.push(Page {
            path,
            html: html::page(t, &heading, &nav, &body),
        });
    }
    index.push_str("</tbody></table>");
    let nav = super::nav(t, &[(t.home, Some("index.html")), (title(t), None)]);
    out.insert(
        0,
        Page {
            path: PAGE.to_owned(),
            html: html::page(t, title(t), &nav, &index),
        },
    );
    out
}

/// One department's page: its cost across the years, then each project
/// with its place in the plan, its direction, a chart of its cost and one
/// of each outcome indicator, and the indicators and costs folded.
fn department_body(
    municipality: &str,
    department: &str,
    list: &[&ProjectEvaluation],
    bars: &[project_charts::CostBar],
    t: &Text,
) -> String {
    let mut body = String::new();
    let _ = write!(
        body,
        "<h1>{}</h1><p class=\"lead\">{} · {} {}</p>",
        esc(department),
        esc(municipality),
        list.len(),
        esc(label(t, "projects", "事業"))
    );
    body.push_str(&project_charts::cost_chart(
        bars,
        label(
            t,
            "The department's projects, total cost",
            "部局の事務事業のトータルコスト",
        ),
        t,
    ));
    for p in list {
        let plan: Vec<String> = [&p.policy, &p.measure, &p.basic_project]
            .iter()
            .filter_map(|r| r.as_ref())
            .map(|r| {
                format!(
                    "{}{}",
                    r.number.map_or(String::new(), |n| format!("{n} ")),
                    r.name.as_deref().unwrap_or("")
                )
            })
            .collect();
        let _ = write!(
            body,
            "<article class=\"project\"><h3>{} <code>{}</code></h3><p class=\"sub\">{}</p>\
             <dl class=\"meta\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>\
             <dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd></dl><div class=\"minis\">",
            esc(&p.project.name),
            opt(p.project.code.as_deref()),
            esc(&plan.join(" › ")),
            esc(t.fiscal_year),
            esc(&p.fiscal_year.map_or(t.none.to_owned(), |y| t.fy(y))),
            esc(label(t, "Section", "課")),
            opt(p.section.as_deref()),
            esc(label(t, "Direction", "改革改善の方向性")),
            opt(p.direction.as_deref()),
            esc(label(t, "Manager's direction", "課長等意見")),
            opt(p.manager_direction.as_deref()),
            esc(t.warnings),
            p.warnings.len(),
        );
        body.push_str(&project_charts::cost_chart(
            &project_charts::cost_bars(&p.costs),
            label(t, "Total cost", "トータルコスト"),
            t,
        ));
        for ind in p
            .indicators
            .iter()
            .filter(|i| i.kind == IndicatorKind::Outcome)
        {
            body.push_str(&project_charts::indicator_chart(ind, t));
        }
        body.push_str("</div>");
        body.push_str(&details(p, t));
        body.push_str("</article>");
    }
    body
}

/// The indicators and costs of a project, year by year, folded.
fn details(p: &ProjectEvaluation, t: &Text) -> String {
    let years: BTreeSet<i32> = p
        .costs
        .iter()
        .filter_map(|c| c.fiscal_year)
        .chain(
            p.indicators
                .iter()
                .flat_map(|i| i.values.iter().filter_map(|v| v.fiscal_year)),
        )
        .collect();
    if years.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<details><summary>{}</summary><table><thead><tr><th scope=\"col\"></th>",
        esc(label(t, "Indicators and costs", "指標とコスト"))
    );
    for y in &years {
        let _ = write!(
            out,
            "<th scope=\"col\" class=\"n\">{}</th>",
            super::text::year(*y)
        );
    }
    out.push_str("</tr></thead><tbody>");
    for ind in &p.indicators {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{} {}{}</th>",
            esc(&ind.slot),
            opt(ind.name.as_deref()),
            ind.unit
                .as_deref()
                .map_or(String::new(), |u| format!(" ({})", esc(u)))
        );
        for y in &years {
            let v = ind.values.iter().find(|v| v.fiscal_year == Some(*y));
            let cell = match v {
                Some(v) => match (v.value, v.raw.as_deref()) {
                    (Some(n), _) => html::num(n),
                    (None, Some(raw)) => esc(raw),
                    (None, None) => String::new(),
                },
                None => String::new(),
            };
            let _ = write!(out, "<td class=\"n\">{cell}</td>");
        }
        out.push_str("</tr>");
    }
    let _ = write!(
        out,
        "<tr><th scope=\"row\">{}</th>",
        esc(label(t, "Total cost", "トータルコスト"))
    );
    for y in &years {
        let c = p.costs.iter().find(|c| c.fiscal_year == Some(*y));
        let cell = c.and_then(|c| c.total).map_or(String::new(), html::num);
        let _ = write!(out, "<td class=\"n\">{cell}</td>");
    }
    out.push_str("</tr></tbody></table></details>");
    out
}
