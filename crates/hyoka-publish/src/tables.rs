//! The open-data tables: what each holds, its fields and keys, and how a
//! sheet becomes rows.
//!
//! Long because: eleven tables, each declared once with its fields (names
//! in English and Japanese, types, keys) beside the code that fills its
//! rows, so that a column's header, its Table Schema and its values cannot
//! drift apart.
//!
//! Every table is declared once in [`TABLES`] (a [`TableDef`]); the CSV
//! header, the Table Schema in `datapackage.json` and `hyoka validate` all
//! read that declaration. To add a table: declare it, add it to
//! [`TABLES`], and fill it in [`Tables::add`].

use hyoka::model::{ListItem, Municipality, Number, Sheet};

mod kpi_series;
mod projects;

/// A Table Schema field type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// Text.
    String,
    /// A whole number.
    Integer,
    /// A number, written without separators (`3878604`, `11.4`, `-0.8`).
    Number,
    /// `true` or `false`.
    Boolean,
}

impl FieldType {
    /// The Table Schema name of the type.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
        }
    }
}

/// One column.
#[derive(Debug)]
pub struct FieldDef {
    /// The English snake_case header.
    pub en: &'static str,
    /// The Japanese header.
    pub ja: &'static str,
    /// The type.
    pub kind: FieldType,
    /// Whether every row has a value.
    pub required: bool,
    /// What the column holds.
    pub description: &'static str,
    /// The only values allowed, for codes: the English codes (as the JSON
    /// writes them).
    pub values: &'static [&'static str],
    /// The same codes in Japanese, in the same order, as the sheets word
    /// them; written under Japanese headers. Empty when the codes are the
    /// same in both languages (file formats, ア..ス).
    pub values_ja: &'static [&'static str],
    /// A regular expression every value matches whole (Table Schema
    /// patterns are anchored, without `^` and `$`).
    pub pattern: Option<&'static str>,
}

const fn field(
    en: &'static str,
    ja: &'static str,
    kind: FieldType,
    description: &'static str,
) -> FieldDef {
    FieldDef {
        en,
        ja,
        kind,
        required: false,
        description,
        values: &[],
        values_ja: &[],
        pattern: None,
    }
}

const fn required(mut f: FieldDef) -> FieldDef {
    f.required = true;
    f
}

const fn one_of(mut f: FieldDef, values: &'static [&'static str]) -> FieldDef {
    f.values = values;
    f
}

/// A column of codes with their Japanese words: `values_ja[i]` is written
/// for `values[i]` under Japanese headers.
const fn coded(
    mut f: FieldDef,
    values: &'static [&'static str],
    values_ja: &'static [&'static str],
) -> FieldDef {
    f.values = values;
    f.values_ja = values_ja;
    f
}

/// A foreign key: `fields` of this table refer to `fields` of `table`.
#[derive(Debug)]
pub struct ForeignKeyDef {
    /// Fields of this table, by English name.
    pub fields: &'static [&'static str],
    /// The referenced table (may be this one).
    pub table: &'static str,
    /// The referenced fields, by English name.
    pub reference: &'static [&'static str],
}

/// One table.
#[derive(Debug)]
pub struct TableDef {
    /// The table's name: `csv/<name>.csv`, the resource name.
    pub name: &'static str,
    /// A Japanese title.
    pub title: &'static str,
    /// What one row is.
    pub description: &'static str,
    /// The columns after the three every table starts with ([`COMMON`]).
    pub fields: &'static [FieldDef],
    /// The primary key, by English name.
    pub primary_key: &'static [&'static str],
    /// The foreign keys.
    pub foreign_keys: &'static [ForeignKeyDef],
}

impl TableDef {
    /// Every column, the three common ones first.
    pub fn all_fields(&self) -> impl Iterator<Item = &'static FieldDef> + use<> {
        let own: &'static [FieldDef] = self.fields;
        COMMON.iter().chain(own.iter())
    }
}

/// The first columns of every table: the municipality's code and name, as
/// in the standard municipal open-data sets, and its prefecture.
pub static COMMON: [FieldDef; 3] = [
    FieldDef {
        pattern: Some("[0-9]{6}"),
        ..field(
            "municipality_code",
            "全国地方公共団体コード",
            FieldType::String,
            "The 6-digit code of the municipality (JIS X 0402 and a check digit); empty when unknown. Text, to keep its leading zero.",
        )
    },
    field(
        "municipality_name",
        "地方公共団体名",
        FieldType::String,
        "The municipality's name; empty when unknown.",
    ),
    one_of(
        field(
            "prefecture",
            "都道府県名",
            FieldType::String,
            "The prefecture of the municipality, by the first two digits of its code (hyoka's list of 全国地方公共団体コード); empty when the code is unknown.",
        ),
        &hyoka::municipality::PREFECTURES,
    ),
];

/// `source_format`: the input's format, in every table of records.
pub(super) const SOURCE_FORMAT: FieldDef = one_of(
    required(field(
        "source_format",
        "入力形式",
        FieldType::String,
        "The input's format.",
    )),
    FORMATS,
);

const SHEET_ID: FieldDef = required(field(
    "sheet_id",
    "シートID",
    FieldType::String,
    "The sheet's stable ID (see docs/output.md in hyoka: Municipality and IDs).",
));

const FORMATS: &[&str] = &["text", "tsv", "csv", "xlsx", "xlsm", "xls", "ods", "pdf"];

const LIST_KINDS: &[&str] = &[
    "direction",
    "activity",
    "effect",
    "issue",
    "improvement_new",
    "improvement_existing",
    "improvement_reduced_or_abolished",
    "improvement_unclassified",
    "survey_trend",
];

/// [`LIST_KINDS`] as the sheets label them.
const LIST_KINDS_JA: &[&str] = &[
    "施策の方向性",
    "DO(事務事業)",
    "効果が出ている点",
    "課題",
    "新規事業案",
    "既存事業案",
    "廃止・縮小事業案",
    "改善案(区分なし)",
    "アンケートの傾向",
];

/// `sheets`: one row per sheet.
pub static SHEETS: TableDef = TableDef {
    name: "sheets",
    title: "施策評価シート",
    description: "One row per policy-evaluation sheet.",
    fields: &[
        SHEET_ID,
        field(
            "fiscal_year",
            "年度",
            FieldType::Integer,
            "The fiscal year evaluated (西暦).",
        ),
        required(field(
            "department",
            "担当部局",
            FieldType::String,
            "The department in charge.",
        )),
        field(
            "department_label",
            "担当部局の見出し",
            FieldType::String,
            "The label the department was given under (主担当部局).",
        ),
        field(
            "policy",
            "施策名",
            FieldType::String,
            "The policy title, when the sheet has one.",
        ),
        field(
            "heading",
            "見出し",
            FieldType::String,
            "The fixed heading that starts the sheet.",
        ),
        required(field(
            "basic_project_count",
            "基本事業数",
            FieldType::Integer,
            "How many basic projects the sheet has.",
        )),
        required(field(
            "warning_count",
            "警告数",
            FieldType::Integer,
            "How many warnings the sheet carries (see warnings.csv).",
        )),
        required(field(
            "source_file",
            "入力ファイル",
            FieldType::String,
            "The input path as given to hyoka.",
        )),
        FieldDef {
            pattern: Some("[0-9a-f]{64}"),
            ..required(field(
                "source_sha256",
                "入力ファイルのSHA-256",
                FieldType::String,
                "SHA-256 of the input file.",
            ))
        },
        SOURCE_FORMAT,
        field(
            "source_encoding",
            "文字コード",
            FieldType::String,
            "The text encoding (text forms only).",
        ),
        field(
            "source_worksheet",
            "ワークシート",
            FieldType::String,
            "The worksheet (workbooks only).",
        ),
        required(field(
            "source_ordinal",
            "ファイル内の順番",
            FieldType::Integer,
            "The sheet's position in its file, from 1.",
        )),
        required(field(
            "first_row",
            "開始行",
            FieldType::Integer,
            "The sheet's first row (text line or worksheet row).",
        )),
        required(field(
            "last_row",
            "終了行",
            FieldType::Integer,
            "The sheet's last row.",
        )),
    ],
    primary_key: &["sheet_id"],
    foreign_keys: &[],
};

/// `basic_projects`: one row per basic project.
pub static BASIC_PROJECTS: TableDef = TableDef {
    name: "basic_projects",
    title: "基本事業",
    description: "One row per basic project (基本事業) of a sheet.",
    fields: &[
        required(field(
            "basic_project_id",
            "基本事業ID",
            FieldType::String,
            "The basic project's stable ID.",
        )),
        SHEET_ID,
        required(field(
            "number",
            "基本事業番号",
            FieldType::Integer,
            "The project's number on the sheet.",
        )),
        field(
            "name",
            "基本事業名",
            FieldType::String,
            "The project's name.",
        ),
        field(
            "description",
            "説明",
            FieldType::String,
            "The project's description.",
        ),
        field(
            "progress",
            "取り組み状況",
            FieldType::String,
            "The progress reported, as written.",
        ),
        coded(
            field(
                "progress_code",
                "進捗区分",
                FieldType::String,
                "The progress classified.",
            ),
            &[
                "on_track",
                "slightly_behind",
                "behind",
                "completed",
                "not_started",
                "other",
            ],
            &[
                "計画通り進めている",
                "やや遅れている",
                "遅れている",
                "完了",
                "未着手",
                "その他",
            ],
        ),
    ],
    primary_key: &["basic_project_id"],
    foreign_keys: &[ForeignKeyDef {
        fields: &["sheet_id"],
        table: "sheets",
        reference: &["sheet_id"],
    }],
};

/// `list_items`: one row per list item, nesting by `parent_id`.
pub static LIST_ITEMS: TableDef = TableDef {
    name: "list_items",
    title: "リスト項目",
    description: "One row per list item: directions and survey trends of a sheet; activities (DO), effects, issues and improvement proposals of a basic project. Items nest by parent_id; ordered by position, they give back the document's order.",
    fields: &[
        required(field(
            "item_id",
            "項目ID",
            FieldType::String,
            "<sheet or basic project ID>-<kind>-<position>.",
        )),
        SHEET_ID,
        field(
            "basic_project_id",
            "基本事業ID",
            FieldType::String,
            "The basic project; empty for directions and survey trends.",
        ),
        coded(
            required(field(
                "kind",
                "種別",
                FieldType::String,
                "Which list the item is in.",
            )),
            LIST_KINDS,
            LIST_KINDS_JA,
        ),
        required(field(
            "position",
            "順番",
            FieldType::Integer,
            "The item's place in its list, depth first, from 1.",
        )),
        required(field(
            "depth",
            "階層",
            FieldType::Integer,
            "0 for a top-level item, 1 for its children, and so on.",
        )),
        field(
            "parent_id",
            "親項目ID",
            FieldType::String,
            "The item this one is nested under; empty at the top level.",
        ),
        field(
            "text",
            "内容",
            FieldType::String,
            "The item's text without its list marker.",
        ),
    ],
    primary_key: &["item_id"],
    foreign_keys: &[
        ForeignKeyDef {
            fields: &["sheet_id"],
            table: "sheets",
            reference: &["sheet_id"],
        },
        ForeignKeyDef {
            fields: &["basic_project_id"],
            table: "basic_projects",
            reference: &["basic_project_id"],
        },
        ForeignKeyDef {
            fields: &["parent_id"],
            table: "list_items",
            reference: &["item_id"],
        },
    ],
};

/// `kpis`: one row per KPI.
pub static KPIS: TableDef = TableDef {
    name: "kpis",
    title: "成果指標",
    description: "One row per KPI (成果指標); its values are in kpi_values.",
    fields: &[
        required(field(
            "kpi_id",
            "成果指標ID",
            FieldType::String,
            "The KPI's stable ID.",
        )),
        required(field(
            "basic_project_id",
            "基本事業ID",
            FieldType::String,
            "The KPI's basic project.",
        )),
        SHEET_ID,
        required(field(
            "position",
            "順番",
            FieldType::Integer,
            "The KPI's place in its basic project, from 1.",
        )),
        field(
            "name",
            "成果指標名",
            FieldType::String,
            "The indicator's name.",
        ),
        field("description", "説明", FieldType::String, "成果指標の説明."),
        field(
            "unit",
            "単位",
            FieldType::String,
            "The unit (件, %, 億円); empty when none.",
        ),
        coded(
            field(
                "target_basis",
                "目標値の区分",
                FieldType::String,
                "single_year (単年) or cumulative (累計); empty when not stated.",
            ),
            &["single_year", "cumulative"],
            &["単年", "累計"],
        ),
        coded(
            field(
                "target_bound",
                "目標値の範囲",
                FieldType::String,
                "For a target such as 20%以下: which side it bounds: at_most (以下), less_than (未満), at_least (以上), more_than (超).",
            ),
            &["at_most", "less_than", "at_least", "more_than"],
            &["以下", "未満", "以上", "超"],
        ),
        field(
            "target_bound_value",
            "目標値の範囲の値",
            FieldType::Number,
            "The bounding value.",
        ),
        field(
            "target_bound_approximate",
            "目標値の範囲は概数",
            FieldType::Boolean,
            "Whether the bound is hedged (概ね, 程度).",
        ),
        coded(
            field(
                "direction",
                "望ましい方向",
                FieldType::String,
                "higher_is_better (大きいほどよい) or lower_is_better (小さいほどよい); empty when nothing tells (see docs/kpis.md in hyoka: Is it on track?).",
            ),
            &["higher_is_better", "lower_is_better"],
            &["大きいほどよい", "小さいほどよい"],
        ),
        coded(
            field(
                "direction_basis",
                "方向の根拠",
                FieldType::String,
                "What told the direction: the bound (目標値の範囲), the target against the baseline (目標値と現状値), or the KPI's words (指標の文言).",
            ),
            &["bound", "target_vs_baseline", "wording"],
            &["目標値の範囲", "目標値と現状値", "指標の文言"],
        ),
        coded(
            field(
                "achievement_formula",
                "達成度の算式",
                FieldType::String,
                "single_year (単年: actual against target), cumulative (累計: progress from baseline) or bound (範囲: met or not); empty without a numeric target or bound.",
            ),
            &["single_year", "cumulative", "bound"],
            &["単年", "累計", "範囲"],
        ),
        coded(
            required(field(
                "status",
                "達成状況",
                FieldType::String,
                "The latest year with an actual: achieved (達成), on_track (順調), behind (遅れ), no_target (目標なし) or unknown (不明).",
            )),
            &["achieved", "on_track", "behind", "no_target", "unknown"],
            &["達成", "順調", "遅れ", "目標なし", "不明"],
        ),
        field(
            "status_year",
            "達成状況の年度",
            FieldType::Integer,
            "The fiscal year the status is for.",
        ),
    ],
    primary_key: &["kpi_id"],
    foreign_keys: &[
        ForeignKeyDef {
            fields: &["basic_project_id"],
            table: "basic_projects",
            reference: &["basic_project_id"],
        },
        ForeignKeyDef {
            fields: &["sheet_id"],
            table: "sheets",
            reference: &["sheet_id"],
        },
    ],
};

/// `kpi_values`: one row per KPI and column: baseline, each year, target.
pub static KPI_VALUES: TableDef = TableDef {
    name: "kpi_values",
    title: "成果指標の値",
    description: "One row per KPI and value column: the baseline (現状値), each fiscal year's actual (実績), the target (目標値). value is the number; raw keeps the text as the form shows it (和暦 and separators included).",
    fields: &[
        required(field("kpi_id", "成果指標ID", FieldType::String, "The KPI.")),
        SHEET_ID,
        required(field(
            "position",
            "順番",
            FieldType::Integer,
            "The column's place: 1 the baseline, then the years, the target last.",
        )),
        coded(
            required(field(
                "kind",
                "区分",
                FieldType::String,
                "baseline (現状値), actual (実績) or target (目標値).",
            )),
            &["baseline", "actual", "target"],
            &["現状値", "実績", "目標値"],
        ),
        field(
            "fiscal_year",
            "年度",
            FieldType::Integer,
            "The fiscal year (西暦): the actual's column, or the baseline's when its header names one; empty for the target.",
        ),
        field(
            "value",
            "値",
            FieldType::Number,
            "The value when the cell holds a number; empty for an empty cell, a dash or text.",
        ),
        field(
            "raw",
            "原文",
            FieldType::String,
            "The cell's text as written; empty when the cell is empty.",
        ),
        field(
            "achievement",
            "達成度",
            FieldType::Number,
            "For an actual: the achievement ratio (1 = the target reached) by the KPI's formula; empty where it cannot be computed.",
        ),
        field(
            "met",
            "目標達成",
            FieldType::Boolean,
            "For an actual: whether the target or bound is met; empty without a direction.",
        ),
        field(
            "expected",
            "直線上の値",
            FieldType::Number,
            "For an actual: the value on a straight line from the baseline to the target in the last year column.",
        ),
    ],
    primary_key: &["kpi_id", "position"],
    foreign_keys: &[
        ForeignKeyDef {
            fields: &["kpi_id"],
            table: "kpis",
            reference: &["kpi_id"],
        },
        ForeignKeyDef {
            fields: &["sheet_id"],
            table: "sheets",
            reference: &["sheet_id"],
        },
    ],
};

/// `warnings`: one row per warning of a sheet.
pub static WARNINGS: TableDef = TableDef {
    name: "warnings",
    title: "警告",
    description: "One row per warning: a repair or guess hyoka made on a sheet (see docs/warnings.md in hyoka).",
    fields: &[
        SHEET_ID,
        required(field(
            "position",
            "順番",
            FieldType::Integer,
            "The warning's place in the sheet's list, from 1.",
        )),
        required(field(
            "code",
            "コード",
            FieldType::String,
            "The warning's stable code.",
        )),
        required(field(
            "message",
            "内容",
            FieldType::String,
            "What was found, done, and what to check.",
        )),
        field("row", "行", FieldType::Integer, "The row it concerns."),
        field(
            "column",
            "列",
            FieldType::Integer,
            "The column it concerns, when one cell is meant.",
        ),
        required(field(
            "source_file",
            "入力ファイル",
            FieldType::String,
            "The input path as given to hyoka.",
        )),
    ],
    primary_key: &["sheet_id", "position"],
    foreign_keys: &[ForeignKeyDef {
        fields: &["sheet_id"],
        table: "sheets",
        reference: &["sheet_id"],
    }],
};

/// Every table, in the order of the package's resources.
pub static TABLES: &[&TableDef] = &[
    &SHEETS,
    &BASIC_PROJECTS,
    &LIST_ITEMS,
    &KPIS,
    &KPI_VALUES,
    &WARNINGS,
    &kpi_series::KPI_SERIES,
    &projects::PROJECTS,
    &projects::PROJECT_INDICATORS,
    &projects::PROJECT_INDICATOR_VALUES,
    &projects::PROJECT_COSTS,
    &projects::PROJECT_ASPECTS,
];

/// The CSV header language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Headers {
    /// Japanese headers (全国地方公共団体コード, …), as municipal open data uses.
    #[default]
    Ja,
    /// English snake_case headers (municipality_code, …).
    En,
}

impl Headers {
    /// A field's header in this language.
    pub fn name(self, field: &FieldDef) -> &'static str {
        match self {
            Headers::Ja => field.ja,
            Headers::En => field.en,
        }
    }

    /// The values a coded field allows in this language (the package's
    /// `enum`): the Japanese words under Japanese headers, where the field
    /// has them.
    pub fn values(self, field: &FieldDef) -> &'static [&'static str] {
        match self {
            Headers::Ja if !field.values_ja.is_empty() => field.values_ja,
            _ => field.values,
        }
    }

    /// A cell in this language: a code of a coded field becomes its
    /// Japanese word under Japanese headers; anything else stays.
    fn word(self, value: Value, field: &FieldDef) -> Value {
        if self == Headers::En || field.values_ja.is_empty() {
            return value;
        }
        match value {
            Value::Text(code) => {
                let at = field.values.iter().position(|v| *v == code);
                debug_assert!(at.is_some(), "{}: `{code}` is not declared", field.en);
                Value::Text(at.map_or(code, |i| field.values_ja[i].to_owned()))
            }
            other => other,
        }
    }
}

/// One cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An empty cell.
    Null,
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// A number.
    Num(Number),
    /// A boolean.
    Bool(bool),
}

impl Value {
    /// The cell as CSV text: empty for null, numbers without separators.
    pub fn render(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Text(t) => t.clone(),
            Value::Int(i) => i.to_string(),
            Value::Num(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
        }
    }
}

/// A free-text cell as spreadsheets may open it: text beginning with `=`,
/// `@`, a tab or a carriage return, or with `+` or `-` and more than a
/// number, gets a leading apostrophe `'`, so Excel and LibreOffice show it
/// as text rather than evaluate it as a formula (OWASP's CSV injection
/// guidance). Only free-text columns (type string, no pattern, no list of
/// codes). A sign that is all the cell holds (`-`, the sheets' "no value")
/// or the sign of a number (`-0.8`, `+1,200`, `-12.5%`) evaluates to nothing
/// harmful and is left alone, and the JSON keeps the text exactly.
fn spreadsheet_safe(cell: String, field: &FieldDef) -> String {
    let free_text =
        field.kind == FieldType::String && field.values.is_empty() && field.pattern.is_none();
    if free_text && looks_like_a_formula(&cell) {
        format!("'{cell}")
    } else {
        cell
    }
}

fn looks_like_a_formula(cell: &str) -> bool {
    match cell.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => {
            let signs_only = cell.chars().all(|c| c == '+' || c == '-');
            // A number may have separators and a percent sign (`-12.5%`).
            let number = cell[1..]
                .strip_suffix('%')
                .unwrap_or(&cell[1..])
                .replace(',', "");
            let is_number = !number.is_empty()
                && number.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                && number.parse::<f64>().is_ok();
            !signs_only && !is_number
        }
        _ => false,
    }
}

fn text(s: &str) -> Value {
    if s.is_empty() {
        Value::Null
    } else {
        Value::Text(s.to_owned())
    }
}

fn opt_text(s: Option<&str>) -> Value {
    s.map_or(Value::Null, text)
}

fn opt_int(i: Option<impl Into<i64>>) -> Value {
    i.map_or(Value::Null, |i| Value::Int(i.into()))
}

fn opt_num(n: Option<Number>) -> Value {
    n.map_or(Value::Null, Value::Num)
}

/// The rows of every table, as CSV text (or as cells, for a workbook),
/// built while the batch runs and taken a chunk at a time
/// ([`Tables::drain`], [`Tables::drain_rows`]) to be written out.
#[derive(Debug)]
pub struct Tables {
    headers: Headers,
    bodies: Bodies,
}

/// The rows not drained yet, one entry per table of [`TABLES`].
#[derive(Debug)]
enum Bodies {
    /// CSV text: the header row first, until the first drain.
    Csv(Vec<csv::Writer<Vec<u8>>>),
    /// Cells, codes already in the header language, text as read (not
    /// neutralized: a workbook writes text as text).
    Rows(Vec<Vec<Vec<Value>>>),
}

/// A CSV body as the tables write it: CRLF line ends, quoted as needed.
fn body() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

/// What every table file starts with: UTF-8's byte-order mark, so Excel
/// opens the file as UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

impl Tables {
    /// Empty tables with their header rows.
    pub fn new(headers: Headers) -> Tables {
        let bodies = TABLES
            .iter()
            .map(|table| {
                let mut w = body();
                w.write_record(table.all_fields().map(|f| headers.name(f)))
                    .expect("writing to memory");
                w
            })
            .collect();
        Tables {
            headers,
            bodies: Bodies::Csv(bodies),
        }
    }

    /// Empty tables whose rows are kept as cells ([`Tables::drain_rows`]),
    /// for a workbook.
    pub fn cells(headers: Headers) -> Tables {
        Tables {
            headers,
            bodies: Bodies::Rows(vec![Vec::new(); TABLES.len()]),
        }
    }

    /// Takes the CSV text of each table (in the order of [`TABLES`])
    /// written since the last drain, leaving the tables empty for more
    /// rows: the text of the whole table is [`BOM`] and then every drain in
    /// turn.
    /// Nothing for tables made with [`Tables::cells`].
    pub fn drain(&mut self) -> Vec<Vec<u8>> {
        match &mut self.bodies {
            Bodies::Csv(bodies) => bodies
                .iter_mut()
                .map(|w| {
                    std::mem::replace(w, body())
                        .into_inner()
                        .expect("writing to memory")
                })
                .collect(),
            Bodies::Rows(_) => vec![Vec::new(); TABLES.len()],
        }
    }

    /// Takes the rows of each table (in the order of [`TABLES`]) added
    /// since the last drain, for tables made with [`Tables::cells`]
    /// (nothing for CSV tables). Each row has a cell per field of
    /// [`TableDef::all_fields`].
    pub fn drain_rows(&mut self) -> Vec<Vec<Vec<Value>>> {
        match &mut self.bodies {
            Bodies::Rows(rows) => rows.iter_mut().map(std::mem::take).collect(),
            Bodies::Csv(_) => vec![Vec::new(); TABLES.len()],
        }
    }

    /// The header language.
    pub fn headers(&self) -> Headers {
        self.headers
    }

    fn push(&mut self, table: &TableDef, municipality: Option<&Municipality>, cells: Vec<Value>) {
        let i = TABLES
            .iter()
            .position(|t| std::ptr::eq(*t, table))
            .expect("a declared table");
        debug_assert_eq!(cells.len(), table.fields.len(), "{}", table.name);
        let code = municipality.and_then(|m| m.code.as_deref());
        let prefecture = opt_text(code.and_then(hyoka::municipality::prefecture));
        let name = opt_text(municipality.and_then(|m| m.name.as_deref()));
        let headers = self.headers;
        let record = [opt_text(code), name, prefecture]
            .into_iter()
            .chain(cells)
            .zip(table.all_fields())
            .map(|(v, field)| headers.word(v, field));
        match &mut self.bodies {
            Bodies::Csv(bodies) => bodies[i]
                .write_record(
                    record
                        .zip(table.all_fields())
                        .map(|(v, field)| spreadsheet_safe(v.render(), field)),
                )
                .expect("writing to memory"),
            Bodies::Rows(rows) => rows[i].push(record.collect()),
        }
    }

    /// Adds the rows of a chunk's sheets and project evaluations.
    pub fn add_documents(&mut self, chunk: &[&hyoka::Document]) {
        for doc in chunk {
            for sheet in &doc.sheets {
                self.add(sheet);
            }
            for project in &doc.project_evaluations {
                self.add_project(project);
            }
        }
    }

    /// Adds one sheet's rows to every table.
    pub fn add(&mut self, sheet: &Sheet) {
        let m = sheet.municipality.as_ref();
        let sid = || Value::Text(sheet.id.clone());
        self.push(
            &SHEETS,
            m,
            vec![
                sid(),
                opt_int(sheet.fiscal_year),
                text(&sheet.department),
                text(&sheet.department_label),
                opt_text(sheet.policy.as_deref()),
                opt_text(sheet.heading.as_deref()),
                Value::Int(sheet.basic_projects.len() as i64),
                Value::Int(sheet.warnings.len() as i64),
                text(&sheet.source.file),
                text(&sheet.source.sha256),
                text(sheet.source.format.as_str()),
                opt_text(sheet.source.encoding.as_deref()),
                opt_text(sheet.source.worksheet.as_deref()),
                Value::Int(sheet.source.ordinal.into()),
                Value::Int(sheet.source.rows[0].into()),
                Value::Int(sheet.source.rows[1].into()),
            ],
        );
        let directions: Vec<ListItem> = sheet.directions.iter().map(ListItem::leaf).collect();
        self.list(sheet, None, "direction", &directions);
        for p in &sheet.basic_projects {
            self.push(
                &BASIC_PROJECTS,
                m,
                vec![
                    Value::Text(p.id.clone()),
                    sid(),
                    Value::Int(p.number.into()),
                    text(&p.name),
                    opt_text(p.description.as_deref()),
                    opt_text(p.progress.as_ref().map(|p| p.text.as_str())),
                    p.progress.as_ref().map_or(Value::Null, |p| snake(&p.code)),
                ],
            );
            for (kind, items) in [
                ("activity", &p.activities),
                ("effect", &p.effects),
                ("issue", &p.issues),
                ("improvement_new", &p.improvements.new),
                ("improvement_existing", &p.improvements.existing),
                (
                    "improvement_reduced_or_abolished",
                    &p.improvements.reduced_or_abolished,
                ),
                ("improvement_unclassified", &p.improvements.unclassified),
            ] {
                self.list(sheet, Some(&p.id), kind, items);
            }
            for (k, kpi) in p.kpis.iter().enumerate() {
                let bound = kpi.target.bound.as_ref();
                self.push(
                    &KPIS,
                    m,
                    vec![
                        Value::Text(kpi.id.clone()),
                        Value::Text(p.id.clone()),
                        sid(),
                        Value::Int(k as i64 + 1),
                        text(&kpi.name),
                        opt_text(kpi.description.as_deref()),
                        opt_text(kpi.unit.as_deref()),
                        kpi.target.basis.map_or(Value::Null, |b| snake(&b)),
                        bound.map_or(Value::Null, |b| snake(&b.comparison)),
                        bound.map_or(Value::Null, |b| Value::Num(b.value)),
                        bound.map_or(Value::Null, |b| Value::Bool(b.approximate)),
                        kpi.assessment.direction.map_or(Value::Null, |d| snake(&d)),
                        kpi.assessment
                            .direction_basis
                            .map_or(Value::Null, |d| snake(&d)),
                        kpi.assessment.formula.map_or(Value::Null, |f| snake(&f)),
                        snake(&kpi.assessment.status),
                        opt_int(kpi.assessment.status_year),
                    ],
                );
                let mut values = vec![(
                    "baseline",
                    kpi.baseline.fiscal_year,
                    kpi.baseline.value,
                    kpi.baseline.raw.as_deref(),
                )];
                for a in &kpi.actuals {
                    values.push(("actual", Some(a.fiscal_year), a.value, a.raw.as_deref()));
                }
                values.push(("target", None, kpi.target.value, kpi.target.raw.as_deref()));
                for (i, (kind, year, value, raw)) in values.into_iter().enumerate() {
                    let achievement = (kind == "actual")
                        .then(|| {
                            kpi.assessment
                                .achievements
                                .iter()
                                .find(|a| Some(a.fiscal_year) == year)
                        })
                        .flatten();
                    self.push(
                        &KPI_VALUES,
                        m,
                        vec![
                            Value::Text(kpi.id.clone()),
                            sid(),
                            Value::Int(i as i64 + 1),
                            Value::Text(kind.into()),
                            opt_int(year),
                            opt_num(value),
                            opt_text(raw),
                            opt_num(achievement.and_then(|a| a.ratio)),
                            achievement
                                .and_then(|a| a.met)
                                .map_or(Value::Null, Value::Bool),
                            opt_num(achievement.and_then(|a| a.expected)),
                        ],
                    );
                }
            }
        }
        let trends: Vec<ListItem> = sheet.survey.trends.iter().map(ListItem::leaf).collect();
        self.list(sheet, None, "survey_trend", &trends);
        for (i, w) in sheet.warnings.iter().enumerate() {
            self.push(
                &WARNINGS,
                m,
                vec![
                    sid(),
                    Value::Int(i as i64 + 1),
                    Value::Text(w.code.as_str().into()),
                    text(&w.message),
                    opt_int(w.row),
                    opt_int(w.column),
                    text(&sheet.source.file),
                ],
            );
        }
    }

    /// A list's items, depth first, each with its depth and parent.
    fn list(&mut self, sheet: &Sheet, project: Option<&str>, kind: &str, items: &[ListItem]) {
        let owner = project.unwrap_or(&sheet.id);
        let mut position = 0;
        let mut stack: Vec<(&ListItem, usize, Option<String>)> =
            items.iter().rev().map(|i| (i, 0, None)).collect();
        while let Some((item, depth, parent)) = stack.pop() {
            position += 1;
            let id = format!("{owner}-{kind}-{position}");
            self.push(
                &LIST_ITEMS,
                sheet.municipality.as_ref(),
                vec![
                    Value::Text(id.clone()),
                    Value::Text(sheet.id.clone()),
                    opt_text(project),
                    Value::Text(kind.into()),
                    Value::Int(position),
                    Value::Int(depth as i64),
                    opt_text(parent.as_deref()),
                    text(&item.text),
                ],
            );
            for child in item.children.iter().rev() {
                stack.push((child, depth + 1, Some(id.clone())));
            }
        }
    }

    /// Each table with its CSV bytes, [`BOM`] first, when nothing was
    /// drained before.
    pub fn finish(mut self) -> Vec<(&'static TableDef, Vec<u8>)> {
        TABLES
            .iter()
            .zip(self.drain())
            .map(|(table, body)| (*table, [BOM, &body].concat()))
            .collect()
    }
}

/// An enum's snake_case code, as the JSON writes it.
fn snake<T: serde::Serialize>(value: &T) -> Value {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Value::Text(s),
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_are_consistent() {
        let mut names = std::collections::BTreeSet::new();
        for table in TABLES {
            assert!(names.insert(table.name), "{} twice", table.name);
            let fields: Vec<&str> = table.all_fields().map(|f| f.en).collect();
            let ja: std::collections::BTreeSet<&str> = table.all_fields().map(|f| f.ja).collect();
            assert_eq!(
                ja.len(),
                fields.len(),
                "{}: Japanese headers repeat",
                table.name
            );
            assert_eq!(
                fields[..3],
                ["municipality_code", "municipality_name", "prefecture"]
            );
            for f in table.all_fields() {
                if !f.values_ja.is_empty() {
                    assert_eq!(f.values_ja.len(), f.values.len(), "{}.{}", table.name, f.en);
                    let words: std::collections::BTreeSet<&str> =
                        f.values_ja.iter().copied().collect();
                    assert_eq!(words.len(), f.values.len(), "{}.{}", table.name, f.en);
                }
            }
            for f in &fields {
                assert!(
                    f.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                    "{f}"
                );
            }
            for key in table.primary_key {
                let f = table.all_fields().find(|f| f.en == *key).unwrap();
                assert!(f.required, "{}.{key}: a key field is required", table.name);
            }
            for fk in table.foreign_keys {
                let target = TABLES.iter().find(|t| t.name == fk.table).unwrap();
                assert_eq!(fk.fields.len(), fk.reference.len());
                for (f, r) in fk.fields.iter().zip(fk.reference) {
                    assert!(fields.contains(f), "{}.{f}", table.name);
                    assert_eq!(target.primary_key, fk.reference, "{}.{r}", table.name);
                }
            }
        }
    }

    #[test]
    fn values_render_without_separators_and_nulls_empty() {
        assert_eq!(
            Value::Num(Number::new(3_878_604.0).unwrap()).render(),
            "3878604"
        );
        assert_eq!(Value::Num(Number::new(-0.8).unwrap()).render(), "-0.8");
        assert_eq!(Value::Null.render(), "");
        assert_eq!(text(""), Value::Null);
        assert_eq!(Value::Bool(true).render(), "true");
    }

    #[test]
    fn formula_looking_text_is_neutralized_in_text_columns_only() {
        let free = field("x", "x", FieldType::String, "");
        let number = field("n", "n", FieldType::Number, "");
        for (cell, safe) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+cmd|'/C calc'!A0", "'+cmd|'/C calc'!A0"),
            ("-1+1", "'-1+1"),
            ("-A1", "'-A1"),
            ("+81 3 1234", "'+81 3 1234"),
            // A sign alone, or a number's: nothing a spreadsheet evaluates.
            ("-", "-"),
            ("--", "--"),
            ("-0.8", "-0.8"),
            ("+1,200", "+1,200"),
            ("-12.5%", "-12.5%"),
            ("-1.2pt", "'-1.2pt"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("a=1", "a=1"),
            ("", ""),
        ] {
            assert_eq!(spreadsheet_safe(cell.into(), &free), safe);
        }
        assert_eq!(spreadsheet_safe("-0.8".into(), &number), "-0.8");
        let code = one_of(field("c", "c", FieldType::String, ""), &["-x"]);
        assert_eq!(spreadsheet_safe("-x".into(), &code), "-x");
    }

    #[test]
    fn csv_starts_with_a_bom_and_the_common_columns() {
        let tables = Tables::new(Headers::Ja).finish();
        for (table, bytes) in &tables {
            let text = std::str::from_utf8(bytes).unwrap();
            assert!(
                text.starts_with("\u{feff}全国地方公共団体コード,地方公共団体名,都道府県名,"),
                "{}",
                table.name
            );
            assert!(text.ends_with("\r\n"));
        }
        let tables = Tables::new(Headers::En).finish();
        assert!(
            std::str::from_utf8(&tables[0].1)
                .unwrap()
                .starts_with("\u{feff}municipality_code,municipality_name,prefecture,sheet_id,")
        );
    }
}
