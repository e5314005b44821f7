//! The project evaluations (事務事業評価) of the output folder on one page,
//! `projects.html`: a table per department, each project with its place
//! in the plan, direction, and its indicators and costs by fiscal year in
//! a folded detail. Written only when the folder holds project evaluations.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use hyoka::project::ProjectEvaluation;

use super::Lang;
use super::html::{self, esc};
use super::text::Text;

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

/// The whole page's body.
pub fn body(projects: &[ProjectEvaluation], t: &Text) -> String {
    let mut body = String::new();
    let _ = write!(
        body,
        "<h1>{}</h1><p class=\"lead\">{} {}</p>",
        esc(title(t)),
        projects.len(),
        esc(label(t, "projects", "事業"))
    );
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
    for ((municipality, department), list) in by_department {
        let _ = write!(
            body,
            "<h2>{} {}</h2><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
             <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
             <th scope=\"col\" class=\"n\">{}</th></tr></thead><tbody>",
            esc(&municipality),
            esc(&department),
            esc(t.fiscal_year),
            esc(label(t, "Project", "事務事業")),
            esc(label(t, "Section", "課")),
            esc(label(t, "Direction", "改革改善の方向性")),
            esc(label(t, "Manager's direction", "課長等意見")),
            esc(t.warnings),
        );
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
                "<tr><td>{}</td><td><b>{}</b> <code>{}</code><br/><small>{}</small>{}</td>\
                 <td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                esc(&p.fiscal_year.map_or(t.none.to_owned(), |y| t.fy(y))),
                esc(&p.project.name),
                opt(p.project.code.as_deref()),
                esc(&plan.join(" › ")),
                details(p, t),
                opt(p.section.as_deref()),
                opt(p.direction.as_deref()),
                opt(p.manager_direction.as_deref()),
                p.warnings.len(),
            );
        }
        body.push_str("</tbody></table>");
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
