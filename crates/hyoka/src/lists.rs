//! List cells: DO, effects, issues, improvements, directions, survey trends.
//!
//! An item starts at a list marker (`・ ○ ● ◎ ■ □ ◆ ◇ • - ⇒ →`) at the start
//! of the cell or after white space, or at a line break. The converter turns
//! line breaks into spaces, so in a cell without line breaks every white
//! space separates items. A cell that still has its line breaks (spreadsheet
//! exports, workbooks) says where its lines end: there each line starts an
//! item, and a space inside a line starts one only before a marker, so
//! `防災訓練(①総合 ②地区別)` stays one item. Both read the same document
//! the same way: a line break in an export is the converter's space. A `・`
//! inside a word (`意見・問い合わせ`) is a middle dot, not a marker. Items
//! keep their text without the marker; `※` notes keep their `※`.
//!
//! Nesting: `・` items under a `○` heading (or under an unmarked lead-in such
//! as `次の取組みを実施`) become its children, and `⇒` follow-ups become
//! children of the item before them. Read depth-first, the items give back
//! the document's order and text.

use crate::model::{Improvements, ListItem};
use crate::template::{self, Template};

/// A list marker's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    /// `○ ● ◎ ■ □ ◆ ◇`: a heading that bullets may follow.
    Heading,
    /// `・ • -`: a bullet.
    Bullet,
    /// `⇒ →`: a follow-up to the item before.
    FollowUp,
}

/// The role of `c` as a list marker, if it is one.
pub fn marker_kind(c: char) -> Option<MarkerKind> {
    match c {
        '○' | '●' | '◎' | '■' | '□' | '◆' | '◇' => Some(MarkerKind::Heading),
        '・' | '•' | '-' => Some(MarkerKind::Bullet),
        '⇒' | '→' => Some(MarkerKind::FollowUp),
        _ => None,
    }
}

/// One item of a list cell before nesting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawItem {
    /// The first marker that introduced the item.
    pub marker: Option<char>,
    /// The text without markers.
    pub text: String,
}

/// Splits a normalized list cell into items, in order.
pub fn split(cell: &str) -> Vec<RawItem> {
    let mut items = Vec::new();
    if cell.contains('\n') {
        for line in cell.split('\n') {
            split_line(line, false, &mut items);
        }
    } else {
        split_line(cell, true, &mut items);
    }
    items
}

/// Splits one line into items: at every white space (`every_space`, the
/// converter's form) or only before a marker.
fn split_line(line: &str, every_space: bool, items: &mut Vec<RawItem>) {
    let mut pending: Option<char> = None;
    let mut current: Option<RawItem> = None;
    for word in line.split_whitespace() {
        let mut marker = pending.take();
        let mut rest = word;
        while let Some(c) = rest.chars().next() {
            if marker_kind(c).is_none() || (c == '-' && starts_number(&rest[1..])) {
                break;
            }
            marker.get_or_insert(c);
            rest = &rest[c.len_utf8()..];
        }
        if rest.is_empty() {
            // A marker standing alone (`- ・ text`) applies to the next word.
            pending = marker;
            continue;
        }
        match current.as_mut() {
            Some(item) if !every_space && marker.is_none() => {
                item.text.push(' ');
                item.text.push_str(rest);
            }
            _ => {
                items.extend(current.take());
                current = Some(RawItem {
                    marker,
                    text: rest.to_owned(),
                });
            }
        }
    }
    items.extend(current);
}

fn starts_number(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_digit())
}

/// Splits and nests a normalized list cell.
pub fn items(cell: &str) -> Vec<ListItem> {
    nest(split(cell))
}

/// The items of a cell as flat strings, depth-first.
pub fn flat(cell: &str) -> Vec<String> {
    split(cell).into_iter().map(|i| i.text).collect()
}

/// The texts of nested items, depth-first: the document's order.
#[cfg(test)]
pub fn depth_first(items: &[ListItem]) -> Vec<&str> {
    ListItem::depth_first(items)
}

/// Nests items: bullets under the heading or lead-in before them, follow-ups
/// under the item before them.
pub fn nest(raw: Vec<RawItem>) -> Vec<ListItem> {
    let mut out: Vec<ListItem> = Vec::new();
    // Whether the last top-level item may take bullets as children.
    let mut open_parent = false;
    // Whether follow-ups attach to the last top-level item's last child
    // (a bullet) rather than to the top-level item itself.
    let mut follow_child = false;
    for item in raw {
        let kind = item.marker.and_then(marker_kind);
        let leaf = ListItem::leaf(item.text);
        match kind {
            Some(MarkerKind::FollowUp) if !out.is_empty() => {
                let last = out.last_mut().expect("checked non-empty");
                match last.children.last_mut().filter(|_| follow_child) {
                    Some(child) => child.children.push(leaf),
                    None => last.children.push(leaf),
                }
            }
            Some(MarkerKind::Bullet) if open_parent => {
                out.last_mut()
                    .expect("open parent exists")
                    .children
                    .push(leaf);
                follow_child = true;
            }
            Some(MarkerKind::Bullet) => {
                out.push(leaf);
                follow_child = false;
            }
            _ => {
                out.push(leaf);
                open_parent = true;
                follow_child = false;
            }
        }
    }
    out
}

/// An improvement-proposal category heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// `○新規事業案`.
    New,
    /// `○既存事業案`.
    Existing,
    /// `○廃止・縮小事業案`.
    ReducedOrAbolished,
}

/// The category an item's text names, if it is a category heading
/// (`新規事業案`, `既存事業案`, `廃止・縮小事業案`).
pub fn category(text: &str, t: &Template) -> Option<Category> {
    let a = t.action();
    let head = a
        .suffix
        .iter()
        .find_map(|s| text.strip_suffix(s.as_str()))?;
    if template::contains(&a.reduced_or_abolished, head) {
        Some(Category::ReducedOrAbolished)
    } else if template::contains(&a.new, head) {
        Some(Category::New)
    } else if template::contains(&a.existing, head) {
        Some(Category::Existing)
    } else {
        None
    }
}

/// Whether a cell holds at least one category heading, which marks it as
/// ACTION text (improvement proposals) rather than effects.
pub fn has_category(cell: &str, t: &Template) -> bool {
    split(cell)
        .iter()
        .any(|i| i.marker.is_some() && category(&i.text, t).is_some())
}

/// Reads an ACTION cell: items under each category heading go to that
/// category; items before any heading are `unclassified`.
pub fn improvements(cell: &str, t: &Template) -> Improvements {
    let mut out = Improvements::default();
    let mut current: Option<Category> = None;
    let mut group: Vec<RawItem> = Vec::new();
    let flush = |out: &mut Improvements, cat: Option<Category>, group: &mut Vec<RawItem>| {
        let items = nest(std::mem::take(group));
        let target = match cat {
            None => &mut out.unclassified,
            Some(Category::New) => &mut out.new,
            Some(Category::Existing) => &mut out.existing,
            Some(Category::ReducedOrAbolished) => &mut out.reduced_or_abolished,
        };
        target.extend(items);
    };
    for item in split(cell) {
        match category(&item.text, t).filter(|_| item.marker.is_some()) {
            Some(cat) => {
                flush(&mut out, current, &mut group);
                current = Some(cat);
            }
            None => group.push(item),
        }
    }
    flush(&mut out, current, &mut group);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(items: &[ListItem]) -> Vec<String> {
        fn walk(items: &[ListItem], depth: usize, out: &mut Vec<String>) {
            for i in items {
                out.push(format!("{}{}", "  ".repeat(depth), i.text));
                walk(&i.children, depth + 1, out);
            }
        }
        let mut out = Vec::new();
        walk(items, 0, &mut out);
        out
    }

    #[test]
    fn converter_bullets_and_middle_dots() {
        let items = split("- ・ 広聴機能を充実させ、意見・問い合わせを促進します。");
        assert_eq!(items.len(), 1);
        assert_eq!(
            items[0].text,
            "広聴機能を充実させ、意見・問い合わせを促進します。"
        );
    }

    #[test]
    fn do_cell_nests_bullets_under_lead_in() {
        let cell = "○広聴業務経費 ○ホームページ管理経費 次の取組みを実施 ・市公式 ・eモニター";
        assert_eq!(
            texts(&items(cell)),
            [
                "広聴業務経費",
                "ホームページ管理経費",
                "次の取組みを実施",
                "  市公式",
                "  eモニター"
            ]
        );
    }

    #[test]
    fn follow_ups_nest_under_the_item_before() {
        let cell = "帰属意識の希薄化。 ⇒ナンバー未実現。 ⇒名張市未参画。 月ヶ瀬。";
        assert_eq!(
            texts(&items(cell)),
            [
                "帰属意識の希薄化。",
                "  ナンバー未実現。",
                "  名張市未参画。",
                "月ヶ瀬。"
            ]
        );
        assert_eq!(
            texts(&items("○経費 ・取組 ⇒成果 ⇒課題")),
            ["経費", "  取組", "    成果", "    課題"]
        );
        // Mid-word arrows are text.
        assert_eq!(flat("満足度25/38⇒26/38"), ["満足度25/38⇒26/38"]);
    }

    #[test]
    fn line_breaks_end_items_and_spaces_inside_lines_are_text() {
        let cell = "○自主防災組織育成事業\n・防災訓練の実施(①総合防災訓練 ②地区別訓練)\n\
                    ・備蓄倉庫の増設(延床面積 120m2)";
        assert_eq!(
            texts(&items(cell)),
            [
                "自主防災組織育成事業",
                "  防災訓練の実施(①総合防災訓練 ②地区別訓練)",
                "  備蓄倉庫の増設(延床面積 120m2)"
            ]
        );
        // A marker after a space still starts an item, and markers standing
        // alone (`- ・ d`) apply to the word after them.
        assert_eq!(flat("・a b ・c\n- ・ d e"), ["a b", "c", "d e"]);
        // The converter's form of the same cell splits at every space.
        assert_eq!(flat("・a b ・c"), ["a", "b", "c"]);
    }

    #[test]
    fn bullets_only_stay_flat() {
        assert_eq!(texts(&items("・a ・b ・c")), ["a", "b", "c"]);
    }

    #[test]
    fn negative_numbers_are_not_bullets() {
        assert_eq!(
            split("-5度")[0],
            RawItem {
                marker: None,
                text: "-5度".into()
            }
        );
    }

    #[test]
    fn improvements_by_category() {
        let imp = improvements(
            "○新規事業案 ・事業レビュー ○廃止・縮小事業案 ・基金を廃止する。",
            &Template::builtin(),
        );
        assert_eq!(texts(&imp.new), ["事業レビュー"]);
        assert_eq!(texts(&imp.reduced_or_abolished), ["基金を廃止する。"]);
        assert!(imp.existing.is_empty() && imp.unclassified.is_empty());
        let imp = improvements(
            "○既存事業案 職員研修の実施 総務課担当職員の専門研修の受講",
            &Template::builtin(),
        );
        assert_eq!(
            texts(&imp.existing),
            ["職員研修の実施", "総務課担当職員の専門研修の受講"]
        );
        let imp = improvements("前置き ○既存事業案 ・a", &Template::builtin());
        assert_eq!(texts(&imp.unclassified), ["前置き"]);
    }

    #[test]
    fn category_detection() {
        assert!(has_category("○既存事業案 ・a", &Template::builtin()));
        assert!(!has_category(
            "既存事業案について検討した",
            &Template::builtin()
        ));
        assert!(!has_category(
            "圏域拡大 関西SDGsへの加入",
            &Template::builtin()
        ));
    }
}

/// The examples that documented this module's functions, kept as tests now
/// that the module is internal.
#[cfg(test)]
mod examples {
    #[test]
    fn example_split_1() {
        let items = crate::lists::split("- ・ 意見・問い合わせ ○経費 ※注記");
        let texts: Vec<_> = items.iter().map(|i| (i.marker, i.text.as_str())).collect();
        assert_eq!(
            texts,
            [
                (Some('-'), "意見・問い合わせ"),
                (Some('○'), "経費"),
                (None, "※注記")
            ]
        );

        // With line breaks, a line is an item; spaces inside it are text.
        let items = crate::lists::split("○訓練\n・総合訓練 (9月) ・地区別訓練\n次の取組み");
        let texts: Vec<_> = items.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(
            texts,
            ["訓練", "総合訓練 (9月)", "地区別訓練", "次の取組み"]
        );
    }

    #[test]
    fn example_items_2() {
        use crate::model::ListItem;
        let items =
            crate::lists::items("○普通財産管理及び取得事業 ・会議 ・売却 ○庁舎維持管理経費");
        assert_eq!(
            items[0].children,
            [ListItem::leaf("会議"), ListItem::leaf("売却")]
        );
        assert_eq!(items[1], ListItem::leaf("庁舎維持管理経費"));
    }

    #[test]
    fn example_depth_first_3() {
        let items = crate::lists::items("○経費 ・取組 ⇒成果 次の行");
        assert_eq!(
            crate::lists::depth_first(&items),
            ["経費", "取組", "成果", "次の行"]
        );
    }
}
